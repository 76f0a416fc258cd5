"""The metric registry (toolkit/metrics/registry.py): each metric is one entry, and what
the rest of the toolkit knows about metrics (each track's metrics, the frame's columns,
the collective table's columns, the report's definitions) is what the entries say."""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import toolkit
from toolkit import paths
from toolkit.ingest.contract import TRACKS
from toolkit.metrics import compute, queries
from toolkit.metrics.engine import run
from toolkit.metrics.registry import (
    COLLECTIVE_METRICS,
    DEFINED_METRICS,
    METRICS,
    MONEY,
    NOMINATION_ROW,
    TRACK_METRICS,
)

UNIT_METRICS = [m for m in METRICS.values() if m.entity == "unit"]


def _sql_result_columns() -> list[str]:
    """The columns of the metrics SQL, run over empty inputs."""
    raw = run(queries.UNIT_METRICS, dict.fromkeys(queries.INPUTS), queries.INPUTS, "duckdb",
              start="TIMESTAMP '2022-01-01 00:00:00'", end="TIMESTAMP '2023-01-01 00:00:00'",
              as_of="TIMESTAMP '2022-12-31 00:00:00'")
    return list(raw.columns)


def _family(name: str) -> str:
    """The SQL of the CTE ``name`` among the query's families."""
    for text in queries.FAMILIES:
        found = re.search(rf"(?ms)^{re.escape(name)} AS \((.*?)(?=^\w+ AS \(|\Z)", text)
        if found:
            return found.group(1)
    raise AssertionError(f"no CTE {name!r} in metrics/queries.py")


@pytest.mark.parametrize("track", TRACKS)
def test_a_tracks_metrics_are_the_entries_naming_it_main_figure_first(track):
    named = [m.name for m in UNIT_METRICS if track in m.tracks]
    mains = [m.name for m in UNIT_METRICS if track in m.tracks and m.main]
    assert len(mains) == 1, mains
    assert TRACK_METRICS[track] == tuple(mains + [n for n in named if n not in mains])


def test_the_tracks_metrics_are_the_ones_of_the_rules_document():
    assert TRACK_METRICS["staff"] == (
        "paid_trainees", "registered_trainees", "target_trainees", "paid_to_registered",
        "paid_to_target", "income", "refunds", "refund_rate", "major_complaints",
        "contract_signed_on", "contract_terminated_on", "dedicated_staff")
    assert TRACK_METRICS["professional"] == (
        "person_times", "income", "refunds", "refund_rate", "complaints",
        "contract_signed_on", "contract_terminated_on", "dedicated_staff")


def test_the_collective_columns_are_every_tracks_metrics_once():
    assert set(COLLECTIVE_METRICS) == {m.name for m in UNIT_METRICS}
    assert len(COLLECTIVE_METRICS) == len(set(COLLECTIVE_METRICS))
    assert COLLECTIVE_METRICS[:len(TRACK_METRICS[TRACKS[0]])] == TRACK_METRICS[TRACKS[0]]


def test_the_defined_metrics_are_the_collective_ones_less_an_end_date():
    ends = {m.ends_with for m in METRICS.values() if m.ends_with}
    assert ends == {"contract_terminated_on"}
    assert DEFINED_METRICS == tuple(m.name for m in UNIT_METRICS if m.name not in ends)


@pytest.mark.parametrize("m", [m for m in UNIT_METRICS if not m.is_ratio], ids=lambda m: m.name)
def test_a_unit_metric_names_the_sql_family_and_column_that_compute_it(m):
    assert m.family, f"{m.name} names no family"
    assert re.search(rf"\bAS {re.escape(m.sql_column)}\b", _family(m.family)), (m.family, m.sql_column)


def test_every_sql_column_of_a_metric_is_in_the_querys_result():
    cols = set(_sql_result_columns())
    assert {m.sql_column for m in UNIT_METRICS if not m.is_ratio} <= cols


@pytest.mark.parametrize("m", [m for m in UNIT_METRICS if m.is_ratio], ids=lambda m: m.name)
def test_a_ratio_divides_columns_of_each_of_its_tracks_frames(m):
    assert not m.family and m.sql_column is None
    for track in m.tracks:
        cols = compute.frame_columns(track)
        assert m.numerator in cols and m.denominator in cols, (track, m.name)


def test_a_nominee_metric_is_read_from_the_nomination_row():
    nominee = [m for m in METRICS.values() if m.entity == "nominee"]
    assert nominee and all(m.family == NOMINATION_ROW and m.sql_column is None for m in nominee)


@pytest.mark.parametrize("track", TRACKS)
def test_a_tracks_frame_has_its_metrics_and_no_column_twice(track):
    cols = compute.frame_columns(track)
    assert len(cols) == len(set(cols))
    assert [c for c in cols if c in TRACK_METRICS[track]] == list(TRACK_METRICS[track])
    others = {"track", "unit_id", "unit_name", "has_contracts_table", *compute.FLAG_COLUMNS, *MONEY.values()}
    assert set(cols) - set(TRACK_METRICS[track]) <= others
    counts = compute.count_columns(track)
    for name in TRACK_METRICS[track]:
        m = METRICS[name]
        if m.sql_column and not m.is_date:
            assert counts[m.fen_column or name] == (m.sql_column, m.needs(track))


# --- a metric added by its entry alone ------------------------------------------------

#: a metric the SQL computes (the money family's refund_count) that no entry names: its
#: entry, as a newcomer would add it to the registry
NEW_ENTRY = '''    _m("refund_count", "退费笔数", "count", "笔", "统计期间内针对上述缴费的退费笔数",
       ("{pay}",), tracks=("staff",), family="money"),
'''
#: the criterion on it, added to a copy of the staff collective award of rules/2022.yaml
NEW_CRITERION = {"id": "refund_count", "label": "退费笔数", "clause": "示例", "wording": "退费不超过2笔",
                 "metric": "refund_count", "op": "<=", "bound": 2, "unit": "count"}

#: run in a copy of the package whose registry has the new entry
SCRIPT = '''
import json, sys, types
from pathlib import Path
from toolkit.analysis import open_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.exceptions import RulesError
from toolkit.outputs.report.appendix import rules_section
from toolkit.outputs.report.frame import html_of
from toolkit.outputs.tables import table_rows
from toolkit.rules.load import load_rules

data, rules_path, wrong_track = (Path(a) for a in sys.argv[1:4])
rules = load_rules(2022, rules_path)
ev = evaluate(open_year(2022, data, rules=rules, use_cache=False, progress=False), rules)
d = ev.to_dict()
cols, headers, rows, _ = table_rows(ev, "collective")
try:
    load_rules(2022, wrong_track)
    refused = ""
except RulesError as e:
    refused = str(e)
print(json.dumps({
    "metrics": {u["unit_id"] + " " + u["track"]: u["metrics"] for u in d["collective"]},
    "criteria": {u["unit_id"] + " " + u["track"]: {c["id"]: c for c in u["criteria"]} for u in d["collective"]},
    "labels": d["labels"]["metrics"], "headers": headers,
    "definitions": html_of(rules_section(types.SimpleNamespace(rules=rules))), "refused": refused,
}, ensure_ascii=False))
'''


@pytest.fixture(scope="module")
def with_new_entry(tiny_year, tmp_path_factory):
    """evaluation.json, the collective table, the report's definitions and the rules
    loader of a package copy whose registry has :data:`NEW_ENTRY` and nothing else new."""
    root = tmp_path_factory.mktemp("package")
    package = Path(toolkit.__file__).parent
    shutil.copytree(package, root / "toolkit", ignore=shutil.ignore_patterns("__pycache__"))
    registry = root / "toolkit" / "metrics" / "registry.py"
    text = registry.read_text(encoding="utf-8")
    marker = "    # nominee metrics\n"
    assert marker in text
    registry.write_text(text.replace(marker, NEW_ENTRY + marker), encoding="utf-8")

    base = yaml.safe_load((paths.PROJECT_ROOT / "rules" / "2022.yaml").read_text(encoding="utf-8"))
    staff = next(k for k, a in base["awards"].items() if a["kind"] == "collective" and a["track"] == "staff")
    prof = next(k for k, a in base["awards"].items() if a["kind"] == "collective" and a["track"] == "professional")
    good, wrong = copy.deepcopy(base), copy.deepcopy(base)
    good["awards"][staff]["criteria"].append(dict(NEW_CRITERION))
    wrong["awards"][prof]["criteria"].append(dict(NEW_CRITERION))
    files = []
    for name, data in (("rules.yaml", good), ("wrong.yaml", wrong)):
        p = root / name
        p.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        files.append(str(p))
    env = {**os.environ, "PYTHONPATH": str(root), "TOOLKIT_HOME": str(paths.PROJECT_ROOT)}
    done = subprocess.run([sys.executable, "-c", SCRIPT, str(tiny_year), *files], env=env, cwd=root,
                          capture_output=True, text=True, encoding="utf-8")
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_a_new_entry_is_in_the_staff_units_metrics_with_its_sql_value(with_new_entry, tiny_year):
    metrics = with_new_entry["metrics"]
    staff = {k: v for k, v in metrics.items() if k.endswith(" staff")}
    assert staff and all("refund_count" in v for v in staff.values())
    assert not any("refund_count" in v for k, v in metrics.items() if k.endswith(" professional"))
    with open(tiny_year / "staff_refunds.csv", encoding="utf-8") as fh:
        refunds = sum(1 for _ in fh) - 1
    assert sum(v["refund_count"] for v in staff.values()) == refunds > 0


def test_a_new_entry_has_its_label_column_and_definition(with_new_entry):
    assert with_new_entry["labels"]["refund_count"] == "退费笔数"
    assert "退费笔数（笔）" in with_new_entry["headers"]
    assert "统计期间内针对上述缴费的退费笔数" in with_new_entry["definitions"]


def test_a_criterion_on_a_new_entry_is_judged(with_new_entry):
    for key, crits in with_new_entry["criteria"].items():
        if key.endswith(" staff"):
            c = crits["refund_count"]
            value = with_new_entry["metrics"][key]["refund_count"]
            assert c["outcome"] == ("pass" if value <= 2 else "fail"), (key, c)


def test_a_criterion_on_a_new_entry_outside_its_tracks_is_refused(with_new_entry):
    refused = with_new_entry["refused"]  # in the language of the messages (Chinese by default)
    assert "'refund_count'" in refused and "professional" in refused and "criteria[" in refused
