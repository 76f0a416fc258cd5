"""The reviewers' filled workbooks read back: every ``.xlsx`` under
``data/<year>/评审意见/`` (sub-folders too), each sheet whose header row names 编号 and
评审人, each row a reviewer's decisions on the qualitative criteria of one nominee; a
file with no such sheet is an error (a broken copy must not pass for a review).

A decision for a 编号 the year does not have, for a criterion the row's award does
not have, a value other than 符合/不符合 (blank is "not decided"), a formula, a
decision without a reviewer, or one reviewer's two different decisions on the same
cell is an :class:`~toolkit.exceptions.InputError` naming the file, sheet, row,
column and value (exit 2). The same decision twice counts once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import openpyxl

from toolkit.exceptions import InputError
from toolkit.ingest.boundary import reading
from toolkit.ingest.find import REVIEW_FOLDER
from toolkit.ingest.keys import header_key
from toolkit.ingest.snapshot import take
from toolkit.ingest.text import nfkc
from toolkit.review.sheet import (
    DECISIONS,
    FIXED,
    HEADER_SEARCH_ROWS,
    KEY,
    KEY_SEPARATOR,
    NOMINEE,
    REMARK,
    REVIEWER,
    criterion_for,
    decision_of,
    qualitative_labels,
    reviewer_key,
)

EXPECTED = "“" + "”或“".join(DECISIONS) + "”，或留空"
HINT = "see the 说明 sheet of 评审表.xlsx and docs/review-cycle.md"


@dataclass(frozen=True)
class Decision:
    """One reviewer's decision on one qualitative criterion of one row."""

    key: str  # the row's 编号
    criterion: str  # the criterion id
    reviewer: str  # as written (trimmed)
    decision: str  # pass / fail
    file: str  # relative to the data folder
    sheet: str
    row: int
    column: str  # the column's header

    def trail(self) -> dict:
        return {"reviewer": self.reviewer, "decision": self.decision, "file": self.file, "sheet": self.sheet,
                "row": self.row}


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


def read_decisions(files: list[Path], data_dir: Path, rules, awards_by_key: dict[str, str],
                   by_nominee: dict[tuple[str, str, str], str | None] | None = None,
                   nominees_by_key: dict[str, str | None] | None = None) -> tuple[list[Decision], list[dict]]:
    """Every decision in ``files`` (checked; see the module docstring) and the files
    read, ``{"path" (relative to ``data_dir``), "sha256"}``. ``awards_by_key`` maps
    each 编号 of the year to its award; ``by_nominee`` maps (award, unit_id, nominee
    as a header key) to the 编号 of the one nomination it names (None: several), so
    that a row whose nomination moved to another row of the nominations table is still
    found; ``nominees_by_key`` maps each 编号 to its nominee, so that a row whose 编号
    now belongs to another nominee (a row inserted, ``intake --replace``) is found by
    its 推荐对象, never given to the nominee now at that 编号."""
    seen: dict[tuple[str, str, str], Decision] = {}
    out: list[Decision] = []
    read: list[dict] = []
    for path in files:
        rel = Path(path).relative_to(data_dir).as_posix() if Path(path).is_relative_to(data_dir) else str(path)
        snap = take(path)  # the bytes hashed are the bytes read (ingest.snapshot)
        read.append({"path": rel, "sha256": snap.sha256})
        with reading(path):
            wb = openpyxl.load_workbook(snap.stream(), data_only=False)
        sheets = [(ws, _header(ws)) for ws in wb.worksheets]
        if all(found is None for _, found in sheets):
            raise InputError(f"a file under {REVIEW_FOLDER}/ with no review sheet: no sheet has a header row "
                             f"naming {KEY} and {REVIEWER}", file=path,
                             expected=f"a copy of 评审表.xlsx: a sheet whose header row (within the top "
                             f"{HEADER_SEARCH_ROWS} rows) names {KEY} and {REVIEWER}", hint=HINT)
        for ws, found in sheets:
            if found is None:
                continue
            for d in _sheet(path, rel, ws, *found, rules, awards_by_key, by_nominee or {}, nominees_by_key or {}):
                k = (d.key, d.criterion, reviewer_key(d.reviewer))
                first = seen.get(k)
                if first is None:
                    seen[k] = d
                    out.append(d)
                elif first.decision != d.decision:
                    raise InputError(
                        f"the reviewer {d.reviewer!r} decided {d.column} of {d.key} twice, differently "
                        f"(first in {first.file}, sheet {first.sheet!r}, row {first.row})",
                        file=path, sheet=ws.title, row=d.row, column=d.column,
                        value=_label(d.decision), expected=f"the same decision as before ({_label(first.decision)}) "
                        "or the row removed", hint=HINT)
    return out, read


def _label(decision: str) -> str:
    return {v: k for k, v in DECISIONS.items()}[decision]


def _moved(key: str, nominee: str, by_nominee: dict) -> str | None:
    """The 编号 of the one nomination of the row's award and unit named ``nominee``;
    None when there is none or several."""
    parts = key.split(KEY_SEPARATOR)
    if len(parts) != 3 or not nominee:
        return None
    return by_nominee.get((parts[0], parts[1], header_key(nominee)))


def _renamed(key: str, nominee: str, nominees_by_key: dict) -> bool:
    """Whether the row's 推荐对象 is not the nominee the year now has at its 编号 (a
    nomination's 编号 has its row; a collective's has none and cannot move)."""
    parts = key.split(KEY_SEPARATOR)
    current = _text(nominees_by_key.get(key))
    return (len(parts) == 3 and bool(parts[2]) and bool(nominee) and bool(current)
            and header_key(current) != header_key(nominee))


def _sheet(path: Path, rel: str, ws, header_row: int, heads: dict[int, str], rules,
           awards_by_key: dict[str, str], by_nominee: dict, nominees_by_key: dict) -> list[Decision]:
    by_key = {header_key(h): j for j, h in heads.items()}
    key_col, reviewer_col = by_key[header_key(KEY)], by_key[header_key(REVIEWER)]
    nominee_col = by_key.get(header_key(NOMINEE))
    labels = {header_key(label): label for label in qualitative_labels(rules)}
    known = {header_key(h) for _, h in FIXED} | {header_key(REVIEWER), header_key(REMARK)}
    criteria_cols = {j: h for j, h in heads.items() if header_key(h) in labels}
    other_cols = {j: h for j, h in heads.items() if header_key(h) not in labels and header_key(h) not in known}
    out = []
    for row in ws.iter_rows(min_row=header_row + 1):
        cells = {c.column: c for c in row}
        r = row[0].row if row else None

        def err(col: int, message: str, value=None, expected=None, r=r) -> InputError:
            return InputError(message, file=path, sheet=ws.title, row=r, column=heads.get(col),
                              value=value, expected=expected, hint=HINT)

        for j in (key_col, reviewer_col, *criteria_cols, *other_cols):
            c = cells.get(j)
            if c is not None and c.data_type == "f":
                raise err(j, "a formula in a review workbook", c.value, "the decision typed or chosen, not a formula")
        decided = {}
        for j, head in criteria_cols.items():
            c = cells.get(j)
            v = decision_of(c.value if c is not None else None)
            if v is None:
                raise err(j, f"not a decision: {head}", c.value, EXPECTED)
            if v:
                decided[j] = v
        for j, head in other_cols.items():
            c = cells.get(j)
            if c is not None and decision_of(c.value):
                raise err(j, f"no qualitative criterion is labelled {head!r} in the rules", head,
                          "one of " + "、".join(labels.values()))
        if not decided:
            continue
        key = _text(cells[key_col].value if key_col in cells else None)
        nominee = _text(cells[nominee_col].value) if nominee_col in cells else ""
        if key in awards_by_key and _renamed(key, nominee, nominees_by_key):
            found = _moved(key, nominee, by_nominee)
            if found is None:
                several = (*key.split(KEY_SEPARATOR)[:2], header_key(nominee)) in by_nominee
                raise err(nominee_col, f"the {KEY} {key} is now the nomination of {nominees_by_key[key]!r}, "
                          f"not of {nominee!r}, and {'several' if several else 'no'} nomination of that award "
                          f"and unit is named {nominee!r} (the nominations table changed)", nominee,
                          f"the {NOMINEE} of the nomination at {key}, or a name that one nomination of the "
                          "award and unit has; return a review workbook of this run")
            key = found
        elif key not in awards_by_key:
            key = _moved(key, nominee, by_nominee) or key
        award = awards_by_key.get(key)
        if award is None:
            raise err(key_col, f"no unit or nominee with this {KEY} in the year's evaluation", key or None,
                      f"the {KEY} of a row of 评审表.xlsx, unchanged")
        reviewer = _text(cells[reviewer_col].value if reviewer_col in cells else None)
        if not reviewer:
            raise err(reviewer_col, f"a decision without a reviewer ({REVIEWER} is empty)", None,
                      "the reviewer's name")
        for j, v in decided.items():
            crit = criterion_for(rules, award, criteria_cols[j])
            if crit is None:
                raise err(j, f"the criterion {criteria_cols[j]!r} does not apply to the award {award!r} of {key}",
                          _label(v), "a blank (grey) cell")
            out.append(Decision(key=key, criterion=crit.id, reviewer=reviewer, decision=v, file=rel,
                                sheet=ws.title, row=r, column=criteria_cols[j]))
    return out
