"""The ledger (one entry per input file read) as a table, and how a loaded year shows
itself in JupyterLab as pandas objects do (:class:`YearView`, mixed into
:class:`~toolkit.clean.model.YearData`): a short ``repr``, an HTML view of its ledger
and ``year.table()``, the ledger with the result tables' Chinese headers
(:data:`toolkit.vocabulary.LEDGER_HEADERS`, the same as results.xlsx's 数据台账) and every
table and reason by its label."""

from __future__ import annotations

import html

import pandas as pd

from toolkit.vocabulary import LEDGER_HEADERS, REASON_LABELS, TABLE_LABELS

LEDGER_COLUMNS = list(LEDGER_HEADERS)
LEDGER_SHEET = "数据台账"


def ledger_row(entry: dict) -> dict:
    """One ledger entry as a row of codes: the file, its rows read and used, the
    exclusion and quarantine counts summed and listed by code (``duplicate: 2; …``)."""
    ex, q = entry.get("excluded") or {}, entry.get("quarantined") or {}
    return {
        "table": entry.get("table"), "file": None if entry.get("file") is None else str(entry.get("file")),
        "sheet": entry.get("sheet"), "rows_read": entry.get("rows_read"), "rows_used": entry.get("rows_used"),
        "excluded": int(sum(ex.values())), "quarantined": int(sum(q.values())),
        "excluded_reasons": "; ".join(f"{k}: {v}" for k, v in sorted(ex.items()) if v),
        "quarantined_reasons": "; ".join(f"{k}: {v}" for k, v in sorted(q.items()) if v),
    }


def ledger_frame(ledger: list[dict]) -> pd.DataFrame:
    r"""A ledger as a frame of :func:`ledger_row`\ s: English column names, codes."""
    return pd.DataFrame([ledger_row(e) for e in ledger], columns=LEDGER_COLUMNS)


def reasons_text(counts: dict | None) -> str:
    """Reason counts as a person reads them: ``截止日后退费：1；重复记录：2``."""
    return "；".join(f"{REASON_LABELS.get(k, k)}：{v}" for k, v in sorted((counts or {}).items()) if v)


def ledger_table(ledger: list[dict]) -> pd.DataFrame:
    """The ledger with Chinese headers, tables and reasons by their labels."""
    df = ledger_frame(ledger)
    df["table"] = [TABLE_LABELS.get(t, t) for t in df["table"]]
    df["excluded_reasons"] = [reasons_text(e.get("excluded")) for e in ledger]
    df["quarantined_reasons"] = [reasons_text(e.get("quarantined")) for e in ledger]
    return df.rename(columns=LEDGER_HEADERS)


class YearView:
    """A loaded year in a notebook: its ledger, one row per input file."""

    def table(self, part: str = "ledger") -> pd.DataFrame:
        """The ledger (``"ledger"`` or ``"数据台账"``): rows read, used, excluded and
        quarantined per file, with the reasons."""
        if part not in ("ledger", LEDGER_SHEET):
            raise KeyError(f"没有表格 {part!r}；可选：ledger（{LEDGER_SHEET}）")
        return ledger_table(self.ledger)

    def __repr__(self) -> str:
        read = sum(e.get("rows_read") or 0 for e in self.ledger)
        used = sum(e.get("rows_used") or 0 for e in self.ledger)
        return f"<{self.year}年度数据：{len(self.ledger)} 个文件，读取 {read} 行，使用 {used} 行>"

    def _repr_html_(self) -> str:
        start, end = pd.Timestamp(self.period_start), pd.Timestamp(self.period_end)
        notes = [f"统计期间：{start:%Y-%m-%d %H:%M:%S} 至 {end:%Y-%m-%d %H:%M:%S}（北京时间）。"]
        if self.missing_tables:
            notes.append("缺少的数据表：" + "、".join(self.missing_tables))
        notes.append(f'表格：year.table("ledger")（{LEDGER_SHEET}）')
        table = self.table().to_html(index=False, na_rep="", escape=True, border=0, classes="dataframe")
        return (f"<div class=\"toolkit-view\"><h4>{self.year}年度{LEDGER_SHEET}</h4>{table}"
                + "".join(f"<p style=\"color:#555\">{html.escape(n)}</p>" for n in notes) + "</div>")
