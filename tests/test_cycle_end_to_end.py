"""The award cycle on the demo year, end to end through `toolkit run`: the screening's review workbook filled by three reviewers, a corrections file
that supplies 郴州's missing 应培人数, then a real run (papermill, HTML and PDF) whose
report opens with the final list, beside final/拟表彰名单.docx/.xlsx and 公示稿.docx.
Then a fourth reviewer's file, which changes only what it decides."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
from pathlib import Path

import docx
import openpyxl
import pytest
from review_helpers import copy_year, fill, write_corrections, write_roster

from toolkit import cli, paths
from toolkit.clean.year import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.review.cycle import review_cycle
from toolkit.review.sheet import SHEET, row_key
from toolkit.rules.load import load_rules

pytestmark = pytest.mark.slow

RULES_2022 = paths.PROJECT_ROOT / "rules" / "2022.yaml"
APPROVER = "省校培训学院"


def _key(n) -> str:
    return row_key(2022, n.category, n.unit_id, n.nominee)


@pytest.fixture(scope="module")
def cycle(demo, tmp_path_factory):
    """The demo year after the screening: the workbook filled by 张三, 李四 (符合) and 王五
    (不符合) for every nominee but one, which 李四 and 王五 find 不符合 (so it fails);
    郴州's target supplied by 更正.xlsx; then `toolkit run` into reports/2022."""
    root = tmp_path_factory.mktemp("cycle")
    d = copy_year(demo[0], root / "data" / "2022")
    rules = load_rules(2022, RULES_2022)
    screening = evaluate(load_year(2022, d, rules=rules, use_cache=False), rules)
    review_cycle(screening, rules, d, root / "screening")
    workbook = root / "screening" / "review" / "评审表.xlsx"
    nominees = [n for n in screening.individual + screening.innovation if n.outcome == "needs_review"]
    chenzhou = next(u for u in screening.collective if u.unit_name == "郴州开放大学" and u.outcome == "needs_review")
    failed = nominees[0]
    votes = {"张三": "符合", "李四": "符合", "王五": "不符合"}
    for reviewer, word in votes.items():
        decisions = {}
        for n in nominees:
            w = ("不符合" if reviewer != "张三" else "符合") if n is failed else word
            decisions[_key(n)] = {q["label"]: w for q in n.qualitative}
        fill(workbook, d / "评审意见" / f"{reviewer}.xlsx", reviewer, decisions, remark="已审阅")
    # the roster: 王五 works at the second nominee's unit, so his 不符合 there is recorded, not counted
    recused = nominees[1]
    assert recused.unit_id not in (failed.unit_id, nominees[-1].unit_id)
    write_roster(d / "评审专家.xlsx", [["张三", "省校培训学院", "", ""], ["李四", "湖南师范大学", "", ""],
                                     ["王五", recused.unit_name, "", ""], ["赵六", "省校继续教育处", "", ""]])
    target = chenzhou.metrics["paid_trainees"]
    write_corrections(d / "更正.xlsx", [["应培人数", "郴州开放大学", None, "应培人数", target, "市州补报应培人数", APPROVER]])
    out = root / "reports" / "2022"
    code = cli.main(["-q", "run", "--year", "2022", "--data-dir", str(d), "--rules", str(RULES_2022),
                     "--out", str(out)])
    assert code == 0
    ev = json.loads((out / "evaluation.json").read_text(encoding="utf-8"))
    return {"data": d, "out": out, "ev": ev, "nominees": nominees, "failed": failed, "chenzhou": chenzhou,
            "rules": rules, "recused": recused}


def _xlsx_rows(path: Path) -> list[tuple]:
    ws = openpyxl.load_workbook(path)["拟表彰名单"]
    return [tuple("" if v is None else str(v) for v in r) for r in ws.iter_rows(min_row=2, values_only=True)]


def test_the_corrected_target_and_the_reviews_are_final_in_evaluation_json(cycle):
    ev, d = cycle["ev"], cycle["data"]
    unit = next(u for u in ev["collective"] if u["unit_id"] == cycle["chenzhou"].unit_id
                and u["award"] == cycle["chenzhou"].award)
    assert unit["outcome"] == "eligible"
    (corr,) = ev["review"]["corrections"]
    assert (corr["reason"], corr["approver"], corr["unit_id"]) == ("市州补报应培人数", APPROVER, unit["unit_id"])
    files = {f["path"]: f["sha256"] for f in ev["review"]["files"]}
    assert files == {f"评审意见/{n}.xlsx": hashlib.sha256((d / "评审意见" / f"{n}.xlsx").read_bytes()).hexdigest()
                     for n in ("张三", "李四", "王五")}
    by_key = {row_key(2022, n['category'], n['unit_id'], n['nominee']): n for n in ev["individual"] + ev["innovation"]}
    for n in cycle["nominees"]:
        got = by_key[_key(n)]
        assert got["outcome"] == ("not_eligible" if n is cycle["failed"] else "eligible"), _key(n)
        for c in got["criteria"]:
            if c["kind"] == "qualitative":
                assert c["source"] == "review" and len(c["decisions"]) == 3
                assert {x["reviewer"] for x in c["decisions"]} == {"张三", "李四", "王五"}
                assert all(x["sheet"] == SHEET and x["row"] >= 2 for x in c["decisions"])
    manifest = json.loads((cycle["out"] / "manifest.json").read_text(encoding="utf-8"))
    assert len(manifest["review_inputs"]["review_files"]) == 3
    assert manifest["review_inputs"]["corrections"]["path"] == "更正.xlsx"


def test_the_final_list_is_written_with_every_eligible_nomination(cycle):
    ev, final = cycle["ev"], cycle["out"] / "final"
    assert {p.name for p in final.iterdir()} == {"拟表彰名单.docx", "拟表彰名单.xlsx", "评审记录.xlsx", "公示稿.docx"}
    rows = _xlsx_rows(final / "拟表彰名单.xlsx")
    listed = {(r[0], r[2], r[3] or r[4]) for r in rows if r[1]}  # an award with nobody: no 序号, 无
    assert {r[0] for r in rows} == {a.label for a in cycle["rules"].awards.values()}
    expected = {(u["award_label"], u["unit_name"], u["nominee"] or "") for u in ev["collective"]
                if u["outcome"] == "eligible" and u["nominated"]}
    expected |= {(n["award_label"], n["unit_name"], n["nominee"] if n["kind"] == "individual" else "")
                 for n in ev["individual"] + ev["innovation"] if n["outcome"] == "eligible"}
    assert {(a, u, name) for a, u, name in listed} == expected
    # 郴州, eligible once its target is supplied, is proposed only if it applied
    assert any(r[2] == "郴州开放大学" for r in rows) == cycle["chenzhou"].nominated
    assert cycle["failed"].nominee not in {r[4] for r in rows}
    text = "\n".join(p.text for p in docx.Document(final / "公示稿.docx").paragraphs)
    assert "公示" in text and "湖南开放大学" in text


def test_the_report_opens_with_the_same_list_in_html_and_pdf(cycle):
    out = cycle["out"]
    page = (out / "evaluation.html").read_text(encoding="utf-8")
    body = page[page.index("</header>"):]  # after the title block
    first = re.search(r"<section[^>]*>", body).group(0)
    assert 'id="final-list"' in first  # the first section of the report is the final list
    section = body[body.index(first):body.index("</section>", body.index(first))]
    cells = re.findall(r"<td[^>]*>(.*?)</td>", section)
    for r in _xlsx_rows(out / "final" / "拟表彰名单.xlsx"):
        if r[1]:
            assert r[2] in cells and (r[3] or r[4] or r[2]) in cells, r
    assert "市州补报应培人数" in page and APPROVER in page  # the correction, its reason and approver
    first_pages = subprocess.run(["pdftotext", "-f", "1", "-l", "2", str(out / "evaluation.pdf"), "-"],
                                 capture_output=True, text=True, check=True).stdout
    flat = re.sub(r"\s+", "", first_pages)
    assert "拟表彰名单" in flat and flat.index("拟表彰名单") < flat.find("拟表彰名单（初审）")


def test_the_recusal_is_recorded_not_counted_in_every_output(cycle):
    out, recused = cycle["out"], cycle["recused"]
    by_key = {row_key(2022, n["category"], n["unit_id"], n["nominee"]): n
              for n in cycle["ev"]["individual"] + cycle["ev"]["innovation"]}
    got = by_key[_key(recused)]
    assert got["outcome"] == "eligible"  # 张三 and 李四 符合; 王五's 不符合 is not counted
    for c in got["criteria"]:
        if c["kind"] == "qualitative":
            assert [(x["reviewer"], x["counted"], x["recusal"], x["remark"]) for x in c["decisions"]] == [
                ("张三", True, None, "已审阅"), ("李四", True, None, "已审阅"), ("王五", False, "own_unit", "已审阅")]
    assert cycle["ev"]["review"]["roster"]["path"] == "评审专家.xlsx"
    record = list(openpyxl.load_workbook(out / "final" / "评审记录.xlsx")["评审记录"].iter_rows(values_only=True))
    assert record[0][:8] == ("奖项", "单位名称", "推荐对象", "条件", "评审人", "结论", "评审意见", "是否计入")
    mine = [r for r in record[1:] if r[4] == "王五" and r[1] == recused.unit_name]
    assert mine and all(r[7] == "回避：本单位" and r[5] == "不符合" for r in mine)
    keys = [r[0] for r in openpyxl.load_workbook(out / "review" / "评审表_王五.xlsx")[SHEET].iter_rows(
        min_row=2, values_only=True)]
    assert _key(recused) not in keys and _key(cycle["failed"]) in keys
    progress = openpyxl.load_workbook(out / "review" / "评审进度.xlsx")
    assert progress.sheetnames == ["进度", "评审会议程"]
    page = (out / "evaluation.html").read_text(encoding="utf-8")
    assert "王五 本单位回避" in page and "评审会议程" in page and "未提供评审专家名单" not in page
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["review_inputs"]["roster"]["path"] == "评审专家.xlsx"


def test_a_fourth_reviewers_file_changes_only_what_it_decides(cycle, tmp_path):
    d = copy_year(cycle["data"], tmp_path / "2022")
    rules = cycle["rules"]
    before = review_cycle(evaluate(load_year(2022, d, rules=rules, use_cache=False), rules), rules, d,
                          tmp_path / "a").to_dict()
    target = cycle["nominees"][-1]
    workbook = tmp_path / "a" / "review" / "评审表.xlsx"
    fill(workbook, d / "评审意见" / "赵六.xlsx", "赵六", {_key(target): {q["label"]: "不符合" for q in target.qualitative}})
    after = review_cycle(evaluate(load_year(2022, d, rules=rules, use_cache=False), rules), rules, d,
                         tmp_path / "b").to_dict()
    changed = [(part, i) for part in ("collective", "individual", "innovation")
               for i, (x, y) in enumerate(zip(before[part], after[part], strict=True)) if x != y]
    where = target.kind if target.kind == "individual" else "innovation"
    (only,) = changed
    assert only[0] == where
    got = after[where][only[1]]
    assert row_key(2022, got["category"], got["unit_id"], got["nominee"]) == _key(target)
    assert got["outcome"] == "needs_review"  # 2 符合 : 2 不符合 is a tie
    assert len(after["review"]["files"]) == len(before["review"]["files"]) + 1
