"""The reviewers' filled copies read back: every copy under ``data/<year>/评审意见/``
(sub-folders too; :mod:`toolkit.review.copies` opens it), each sheet whose header row
names 编号 and 评审人, each row a reviewer's decisions on the qualitative criteria of
one nomination; a copy with no such sheet is an error (a broken copy must not pass
for a review).

A row's 编号 names the nomination itself (year, award, unit, nominee): a copy of
another year (its document properties or a row's 编号), an 编号 of an earlier version
(no year), one that names no nomination of the year, or a visible 奖项 / 单位名称 /
单位编码 / 推荐对象 cell that is not the nomination's is an error naming the cell. So are a
decision for a criterion the row's award does not have, a value other than
符合/不符合 (blank is "not decided"), a formula, a decision without a reviewer or
under a reviewer's name with no visible letters, one reviewer's two different
decisions on the same cell, and what the reviewer could not see as the file holds
it (:mod:`toolkit.review.visible`). Every one is an
:class:`~toolkit.exceptions.InputError` naming the file, sheet, row, column and
value (exit 2). The same decision twice counts once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from toolkit.exceptions import InputError
from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_
from toolkit.ingest.find import REVIEW_FOLDER
from toolkit.ingest.keys import header_key, unit_key
from toolkit.ingest.person import person_key, person_name
from toolkit.ingest.text import nfkc
from toolkit.review import visible
from toolkit.review.copies import read_copy
from toolkit.review.sheet import (
    DECISIONS,
    FIXED,
    HEADER_SEARCH_ROWS,
    KEY,
    KEYWORDS_YEAR,
    NOMINEE,
    REMARK,
    REVIEWER,
    award_of,
    criterion_for,
    decision_of,
    legacy_key,
    parse_key,
    qualitative_labels,
    reviewer_key,
)
from toolkit.vocabulary import RESULT_COLUMN_LABELS as HEADERS

EXPECTED = "“" + "”或“".join(DECISIONS) + "”，或留空"
HINT = N_("see the 说明 sheet of 评审表.xlsx and docs/review-cycle.md")
THIS_RUN = N_("return a copy of this year's 评审表.xlsx (reports/<year>/review/) with the decisions filled in")


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision on one qualitative criterion of one row, with its place:
    the file (relative to the data folder), sheet, Excel row and column header;
    ``remark`` is the row's 评审意见, ``hidden`` says when Excel did not show the cell
    (``隐藏的行``, ``隐藏的列``; ``toolkit validate`` names it)."""

    key: str  # the row's 编号
    criterion: str  # the criterion id
    reviewer: str  # as written (trimmed, invisible characters left out)
    decision: str  # pass / fail
    file: str  # relative to the data folder
    sheet: str
    row: int
    column: str  # the column's header
    remark: str = ""  # 评审意见 as written (unmasked: the record masks it)
    hidden: str = ""

    def trail(self) -> dict:
        return {"reviewer": self.reviewer, "decision": self.decision, "file": self.file, "sheet": self.sheet,
                "row": self.row}


@dataclass
class ReviewRead:
    """Everything the review folder gave: the decisions, those that repeat an earlier
    one of the same reviewer (counted once), the copies read (``{"path", "sha256"}``),
    and the other files under 评审意见/ that are not read (paths relative to the data
    folder)."""

    decisions: list[Decision] = field(default_factory=list)
    repeats: list[Decision] = field(default_factory=list)
    files: list[dict] = field(default_factory=list)
    others: list[str] = field(default_factory=list)

    def notes(self) -> list[str]:
        """What ``toolkit validate`` names beside the errors: decisions Excel did not
        show (counted), reviewers whose decisions come from several files, files not
        read."""
        out = [_("{file} sheet {sheet!r} row {row} column {column!r}: a decision in a {hidden} "
                 "(not shown in Excel), counted").format(file=d.file, sheet=d.sheet, row=d.row, column=d.column,
                                                         hidden=d.hidden) for d in self.decisions if d.hidden]
        by_reviewer: dict[str, tuple[str, dict[str, None]]] = {}
        for d in (*self.decisions, *self.repeats):
            by_reviewer.setdefault(reviewer_key(d.reviewer), (d.reviewer, {}))[1].setdefault(d.file, None)
        out += [_("the reviewer {name!r} decided in {n} files: {files}").format(
                    name=name, n=len(files), files=", ".join(files))
                for name, files in by_reviewer.values() if len(files) > 1]
        out += [_("{file}: not read (not a review workbook)").format(file=p) for p in self.others]
        return out


def _text(v) -> str:
    return "" if v is None else nfkc(str(v)).strip()


def _header(ws) -> tuple[int, dict[int, str]] | None:
    """(header row number, {column index: header}) of a review sheet, or None."""
    for row in ws.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS):
        heads = {c.column: _text(c.value) for c in row if _text(c.value)}
        keys = {header_key(h) for h in heads.values()}
        if header_key(KEY) in keys and header_key(REVIEWER) in keys:
            return row[0].row, heads
    return None


def read_decisions(files: list[Path], data_dir: Path, rules, year: int, results: dict[str, object]) -> ReviewRead:
    """Every decision in ``files`` (checked; see the module docstring) against the
    year's ``results`` by their 编号 (:func:`toolkit.review.sheet.keyed_results`)."""
    index = {parsed.identity(): k for k in results if (parsed := parse_key(k)) is not None}
    seen: dict[tuple[str, str, str], Decision] = {}
    out = ReviewRead()
    for path in files:
        rel = Path(path).relative_to(data_dir).as_posix() if Path(path).is_relative_to(data_dir) else str(path)
        copy = read_copy(path)
        out.files.append({"path": rel, "sha256": copy.sha256})
        wb = copy.workbook
        _check_year(path, wb, year)
        sheets = [(ws, _header(ws)) for ws in wb.worksheets]
        if all(found is None for _, found in sheets):
            raise InputError(_("a file under {REVIEW_FOLDER}/ with no review sheet: no sheet has a header row naming {KEY} and {REVIEWER}").format(REVIEW_FOLDER=REVIEW_FOLDER, KEY=KEY, REVIEWER=REVIEWER), file=path,
                             expected=_("a copy of 评审表.xlsx: a sheet whose header row (within the top {HEADER_SEARCH_ROWS} rows) names {KEY} and {REVIEWER}").format(HEADER_SEARCH_ROWS=HEADER_SEARCH_ROWS, KEY=KEY, REVIEWER=REVIEWER), hint=_(HINT))
        for ws, found in sheets:
            if found is None:
                continue
            got = _sheet(path, rel, ws, *found, rules, year, results, index)
            if got and visible.sheet_hidden(ws):
                raise InputError(_("decisions in a hidden sheet ({sheet_state}): the reviewer cannot see them").format(sheet_state=ws.sheet_state),
                                 file=path, sheet=ws.title, row=got[0].row, column=got[0].column,
                                 expected=_("decisions in a visible sheet: unhide the sheet (取消隐藏) or delete it"),
                                 hint=_(HINT))
            for d in got:
                k = (d.key, d.criterion, reviewer_key(d.reviewer))
                first = seen.get(k)
                if first is None:
                    seen[k] = d
                    out.decisions.append(d)
                elif first.decision == d.decision:
                    out.repeats.append(d)
                else:
                    raise InputError(
                        _("the reviewer {reviewer!r} decided {column} of {key} twice, differently (first in {file}, sheet {sheet!r}, row {row})").format(reviewer=d.reviewer, column=d.column, key=d.key, file=first.file, sheet=first.sheet, row=first.row),
                        file=path, sheet=ws.title, row=d.row, column=d.column,
                        value=_label(d.decision), expected=_("the same decision as before ({value}) or the row removed").format(value=_label(first.decision)), hint=_(HINT))
    return out


def _check_year(path: Path, wb, year: int) -> None:
    """An InputError when the workbook's properties say it is of another year."""
    m = KEYWORDS_YEAR.search(wb.properties.keywords or "")
    if m and int(m.group(1)) != int(year):
        raise InputError(_("a review workbook of {value}, not of {year}: its decisions are not read for {year}").format(value=m.group(1), year=year),
                         file=path, value=wb.properties.title or m.group(0), expected=_("the {year} review workbook").format(year=year),
                         hint=_("move it out of {folder}/; ").format(folder=REVIEW_FOLDER) + _(THIS_RUN))


def _remark(cell) -> str:
    """The 评审意见 cell's text as written (a number as Excel shows it)."""
    if cell is None or cell.value is None:
        return ""
    v = cell.value
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v).strip()


def _label(decision: str) -> str:
    return {v: k for k, v in DECISIONS.items()}[decision]


def _sheet(path: Path, rel: str, ws, header_row: int, heads: dict[int, str], rules, year: int,
           results: dict[str, object], index: dict[tuple, str]) -> list[Decision]:
    by_key = {header_key(h): j for j, h in heads.items()}
    key_col, reviewer_col = by_key[header_key(KEY)], by_key[header_key(REVIEWER)]
    remark_col = by_key.get(header_key(REMARK))
    shown = {f: by_key.get(header_key(h)) for f, h in FIXED if f in ("award", "unit_name", "unit_id", "nominee")}
    labels = {header_key(label): label for label in qualitative_labels(rules)}
    known = {header_key(h) for _, h in FIXED} | {header_key(REVIEWER), header_key(REMARK)}
    criteria_cols = {j: h for j, h in heads.items() if header_key(h) in labels}
    other_cols = {j: h for j, h in heads.items() if header_key(h) not in labels and header_key(h) not in known}
    read_cols = {key_col, reviewer_col, *criteria_cols, *other_cols, *(j for j in shown.values() if j)}
    visible.check_merged(path, ws, header_row, read_cols, heads, _(HINT))
    hidden_cols = visible.hidden_columns(ws)
    out = []
    for row in ws.iter_rows(min_row=header_row + 1):
        cells = {c.column: c for c in row}
        r = row[0].row if row else None

        def err(col: int, message: str, value=None, expected=None, hint=HINT, r=r) -> InputError:
            return InputError(message, file=path, sheet=ws.title, row=r, column=heads.get(col),
                              value=value, expected=expected, hint=_(hint) if hint else hint)

        for j in (key_col, reviewer_col, *criteria_cols, *other_cols):
            c = cells.get(j)
            if c is not None and c.data_type == "f":
                raise err(j, _("a formula in a review workbook"), c.value, _("the decision typed or chosen, not a formula"))
        decided = {}
        for j, head in criteria_cols.items():
            c = cells.get(j)
            v = decision_of(c.value if c is not None else None)
            if v is None:
                raise err(j, _("not a decision: {head}").format(head=head), c.value, EXPECTED)
            if v:
                decided[j] = v
        for j, c in cells.items():
            if j in criteria_cols or not decision_of(c.value):
                continue
            if j in other_cols:
                raise err(j, _("no qualitative criterion is labelled {heads!r} in the rules").format(heads=heads[j]), heads[j],
                          _("one of ") + "、".join(labels.values()))
            if j not in heads:
                raise InputError(_("a decision in column {column_letter}, which has no header").format(column_letter=c.column_letter), file=path,
                                 sheet=ws.title, row=r, column=c.column_letter, value=c.value,
                                 expected=_("decisions under the criteria's columns only"), hint=_(HINT))
        if not decided:
            continue
        key = _key(err, key_col, cells, year, index)
        result = results[key]
        _check_shown(err, cells, shown, result)
        raw = cells[reviewer_col].value if reviewer_col in cells else None
        reviewer = person_name(raw)
        if reviewer is None:
            raise err(reviewer_col, _("a decision without a reviewer ({REVIEWER} ").format(REVIEWER=REVIEWER)
                      + (_("holds no visible letters)") if _text(raw) else _("is empty)")), raw if _text(raw) else None,
                      _("the reviewer's name"))
        remark = _remark(cells.get(remark_col))
        award = award_of(result)
        for j, v in decided.items():
            crit = criterion_for(rules, award, criteria_cols[j])
            if crit is None:
                raise err(j, _("the criterion {criteria_cols!r} does not apply to the award {award!r} of {key}").format(criteria_cols=criteria_cols[j], award=award, key=key),
                          _label(v), _("a blank (grey) cell"))
            out.append(Decision(key=key, criterion=crit.id, reviewer=reviewer, decision=v, file=rel,
                                sheet=ws.title, row=r, column=criteria_cols[j], remark=remark,
                                hidden=visible.hidden_place(ws, r, j, hidden_cols)))
    return out


def _key(err, key_col: int, cells: dict, year: int, index: dict[tuple, str]) -> str:
    """The 编号 (as the year's results have it) of a row's key cell, or an error naming it."""
    text = _text(cells[key_col].value if key_col in cells else None)
    if legacy_key(text):
        raise err(key_col, _("an {KEY} of an earlier version of the review workbook (without the year; it named a row of the nominations table, which may now be another nominee's)").format(KEY=KEY), text,
                  _("an {KEY} of the form 年度|奖项|单位编码|推荐对象").format(KEY=KEY), hint=_(THIS_RUN))
    parsed = parse_key(text)
    if parsed is not None and parsed.year != int(year):
        raise err(key_col, _("a row of the {year} review workbook, not of {year2}").format(year=parsed.year, year2=year), text,
                  f"an {KEY} of {year}", hint=_(THIS_RUN))
    found = index.get(parsed.identity()) if parsed is not None else None
    if found is None:
        raise err(key_col, _("no nomination of {year} has this {KEY} (award, unit and nominee)").format(year=year, KEY=KEY), text or None,
                  _("the {KEY} of a row of this year's 评审表.xlsx, unchanged").format(KEY=KEY))
    return found


def _check_shown(err, cells: dict, shown: dict[str, int | None], result) -> None:
    """An error naming the first visible 奖项, 单位名称, 单位编码 or 推荐对象 cell that is not the
    nomination's own (blank cells and deleted columns are not compared)."""
    own = {"award": (result.award_label or award_of(result), header_key),
           "unit_name": (result.unit_name or "", unit_key), "unit_id": (result.unit_id or "", header_key),
           "nominee": (result.nominee or "", person_key)}
    for field_, col in shown.items():
        c = cells.get(col) if col else None
        seen = _text(c.value) if c is not None else ""
        want, same = own[field_]
        if seen and same(seen) != same(want):
            header = NOMINEE if field_ == "nominee" else HEADERS[field_]
            raise err(col, _("the row's {header} is not the one of the nomination its {KEY} names").format(header=header, KEY=KEY), seen,
                      _("{want!r} (the {KEY} and the row must name the same nomination)").format(want=want, KEY=KEY))
