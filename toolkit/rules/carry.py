"""Rules that carry over from an earlier file: ``extends: 2022`` (or a path) in a rules
file means "the 2022 rules, with the changes below", as OpenFisca dates a parameter's
values instead of repeating them. The merge is done on the YAML mappings, before the
loader (:mod:`toolkit.rules.load`) validates the result, so a carried-over file gives
exactly the :class:`~toolkit.rules.model.Rules` that the full file with the same content
gives (only ``path`` and ``sha256`` differ).

How a file with ``extends`` is merged over its base (docs/rules.md, "Carrying rules
over"):

* a top-level mapping is merged key by key (a key set to ``null`` is removed), any other
  value replaces the base's;
* the dated sections (``period``, ``cutoff``, ``as_of``, ``meeting.rsvp_deadline``) are
  year-specific: a file for another year than its base must state each of them that the
  base has (``null`` drops it), and each replaces the base's as a whole; a file for the
  same year (a candidate for ``toolkit plan``, a correction) carries them over;
* ``awards`` are merged by key: ``remove: true`` removes an award, a new key adds one,
  the fields given replace the base's, and the criteria are merged by ``id``: the fields
  given replace those of the base's criterion (``null`` removes one, e.g. ``note``),
  ``remove: true`` removes it, a new id is added after the base's criteria.

The base is ``<year>.yaml`` beside the file, else the rules file of that year as
``toolkit run`` finds it; a path is taken relative to the file's folder. Chains work
(2024 extends 2023 extends 2022); a cycle is an error naming the files.

The sha256 of a carried-over file (``rules.sha256`` in evaluation.json and the manifest)
is the SHA-256 of its own bytes followed by its base's sha256 (hex), so it changes when
any file of the chain changes; a file without ``extends`` keeps the SHA-256 of its bytes.
"""

from __future__ import annotations

import copy
import hashlib
from pathlib import Path

from toolkit import paths
from toolkit.exceptions import RulesError
from toolkit.i18n import gettext as _
from toolkit.ingest.snapshot import take
from toolkit.rules.yamlfile import read_rules_yaml

EXTENDS = "extends"
REMOVE = "remove"
#: top-level sections that hold a year's own dates, and the nested ones
DATED = ("period", "cutoff", "as_of")
DATED_NESTED = (("meeting", "rsvp_deadline"),)


def read_yaml(p: Path) -> tuple[object, bytes]:
    """A rules file's YAML (and its bytes), with the loader's errors."""
    if not p.is_file():
        raise RulesError(_("the base rules file {p} does not exist").format(p=p), file=p,
                         hint=_("`extends:` names a year (its <year>.yaml beside this file, or rules/<year>.yaml) "
                              "or a path relative to this file"))
    data = take(p).data  # the bytes hashed are the bytes parsed (ingest.snapshot)
    return read_rules_yaml(p, data), data


def resolve_extends(raw, p: Path, data: bytes, _seen: tuple[Path, ...] = ()) -> tuple[object, str]:
    """``raw`` (the YAML parsed from ``data``, the bytes of ``p`` as read once) merged
    over its base when it has ``extends``, and the sha256 of the chain (of ``data``
    alone when it has none): the file is never read again for its hash."""
    if not isinstance(raw, dict) or EXTENDS not in raw:
        return raw, hashlib.sha256(data).hexdigest()
    seen = (*_seen, p.resolve())
    base_path = base_file(raw[EXTENDS], p)
    if base_path.resolve() in seen:
        chain = " -> ".join(str(s) for s in (*seen, base_path.resolve()))
        raise RulesError(_("extends: the rules files extend each other in a cycle ({chain})").format(chain=chain), file=p)
    base_raw, base_data = read_yaml(base_path)
    base_raw, base_sha = resolve_extends(base_raw, base_path, base_data, seen)
    if not isinstance(base_raw, dict):
        raise RulesError(_("the base rules file is not a mapping"), file=base_path)
    own = {k: v for k, v in raw.items() if k != EXTENDS}
    merged = merge(base_raw, own, p, base_path)
    digest = hashlib.sha256(data + b"\n" + base_sha.encode("ascii")).hexdigest()
    return merged, digest


def rules_sha256(p: Path) -> str:
    """The SHA-256 ``load_rules`` records for the rules file ``p`` (with ``extends:``,
    its chain's), from the bytes read once, without building the rules."""
    raw, data = read_yaml(p)
    return resolve_extends(raw, p, data)[1]


def base_file(value, p: Path) -> Path:
    """The file ``extends: value`` in ``p`` names: a year or a path."""
    if isinstance(value, bool) or value is None or value == "":
        raise RulesError(_("extends: expected a year (e.g. 2022) or a path"), file=p, value=value)
    text = str(value).strip()
    if text.isdigit():
        beside = p.parent / f"{text}.yaml"
        return beside if beside.is_file() else paths.rules_file(int(text)).absolute()
    found = Path(text).expanduser()
    return (found if found.is_absolute() else p.parent / found).absolute()


# --- merging -------------------------------------------------------------------------


def _err(p: Path, where: str, message: str, **kw) -> RulesError:
    return RulesError(f"{where}: {message}", file=p, **kw)


def merge(base: dict, own: dict, p: Path, base_path: Path) -> dict:
    """The base's YAML with the file's changes (see the module docstring)."""
    if "year" not in own:
        raise _err(p, "year", "a file that extends another states its own year")
    same_year = own.get("year") == base.get("year")
    out = copy.deepcopy(base)
    for key in DATED:
        if key in own:
            out[key] = copy.deepcopy(own[key])
        elif base.get(key) is not None and not same_year:
            raise _err(p, key, f"the {key} of {base.get('year')} ({base_path.name}) is year-specific: "
                                "state it in this file (or `null` to drop it)")
    for outer, inner in DATED_NESTED:
        section = own.get(outer)
        stated = outer in own and (section is None or (isinstance(section, dict) and inner in section))
        inherited = isinstance(base.get(outer), dict) and base[outer].get(inner) is not None
        if inherited and not stated and not same_year:
            raise _err(p, f"{outer}.{inner}", f"the {outer}.{inner} of {base.get('year')} ({base_path.name}) "
                                              "is year-specific: state it in this file (or `null` to drop it)")
    for key, value in own.items():
        if key in DATED:
            continue
        if key == "awards":
            out[key] = _merge_awards(base.get("awards"), value, p)
        elif value is None:
            out.pop(key, None)
        elif isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _deep(out[key], value, replace=[inner for outer, inner in DATED_NESTED if outer == key])
        else:
            out[key] = copy.deepcopy(value)
    return out


def _deep(base: dict, own: dict, replace=()) -> dict:
    """Mappings merged key by key (``null`` removes); keys in ``replace`` replaced whole."""
    out = copy.deepcopy(base)
    for k, v in own.items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict) and k not in replace:
            out[k] = _deep(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _removes(d, p: Path, where: str) -> bool:
    """Whether a mapping says ``remove: true`` (and nothing else but its id)."""
    if not isinstance(d, dict) or REMOVE not in d:
        return False
    if d[REMOVE] is not True:
        raise _err(p, where, "remove takes true", value=d[REMOVE])
    others = sorted(k for k in d if k not in (REMOVE, "id"))
    if others:
        raise _err(p, where, f"an entry that is removed has no other keys ({others[0]!r})")
    return True


def _merge_awards(base, own, p: Path) -> dict:
    if not isinstance(own, dict):
        raise _err(p, "awards", "expected a mapping of awards (the changes to the base's)")
    out = copy.deepcopy(base) if isinstance(base, dict) else {}
    for key, ad in own.items():
        where = f"awards.{key}"
        if _removes(ad, p, where):
            if key not in out:
                raise _err(p, where, "remove: the base has no such award", expected=", ".join(map(str, out)))
            del out[key]
            continue
        if ad is None or not isinstance(ad, dict):
            raise _err(p, where, "expected a mapping (the award's changes), or remove: true", value=ad)
        if key not in out:
            out[key] = copy.deepcopy(ad)
            continue
        merged = out[key]
        for field, value in ad.items():
            if field == "criteria":
                merged["criteria"] = _merge_criteria(merged.get("criteria"), value, p, where)
            elif value is None:
                merged.pop(field, None)
            elif isinstance(value, dict) and isinstance(merged.get(field), dict):
                merged[field] = _deep(merged[field], value)
            else:
                merged[field] = copy.deepcopy(value)
    return out


def _merge_criteria(base, own, p: Path, award_where: str) -> list:
    if not isinstance(own, list):
        raise _err(p, f"{award_where}.criteria", "expected a list of criteria (the changes, by id)")
    out = [copy.deepcopy(c) for c in base] if isinstance(base, list) else []
    index = {c.get("id"): i for i, c in enumerate(out) if isinstance(c, dict)}
    gone: set[int] = set()
    for i, c in enumerate(own):
        where = f"{award_where}.criteria[{i}]"
        if not isinstance(c, dict) or not c.get("id"):
            raise _err(p, where, "a criterion of a file that extends another names its id", value=c)
        where = f"{where} ({c['id']})"
        if _removes(c, p, where):
            if c["id"] not in index or index[c["id"]] in gone:
                raise _err(p, where, "remove: the base has no such criterion")
            gone.add(index[c["id"]])
            continue
        if c["id"] in index and index[c["id"]] not in gone:
            target = out[index[c["id"]]]
            for field, value in c.items():
                if value is None:
                    target.pop(field, None)
                else:
                    target[field] = copy.deepcopy(value)
        else:
            index[c["id"]] = len(out)
            out.append(copy.deepcopy(c))
    return [c for i, c in enumerate(out) if i not in gone]
