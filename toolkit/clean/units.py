"""The unit registry and unit resolution: the units table cleaned into a
``UnitRegistry`` (ids, names, aliases; a repeated id or a name of two units is a
``RegistryError``), and every other table's unit cell resolved to a unit_id by it
(unresolved: quarantined ``unknown_unit`` with the nearest registered names)."""

from __future__ import annotations

import difflib
import os
import re
from dataclasses import dataclass, field

import pandas as pd

from toolkit.clean.columns import type_columns
from toolkit.clean.keys import duplicates
from toolkit.clean.ledger import Work
from toolkit.clean.reasons import Quarantine
from toolkit.clean.schema import S
from toolkit.exceptions import RegistryError
from toolkit.ingest import contract
from toolkit.ingest.keys import unit_key
from toolkit.ingest.text import map_unique

_ALIAS_SPLIT = re.compile("[" + re.escape("".join(contract.ALIAS_SEPARATORS)) + "]")


@dataclass
class UnitRegistry:
    ids: dict[str, str] = field(default_factory=dict)  # unit_key -> unit_id
    names: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    display: dict[str, str] = field(default_factory=dict)  # name key -> registered name

    def resolve_one(self, value: str) -> str | None:
        k = unit_key(value)
        if not k:
            return None
        return self.ids.get(k) or self.names.get(k) or self.aliases.get(k)

    def suggest(self, value: str, n: int = 3) -> str:
        k = unit_key(value)[:100]  # a pasted essay is not compared in full

        def score(c: str) -> tuple[float, int]:
            # similarity first; among equals, the longer common beginning (unit names
            # start with their city: 株州… is nearer 株洲… than 郴州…)
            prefix = len(os.path.commonprefix([k, c]))
            return (difflib.SequenceMatcher(None, k, c).ratio(), prefix)

        close = sorted(self.display, key=score, reverse=True)[:n]
        return "; ".join(self.display[c] for c in close)


def clean_units(w: Work) -> UnitRegistry:
    """The units table cleaned (duplicates, typed columns, aliases split) into the
    registry of its usable rows."""
    duplicates(w)
    type_columns(w)
    aliases = w.typed.get("aliases", pd.Series("", index=w.index, dtype=S))
    w.typed["aliases"] = map_unique(
        aliases, lambda v: [a.strip() for a in _ALIAS_SPLIT.split(v or "") if a.strip()])
    reg = UnitRegistry()
    path = w.raw.path
    alive = w.alive
    ids = w.typed["unit_id"][alive]
    names = w.typed["unit_name"][alive]
    als = w.typed["aliases"][alive]
    id_rows: dict[str, int] = {}
    name_owner: dict[str, tuple[str, int]] = {}
    for row, uid, name, alias_list in zip(ids.index, ids, names, als, strict=True):
        k = unit_key(uid)
        if k in id_rows:
            raise RegistryError(
                f"the unit id {uid!r} appears twice in the units registry (rows {id_rows[k]} and {row})",
                file=path, sheet=w.raw.sheet, row=int(row), column=w.raw.header_of("unit_id"),
                value=uid, expected="each unit_id once",
            )
        id_rows[k] = int(row)
        reg.ids[k] = uid
        for value in [name, *alias_list]:
            nk = unit_key(value)
            if not nk:
                continue
            owner = name_owner.get(nk)
            if owner is not None and owner[0] != uid:
                raise RegistryError(
                    f"the unit name or alias {value!r} belongs to two units: {owner[0]!r} "
                    f"(row {owner[1]}) and {uid!r} (row {row})",
                    file=path, sheet=w.raw.sheet, row=int(row), value=value,
                    expected="each name and alias naming one unit only",
                )
            name_owner[nk] = (uid, int(row))
        reg.names[unit_key(name)] = uid
        reg.display[unit_key(name)] = name
        for a in alias_list:
            reg.aliases.setdefault(unit_key(a), uid)
    if not reg.ids:
        problems = pd.Series(w.q_reason[w.quarantined]).value_counts()
        found = (f"{w.n} data row(s), none usable ("
                 + ", ".join(f"{k} {v}" for k, v in problems.items()) + ")") if w.n else \
            "no data row below the header"
        raise RegistryError(
            f"the units registry holds no unit: {found}; every other table refers to it",
            file=path, sheet=w.raw.sheet,
            hint="fill in the units table (one row per unit with its unit_id and unit_name)",
        )
    return reg


def resolve_units(w: Work, reg: UnitRegistry) -> None:
    """The typed ``unit`` column replaced by ``unit_id``; unresolved units quarantined
    ``unknown_unit`` with the nearest registered names as the suggestion."""
    if "unit" not in w.typed:
        return
    text = w.typed.pop("unit")
    uid = map_unique(text, reg.resolve_one)
    unresolved = uid.isna() & (text != "")
    if unresolved.any():
        sugg = map_unique(text.where(unresolved.to_numpy(), None), reg.suggest)
        w.quarantine(unresolved, Quarantine.UNKNOWN_UNIT, "unit", suggestions=sugg)
    w.typed["unit_id"] = uid
