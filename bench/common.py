"""What the baselines share: finding a year's files, naming their columns, resolving
unit references, and the metric frame every way is compared on.

The baselines depend only on the files, the data contract (``toolkit.contract``: the
table file names and column aliases are data, not code) and the metric definitions in
``evaluation-rules-2022.md``; none of the toolkit's parsing or cleaning is used.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pandas as pd

from toolkit.ingest.contract import TABLES, table_for_stem

# the tables the metrics need (the others are small and do not bear on the figures)
METRIC_TABLES = (
    "units",
    "targets",
    "staff_registrations",
    "staff_payments",
    "staff_refunds",
    "professional_enrollments",
    "professional_refunds",
    "complaints",
)

# metric names of evaluation-rules-2022.md compared between the ways; money in fen
COUNT_METRICS = (
    "paid_trainees",
    "registered_trainees",
    "target_trainees",
    "person_times",
    "major_complaints",
    "complaints",
)
MONEY_METRICS = ("income", "refunds")
RATIO_METRICS = ("refund_rate", "paid_to_registered", "paid_to_target")
METRICS = COUNT_METRICS + MONEY_METRICS + RATIO_METRICS
# the metrics of each track (a collective of the other track does not have them)
TRACK_METRICS = {
    "staff": ("paid_trainees", "registered_trainees", "target_trainees", "income", "refunds",
              "refund_rate", "paid_to_registered", "paid_to_target", "major_complaints"),
    "professional": ("person_times", "income", "refunds", "refund_rate", "complaints"),
}


def year_files(data_dir: Path, tables=METRIC_TABLES) -> dict[str, Path]:
    """table -> file for the tables asked for that are present in ``data_dir``."""
    found: dict[str, Path] = {}
    for p in sorted(Path(data_dir).iterdir()):
        if p.suffix.lower() not in (".csv", ".xlsx"):
            continue
        t = table_for_stem(p.stem)
        if t in tables:
            if t in found:
                raise ValueError(f"two files for {t}: {found[t].name}, {p.name}")
            found[t] = p
    return found


def _header_key(value) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", str(value))).casefold()


def column_names(table: str) -> dict[str, str]:
    """header text (normalised) -> canonical column name for one table."""
    names: dict[str, str] = {}
    for col in TABLES[table].columns:
        for h in (*col.aliases, col.name):
            names.setdefault(_header_key(h), col.name)
    return names


def header_row(rows: list[list], table: str) -> int:
    """0-based index of the header among the first rows (the one naming the required
    columns); title rows above it are skipped."""
    names = column_names(table)
    need = set(TABLES[table].required_columns)
    for i, row in enumerate(rows[:10]):
        got = {names.get(_header_key(c)) for c in row if c is not None and str(c).strip()}
        if need <= got:
            return i
    raise ValueError(f"{table}: no header row naming {sorted(need)} in the first 10 rows")


def canonical_columns(headers, table: str) -> list[str]:
    names = column_names(table)
    out = []
    for h in headers:
        c = names.get(_header_key(h)) if h is not None else None
        out.append(c if c and c not in out else f"_extra{len(out)}")
    return out


_WS = re.compile(r"\s+")
_BRACKETS = str.maketrans({"（": "(", "）": ")", "【": "[", "】": "]", "［": "[", "］": "]",
                           "〔": "[", "〕": "]"})


def unit_key(value) -> str:
    """NFKC, all white space removed, full-width and half-width brackets unified."""
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return _WS.sub("", unicodedata.normalize("NFKC", str(value))).translate(_BRACKETS)


def unit_lookup(units: pd.DataFrame) -> dict[str, str]:
    """normalised reference -> unit_id: by id first, then name, then alias."""
    ids = units["unit_id"].astype(str).str.strip().tolist()
    names = units["unit_name"].tolist()
    aliases = units["aliases"].tolist() if "aliases" in units else [None] * len(ids)
    look: dict[str, str] = {}
    for uid, name in zip(ids, names, strict=True):
        look.setdefault(unit_key(name), uid)
    for uid, text in zip(ids, aliases, strict=True):
        if text is None or (isinstance(text, float) and text != text):
            continue
        for a in re.split(r"[;；、,，]", str(text)):
            if unit_key(a):
                look.setdefault(unit_key(a), uid)
    for uid in ids:  # an id wins over a name or alias that happens to spell it
        look[unit_key(uid)] = uid
    look.pop("", None)
    return look


def long_frame(wide: pd.DataFrame) -> pd.DataFrame:
    """(track, unit_id) x metric wide frame -> long frame track, unit_id, metric, value
    (only the metrics each track has)."""
    parts = []
    for track, names in TRACK_METRICS.items():
        w = wide[wide["track"] == track]
        cols = [c for c in names if c in w.columns]
        if w.empty or not cols:
            continue
        parts.append(w.melt(id_vars=["track", "unit_id"], value_vars=cols,
                            var_name="metric", value_name="value"))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["track", "unit_id", "metric", "value"])
    out["value"] = pd.to_numeric(out["value"], errors="coerce").astype("float64")
    out["unit_id"] = out["unit_id"].astype(str)
    return out.sort_values(["track", "unit_id", "metric"], ignore_index=True)
