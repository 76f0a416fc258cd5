"""The previous year, read for the report's comparison (its unit metrics only)."""

from __future__ import annotations

import copy
import datetime as dt
import logging
from pathlib import Path

import pandas as pd

from toolkit.clean.model import InputFile
from toolkit.clean.period import Period
from toolkit.clean.year import load_year
from toolkit.i18n import gettext as _
from toolkit.metrics.compute import unit_metrics
from toolkit.outputs.report.context import PreviousYear
from toolkit.rules.load import load_rules

log = logging.getLogger(__name__)


def calendar_year_rules(rules, year: int):
    """A copy of ``rules`` whose period is calendar ``year`` (for a year with no rules file)."""
    r = copy.copy(rules)
    r.year = year
    r.period_start = pd.Timestamp(f"{year}-01-01 00:00:00")
    r.period_end = pd.Timestamp(f"{year}-12-31 23:59:59")
    if hasattr(r, "cutoff"):
        r.cutoff = r.period_end
    r.as_of = dt.date(year, 12, 31)
    return r


def load_previous_year(year: int, data_dir: Path, rules) -> tuple[PreviousYear | None, str]:
    """The year before ``year`` if its folder sits beside this year's (``data/<year-1>``).

    Its period is that of ``rules/<year-1>.yaml`` (beside this year's rules file) when
    that exists, otherwise the calendar year. Returns (previous or None, a note saying
    why there is none or how it was read). A year that cannot be read is not an error
    of this run: the note says what went wrong.
    """
    prev = year - 1
    prev_dir = Path(data_dir).resolve().parent / str(prev)
    if not prev_dir.is_dir():
        return None, f"未找到上一年度（{prev}年）数据目录 {prev_dir.name}，不作同比。"
    prev_rules_path = Path(rules.path).parent / f"{prev}.yaml"
    try:
        if prev_rules_path.is_file():
            prev_rules = load_rules(prev, prev_rules_path)
            how = f"统计期间按 {prev_rules_path.name} 的规定"
        else:
            prev_rules = calendar_year_rules(rules, prev)
            how = f"未找到 {prev_rules_path.name}，统计期间按自然年（{prev}-01-01 至 {prev}-12-31）"
        yd = load_year(prev, prev_dir, period=Period.of(prev_rules), use_cache=True, progress=False)
        frame = unit_metrics(yd, as_of=getattr(prev_rules, "as_of", None))
    except Exception as exc:  # noqa: BLE001 - the comparison is optional
        log.warning(_("previous year %s not compared: %s"), prev, exc)
        return None, f"上一年度（{prev}年）数据无法读取，不作同比：{exc}"
    files = list(getattr(yd, "files", []))
    if getattr(yd, "corrections_file", None):  # its corrections change its figures too
        c = yd.corrections_file
        files.append(InputFile(table="corrections", path=prev_dir / c["path"], sha256=c["sha256"]))
    return PreviousYear(prev, how, frame, prev_dir, files), how
