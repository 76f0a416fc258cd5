"""The validation report (``toolkit validate``): a cleaned year's ledger as a text
table, each quarantine reason with examples, and the optional tables that are missing."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from toolkit.clean.model import YearData
from toolkit.clean.privacy import NOMINATION_TEXT_FIELDS, clip, numbers_warning
from toolkit.clean.reasons import Quarantine
from toolkit.ingest import contract
from toolkit.ingest.find import closest_accepted, unmatched_files
from toolkit.vocabulary import CORRECTION_FIELD_LABELS, INTAKE_COLUMN_LABELS


def _counts(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in sorted(d.items(), key=lambda kv: -kv[1])) or "-"


def validation_report(yd: YearData) -> str:
    """The ledger as a text table, then each quarantine reason with up to three
    examples, then the optional tables that are missing."""
    lines = [
        f"Year {yd.year}: {yd.data_dir}",
        f"Period {yd.period_start:%Y-%m-%d %H:%M:%S} to {yd.period_end:%Y-%m-%d %H:%M:%S} "
        f"(Beijing time){'  [from the clean store]' if yd.from_cache else ''}",
        "",
    ]
    head = ["table", "file", "read", "used", "excluded", "quarantined"]
    rows = []
    for e in yd.ledger:
        rows.append([
            e["table"], e["file"], str(e["rows_read"]), str(e["rows_used"]),
            f"{sum(e['excluded'].values())} ({_counts(e['excluded'])})" if e["excluded"] else "0",
            f"{sum(e['quarantined'].values())} ({_counts(e['quarantined'])})" if e["quarantined"] else "0",
        ])
    tot = [sum(e[k] for e in yd.ledger) for k in ("rows_read", "rows_used")]
    exc = sum(sum(e["excluded"].values()) for e in yd.ledger)
    qua = sum(sum(e["quarantined"].values()) for e in yd.ledger)
    rows.append(["total", "", str(tot[0]), str(tot[1]), str(exc), str(qua)])
    lines += _table(head, rows, right={2, 3})
    balanced = all(e["rows_read"] == e["rows_used"] + sum(e["excluded"].values())
                   + sum(e["quarantined"].values()) for e in yd.ledger)
    lines.append("")
    lines.append("Every file balances: rows read = used + excluded + quarantined."
                 if balanced else "WARNING: the ledger does not balance (a bug; please report it).")
    q = yd.quarantine
    lines.append("")
    if q is None or q.empty:
        lines.append("No rows were quarantined.")
    else:
        lines.append(f"Quarantined rows: {len(q)}")
        for reason, group in q.groupby("reason", sort=False):
            lines.append(f"  {reason}: {len(group)}")
            for r in group.head(3).itertuples(index=False):
                ex = f"    {r.file} row {r.row}"
                if isinstance(r.column, str) and r.column:
                    ex += f", column {r.column}"
                ex += f": {clip(r.value, 80)!r}" if isinstance(r.value, str) else ""
                if isinstance(r.suggestion, str) and r.suggestion:
                    ex += (f" (did you mean: {r.suggestion})" if r.reason == Quarantine.UNKNOWN_UNIT
                           else f" ({r.suggestion})")
                lines.append(ex)
    lines.append("")
    if yd.missing_tables:
        lines.append("Optional tables missing (criteria that need them are unknown): "
                     + ", ".join(yd.missing_tables))
    else:
        lines.append("No optional table is missing.")
    lines += _unmatched(yd)
    lines += personal_number_lines(yd)
    return "\n".join(lines)


def validation_summary(yd: YearData) -> str:
    """``toolkit -q validate``'s one line: the ledger's totals and whether it balances."""
    read = sum(e["rows_read"] for e in yd.ledger)
    used = sum(e["rows_used"] for e in yd.ledger)
    exc = sum(sum(e["excluded"].values()) for e in yd.ledger)
    qua = sum(sum(e["quarantined"].values()) for e in yd.ledger)
    balanced = all(e["rows_read"] == e["rows_used"] + sum(e["excluded"].values())
                   + sum(e["quarantined"].values()) for e in yd.ledger)
    missing = f"; optional tables missing: {', '.join(yd.missing_tables)}" if yd.missing_tables else ""
    numbers = "; WARNING: free text holding an ID or mobile number (validate without -q lists it)" \
        if personal_number_lines(yd) else ""
    return (f"Year {yd.year}: {len(yd.ledger)} files, {read} rows read, {used} used, {exc} excluded, "
            f"{qua} quarantined{'' if balanced else ' (WARNING: the ledger does not balance)'}{missing}{numbers}")


def personal_number_lines(yd: YearData) -> list[str]:
    """The lines naming each free text that holds an ID or mobile number (the file, row
    and field, the number masked): the nominations' text (kept as the unit wrote it in
    its forms) and the corrections' 原因 and 批准人; every shared output masks them."""
    found = []
    noms = yd.tables.get("nominations")
    if noms is not None and not noms.empty:
        file = next((e["file"] for e in yd.ledger if e["table"] == "nominations"), "nominations")
        fields = [f for f in NOMINATION_TEXT_FIELDS if f in noms.columns]
        rows = noms["row"] if "row" in noms.columns else range(2, len(noms) + 2)
        for row, values in zip(rows, noms[fields].itertuples(index=False, name=None), strict=True):
            for f, v in zip(fields, values, strict=True):
                what = numbers_warning(v)
                if what:
                    found.append(f"  {file} row {row}, column {INTAKE_COLUMN_LABELS.get(f, f)}: {what}")
    for c in getattr(yd, "corrections", None) or []:
        for f in ("reason", "approver"):
            what = numbers_warning(c.get(f))
            if what:
                found.append(f"  {c['file']} row {c['row']}, column {CORRECTION_FIELD_LABELS[f]}: {what}")
    if not found:
        return []
    return ["", "WARNING: free text holding an ID or mobile number (the forms keep the units' words; "
            "every shared output masks the numbers):", *found]


def _unmatched(yd: YearData) -> list[str]:
    """The lines naming the files of the folder that were not read, each with the
    table it probably is and the name to give it."""
    try:
        files = unmatched_files(yd.data_dir)
    except OSError:
        return []
    if not files:
        return []
    lines = ["", "Files in the folder that match no table (not read):"]
    for name, table in files:
        if table is None:
            lines.append(f"  {name}")
            continue
        suffix = Path(name).suffix.lower()
        stem = closest_accepted(name)[1]
        if suffix in contract.FILE_SUFFIXES:
            todo = f"rename it {stem}{Path(name).suffix}"
        else:
            todo = (f"its suffix is not read: save it as {stem}.xlsx or {stem}.csv "
                    f"({', '.join(contract.FILE_SUFFIXES)} are read)")
        taken = " (but another file already holds that table)" \
            if table in {e["table"] for e in yd.ledger} else ""
        lines.append(f"  {name}: probably {table} ({todo}){taken}")
    return lines


def _table(head: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    def width(s: str) -> int:
        return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in s)

    widths = [max(width(r[i]) for r in [head, *rows]) for i in range(len(head))]

    def fmt(r):
        cells = []
        for i, c in enumerate(r):
            pad = " " * (widths[i] - width(c))
            cells.append(pad + c if i in right else c + pad)
        return "  ".join(cells).rstrip()

    return [fmt(head), fmt(["-" * w for w in widths]), *[fmt(r) for r in rows]]
