"""A review round for the demo year (``toolkit demo-data``; docs/review-cycle.md), so
that ``make demo`` shows the whole cycle: the reviewer roster ``评审专家.xlsx`` and three
reviewers' returned copies of the screening's review workbook under ``评审意见/``.

The round, on the screening's open nominations in their order (the collective whose
figure is missing is left to a correction): the first is decided by three reviewers,
one of whom works at the nominee's unit (a recusal: recorded, not counted); the second
is a tie on one criterion (with a remark carrying a phone number, masked in every
output); the third is split 2:1; the rest are not reviewed (short of reviewers). A
fourth roster reviewer returns nothing and must not judge the third's unit.

Only the CLI writes it (``write_demo_data`` does not), after the tables, and only for a
year with a rules file: the keys of the rows come from the year's real screening."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from toolkit import paths
from toolkit.clean.period import Period
from toolkit.clean.year import load_year
from toolkit.evaluation.evaluate import evaluate
from toolkit.ingest.find import REVIEW_FOLDER
from toolkit.review.sheet import KEY, REMARK, REVIEWER, SHEET, keyed_results
from toolkit.review.workbook import review_rows, workbook_bytes
from toolkit.rules.load import load_rules

ROSTER_FILE = "评审专家.xlsx"
YES, NO = "符合", "不符合"
#: the second nominee's remark (the phone number is masked in every shared output)
TIE_REMARK = "事迹材料对培训成效的说明不够具体，建议核实（联系人电话 13800001111）"


def _nominees(screening) -> list:
    return [r for r in review_rows(screening) if any(c.kind == "qualitative" for c in r.criteria)]


def _labels(result) -> list[str]:
    return [c.label for c in result.criteria if c.kind == "qualitative"]


def _roster(first, third) -> list[list]:
    return [["周敏", first.unit_name, "", "市州评审专家"], ["陈立", "省校培训学院", "", ""],
            ["刘洋", "湖南师范大学", "", "外单位专家"], ["吴静", "省校继续教育处", third.unit_name, "与该单位有合作项目"]]


def _round(nominees, keys: dict[int, str]) -> dict[str, dict[str, tuple[dict[str, str], str]]]:
    """reviewer -> 编号 -> (label -> decision, remark); ``keys``: each result's 编号 by its id()."""
    first, second, third = nominees[:3]

    def result_key(r) -> str:
        return keys[id(r)]

    out: dict[str, dict] = {"周敏": {}, "陈立": {}, "刘洋": {}}
    for who in out:
        out[who][result_key(first)] = (dict.fromkeys(_labels(first), YES), "事迹突出，同意推荐")
    out["陈立"][result_key(second)] = (dict.fromkeys(_labels(second), YES), "")
    split = dict.fromkeys(_labels(second), YES)
    split[_labels(second)[-1]] = NO
    out["刘洋"][result_key(second)] = (split, TIE_REMARK)
    for who, word in (("周敏", YES), ("陈立", YES), ("刘洋", NO)):
        out[who][result_key(third)] = (dict.fromkeys(_labels(third), word), "")
    return out


def _filled(blank: bytes, reviewer: str, rows: dict[str, tuple[dict[str, str], str]]) -> bytes:
    wb = openpyxl.load_workbook(io.BytesIO(blank))
    ws = wb[SHEET]
    heads = {c.value: c.column for c in ws[1]}
    for row in ws.iter_rows(min_row=2):
        key = row[heads[KEY] - 1].value
        if key not in rows:
            continue
        decisions, remark = rows[key]
        for label, word in decisions.items():
            ws.cell(row=row[0].row, column=heads[label]).value = word
        ws.cell(row=row[0].row, column=heads[REVIEWER]).value = reviewer
        if remark:
            ws.cell(row=row[0].row, column=heads[REMARK]).value = remark
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def write_demo_review(year: int, data_dir: str | Path) -> list[Path]:
    """Write the roster and the returned copies into ``data_dir``; nothing (an empty
    list) when the year has no rules file or fewer than three open nominations."""
    rules_path = paths.rules_file(year, None)
    if not rules_path.is_file():
        return []
    d = Path(data_dir)
    rules = load_rules(year, rules_path)
    screening = evaluate(load_year(year, d, period=Period.of(rules), progress=False), rules)
    nominees = _nominees(screening)
    if len(nominees) < 3:
        return []
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "评审专家"
    ws.append([f"{year}年度评优评审专家名单"])
    ws.append(["姓名", "所在单位", "回避单位", "备注"])
    for row in _roster(nominees[0], nominees[2]):
        ws.append(row)
    wb.save(d / ROSTER_FILE)
    written = [d / ROSTER_FILE]
    blank = workbook_bytes(screening, rules)
    (d / REVIEW_FOLDER).mkdir(exist_ok=True)
    keys = {id(r): k for k, r in keyed_results(screening).items()}
    for reviewer, rows in _round(nominees, keys).items():
        path = d / REVIEW_FOLDER / f"{reviewer}.xlsx"
        path.write_bytes(_filled(blank, reviewer, rows))
        written.append(path)
    return written
