"""The review workbook ``reports/<year>/review/评审表.xlsx``: one row per collective,
individual and innovation nomination whose screening outcome is ``needs_review``, with
what the screening checked, one drop-down column (符合/不符合) per qualitative criterion,
and 评审人 / 评审意见; the sheet is protected (no password) so that only those cells
can be edited. A second sheet 说明 says who fills what and how decisions combine."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from toolkit.outputs.files import atomic_write, fixed_ooxml, put_cell
from toolkit.outputs.tables import FIXED_TIME
from toolkit.review.sheet import (
    DECISIONS,
    FIXED,
    KEYWORDS,
    README_SHEET,
    REMARK,
    REVIEWER,
    SHEET,
    TITLE,
    award_of,
    criterion_for,
    keyed_results,
    qualitative_labels,
)
from toolkit.vocabulary import CRITERION_MARKS, REVIEW_POLICY_LABELS

GREY = PatternFill("solid", start_color="D9D9D9", end_color="D9D9D9")
HEAD = PatternFill("solid", start_color="DDEBF7", end_color="DDEBF7")
OPEN = Protection(locked=False)
LOCKED = Protection(locked=True)
WRAP = Alignment(wrap_text=True, vertical="top")
WIDTHS = {"key": 14, "award": 22, "unit_name": 18, "unit_id": 10, "nominee": 14, "checked": 60, "open": 40}
CRITERION_WIDTH, REVIEWER_WIDTH, REMARK_WIDTH = 14, 10, 30
#: a collective's open conditions are data to correct, not judgements
CORRECT_HINT = "请通过 更正.xlsx 更正，不由评审人员判定"


def review_rows(evaluation) -> list:
    """The results to review: every collective, individual and innovation result whose
    outcome is ``needs_review``, in the evaluation's order."""
    return [r for r in (*evaluation.collective, *evaluation.individual, *evaluation.innovation)
            if r.outcome == "needs_review"]


def _checked(result) -> str:
    return "\n".join(f"{CRITERION_MARKS['pass']} {c.label}：{c.explanation}"
                     for c in result.criteria if c.outcome == "pass")


def _open(result) -> str:
    lines = [f"{CRITERION_MARKS['unknown']} {c.label}：{c.reason or c.explanation}"
             for c in result.criteria if c.outcome == "unknown" and c.kind != "qualitative"]
    if lines and not hasattr(result, "category"):
        lines.append(f"（{CORRECT_HINT}）")
    return "\n".join(lines)


def _fixed_values(key: str, result) -> dict:
    return {"key": key, "award": result.award_label or award_of(result),
            "unit_name": result.unit_name or "", "unit_id": result.unit_id or "",
            "nominee": result.nominee or "", "checked": _checked(result), "open": _open(result)}


def workbook_bytes(evaluation, rules, *, reviewer=None) -> bytes:
    """The review workbook of ``evaluation`` (the screening) as .xlsx bytes (the same
    evaluation gives the same bytes). For a roster ``reviewer``
    (:class:`~toolkit.review.roster.Reviewer`): 评审人 pre-filled with their name, and
    without the rows they must recuse from."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    labels = qualitative_labels(rules)
    headers = [h for _, h in FIXED] + labels + [REVIEWER, REMARK]
    for j, h in enumerate(headers, 1):
        cell = put_cell(ws.cell(row=1, column=j), h)
        cell.font, cell.fill, cell.alignment, cell.protection = Font(bold=True), HEAD, WRAP, LOCKED
    first_q = len(FIXED) + 1
    dv = DataValidation(type="list", formula1='"' + ",".join(DECISIONS) + '"', allow_blank=True,
                        showErrorMessage=True, errorTitle="评审结论", error="请选择“符合”或“不符合”，或留空")
    ws.add_data_validation(dv)
    keys = {id(r): k for k, r in keyed_results(evaluation).items()}
    rows = [r for r in review_rows(evaluation) if reviewer is None or reviewer.recusal(r.unit_id) is None]
    for i, result in enumerate(rows, 2):
        values = _fixed_values(keys[id(result)], result)
        for j, (field, _) in enumerate(FIXED, 1):
            cell = put_cell(ws.cell(row=i, column=j), values[field])
            cell.alignment, cell.protection = WRAP, LOCKED
        for k, label in enumerate(labels):
            cell = ws.cell(row=i, column=first_q + k)
            if criterion_for(rules, award_of(result), label) is None:
                cell.fill, cell.protection = GREY, LOCKED
            else:
                cell.protection = OPEN
                dv.add(cell.coordinate)
        for j in (first_q + len(labels), first_q + len(labels) + 1):
            cell = ws.cell(row=i, column=j)
            cell.protection, cell.alignment = OPEN, WRAP
        if reviewer is not None:
            put_cell(ws.cell(row=i, column=first_q + len(labels)), reviewer.name)
    for j, (field, _) in enumerate(FIXED, 1):
        ws.column_dimensions[get_column_letter(j)].width = WIDTHS[field]
    for k in range(len(labels)):
        ws.column_dimensions[get_column_letter(first_q + k)].width = CRITERION_WIDTH
    ws.column_dimensions[get_column_letter(first_q + len(labels))].width = REVIEWER_WIDTH
    ws.column_dimensions[get_column_letter(first_q + len(labels) + 1)].width = REMARK_WIDTH
    ws.freeze_panes = ws.cell(row=2, column=len(FIXED) + 1)
    if rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{len(rows) + 1}"
    p = ws.protection
    p.sheet = True  # no password: the protection guards against slips, not people
    p.sort = p.autoFilter = p.formatColumns = p.formatRows = False  # these stay allowed
    _readme(wb.create_sheet(README_SHEET), evaluation, rules, labels)
    if reviewer is not None:
        readme = wb[README_SHEET]
        put_cell(readme.cell(row=readme.max_row + 2, column=1),
                 f"本表为评审专家 {reviewer.name} 的评审表：{REVIEWER}已预填，已去除须回避的推荐对象（本单位及回避单位）。")
    # the year, for the reader (a copy of another year is refused) and for people
    title = TITLE.format(year=evaluation.year)
    wb.properties.title, wb.properties.keywords = title, KEYWORDS.format(year=evaluation.year)
    ws.oddHeader.center.text = title
    buf = io.BytesIO()
    wb.save(buf)
    return fixed_ooxml(buf.getvalue(), FIXED_TIME)


def readme_lines(evaluation, rules, labels: list[str]) -> list[str]:
    """The 说明 sheet's text: who fills what, and how the decisions combine."""
    policy = rules.review
    rule = REVIEW_POLICY_LABELS[policy.decision]
    combine = ("多数决：认为“符合”的人数多于“不符合”即为符合，反之为不符合，人数相同时仍为待核实"
               if policy.decision == "majority" else "全体一致：全部评审人均认为“符合”才为符合，任一人认为“不符合”即为不符合")
    source = f"（{policy.clause}）" if policy.clause else ""
    if "review" not in (rules.raw or {}):
        source = "（规则文件未规定评审规则，按默认：多数决，至少 1 人）"
    return [
        TITLE.format(year=evaluation.year),
        "",
        "本表列出初筛结论为“需复核”的先进集体、先进个人与创新创意奖推荐对象，每行一个。",
        "“已核对的条件”为系统按数据核对已满足的量化条件；“待补充或更正的数据”为因数据缺失无法判定的量化条件，"
        f"先进集体的此类条件{CORRECT_HINT}（data/{evaluation.year}/更正.xlsx，列：数据表、单位、项目、字段、更正值、原因、批准人）。",
        "",
        "评审人员填写：",
        "  · 定性条件各列（" + "、".join(labels) + "）：在下拉列表中选择“符合”或“不符合”；留空表示尚未评审；灰色单元格表示该条件不适用于本行奖项。",
        f"  · {REVIEWER}：填写本人姓名（填写了结论的行必须填写）；{REMARK}：可填写意见。",
        "  · 其他单元格已锁定，不可修改；“编号”（年度|奖项|单位编码|推荐对象）用于识别推荐对象，排序、筛选不影响读取，请勿改动；"
        "本表只用于本年度，其他年度的评审表不会被读取。",
        "  · 请勿合并单元格；隐藏的行、列中的结论同样计入（toolkit validate 会列出），隐藏的工作表中不得有结论。",
        "  · 请勿在单元格中使用公式。同一评审人对同一条件只能给出一个结论。",
        "",
        "交回方式：",
        f"  · 每位评审人可各交一份（建议以本人姓名命名文件），放入 data/{evaluation.year}/评审意见/ 文件夹（可建子文件夹）；",
        "  · 也可将多位评审人的行汇总在一个文件中：撤消工作表保护（无密码）后复制整行，改填评审人与结论。",
        "  · 分析人员随后运行 toolkit validate 检查、toolkit run 重新评估。",
        "",
        f"结论的合并规则：{rule}{source}；每项定性条件至少需 {policy.min_reviewers} 位评审人给出结论，人数不足时仍为待核实。",
        "  · " + combine + "。",
    ]


def _readme(ws, evaluation, rules, labels) -> None:
    for i, line in enumerate(readme_lines(evaluation, rules, labels), 1):
        put_cell(ws.cell(row=i, column=1), line)
    ws["A1"].font = Font(bold=True, size=14)
    ws.column_dimensions["A"].width = 120
    ws.protection.sheet = True


def write_workbook(evaluation, rules, path: Path) -> Path:
    """Write the review workbook of ``evaluation`` to ``path`` (atomically)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    return atomic_write(path, workbook_bytes(evaluation, rules))
