"""The rules loader: the 2022 file as the spec reads it, and each validation error."""

from __future__ import annotations

import copy
import datetime as dt
from fractions import Fraction
from pathlib import Path

import pandas as pd
import pytest
import yaml

from toolkit import paths
from toolkit.exceptions import InputError, RulesError
from toolkit.metrics.registry import METRICS
from toolkit.rules.load import UNITS, load_rules
from toolkit.rules.wording import wording_number, wording_ops

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"

SPEC_IDS = {
    "staff.collective": ["contract_months", "dedicated_team", "paid_trainees", "paid_to_registered",
                         "paid_to_target", "income", "refund_rate", "major_complaints"],
    "professional.collective": ["agreement_signed", "dedicated_team", "person_times", "income", "complaints"],
    "staff.individual": ["tenure_months", "deeds_length", "unit_in_system", "political_and_ethics",
                         "competence", "contribution"],
    "professional.individual": ["tenure_months", "deeds_length", "unit_in_system", "political_and_ethics",
                                "competence", "contribution"],
    "innovation.staff": ["deeds_length", "unit_in_system", "innovation_merit"],
    "innovation.professional": ["deeds_length", "unit_in_system", "innovation_merit"],
}


@pytest.fixture(scope="module")
def rules():
    return load_rules(2022)


def test_2022_loads(rules):
    assert rules.year == 2022
    assert rules.path.name == "2022.yaml" and len(rules.sha256) == 64
    assert rules.period_start == pd.Timestamp("2022-01-01 00:00:00")
    assert rules.period_end == pd.Timestamp("2022-12-31 23:59:59")
    assert rules.period_start.tzinfo is None
    assert rules.as_of == dt.date(2022, 12, 31)
    assert rules.rsvp_deadline == dt.date(2023, 3, 7)
    assert rules.near_limit_share == Fraction(4, 5)
    assert {k: [c.id for c in rules.criteria(k)] for k in rules.awards} == SPEC_IDS


@pytest.mark.parametrize("award,cid,op,bound,unit,clause", [
    ("staff.collective", "contract_months", ">=", 6, "months", "附件1 一.1"),
    ("staff.collective", "dedicated_team", ">=", 1, "persons", "附件1 一.2"),
    ("staff.collective", "paid_trainees", ">=", 30000, "persons", "附件1 一.2(1)"),
    ("staff.collective", "paid_to_registered", ">=", Fraction(3, 4), "fraction", "附件1 一.2(2)"),
    ("staff.collective", "paid_to_target", ">=", Fraction(45, 100), "fraction", "附件1 一.2(3)"),
    ("staff.collective", "income", ">=", 5_000_000, "yuan", "附件1 一.2(4)"),
    ("staff.collective", "refund_rate", "<=", Fraction(15, 1000), "fraction", "附件1 一.2(5)"),
    ("staff.collective", "major_complaints", "==", 0, "count", "附件1 一.3"),
    ("professional.collective", "agreement_signed", ">=", 0, "months", "附件3 一.1"),
    ("professional.collective", "person_times", ">=", 4000, "person_times", "附件3 一.2"),
    ("professional.collective", "income", ">=", 600_000, "yuan", "附件3 一.2"),
    ("professional.collective", "complaints", "==", 0, "count", "附件3 一.3"),
    ("staff.individual", "tenure_months", ">=", 6, "months", "附件1 二.3"),
    ("professional.individual", "tenure_months", ">=", 12, "months", "附件3 二.3"),
    ("staff.individual", "deeds_length", "<=", 700, "characters", "附件2 主要事迹"),
])
def test_2022_criteria(rules, award, cid, op, bound, unit, clause):
    c = rules.criterion(award, cid)
    assert (c.op, c.bound, c.unit, c.clause) == (op, bound, unit, clause)
    assert c.bound == bound and type(c.bound) in (int, Fraction)  # exact, never a float
    assert c.label and c.wording


def test_qualitative_items(rules):
    for award in ("staff.individual", "professional.individual"):
        q = [c for c in rules.criteria(award) if c.qualitative]
        assert [c.id for c in q] == ["political_and_ethics", "competence", "contribution"]
        assert all(c.metric is None and c.bound is None and c.clause and c.wording for c in q)
    assert rules.criterion("innovation.staff", "innovation_merit").qualitative


def test_refund_bound_lookup(rules):
    assert rules.bound_for("staff", "refund_rate").bound == Fraction(3, 200)
    assert rules.bound_for("professional", "refund_rate") is None


def test_no_year_in_code():
    """A new year is a new rules file: no year number (or ``year ==``) in the code."""
    import io
    import re
    import tokenize

    src = Path(paths.PACKAGE_DIR)
    for name in ("rules.py", "metrics.py", "evaluate.py", "flags.py", "export.py"):
        f = src / name
        if not f.exists():
            continue
        text = f.read_text(encoding="utf-8")
        assert not re.search(r"year\s*[=!]=\s*\d", text), name
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type == tokenize.NUMBER:
                value = complex(eval(tok.string)).real  # 0x2E80, 1_000, 1e-3 alike
                assert not (1990 <= value <= 2100 and value == int(value)), (name, tok.start)


# --- wording helpers --------------------------------------------------------------------


@pytest.mark.parametrize("wording,ops", [
    ("达到30000人", (">=",)), ("75%以上", (">=",)), ("不超过总收入1.5%", ("<=",)), ("满6个月", (">=",)),
    ("半年以上", (">=",)), ("700字以内", ("<=",)), ("不满6个月", ("<",)), ("超过10人", (">",)),
    ("没有出现重大投诉", ("==",)),
])
def test_wording_ops(wording, ops):
    assert wording_ops(wording)[1] == ops


@pytest.mark.parametrize("wording,unit,number", [
    ("达到30000人", "persons", 30000), ("75%以上", "fraction", Fraction(3, 4)),
    ("不超过总收入1. 5%", "fraction", Fraction(3, 200)), ("500万元以上", "yuan", 5_000_000),
    ("达60万元以上", "yuan", 600_000), ("半年以上", "months", 6), ("一年以上", "months", 12),
    ("配备专职的培训工作团队", "persons", None),
])
def test_wording_number(wording, unit, number):
    assert wording_number(wording, unit) == number


# --- validation errors ----------------------------------------------------------------------


def _write(tmp_path: Path, data: dict) -> Path:
    p = tmp_path / "rules.yaml"
    p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return p


def _base() -> dict:
    return yaml.safe_load(RULES_2022.read_text(encoding="utf-8"))


def _crit(data: dict, award: str, cid: str) -> dict:
    return next(c for c in data["awards"][award]["criteria"] if c["id"] == cid)


def _set(path, value):
    def f(d):
        award, cid, key = path
        _crit(d, award, cid)[key] = value
    return f


def _delete(path):
    def f(d):
        award, cid, key = path
        del _crit(d, award, cid)[key]
    return f


def _top(key, value):
    def f(d):
        d[key] = value
    return f


CASES = [
    ("unknown top key", _top("colour", "blue"), "unknown key 'colour'"),
    ("unknown criterion key", _set(("staff.collective", "income", "threshold"), 5), "unknown key 'threshold'"),
    ("missing clause", _delete(("staff.collective", "income", "clause")), "missing 'clause'"),
    ("empty clause", _set(("staff.collective", "income", "clause"), ""), "missing 'clause'"),
    ("missing wording", _delete(("staff.collective", "paid_trainees", "wording")), "missing 'wording'"),
    ("income in persons", _set(("staff.collective", "income", "unit"), "persons"),
     "unit 'persons' does not fit metric 'income'"),
    ("unknown unit", _set(("staff.collective", "income", "unit"), "dollars"), "unknown unit 'dollars'"),
    ("unknown metric", _set(("staff.collective", "income", "metric"), "revenue"), "unknown metric 'revenue'"),
    ("以上 with <", _set(("staff.collective", "paid_to_registered", "op"), "<"), "contradicts the wording's '以上'"),
    ("不超过 with <", _set(("staff.collective", "refund_rate", "op"), "<"), "contradicts the wording's '不超过'"),
    ("以内 with >=", _set(("staff.individual", "deeds_length", "op"), ">="), "contradicts the wording's '以内'"),
    ("unknown op", _set(("staff.collective", "income", "op"), "≥"), "unknown operator"),
    ("percent as 75", _set(("staff.collective", "paid_to_registered", "bound"), 75), "at most 1"),
    ("bound differs from wording", _set(("staff.collective", "paid_trainees", "bound"), 3000),
     "differs from the wording"),
    ("bound as text", _set(("staff.collective", "paid_trainees", "bound"), "many"), "plain number"),
    ("missing bound", _delete(("staff.collective", "paid_trainees", "bound")), "missing 'bound'"),
    ("nan bound", _set(("staff.collective", "refund_rate", "bound"), float("nan")),
     "awards.staff.collective.criteria[6] (refund_rate).bound: the bound must be a finite number"),
    ("inf bound", _set(("staff.collective", "income", "bound"), float("inf")),
     "awards.staff.collective.criteria[5] (income).bound: the bound must be a finite number"),
    ("-inf bound", _set(("staff.collective", "income", "bound"), float("-inf")),
     "(income).bound: the bound must be a finite number"),
    ("nan share", lambda d: d["flags"]["near_limit_share"].__setitem__("value", float("nan")),
     "flags.near_limit_share.value: the bound must be a finite number"),
    ("months beyond a century", _set(("staff.collective", "contract_months", "bound"), 10 ** 6),
     "(contract_months): a period in months is at most 1200"),
    ("qualitative with a bound", _set(("staff.individual", "competence", "bound"), 1), "qualitative"),
    ("bad award key", lambda d: d["awards"].__setitem__("staff group!", copy.deepcopy(d["awards"]["staff.collective"])),
     "an award key is a short code"),
    ("unknown track", lambda d: d["awards"]["staff.collective"].__setitem__("track", "teachers"),
     "unknown track 'teachers'"),
    ("missing track", lambda d: d["awards"]["staff.collective"].pop("track"),
     "awards.staff.collective: missing 'track'"),
    ("missing kind", lambda d: d["awards"]["innovation.staff"].pop("kind"), "awards.innovation.staff: missing 'kind'"),
    ("a word naming two awards", lambda d: d["awards"]["staff.individual"].__setitem__(
        "words", ["事业单位工作人员培训 先进集体"]), "name the award 'staff.collective' too"),
    ("a key naming another award", lambda d: d["awards"]["staff.individual"].__setitem__(
        "words", ["Staff.Collective"]), "name the award 'staff.collective' too"),
    ("words not a list", lambda d: d["awards"]["staff.individual"].__setitem__("words", "先进个人"),
     "awards.staff.individual.words"),
    ("unknown award kind", lambda d: d["awards"]["staff.collective"].__setitem__("kind", "team"),
     "unknown kind 'team'"),
    ("cut-off not the period end", lambda d: d["cutoff"].__setitem__("at", "2022-12-30T23:59:59+08:00"),
     "cut-off must be the period's end"),
    ("bad as_of", lambda d: d["as_of"].__setitem__("date", "31/12/2022"), "not a date"),
    ("near-limit share unit", lambda d: d["flags"]["near_limit_share"].__setitem__("unit", "yuan"),
     "does not fit a share"),
    ("near-limit share without source",
     lambda d: [d["flags"]["near_limit_share"].pop(k) for k in ("clause", "source")], "missing 'clause' or 'source'"),
    ("duplicate id", lambda d: d["awards"]["staff.collective"]["criteria"].append(
        dict(_crit(d, "staff.collective", "income"))), "appears twice"),
    ("a professional metric on a staff award", lambda d: _crit(d, "staff.collective", "paid_trainees").update(
        metric="person_times", unit="person_times"),
     "awards.staff.collective.criteria[2] (paid_trainees): metric 'person_times' is not computed for the staff track"),
    ("a staff metric on a professional award", _set(("professional.collective", "complaints", "metric"),
                                                    "major_complaints"),
     "(complaints): metric 'major_complaints' is not computed for the professional track"),
    ("nominee metric on a collective", _set(("staff.collective", "dedicated_team", "metric"), "deeds_chars"),
     "does not fit metric"),
]


@pytest.mark.parametrize("name,change,message", CASES, ids=[c[0] for c in CASES])
def test_validation_errors(tmp_path, name, change, message):
    data = _base()
    change(data)
    p = _write(tmp_path, data)
    with pytest.raises(RulesError) as e:
        load_rules(path=p)
    assert message in str(e.value)
    assert str(p) in str(e.value)  # names the file


def test_unchanged_copy_loads(tmp_path):
    p = _write(tmp_path, _base())
    assert load_rules(2022, path=p).year == 2022


def test_missing_file_names_the_path(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(paths, "PROJECT_ROOT", tmp_path)
    with pytest.raises(RulesError) as e:
        load_rules(2023)
    assert "rules/2023.yaml" in str(e.value)
    assert isinstance(e.value, InputError) and e.value.exit_code == 2


def test_year_mismatch(tmp_path):
    p = _write(tmp_path, _base())
    with pytest.raises(RulesError, match="for 2022, not 2023"):
        load_rules(2023, path=p)


def test_not_yaml(tmp_path):
    p = tmp_path / "bad.yaml"
    p.write_text("year: [2022\n", encoding="utf-8")
    with pytest.raises(RulesError, match="not valid YAML"):
        load_rules(path=p)


def test_offsets_convert_to_beijing(tmp_path):
    data = _base()
    data["period"]["start"] = "2021-12-31T16:00:00+00:00"  # = 2022-01-01 00:00 Beijing
    p = _write(tmp_path, data)
    assert load_rules(path=p).period_start == pd.Timestamp("2022-01-01 00:00:00")


def _track_cases(inside: bool) -> list[tuple[str, str]]:
    """(collective award, metric): each unit metric of a rules unit with each collective
    award of the 2022 file whose track its registry entry names (or does not name)."""
    awards = {k: a["track"] for k, a in _base()["awards"].items() if a["kind"] == "collective"}
    return [(award, m.name) for award, track in awards.items() for m in METRICS.values()
            if m.entity == "unit" and m.unit in UNITS and (track in m.tracks) == inside]


def _with_criterion_on(award: str, metric: str) -> dict:
    """The base rules with one more criterion on ``award``, a bound on ``metric``."""
    data = _base()
    data["awards"][award]["criteria"].append({
        "id": "extra", "label": "示例", "clause": "示例", "wording": "示例", "metric": metric, "op": ">=",
        "bound": 0, "unit": METRICS[metric].unit})
    return data


@pytest.mark.parametrize("award,metric", _track_cases(False))
def test_a_criterion_on_a_metric_its_track_lacks_is_refused(tmp_path, award, metric):
    data = _with_criterion_on(award, metric)
    with pytest.raises(RulesError) as e:
        load_rules(path=_write(tmp_path, data))
    track = data["awards"][award]["track"]
    assert f"metric {metric!r} is not computed for the {track} track" in str(e.value)
    assert e.value.exit_code == 2


@pytest.mark.parametrize("award,metric", _track_cases(True))
def test_a_criterion_on_a_metric_of_its_track_loads(tmp_path, award, metric):
    data = _with_criterion_on(award, metric)
    rules = load_rules(path=_write(tmp_path, data))
    assert rules.awards[award].criteria[-1].metric == metric
