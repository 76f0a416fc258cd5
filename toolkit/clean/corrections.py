"""The corrections file (``data/<year>/更正.xlsx``, or .xls, .ods, .csv, ...;
docs/review-cycle.md "Corrections"):
values the provincial school corrects or supplies for a unit, each with its reason and
approver, applied to the clean tables before the evaluation.

:func:`read_corrections` reads and checks every row (an unknown table, field or track,
a value that is unreadable, ambiguous (``1,234``, ``12,5``) or out of range, a missing
原因 or 批准人, a formula is an
:class:`~toolkit.exceptions.InputError` naming the row and column). An alias
(``units.aliases``) changes how units resolve, so :func:`add_aliases` puts it into the
registry while the year is built, before the other tables' units are resolved (the
file's hash is part of the ingest cache key). Every other correction is applied by
:func:`apply_corrections` to the clean tables after the build or the cache, which also
returns the trail (file, row, table, unit, track, field, old and new value, reason,
approver) for ``evaluation.json`` and the report.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from toolkit.clean.correction_values import ValueUnreadable, correction_value
from toolkit.clean.schema import conform
from toolkit.exceptions import InputError
from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_
from toolkit.ingest import contract
from toolkit.ingest.boundary import reading
from toolkit.ingest.cells import IMPRECISE
from toolkit.ingest.keys import code_lookup, header_key, unit_key, word_key
from toolkit.ingest.person import person_name
from toolkit.ingest.snapshot import Snapshot, take
from toolkit.ingest.table import read_rows
from toolkit.ingest.text import nfkc
from toolkit.ingest.workbook import formula_cells
from toolkit.vocabulary import (
    CORRECTION_FIELD_LABELS,
    CORRECTION_HEADER_ALIASES,
    TABLE_LABELS,
    TRACK_LABELS,
    TRACK_SHORT,
)

#: the corrections table's columns: canonical name -> (its Chinese header, aliases);
#: 更正值 is the trail's ``new`` value
COLUMNS = {
    name: (CORRECTION_FIELD_LABELS["new" if name == "value" else name], CORRECTION_HEADER_ALIASES[name])
    for name in ("table", "unit", "track", "field", "value", "reason", "approver")
}
COLUMNS |= {
    # the contract a contracts correction is for (optional; required where the unit has
    # several contracts in the track): the contracts table's own column and its aliases
    "contract_no": (contract.TABLES["contracts"].column("contract_no").aliases[0],
                    contract.TABLES["contracts"].column("contract_no").aliases[1:]),
}
REQUIRED = ("table", "unit", "field", "value", "reason", "approver")
#: what may be corrected: table -> its fields
CORRECTABLE = {"targets": ("target",), "teams": ("dedicated_staff",),
               "contracts": ("signed_on", "terminated_on"), "units": ("aliases",)}
SHEET_HINT = N_("see docs/review-cycle.md, section Corrections")


@dataclass(frozen=True)
class Correction:
    """One row of the corrections file, checked; ``unit`` as written."""

    file: str  # relative to the data folder
    sheet: str | None  # None for a CSV
    row: int
    table: str
    unit: str
    track: str | None
    field: str
    value: object  # int, pd.Timestamp (a date) or str (an alias)
    text: str  # the value as written
    reason: str
    approver: str
    columns: dict  # canonical column -> its header letter+name, for messages
    contract_no: str | None = None  # the contract a contracts correction is for


def _header_lookup() -> dict[str, str]:
    out = {}
    for name, (zh, aliases) in COLUMNS.items():
        for word in (name, zh, *aliases):
            out[header_key(word)] = name
    return out


def _table_lookup() -> dict[str, str]:
    out = {}
    for t in contract.TABLES.values():
        for word in (t.name, *t.file_names, TABLE_LABELS.get(t.name, t.name)):
            out[header_key(word)] = t.name
    return out


def _track_lookup() -> dict[str, str]:
    """The 项目 words: the codes, the data contract's words, and the vocabulary's full
    and short labels of each track."""
    words = {code: (*ws, TRACK_LABELS.get(code, code), TRACK_SHORT.get(code, code))
             for code, ws in contract.TRACK_WORDS.items()}
    return code_lookup(words)


def _cell(text: str) -> str:
    """A cell as read (``ingest.table.read_rows``) for a correction: NFKC, trimmed, a
    date cell's midnight left off."""
    t = nfkc(text).strip()
    return t[:10] if _MIDNIGHT.match(t) else t


_MIDNIGHT = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2} 00:00:00$")
#: the columns of free text, kept as typed (full-width brackets and all), only trimmed:
#: they reach the report and evaluation.json as the school wrote them
AS_TYPED = ("reason", "approver")


def read_corrections(path: Path, data_dir: Path, *, snapshot: Snapshot | None = None) -> list[Correction]:
    """The checked rows of the corrections file ``path``, in any format an export is
    read in (.xlsx, .xlsm, .xlsb, .xls, .et, .ods, .csv, .parquet: the ingest's readers,
    the first visible sheet of a workbook), parsed from ``snapshot`` (the bytes the run
    hashed, ``ingest.snapshot``; taken here without); the header is the first of the top
    ``contract.HEADER_SEARCH_ROWS`` rows naming 数据表, 单位, 字段 and 更正值. A formula
    cell (in an .xlsx or .xlsm, whose XML says which cells are formulas) is an error
    naming it; the other formats give their saved values."""
    path = Path(path)
    rel = path.relative_to(data_dir).as_posix() if path.is_relative_to(data_dir) else str(path)
    snap = snapshot if snapshot is not None else take(path)
    sheet, frame, _rest = read_rows(snap)
    frame.attrs.pop(IMPRECISE, None)
    formulas = set()
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        with reading(path, sheet):
            formulas = formula_cells(snap.stream())
    lookup = _header_lookup()
    header_at, cols = None, {}
    for r in frame.index[:contract.HEADER_SEARCH_ROWS]:
        found: dict[str, int] = {}
        for j, v in enumerate(frame.loc[r]):
            name = lookup.get(header_key(v)) if v.strip() else None
            if name is not None:
                found.setdefault(name, j)
        if all(k in found for k in ("table", "unit", "field", "value")):
            header_at, cols = int(r), found
            break
    if header_at is None:
        raise InputError(_("the corrections file has no header row naming 数据表, 单位, 字段 and 更正值 in its first {HEADER_SEARCH_ROWS} rows").format(HEADER_SEARCH_ROWS=contract.HEADER_SEARCH_ROWS), file=path, sheet=sheet,
                         expected="columns " + ", ".join(
                             COLUMNS[c][0] for c in (*REQUIRED[:4], "track", *REQUIRED[4:])),
                         hint=_(SHEET_HINT))
    missing = [COLUMNS[c][0] for c in REQUIRED if c not in cols]
    if missing:
        raise InputError(_("the corrections file has no column {missing}").format(missing=missing[0]), file=path, sheet=sheet,
                         row=header_at, hint=_(SHEET_HINT))
    names = {k: _cell(frame.at[header_at, j]) for k, j in cols.items()}
    out = []
    for r in frame.index[frame.index > header_at]:
        for k, j in cols.items():
            if (r, j) in formulas:
                raise InputError(_("a formula in the corrections file"), file=path, sheet=sheet, row=int(r),
                                 column=names[k], value=frame.at[r, j],
                                 expected=_("the value itself, typed in"))
        values = {k: frame.at[r, j].strip() if k in AS_TYPED else _cell(frame.at[r, j]) for k, j in cols.items()}
        if any(values.values()):
            out.append(_check(path, rel, sheet, int(r), values, names))
    return out


def _no_two_of_one_cell(path: Path, resolved: list[tuple[Correction, str]]) -> None:
    """Two corrections of the same value (table, unit, track, field and contract; an
    alias is added, so several alias rows are fine) are an error naming both rows: one
    must not silently override the other."""
    seen: dict[tuple, Correction] = {}
    for c, uid in resolved:
        if c.table == "units":
            continue
        k = (c.table, uid, c.track, c.field, c.contract_no)
        first = seen.setdefault(k, c)
        if first is not c:
            raise InputError(_("correction: rows {row} and {row2} both correct {table}.{field} of {uid}{value}").format(row=first.row, row2=c.row, table=c.table, field=c.field, uid=uid, value=' (' + c.track + ')' if c.track else ''), file=path, sheet=c.sheet,
                             row=c.row, column=c.columns.get("field"), value=c.text,
                             expected=_("one correction per value: keep row {row} or row {row2}").format(row=first.row, row2=c.row),
                             hint=_(SHEET_HINT))


def _check(path: Path, rel: str, sheet: str | None, r: int, values: dict, names: dict) -> Correction:
    def err(col: str, message: str, value=None, expected=None) -> InputError:
        return InputError(_("correction: {message}").format(message=message), file=path, sheet=sheet, row=r, column=names.get(col, col),
                          value=value, expected=expected, hint=_(SHEET_HINT))

    for col in REQUIRED:
        if not values.get(col):
            raise err(col, _("{value} is empty").format(value=COLUMNS[col][0]), expected=_("every correction with its "
                      "数据表, 单位, 字段, 更正值, 原因 and 批准人"))
    if person_name(values["approver"]) is None:
        raise err("approver", _("{value} names nobody (no visible letters)").format(value=COLUMNS['approver'][0]), values["approver"],
                  _("the approver's name"))
    table = _table_lookup().get(header_key(values["table"]))
    if table not in CORRECTABLE:
        raise err("table", _("no table that can be corrected"), values["table"],
                  ", ".join(f"{t} ({TABLE_LABELS[t]})" for t in CORRECTABLE))
    spec = contract.TABLES[table]
    fields = {header_key(w): c.name for c in spec.columns for w in (c.name, *c.aliases)}
    field = fields.get(header_key(values["field"]))
    if field not in CORRECTABLE[table]:
        expected = ", ".join(f"{f} ({'/'.join(spec.column(f).aliases)})" for f in CORRECTABLE[table])
        raise err("field", _("no field of {table} that can be corrected").format(table=table), values["field"], expected)
    track = None
    has_track = any(c.name == "track" for c in spec.columns)
    if has_track:
        track = _track_lookup().get(word_key(values.get("track", "")))
        if track is None:
            raise err("track", _("the table {table} needs the 项目 (track) of the correction").format(table=table),
                      values.get("track") or None, " or ".join(w[1] for w in contract.TRACK_WORDS.values()))
    elif values.get("track"):
        raise err("track", _("the table {table} has no 项目 (track)").format(table=table), values["track"], _("an empty cell"))
    try:
        value = correction_value(spec.column(field).kind, values["value"])
    except ValueUnreadable as exc:
        raise err("value", exc.problem, values["value"], exc.expected) from None
    contract_no = values.get("contract_no") or None
    if contract_no and table != "contracts":
        raise err("contract_no", _("the table {table} has no {value}").format(table=table, value=COLUMNS['contract_no'][0]), contract_no,
                  _("an empty cell"))
    return Correction(file=rel, sheet=sheet, row=r, table=table, unit=values["unit"], track=track, field=field,
                      value=value, text=values["value"], reason=values["reason"], approver=values["approver"],
                      columns=names, contract_no=contract_no)


def _unit_error(c: Correction, path_of, suggest: str | None) -> InputError:
    return InputError(_("correction: no unit {unit!r} in the units registry").format(unit=c.unit), file=path_of(c), sheet=c.sheet,
                      row=c.row, column=c.columns.get("unit"), value=c.unit,
                      expected=_("a unit id or name (nearest: {suggest})").format(suggest=suggest) if suggest else _("a unit id or name"))


def add_aliases(reg, corrections: list[Correction], data_dir: Path) -> None:
    """The alias corrections added to the unit registry ``reg`` (a
    :class:`~toolkit.clean.units.UnitRegistry`) before units are resolved. An unknown
    unit, or an alias that names another unit, is an InputError naming the row."""
    for c in corrections:
        if c.table != "units":
            continue
        uid = reg.resolve_one(c.unit)
        if uid is None:
            raise _unit_error(c, lambda x: Path(data_dir) / x.file, reg.suggest(c.unit))
        for alias in _split(c.value):
            owner = reg.resolve_one(alias)
            if owner is not None and owner != uid:
                raise InputError(_("correction: the alias {alias!r} already names the unit {owner!r}").format(alias=alias, owner=owner),
                                 file=Path(data_dir) / c.file, sheet=c.sheet, row=c.row,
                                 column=c.columns.get("value"), value=alias,
                                 expected=_("an alias that names no other unit"))
            reg.aliases.setdefault(unit_key(alias), uid)


def _split(text: str) -> list[str]:
    parts = [text]
    for sep in contract.ALIAS_SEPARATORS:
        parts = [q for p in parts for q in p.split(sep)]
    return [p.strip() for p in parts if p.strip()]


def _shown(v) -> int | str | None:
    """A value as the trail (evaluation.json) holds it: a whole number as a JSON number,
    a date as its ISO date, aliases joined by ；."""
    if v is None or (not isinstance(v, list) and pd.isna(v)):
        return None
    if isinstance(v, pd.Timestamp | dt.date):
        return pd.Timestamp(v).date().isoformat()
    if isinstance(v, list):
        return "；".join(v) or None
    if hasattr(v, "item"):  # numpy scalars
        v = v.item()
    if isinstance(v, int | float) and not isinstance(v, bool):
        return int(v) if float(v).is_integer() else v
    return str(v)


def apply_corrections(yd, corrections: list[Correction]) -> list[dict]:
    """Apply ``corrections`` to ``yd.tables`` (targets, teams, contracts, units'
    aliases; a missing row is added) and return the trail, one dict per correction."""
    units = yd.tables["units"]
    lookup: dict[str, str] = {}
    for uid, name, aliases in zip(units["unit_id"], units["unit_name"], units["aliases"], strict=True):
        for word in (uid, name, *(aliases or [])):
            lookup.setdefault(unit_key(word), uid)
    for c in corrections:  # the corrected aliases resolve too
        if c.table == "units":
            uid = lookup.get(unit_key(c.unit))
            for a in _split(c.value) if uid else []:
                lookup.setdefault(unit_key(a), uid)
    names = yd.unit_names()
    resolved = []
    for c in corrections:
        uid = lookup.get(unit_key(c.unit))
        if uid is None:
            raise _unit_error(c, lambda x: Path(yd.data_dir) / x.file, None)
        resolved.append((c, uid))
    if resolved:
        _no_two_of_one_cell(Path(yd.data_dir) / resolved[0][0].file, resolved)
    trail = []
    for c, uid in resolved:
        old, new = _apply_one(yd, c, uid)
        entry = {"file": c.file, "sheet": c.sheet, "row": c.row, "table": c.table, "unit_id": uid,
                 "unit_name": names.get(uid), "track": c.track, "field": c.field, "old": _shown(old),
                 "new": _shown(new), "reason": c.reason, "approver": c.approver}
        if c.contract_no:
            entry["contract_no"] = c.contract_no
        trail.append(entry)
    return trail


def _apply_one(yd, c: Correction, uid: str):
    df = yd.tables.get(c.table)
    if df is None:
        df = conform(pd.DataFrame(columns=list(contract.TABLES[c.table].required_columns)), c.table)
    mask = df["unit_id"] == uid
    if c.track is not None:
        mask &= df["track"] == c.track
    if c.table == "contracts":
        mask = _one_contract(yd, c, uid, df, mask)
    if c.table == "units":
        i = df.index[mask][0]
        old = list(df.at[i, "aliases"] or [])
        new = old + [a for a in _split(c.value) if a not in old]
        df = df.copy()
        df.at[i, "aliases"] = new
        yd.tables[c.table] = df
        return old, new
    old_values = [v for v in df.loc[mask, c.field] if not pd.isna(v)]
    old = old_values[0] if len(set(old_values)) == 1 else (None if not old_values else "；".join(
        _shown(v) for v in old_values))
    if mask.any():
        df = df.copy()
        df.loc[mask, c.field] = c.value
    elif c.field == "terminated_on":
        raise InputError(_("correction: the unit {uid} has no {track} contract{value} to terminate").format(uid=uid, track=c.track, value=' numbered ' + repr(c.contract_no) if c.contract_no else ''),
                         file=Path(yd.data_dir) / c.file, sheet=c.sheet, row=c.row,
                         column=c.columns.get("field"), value=c.field,
                         expected=_("a correction of a contract the contracts table holds (or its signed_on first)"))
    else:
        row = {"unit_id": uid, c.field: c.value}
        if c.track is not None:
            row["track"] = c.track
        if c.contract_no:
            row["contract_no"] = c.contract_no
        df = pd.concat([df, pd.DataFrame([row])], ignore_index=True)
    yd.tables[c.table] = conform(df, c.table)
    return old, c.value


def _one_contract(yd, c: Correction, uid: str, df: pd.DataFrame, mask: pd.Series) -> pd.Series:
    """The contract row a contracts correction is for: the one of the 合同编号 the
    correction names; where it names none, the unit's only contract in the track. A unit
    with several contracts in the track and no 合同编号 is an error naming the row:
    which contract the metrics use depends on the dates being corrected, so the toolkit
    does not guess."""
    numbers = df.get("contract_no", pd.Series([None] * len(df), index=df.index, dtype=object))
    if c.contract_no:
        return mask & (numbers.map(lambda v: "" if v is None or pd.isna(v) else nfkc(str(v)).strip())
                       == nfkc(c.contract_no).strip())
    if int(mask.sum()) <= 1:
        return mask
    listed = "; ".join(f"{'—' if pd.isna(n) else n} (signed {_shown(s) or '—'})"
                       for n, s in zip(numbers[mask], df.loc[mask, "signed_on"], strict=True))
    header = COLUMNS["contract_no"][0]
    raise InputError(_("correction: the unit {uid} has {value} {track} contracts; the correction does not say which one ({listed})").format(uid=uid, value=int(mask.sum()), track=c.track, listed=listed), file=Path(yd.data_dir) / c.file, sheet=c.sheet,
                     row=c.row, column=c.columns.get("contract_no", header), value=c.contract_no,
                     expected=_("a column {header} naming the contract (the contracts table's {header}); where the contracts have no number, correct the contracts table itself").format(header=header), hint=_(SHEET_HINT))
