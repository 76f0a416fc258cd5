"""The objections round of the award cycle through `toolkit run` (the notebook stage without a
kernel): reviews returned and published; then four objections — upheld and withdrawn,
under check, anonymous, rejected — and a run that withdraws one, holds one back, writes
no publicity draft, lists every objection, and names each change since the last
publication with its cause; then the open one settled, and the draft written."""

from __future__ import annotations

import json
import logging
import shutil

import openpyxl
import pytest
from final_helpers import final_year  # noqa: F401 - fixture
from objection_helpers import NOMINEE, NOMINEE_KEY, row, write_register
from review_helpers import copy_year, fill

from toolkit import cli, open_changes
from toolkit.clean.year import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.pipeline import notebook, run
from toolkit.review.cycle import review_cycle
from toolkit.review.sheet import row_key

pytestmark = pytest.mark.slow

LISI_KEY = "2022|staff.individual|U001|李四"
APPROVER = "王处长"


@pytest.fixture
def fake_notebook(monkeypatch):
    """The notebook stage without a kernel: the notebook copied as it is."""
    monkeypatch.setattr(notebook, "execute_notebook", lambda src, dst, parameters, **kw: shutil.copyfile(src, dst))


def _reviewed(final_year, root):  # noqa: F811
    """The decided year's data with one reviewer's copy finding every nominee 符合."""
    d = copy_year(final_year.data, root / "data" / "2022")
    screening = evaluate(load_year(2022, d, rules=final_year.rules, use_cache=False), final_year.rules)
    review_cycle(screening, final_year.rules, d, root / "screening")
    decisions = {row_key(2022, n.category, n.unit_id, n.nominee): {q["label"]: "符合" for q in n.qualitative}
                 for n in (*screening.individual, *screening.innovation) if n.outcome == "needs_review"}
    fill(root / "screening" / "review" / "评审表.xlsx", d / "评审意见" / "专家甲.xlsx", "专家甲", decisions)
    return d


def _run(final_year, d, out):  # noqa: F811
    run.run_year(2022, data_dir=d, rules=final_year.rules_path, out=out, formats=("html",), progress=False)
    changes = open_changes(out)
    return {c["key"]: (c["state"]["before"], c["state"]["after"],
                       [(x["kind"], x.get("row")) for x in c["causes"]]) for c in changes["changes"]}


def test_four_objections_then_the_open_one_settled(final_year, tmp_path, fake_notebook, caplog):  # noqa: F811
    caplog.set_level(logging.INFO, logger="toolkit.pipeline.run")
    d, out = _reviewed(final_year, tmp_path), tmp_path / "reports" / "2022"
    assert _run(final_year, d, out) == {} and open_changes(out)["first"]
    assert "首次发布" in caplog.text
    assert (out / "final" / "公示稿.docx").is_file()

    rows = [row("1", finding="成立", action="撤销推荐", approver=APPROVER), row("2", nominee="李四"),
            row("3", objector="", award="专业技术人员继续教育培训先进个人", unit="湘潭开放大学", nominee="赵六"),
            row("4", award="事业单位工作人员培训创新创意奖", unit="U002", nominee="", finding="不成立", approver=APPROVER)]
    write_register(d, rows)
    assert _run(final_year, d, out) == {NOMINEE_KEY: ("proposed", "withdrawn", [("objection", 3)]),
                                        LISI_KEY: ("proposed", "pending", [("objection", 4)])}
    assert "发布的结果相比：2 项结论变化" in caplog.text
    assert not (out / "final" / "公示稿.docx").exists()
    wb = openpyxl.load_workbook(out / "final" / "拟表彰名单.xlsx")
    assert [r[4] for r in wb["撤销推荐"].iter_rows(min_row=2, values_only=True)] == [NOMINEE]
    assert [r[-1] for r in wb["待定"].iter_rows(min_row=2, values_only=True)] == ["异议核查中（编号 2）"]
    effects = [(r[0], r[-2]) for r in openpyxl.load_workbook(out / "final" / "异议处理情况.xlsx").active.iter_rows(
        min_row=2, values_only=True)]
    assert effects == [("1", "撤销推荐"), ("2", "待定：异议核查中（编号 2）"), ("3", "匿名异议，按规定不予受理"),
                       ("4", "不成立，不影响结果")]
    ev = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    assert [o["effect"] for o in ev["review"]["objections"]] == ["withdrawn", "held", "anonymous", "rejected"]

    rows[1] = row("2", nominee="李四", finding="不成立", approver=APPROVER)
    write_register(d, rows)
    assert _run(final_year, d, out) == {LISI_KEY: ("pending", "proposed", [("objection", 4)])}
    assert (out / "final" / "公示稿.docx").is_file()


def test_an_objection_naming_nobody_stops_the_run_naming_the_register(final_year, tmp_path, capsys):  # noqa: F811
    d = _reviewed(final_year, tmp_path)
    write_register(d, [row("1", nominee="王六")])
    code = cli.main(["-q", "run", "--year", "2022", "--data-dir", str(d), "--rules", str(final_year.rules_path),
                     "--out", str(tmp_path / "reports" / "2022"), "--format", "html"])
    err = capsys.readouterr().err
    assert code == 2 and "异议登记.xlsx" in err and "row 3" in err and "推荐对象" in err
    assert not (tmp_path / "reports" / "2022" / "evaluation.json").exists()
