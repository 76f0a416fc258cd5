"""The cleaned year: what ``clean.load_year`` returns and ``evaluate`` consumes.

See docs/architecture.md for the columns of each clean table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


@dataclass
class InputFile:
    """One input file as read: for the ledger and the manifest."""

    table: str
    path: Path
    sha256: str
    sheet: str | None = None
    encoding: str | None = None
    header_row: int | None = None  # 1-based, as the user sees it


@dataclass
class YearData:
    year: int
    data_dir: Path
    period_start: pd.Timestamp  # tz-naive, Beijing time, inclusive
    period_end: pd.Timestamp  # tz-naive, Beijing time, inclusive
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    excluded: dict[str, pd.DataFrame] = field(default_factory=dict)
    quarantine: pd.DataFrame = field(default_factory=pd.DataFrame)
    ledger: list[dict] = field(default_factory=list)
    files: list[InputFile] = field(default_factory=list)
    missing_tables: list[str] = field(default_factory=list)
    from_cache: bool = False
    #: the corrections applied (``更正.xlsx``; toolkit.clean.corrections), one dict each
    corrections: list[dict] = field(default_factory=list)

    def has(self, table: str) -> bool:
        return table in self.tables

    def unit_names(self) -> dict[str, str]:
        units = self.tables.get("units")
        if units is None or units.empty:
            return {}
        return dict(zip(units["unit_id"], units["unit_name"], strict=False))

    def ledger_frame(self) -> pd.DataFrame:
        rows = []
        for e in self.ledger:
            row = {k: v for k, v in e.items() if k not in ("excluded", "quarantined")}
            row["excluded"] = sum(e.get("excluded", {}).values())
            row["quarantined"] = sum(e.get("quarantined", {}).values())
            for k, v in e.get("excluded", {}).items():
                row[f"excluded.{k}"] = v
            for k, v in e.get("quarantined", {}).items():
                row[f"quarantined.{k}"] = v
            rows.append(row)
        return pd.DataFrame(rows)
