"""A unit's earlier years in its own report (toolkit/outputs/report/history.py): shown
when earlier years' run folders sit beside, nothing when there are none."""

from __future__ import annotations

import dataclasses
import json
import shutil

from report_helpers import UNIT_NAMES

from toolkit.outputs.report import history, unit
from toolkit.outputs.report.format import esc
from toolkit.outputs.report.store import REPORT_DATA_DIR


def _earlier(ctx, tmp_path, year=2021, paid=7):
    """A run folder of ``year`` beside tmp_path/2022: this run's evaluation.json with
    the year changed and U001's staff paid_trainees set to ``paid``."""
    ev = json.loads((ctx.out_dir / "evaluation.json").read_text(encoding="utf-8"))
    ev["year"] = year
    for e in ev["collective"]:
        if e["unit_id"] == "U001" and e["track"] == "staff":
            for c in e["criteria"]:
                if c["metric"] == "paid_trainees":
                    c["value"], c["bound"] = paid, 29999
    d = tmp_path / str(year)
    d.mkdir(parents=True)
    (d / "evaluation.json").write_text(json.dumps(ev, ensure_ascii=False), encoding="utf-8")
    return d


def _with_history(ctx, tmp_path):
    run_dir = tmp_path / "2022"
    shutil.copytree(ctx.out_dir, run_dir)
    _earlier(ctx, tmp_path)
    assert history.write_history(run_dir, run_dir, 2022) == run_dir / REPORT_DATA_DIR / history.HISTORY
    return dataclasses.replace(ctx, out_dir=run_dir)


def test_no_earlier_years_no_history_and_the_figures_unchanged(ctx, tmp_path):
    assert history.earlier_run_dirs(ctx.out_dir, 2022) == {}
    assert history.write_history(tmp_path, ctx.out_dir, 2022) is None
    assert not (tmp_path / REPORT_DATA_DIR).exists()
    u = unit.open_unit(ctx, "U001")
    assert history.unit_history(u, "U001").html == ""
    assert unit.unit_figures(u, "U001").html == "".join(c.html() for c in unit.unit_chart_list(u, "U001"))


def test_earlier_years_beside_are_found_oldest_first(ctx, tmp_path):
    _earlier(ctx, tmp_path, 2020)
    _earlier(ctx, tmp_path, 2021)
    (tmp_path / "2023").mkdir()  # a later year is not "earlier"
    (tmp_path / "2019").mkdir()  # no evaluation.json: not a run folder
    assert list(history.earlier_run_dirs(tmp_path / "2022", 2022)) == [2020, 2021]


def test_the_unit_report_shows_its_years_with_each_years_bound(ctx, tmp_path):
    c = _with_history(ctx, tmp_path)
    u = unit.open_unit(c, "U001")
    page = unit.unit_figures(u, "U001").html
    assert "历年情况" in page and "2021" in page and "2022" in page
    assert "29,999" in page  # 2021's own bound, not 2022's
    assert "data:image/svg+xml;base64," in page
    for other, name in UNIT_NAMES.items():
        if other != "U001":
            assert esc(name) not in page


def test_history_holds_no_row_level_data(ctx, tmp_path):
    c = _with_history(ctx, tmp_path)
    data = json.loads((c.out_dir / REPORT_DATA_DIR / history.HISTORY).read_text(encoding="utf-8"))
    entry = data["years"]["2021"][0]
    assert set(entry) == {*history.ENTRY_KEYS, "criteria"}
    assert all(set(k) <= set(history.CRITERION_KEYS) for k in entry["criteria"])
