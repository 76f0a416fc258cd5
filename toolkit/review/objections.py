"""The public notice's objections register ``data/<year>/异议登记.xlsx`` (docs/review-cycle.md,
"Objections"): every row read and checked against the year's nominations, its effect on
the final list decided (:attr:`Objection.effect`), and its trail (codes, no objector's
name) kept in ``evaluation.json`` under ``review.objections``. The register is parsed
from the bytes hashed (``ingest.snapshot.take``); its path and SHA-256 go to
``manifest.json`` (``review_inputs.objections``) and it is one of the year's inputs
(``ingest.find.year_inputs``) for the unchanged check. Names (异议人, 批准人, 推荐对象)
are checked and compared by ``ingest.person``.

Every problem is an :class:`~toolkit.exceptions.InputError` (exit 2) naming the file,
sheet, row and column, with the nearest valid values: a missing required cell, a
number used twice, a date that is none, an award, unit or nominee that is not nominated
(with the nearest nominations), a finding or action that is no such word, a finding
without 批准人, a name of invisible characters only, a correction row that 更正.xlsx
does not carry, a formula."""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path

import openpyxl
import pandas as pd

from toolkit.clean.privacy import shared_text
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import InputError
from toolkit.i18n import gettext as _
from toolkit.ingest import contract
from toolkit.ingest.boundary import reading
from toolkit.ingest.dates import dates
from toolkit.ingest.find import objections_file
from toolkit.ingest.keys import header_key, unit_key, word_key
from toolkit.ingest.person import person_key, person_name, visible_text
from toolkit.ingest.snapshot import take
from toolkit.review.sheet import keyed_results
from toolkit.vocabulary import (
    OBJECTION_ACTION_LABELS,
    OBJECTION_COLUMN_LABELS,
    OBJECTION_EFFECT_LABELS,
    OBJECTION_FINDING_LABELS,
    OBJECTION_HEADER_ALIASES,
)

COLUMNS = {k: (label, OBJECTION_HEADER_ALIASES.get(k, ())) for k, label in OBJECTION_COLUMN_LABELS.items()}
REQUIRED = ("number", "received", "award", "unit", "grounds")
HINT = "见 docs/review-cycle.md「公示与异议」"


@dataclass(frozen=True)
class Nomination:
    """A nomination an objection can name: its 编号, award, unit and nominee."""

    key: str
    award: str
    award_label: str
    kind: str
    unit_id: str
    unit_name: str
    nominee: str | None

    def shown(self) -> str:
        return " / ".join(x for x in (self.award_label, self.unit_name, self.nominee) if x)


@dataclass(frozen=True)
class Objection:
    """One checked row of the register. ``finding`` is a code of
    ``OBJECTION_FINDING_LABELS`` (an empty cell: ``checking``); ``action`` one of
    ``OBJECTION_ACTION_LABELS`` (only when upheld); ``named`` False for an anonymous one."""

    file: str
    sheet: str
    row: int
    number: str
    received: str  # ISO date
    named: bool
    nomination: Nomination
    grounds: str
    finding: str
    finding_written: bool
    action: str | None
    correction_row: int | None
    approver: str | None
    note: str | None

    @property
    def effect(self) -> str:
        """The effect on the final list (a code of ``OBJECTION_EFFECT_LABELS``): an
        anonymous objection without a recorded finding has none."""
        if not self.named and not (self.finding_written and self.finding != "checking" and self.approver):
            return "anonymous"
        if self.finding == "checking":
            return "held"
        if self.finding == "rejected":
            return "rejected"
        return {"withdraw": "withdrawn", "correct": "corrected"}.get(self.action or "none", "upheld")

    def trail(self) -> dict:
        """The objection as ``evaluation.json`` keeps it: codes, the grounds and note with
        ID and phone numbers masked (``clean.privacy.shared_text``), whether it was
        signed (never the objector's name)."""
        n = self.nomination
        return {"file": self.file, "sheet": self.sheet, "row": self.row, "number": self.number,
                "received": self.received, "named": self.named, "key": n.key, "award": n.award,
                "kind": n.kind, "unit_id": n.unit_id, "unit_name": n.unit_name, "nominee": n.nominee,
                "grounds": shared_text(self.grounds), "finding": self.finding, "action": self.action,
                "correction_row": self.correction_row, "approver": self.approver,
                "note": shared_text(self.note) if self.note else None, "effect": self.effect}


def nominations(evaluation) -> list[Nomination]:
    """Every nomination of the evaluation: the collectives that applied, every
    individual and innovation nomination, each with its 编号 (``review.sheet``)."""
    labels = evaluation.award_labels
    keys = {id(r): k for k, r in keyed_results(evaluation).items()}
    out = [Nomination(keys[id(u)], u.award, labels.get(u.award, u.award), "collective", u.unit_id,
                      u.unit_name or evaluation.unit_names.get(u.unit_id, u.unit_id), u.nominee)
           for u in evaluation.collective if u.nominated]
    out += [Nomination(keys[id(n)], n.category, labels.get(n.category, n.category), n.kind, n.unit_id or "",
                       n.unit_name or evaluation.unit_names.get(n.unit_id or "", ""), n.nominee)
            for n in (*evaluation.individual, *evaluation.innovation)]
    return out


def _cell_text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, dt.datetime):
        return v.date().isoformat() if v.time() == dt.time() else v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _header(rows, path: Path, sheet: str) -> tuple[int, dict]:
    lookup = {header_key(w): name for name, (zh, aliases) in COLUMNS.items() for w in (name, zh, *aliases)}
    for i, row in enumerate(rows[:contract.HEADER_SEARCH_ROWS]):
        found = {lookup[header_key(c.value)]: c for c in row if c.value is not None and header_key(c.value) in lookup}
        if all(k in found for k in ("number", "award", "unit")):
            missing = [COLUMNS[c][0] for c in REQUIRED if c not in found]
            if missing:
                raise InputError(f"异议登记表缺少“{missing[0]}”列", file=path, sheet=sheet, row=i + 1,
                                 expected="、".join(COLUMNS[c][0] for c in COLUMNS), hint=HINT)
            return i, found
    raise InputError("异议登记表没有含“编号”“奖项”“单位名称”的表头行", file=path, sheet=sheet,
                     expected="表头：" + "、".join(COLUMNS[c][0] for c in COLUMNS), hint=HINT)


class _Register:
    """What a row is checked against: the awards, the units, the nominations, the
    corrections' rows."""

    def __init__(self, evaluation, units: pd.DataFrame | None, rules=None) -> None:
        self.labels = dict(evaluation.award_labels)
        self.awards = {header_key(w): k for k, label in self.labels.items() for w in (k, label)}
        for k, award in (rules.awards.items() if rules is not None else ()):  # the nominations' words too
            if k in self.labels:
                self.awards.update({header_key(w): k for w in award.words})
        names = dict(evaluation.unit_names)
        self.unit_names = names
        self.units = {unit_key(w): uid for uid, name in names.items() for w in (uid, name) if w}
        if units is not None and "aliases" in units:
            for uid, aliases in zip(units["unit_id"], units["aliases"], strict=False):
                for a in aliases if aliases is not None else ():
                    self.units.setdefault(unit_key(a), uid)
        self.nominations = nominations(evaluation)
        self.correction_rows = sorted({int(c["row"]) for c in (evaluation.review or {}).get("corrections") or []
                                       if c.get("row") is not None})

    def nearest(self, written: str, n: int = 3) -> str:
        shown = {x.shown(): x for x in self.nominations}
        close = difflib.get_close_matches(written, list(shown), n=n, cutoff=0)
        return "；".join(close) if close else "（本年度没有推荐）"


def read_objections(path: Path, data_dir: Path, evaluation, units: pd.DataFrame | None = None, *,
                    rules=None) -> list[Objection]:
    """The checked rows of the register ``path`` (first sheet; the header is the first
    of the top 10 rows naming 编号, 奖项 and 单位名称), against ``evaluation``'s
    nominations and the corrections it applied; ``units`` (the clean units table) adds
    the aliases to the unit names; ``rules`` adds each award's words (its entry's
    ``words:`` and form box words, as the nominations table names it)."""
    return read_register(take(Path(path)), data_dir, evaluation, units, rules=rules)


def read_register(snap, data_dir: Path, evaluation, units: pd.DataFrame | None = None, *,
                  rules=None) -> list[Objection]:
    """:func:`read_objections` of the register's snapshot (``ingest.snapshot.take``):
    the rows parsed from the very bytes hashed."""
    path = Path(snap.path)
    rel = path.relative_to(data_dir).as_posix() if path.is_relative_to(data_dir) else path.name
    with reading(path):
        wb = openpyxl.load_workbook(snap.stream(), data_only=False)
    ws = wb.worksheets[0]
    rows = list(ws.iter_rows())
    at, cols = _header(rows, path, ws.title)
    names = {k: str(c.value).strip() for k, c in cols.items()}
    reg = _Register(evaluation, units, rules)
    out: list[Objection] = []
    seen: dict[str, int] = {}
    for row in rows[at + 1:]:
        cells = {k: row[c.column - 1] if c.column - 1 < len(row) else None for k, c in cols.items()}
        for k, cell in cells.items():
            if cell is not None and cell.data_type == "f":
                raise InputError("异议登记表中有公式", file=path, sheet=ws.title, row=cell.row, column=names[k],
                                 value=cell.value, expected="直接填写的值", hint=HINT)
        raw = {k: (c.value if c is not None else None) for k, c in cells.items()}
        values = {k: _cell_text(v) for k, v in raw.items()}
        if not any(visible_text(v) for v in values.values()):
            continue
        o = _check(path, rel, ws.title, row[0].row, values, raw, names, reg)
        if o.number in seen:
            raise InputError(f"异议编号 {o.number} 重复（第 {seen[o.number]} 行和第 {o.row} 行）", file=path,
                             sheet=ws.title, row=o.row, column=names["number"], value=o.number,
                             expected="每条异议一个编号", hint=HINT)
        seen[o.number] = o.row
        out.append(o)
    return out


def _check(path: Path, rel: str, sheet: str, r: int, values: dict, raw: dict, names: dict,
           reg: _Register) -> Objection:
    def err(col: str, message: str, value=None, expected=None) -> InputError:
        return InputError(f"异议登记：{message}", file=path, sheet=sheet, row=r, column=names.get(col, COLUMNS[col][0]),
                          value=value, expected=expected, hint=HINT)

    def name(col: str) -> str | None:  # a person's name has visible letters (ingest.person)
        text = values.get(col, "")
        if not text:
            return None
        found = person_name(text)
        if found is None:
            raise err(col, f"“{COLUMNS[col][0]}”只有不可见字符、空格或标点，不是姓名", text, "一个看得见的姓名，或留空")
        return found

    for col in REQUIRED:
        if not visible_text(values.get(col)):
            raise err(col, f"“{COLUMNS[col][0]}”为空", values.get(col) or None,
                      "每条异议都填写编号、收到日期、奖项、单位名称和事由")
    received = _date(raw.get("received"), values["received"])
    if received is None:
        raise err("received", "收到日期不是日期", values["received"], "日期，如 2022-12-05")
    nomination = _nomination(values, reg, err, name("nominee"))
    finding_text = values.get("finding", "")
    finding = _code(OBJECTION_FINDING_LABELS, finding_text) if visible_text(finding_text) else "checking"
    if finding is None:
        raise err("finding", "核查结论无法识别", finding_text, "、".join(OBJECTION_FINDING_LABELS.values()) + " 或留空")
    action_text = values.get("action", "")
    action = _code(OBJECTION_ACTION_LABELS, action_text) if visible_text(action_text) else None
    if visible_text(action_text) and action is None:
        raise err("action", "处理无法识别", action_text, "、".join(OBJECTION_ACTION_LABELS.values()))
    if finding == "upheld" and action is None:
        raise err("action", "异议成立，但未填写处理", None, "、".join(OBJECTION_ACTION_LABELS.values()))
    if finding != "upheld" and action not in (None, "none"):
        raise err("action", f"核查结论为“{OBJECTION_FINDING_LABELS[finding]}”，不能“{action_text}”", action_text,
                  f"留空（只有核查结论为“{OBJECTION_FINDING_LABELS['upheld']}”时才处理）")
    approver = name("approver")
    if finding in ("upheld", "rejected") and not approver:
        raise err("approver", f"核查结论“{OBJECTION_FINDING_LABELS[finding]}”没有批准人", None, "批准该结论的人")
    correction_row = _correction_row(values.get("correction_row", ""), action, reg, err)
    return Objection(file=rel, sheet=sheet, row=r, number=visible_text(values["number"]), received=received,
                     named=bool(name("objector")), nomination=nomination, grounds=values["grounds"],
                     finding=finding, finding_written=bool(visible_text(finding_text)), action=action,
                     correction_row=correction_row, approver=approver, note=values.get("note") or None)


def _code(labels: dict[str, str], text: str) -> str | None:
    return {word_key(w): code for code, label in labels.items() for w in (code, label)}.get(word_key(text))


def _date(raw, text: str) -> str | None:
    if isinstance(raw, dt.datetime | dt.date):
        return pd.Timestamp(raw).date().isoformat()
    d = dates(pd.Series([text], dtype=object)).iloc[0]
    return None if pd.isna(d) else pd.Timestamp(d).date().isoformat()


def _correction_row(text: str, action: str | None, reg: _Register, err) -> int | None:
    if action != "correct":
        if visible_text(text):
            raise err("correction_row", "只有处理为“更正”时才填写更正行", text, "留空")
        return None
    rows = "、".join(map(str, reg.correction_rows)) or "（没有已应用的更正）"
    if not visible_text(text):
        raise err("correction_row", "处理为“更正”，但未填写更正行", None, f"更正.xlsx 中的行号：{rows}")
    try:
        n = int(float(visible_text(text)))
    except ValueError:
        raise err("correction_row", "更正行不是行号", text, f"更正.xlsx 中的行号：{rows}") from None
    if n not in reg.correction_rows:
        raise err("correction_row", f"更正.xlsx 中没有第 {n} 行的更正", text, f"更正.xlsx 中已应用的更正行：{rows}")
    return n


def _nomination(values: dict, reg: _Register, err, nominee: str | None) -> Nomination:
    written = " / ".join(v for v in (values["award"], values["unit"], nominee) if v)
    award = reg.awards.get(header_key(values["award"]))
    if award is None:
        near = difflib.get_close_matches(values["award"], list(reg.labels.values()), n=3, cutoff=0)
        raise err("award", "没有这个奖项", values["award"], "、".join(near) or "规则文件中的奖项")
    uid = reg.units.get(unit_key(values["unit"]))
    if uid is None:
        near = difflib.get_close_matches(values["unit"], list(reg.unit_names.values()), n=3, cutoff=0)
        raise err("unit", "单位不在单位名册中", values["unit"], "名册中的单位（最接近：" + "、".join(near) + "）")
    found = [n for n in reg.nominations if n.award == award and n.unit_id == uid]
    if not found:
        raise err("unit", f"{reg.unit_names.get(uid, uid)} 没有申报“{reg.labels[award]}”", written,
                  f"已申报的推荐（最接近：{reg.nearest(written)}）")
    if nominee:
        key = person_key(nominee)
        found = [n for n in found if key in (person_key(n.nominee), person_key(n.unit_name))]
        if not found:
            raise err("nominee", "推荐对象不在推荐名单中", nominee, f"已申报的推荐（最接近：{reg.nearest(written)}）")
    elif found[0].kind == "individual":
        raise err("nominee", "个人奖项须填写推荐对象", None, f"推荐对象姓名（该单位：{reg.nearest(written)}）")
    if len(found) > 1:
        raise err("nominee", "该单位该奖项有多项推荐，须写明推荐对象", nominee,
                  "；".join(n.shown() for n in found))
    return found[0]


def check_objections(evaluation, data_dir: Path, units: pd.DataFrame | None = None, *, rules=None):
    """``evaluation`` with ``review["objections"]`` (every row's trail) and
    ``review["objections_file"]`` (the register's path in the data folder and the
    SHA-256 of the bytes read, for ``manifest.json``) when the year has an objections
    register; the same object without one."""
    found = objections_file(Path(data_dir))
    if found is None:
        return evaluation
    snap = take(found)
    trails = [o.trail() for o in read_register(snap, Path(data_dir), evaluation, units, rules=rules)]
    rel = found.relative_to(Path(data_dir)).as_posix() if found.is_relative_to(Path(data_dir)) else found.name
    return dataclasses.replace(evaluation, review={**(evaluation.review or {}), "objections": trails,
                                                   "objections_file": {"path": rel, "sha256": snap.sha256}})


def objections_summary(year_data, rules, screening=None) -> list[str]:
    """``toolkit validate``'s lines on the objections register: checked against the
    year's evaluation (so an objection naming nobody nominated stops with the same error
    as the run), then the count per effect; one line without a register. ``screening``:
    a function giving that evaluation (see ``review.cycle.review_summary``)."""
    found = objections_file(Path(year_data.data_dir))
    if found is None:
        return [_("no objections register ({name}) was given: the objections of the publicity "
                  "period were not checked").format(name="异议登记.xlsx")]
    evaluation = screening() if screening is not None else evaluate(year_data, rules)
    read = read_objections(found, Path(year_data.data_dir), evaluation, year_data.tables.get("units"), rules=rules)
    counts: dict[str, int] = {}
    for o in read:
        counts[o.effect] = counts.get(o.effect, 0) + 1
    detail = "；".join(f"{OBJECTION_EFFECT_LABELS[k]} {n} 件" for k, n in counts.items())
    return [_("objections register checked ({file}): {count} objection(s){detail}").format(
        file=found.name, count=len(read), detail=f"（{detail}）" if detail else "")]
