"""The reviewer roster ``data/<year>/评审专家.xlsx`` (docs/review-cycle.md, "Who may
judge"): who the reviewers are, where they work (a unit of the registry, or free text
for a reviewer outside the units) and which further units they must not judge.

Read and checked here: the header row (within the top 10 rows of the first sheet that
has one) names 姓名 and 所在单位, matched as the data contract matches headers; a name
is unique (compared after NFKC, without white space and invisible characters); every
回避单位 (several, separated by 、，,；; or line breaks) is a unit of the registry; a
所在单位 that is not one but nearly spells one is taken for a typo. Each problem is an
:class:`~toolkit.exceptions.InputError` naming the file, sheet, row, column and the
nearest valid values (exit 2). :func:`check_reviewers` stops a returned decision whose
评审人 is not on the roster; :meth:`Reviewer.recusal` says why a reviewer must not judge
a unit's nomination."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl

from toolkit.exceptions import InputError
from toolkit.i18n import gettext as _
from toolkit.i18n import gettext_noop as N_
from toolkit.ingest import contract
from toolkit.ingest.boundary import reading
from toolkit.ingest.find import roster_file
from toolkit.ingest.keys import header_key, unit_key
from toolkit.ingest.person import person_name, visible_text
from toolkit.ingest.snapshot import take
from toolkit.ingest.text import nfkc
from toolkit.review.sheet import REVIEWER, reviewer_key
from toolkit.vocabulary import ROSTER_HEADER_ALIASES, ROSTER_HEADERS

REQUIRED = ("name", "unit")
#: how the units in 回避单位 are separated
SEPARATORS = re.compile(r"[、，,；;\n\r]+")
#: a 所在单位 this close to a registered unit's name (difflib ratio) but not one is a typo
TYPO_RATIO = 0.8
HINT = N_("see docs/review-cycle.md, section The reviewer roster")


def _aliases(value) -> tuple[str, ...]:
    """A units row's aliases: a list (or an array, as the clean store gives it back)."""
    if value is None or isinstance(value, str | float):
        return ()
    try:
        return tuple(str(a) for a in value)
    except TypeError:
        return ()


@dataclass(frozen=True)
class Units:
    """The unit registry as the roster resolves it: every id, name and alias (unit_key)
    to its unit_id, and each unit's registered name."""

    lookup: dict[str, str]
    names: dict[str, str]

    @classmethod
    def of_year(cls, year_data) -> Units:
        units = year_data.tables.get("units")
        lookup: dict[str, str] = {}
        names: dict[str, str] = {}
        if units is not None and not units.empty:
            aliases = units["aliases"] if "aliases" in units.columns else [()] * len(units)
            for uid, name, als in zip(units["unit_id"], units["unit_name"], aliases, strict=True):
                names[uid] = name
                for word in (uid, name, *_aliases(als)):
                    lookup.setdefault(unit_key(word), uid)
        return cls(lookup, names)

    @classmethod
    def of_evaluation(cls, evaluation) -> Units:
        """The units an evaluation names (ids and names; no aliases)."""
        names = dict(evaluation.unit_names or {})
        lookup = {unit_key(w): uid for uid, name in names.items() for w in (uid, name)}
        return cls(lookup, names)

    def resolve(self, text: str) -> str | None:
        return self.lookup.get(unit_key(text)) if unit_key(text) else None

    def nearest(self, text: str, n: int = 3) -> list[str]:
        by_key = {unit_key(name): name for name in self.names.values()}
        return [by_key[k] for k in difflib.get_close_matches(unit_key(text), list(by_key), n=n, cutoff=0)]


@dataclass(frozen=True)
class Reviewer:
    """One roster row, checked."""

    name: str  # as written (trimmed)
    unit: str  # 所在单位 as written
    unit_id: str | None  # None: outside the units
    recuse: tuple[str, ...]  # the unit ids of 回避单位
    note: str
    row: int

    def recusal(self, unit_id: str | None) -> str | None:
        """``own_unit`` or ``listed_unit`` when this reviewer must not judge a nomination
        of ``unit_id``; None when they may."""
        if not unit_id:
            return None
        if unit_id == self.unit_id:
            return "own_unit"
        return "listed_unit" if unit_id in self.recuse else None

    def to_dict(self) -> dict:
        return {"name": self.name, "unit": self.unit, "unit_id": self.unit_id, "recuse": list(self.recuse),
                "row": self.row}

    @classmethod
    def from_dict(cls, d: dict) -> Reviewer:
        return cls(name=d["name"], unit=d.get("unit") or "", unit_id=d.get("unit_id"),
                   recuse=tuple(d.get("recuse") or ()), note="", row=d.get("row"))


@dataclass(frozen=True)
class Roster:
    file: str  # relative to the data folder
    sha256: str
    sheet: str
    reviewers: tuple[Reviewer, ...]
    by_key: dict[str, Reviewer] = field(default_factory=dict, compare=False)

    def find(self, name: str) -> Reviewer | None:
        return self.by_key.get(reviewer_key(name))

    def nearest(self, name: str, n: int = 3) -> list[str]:
        keys = {reviewer_key(r.name): r.name for r in self.reviewers}
        return [keys[k] for k in difflib.get_close_matches(reviewer_key(name), list(keys), n=n, cutoff=0)]

    def to_dict(self) -> dict:
        return {"path": self.file, "sha256": self.sha256, "sheet": self.sheet,
                "reviewers": [r.to_dict() for r in self.reviewers]}


def _lookup() -> dict[str, str]:
    out = {}
    for name, zh in ROSTER_HEADERS.items():
        for word in (name, zh, *ROSTER_HEADER_ALIASES.get(name, ())):
            out[header_key(word)] = name
    return out


def _text(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if isinstance(v, dt.datetime | dt.date):
        v = v.isoformat()
    return nfkc(str(v)).strip()


def _header(ws, lookup) -> tuple[int, dict[str, int], dict[str, str]] | None:
    for row in ws.iter_rows(min_row=1, max_row=contract.HEADER_SEARCH_ROWS):
        found = {lookup[header_key(c.value)]: c.column for c in row
                 if c.value is not None and header_key(c.value) in lookup}
        if all(k in found for k in REQUIRED):
            heads = {k: _text(ws.cell(row=row[0].row, column=j).value) for k, j in found.items()}
            return row[0].row, found, heads
    return None


def read_roster(path: Path, data_dir: Path, units: Units) -> Roster:
    """The checked roster in ``path`` (see the module docstring), parsed from the bytes
    hashed (:func:`toolkit.ingest.snapshot.take`; ``Roster.sha256`` is theirs)."""
    path = Path(path)
    rel = path.relative_to(data_dir).as_posix() if path.is_relative_to(data_dir) else str(path)
    snap = take(path)
    with reading(path):
        wb = openpyxl.load_workbook(snap.stream(), data_only=False)
    lookup = _lookup()
    for ws in wb.worksheets:
        found = _header(ws, lookup)
        if found is not None:
            break
    else:
        raise InputError(_("the reviewer roster has no header row naming 姓名 and 所在单位"), file=path,
                         sheet=wb.worksheets[0].title, expected="columns " + "、".join(ROSTER_HEADERS.values()),
                         hint=_(HINT))
    header_row, cols, heads = found
    reviewers: list[Reviewer] = []
    by_key: dict[str, Reviewer] = {}
    for row in ws.iter_rows(min_row=header_row + 1):
        cells = {k: next((c for c in row if c.column == j), None) for k, j in cols.items()}
        r = row[0].row if row else None

        def err(k: str, message: str, value=None, expected=None, r=r) -> InputError:
            return InputError(message, file=path, sheet=ws.title, row=r, column=heads.get(k), value=value,
                              expected=expected, hint=_(HINT))

        for k, c in cells.items():
            if c is not None and c.data_type == "f":
                raise err(k, _("a formula in the reviewer roster"), c.value, _("the text itself, typed in"))
        values = {k: _text(c.value if c is not None else None) for k, c in cells.items()}
        if not any(visible_text(v) for v in values.values()):
            continue
        name = person_name(values.get("name"))  # the one check of a person's name (ingest.person)
        if name is None:
            raise err("name", _("a roster row without a name (姓名 is empty or holds no visible letters)"),
                      values.get("name") or None, _("the reviewer's name as they write it in 评审人"))
        if reviewer_key(name) in by_key:
            first = by_key[reviewer_key(name)]
            raise err("name", _("the name {name!r} is twice in the reviewer roster (first in row {row})").format(name=name, row=first.row),
                      name, _("names unique in the roster; tell two people of one name apart in the name, "
                      "e.g. 张三（长沙）"))
        unit = values.get("unit", "")
        if not visible_text(unit):
            raise err("unit", _("no 所在单位 for {name!r}").format(name=name), None,
                      _("a unit of the registry (id, name or alias), or the reviewer's organisation"))
        unit_id = units.resolve(unit)
        if unit_id is None:
            close = units.nearest(unit, 1)
            if close and difflib.SequenceMatcher(None, unit_key(unit), unit_key(close[0])).ratio() >= TYPO_RATIO:
                raise err("unit", _("the unit {unit!r} is not in the registry but nearly spells {close!r}").format(unit=unit, close=close[0]),
                          unit, _("a unit as the registry writes it (nearest: ") + "; ".join(units.nearest(unit))
                          + _("), or an organisation outside the units spelled so that it cannot be taken for one"))
        recuse: list[str] = []
        for part in (p.strip() for p in SEPARATORS.split(values.get("recuse", "")) if visible_text(p)):
            uid = units.resolve(part)
            if uid is None:
                raise err("recuse", _("the 回避单位 {part!r} is not a unit of the registry").format(part=part), part,
                          _("units of the registry by id, name or alias, separated by 、 (nearest: ")
                          + "; ".join(units.nearest(part)) + ")")
            recuse.append(uid)
        rv = Reviewer(name=name, unit=unit, unit_id=unit_id, recuse=tuple(dict.fromkeys(recuse)),
                      note=values.get("note", ""), row=r)
        reviewers.append(rv)
        by_key[reviewer_key(name)] = rv
    return Roster(file=rel, sha256=snap.sha256, sheet=ws.title, reviewers=tuple(reviewers), by_key=by_key)


def load_roster(data_dir: Path, units: Units) -> Roster | None:
    """The year's roster (``data_dir/评审专家.xlsx``), checked; None without one."""
    path = roster_file(Path(data_dir))
    return None if path is None else read_roster(path, Path(data_dir), units)


def check_reviewers(decisions, roster: Roster, data_dir: Path) -> None:
    """Every decision's 评审人 is on ``roster``; otherwise an InputError naming the copy,
    sheet and row and the nearest roster names."""
    for d in decisions:
        if roster.find(d.reviewer) is None:
            raise InputError(_("the reviewer {reviewer!r} is not on the reviewer roster ({file})").format(reviewer=d.reviewer, file=roster.file),
                             file=Path(data_dir) / d.file, sheet=d.sheet, row=d.row, column=REVIEWER,
                             value=d.reviewer, expected=_("a name of the roster (nearest: {names})").format(
                                 names="、".join(roster.nearest(d.reviewer))), hint=_(HINT))
