"""Generated spans of years for the multi-year tests (tests/test_pipeline_years.py,
tests/test_outputs_index*.py): each year's rules derived from rules/2022.yaml (dates
moved to the year, as a policy officer would copy the file; never shipped under
rules/), and small years whose unit registries differ so that units join and leave."""

from __future__ import annotations

import csv
from pathlib import Path

from report_helpers import RULES_2022, UNIT_NAMES, write_tiny_year

#: a unit only in 2021's registry of the tiny span: joined in 2021, left in 2022
JOINER = ("U004", "邵阳开放大学")
#: a unit dropped from 2022's registry of the tiny span: left in 2022
LEAVER = "U003"


def derived_rules(year: int) -> str:
    """rules/2022.yaml with its dates moved to ``year`` (as /work/baseline does)."""
    text = RULES_2022.read_text(encoding="utf-8")
    if year == 2022:
        return text
    return (text.replace("2022-", f"{year}-").replace("year: 2022", f"year: {year}")
            .replace("2023-03-07", f"{year + 1}-03-07").replace("2022年", f"{year}年"))


def write_rules(folder: Path, years) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for y in years:
        (folder / f"{y}.yaml").write_text(derived_rules(y), encoding="utf-8")
    return folder


def write_registry(data_dir: Path, names: dict[str, str]) -> None:
    with open(data_dir / "units.csv", "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["unit_id", "unit_name"])
        w.writerows(sorted(names.items()))


def write_tiny_span(root: Path, years=(2020, 2021, 2022)) -> tuple[Path, Path]:
    """Tiny years under ``root/data/<year>`` and their rules under ``root/rules``;
    2021's registry adds :data:`JOINER`, 2022's drops :data:`LEAVER`."""
    for y in years:
        d = write_tiny_year(root / "data" / str(y), year=y)
        names = dict(UNIT_NAMES)
        if y == 2021:
            names[JOINER[0]] = JOINER[1]
        if y == 2022:
            names.pop(LEAVER)
        write_registry(d, names)
    return root / "data", write_rules(root / "rules", years)
