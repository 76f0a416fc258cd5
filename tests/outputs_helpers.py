"""Shared data of the output tests: the forms' nomination, rsvp and unit tables with the
real result types (``Evaluation``, ``UnitResult``) and a year's ``Rules``; readers of
the .docx forms; and a small generated year evaluated end to end, with the check that
no English code reaches what a person reads."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path

import pandas as pd

from toolkit.analysis import open_year
from toolkit.clean.model import YearData
from toolkit.demo import write_demo_data
from toolkit.evaluation.evaluate import evaluate
from toolkit.evaluation.results import Evaluation, UnitResult
from toolkit.rules.load import load_rules

HOSTILE_HTML = "<script>alert(1)</script>"
HOSTILE_FORMULA = '=HYPERLINK("http://x","y")'
YEAR = 2031  # not 2022: the year must come from the evaluation, never a literal

#: an English code as the toolkit writes them (major_complaints, staff_payments, unknown_unit)
CODE_WORD = re.compile(r"\b[a-z_]{4,}\b")
#: file suffixes are no code (办学单位.xlsx)
FILE_SUFFIX = re.compile(r"\.(?:xlsx|xls|csv|parquet)\b")


def code_words(value) -> list[str]:
    return CODE_WORD.findall(FILE_SUFFIX.sub("", str(value)))


def rules(rsvp_deadline: dt.date | None = dt.date(YEAR + 1, 3, 7), **changes):
    """The 2022 rules as the rules of YEAR (the notice's deadline: 3月7日 of the next year)."""
    return dataclasses.replace(load_rules(2022), year=YEAR, rsvp_deadline=rsvp_deadline, **changes)


RULES = rules()


def units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["U001", "U002", "U003", "U004"],
            "unit_name": ["长沙开放大学", "株洲开放大学", "湘潭/开放大学", "岳阳开放大学"],
            "aliases": [[], [], [], []],
            "level": [None] * 4,
            "parent_id": [None] * 4,
        }
    )


def nomination(row, category, unit_id, nominee, deeds, **kw):
    award = RULES.awards[category]
    rec = dict(row=row, category=category, track=award.track, kind=award.kind, unit_id=unit_id,
               nominee=nominee, deeds=deeds, started_on=pd.NaT, unit_leader=None, contact_name=None,
               contact_title=None, contact_phone=None)
    rec.update(kw)
    return rec


def nominations() -> pd.DataFrame:
    return pd.DataFrame(
        [
            nomination(2, "staff.collective", "U001", "长沙开放大学培训部", "组建专职团队。\n服务到位。",
                       unit_leader="王校长", contact_name="李联系", contact_title="培训部主任",
                       contact_phone="13800000001"),
            nomination(3, "staff.individual", "U002", HOSTILE_HTML, "好 " * 701,  # 701 chars + spaces
                       started_on=pd.Timestamp("2020-01-01"), unit_leader="赵校长",
                       contact_name=HOSTILE_FORMULA, contact_title="干事", contact_phone="0731\x0b123"),
            nomination(4, "professional.individual", "U003", "张三", "专技事迹" + " " * 50 + "x" * 696,
                       started_on=pd.Timestamp("2019-01-01"), unit_leader="钱校长"),
            nomination(5, "professional.individual", "U003", "张三", "同名同单位的第二份"),
            nomination(6, "innovation.professional", "U004", None, "制作特色宣传视频。",
                       unit_leader="孙校长", contact_name="周联系", contact_phone="13900000004"),
        ]
    )


def rsvp() -> pd.DataFrame:
    t = pd.Timestamp
    return pd.DataFrame(
        [
            dict(row=2, unit_id="U001", name="甲", gender="男", title="主任", phone="13800000011",
                 note=None, needs_room=True, submitted_at=t(f"{YEAR + 1}-03-07 23:00")),
            dict(row=3, unit_id="U001", name="乙", gender="女", title="科员", phone="13800000012",
                 note="同住", needs_room=False, submitted_at=t(f"{YEAR + 1}-03-01 09:00")),
            dict(row=4, unit_id="U002", name=HOSTILE_FORMULA, gender="女", title=HOSTILE_HTML,
                 phone=None, note="-1", needs_room=True, submitted_at=t(f"{YEAR + 1}-03-08 08:00")),
            dict(row=5, unit_id="U002", name="丁", gender="男", title=None, phone=None, note=None,
                 needs_room=None, submitted_at=None),
        ]
    )


def year_data(**tables) -> YearData:
    base = {"units": units(), "nominations": nominations(), "rsvp": rsvp()}
    base.update(tables)
    base = {k: v for k, v in base.items() if v is not None}
    return YearData(year=YEAR, data_dir=Path("."), period_start=pd.Timestamp(f"{YEAR}-01-01"),
                    period_end=pd.Timestamp(f"{YEAR}-12-31 23:59:59"), tables=base)


def unit_result(track, unit_id, unit_name, outcome, nominated=False, **metrics) -> UnitResult:
    award = RULES.award_for("collective", track)
    return UnitResult(track=track, unit_id=unit_id, unit_name=unit_name, metrics=metrics, criteria=[],
                      outcome=outcome, nominated=nominated, award=award.key, award_label=award.label)


STAFF_METRICS = dict(paid_trainees=31234, registered_trainees=40000, target_trainees=60000,
                     paid_to_registered=31234 / 40000, paid_to_target=31234 / 60000,
                     income=5_234_567.5, refunds=52_345.0, refund_rate=52_345.0 / 5_234_567.5)


def evaluation(collective: list[UnitResult] | None = None, unit_names: dict | None = None) -> Evaluation:
    """An Evaluation of YEAR holding ``collective`` (default: the four units below)."""
    if collective is None:
        collective = [
            # nominated for staff.collective: no draft
            unit_result("staff", "U001", "长沙开放大学", "eligible", **STAFF_METRICS),
            # eligible, not nominated: a draft
            unit_result("staff", "U002", "株洲开放大学", "eligible", **STAFF_METRICS),
            # needs_review, professional, not nominated: a draft
            unit_result("professional", "U003", "湘潭/开放大学", "needs_review",
                        person_times=4321, income=612_345.0),
            # not eligible: no draft
            unit_result("staff", "U004", "岳阳开放大学", "not_eligible", paid_trainees=10),
        ]
    return Evaluation(
        year=YEAR, period_start=pd.Timestamp(f"{YEAR}-01-01"), period_end=pd.Timestamp(f"{YEAR}-12-31 23:59:59"),
        as_of=dt.date(YEAR, 12, 31), rules_path="rules/2022.yaml", rules_sha256="0" * 64,
        collective=collective, individual=[], innovation=[], flags=[], near_misses=[], ledger=[],
        metrics=pd.DataFrame(), unit_names=dict(unit_names or {}), award_labels=RULES.labels(),
        criterion_labels={k: {c.id: c.label for c in a.criteria} for k, a in RULES.awards.items()},
        rsvp_deadline=RULES.rsvp_deadline,
    )


# --- reading the forms -------------------------------------------------------------------


def one(paths, *needles) -> Path:
    found = [p for p in paths if all(n in p.name for n in needles)]
    assert len(found) == 1, (needles, [p.name for p in paths])
    return found[0]


def grid(table) -> list[list[str]]:
    """Rows of distinct cell texts (a merged cell once)."""
    rows = []
    for r in table.rows:
        cells, prev = [], None
        for c in r.cells:
            if prev is not None and c._tc is prev:
                continue
            prev = c._tc
            cells.append(c.text)
        rows.append(cells)
    return rows


def grid_row(g, label) -> list[str]:
    for r in g:
        if r and r[0].replace("\n", "") == label:
            return r
    raise AssertionError(f"no row {label!r} in {g}")


def all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for t in document.tables:
        for r in t.rows:
            parts += [c.text for c in r.cells]
    return "\n".join(parts)


def deeds(g) -> str:
    return grid_row(g, "主要事迹")[1]


# --- a generated year ---------------------------------------------------------------------


def small_year(tmp: Path):
    """(YearData, Rules, Evaluation) of the generated small 2022 year in ``tmp``."""
    data = write_demo_data(2022, tmp / "data", scale="small")
    r = load_rules(2022)
    yd = open_year(2022, data, rules=r, use_cache=False)
    return yd, r, evaluate(yd, r)
