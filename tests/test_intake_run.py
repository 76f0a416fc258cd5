"""toolkit intake end to end: returned forms of several shapes (the toolkit's pre-filled
form edited, the notice's blank form filled by hand, nested, through LibreOffice) into
推荐申报.xlsx, the ledger, --merge / --replace, and the table read back by load_year."""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).parent))
from intake_helpers import data_folder, docx_with_parts, notice_form, staff_individual  # noqa: E402
from report_helpers import write_tiny_year  # noqa: E402

from toolkit import paths  # noqa: E402
from toolkit.analysis import open_year  # noqa: E402
from toolkit.cli import main  # noqa: E402
from toolkit.evaluation.evaluate import evaluate  # noqa: E402
from toolkit.exceptions import InputError  # noqa: E402
from toolkit.intake import intake_forms  # noqa: E402
from toolkit.outputs.forms.write import write_forms  # noqa: E402
from toolkit.rules.load import load_rules  # noqa: E402

RULES = load_rules(2022)
DEEDS = "\u3000\u3000该同志  扎实（工作）。\n  第二段，全角ＡＢＣ１２３。"  # as written, the first indent too


def _by_source(result) -> dict[str, dict]:
    return {r["source"]: r for r in result.rows.to_dict("records")}


@pytest.fixture()
def shapes(tmp_path):
    """A folder of hand-filled notice forms: used ones of every tick and the
    quarantined ones of every reason."""
    f = tmp_path / "forms"
    staff_individual(f / "a_checked.docx")
    staff_individual(f / "sub/b_square.docx", ticks=("■", None), values={0: {
        "单位名称": "株洲开放大学", "nominee": "株洲开放大学培训部", "contact": "王芳 办公室主任 13907340002"}})
    notice_form(f / "c_root.docx", 4, ticks=(None, "√"), values={1: {
        "单位名称": "湘潭开放大学", "nominee": "覃俊杰", "contact": "覃俊杰，培训专干，手机：151-7310-0008"}},
        deeds=("+专技培训事迹。",))
    notice_form(f / "d_wingdings.docx", 6, ticks=("wingdings", None), values={0: {
        "单位名称": "长沙电大", "单位负责人": "周建国", "contact": "联系人谭丽"}}, deeds=("制作特色宣传视频。",))
    notice_form(f / "e_nested.docx", 6, ticks=(None, "before:✓"), container="nested",
                values={1: {"单位名称": "株洲开放大学"}}, deeds=("新型服务模式。",))
    staff_individual(f / "q_two.docx", ticks=("☑", "☑"))
    staff_individual(f / "q_none.docx", ticks=(None, None))
    staff_individual(f / "q_unit.docx", values={1: {"单位名称": "衡阳开放大学", "nominee": "某某"}})
    staff_individual(f / "q_nominee.docx", values={1: {"单位名称": "长沙开放大学"}})
    (f / "q_broken.docx").write_bytes(b"not a zip")
    d = docx.Document()
    d.add_paragraph("会议通知")
    d.save(f / "q_letter.docx")
    (f / "~$a_checked.docx").write_bytes(b"lock")
    (f / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    return f, data_folder(tmp_path / "data")


def test_every_shape_and_reason(shapes):
    folder, data = shapes
    res = intake_forms(2022, folder, data, rules=RULES)
    led = res.ledger
    assert len(led.forms) == 11 and len(led.used) == 5 and len(led.quarantined) == 6
    assert {f.file: f.reason for f in led.quarantined} == {
        "q_two.docx": "several_boxes_ticked", "q_none.docx": "no_box_ticked", "q_unit.docx": "unknown_unit",
        "q_nominee.docx": "nominee_missing", "q_broken.docx": "unreadable", "q_letter.docx": "not_approval_form"}
    assert "衡阳开放大学" in next(f.detail for f in led.quarantined if f.file == "q_unit.docx")
    rows = _by_source(res)
    a = rows["a_checked.docx"]
    assert (a["category"], a["unit"], a["nominee"], a["unit_leader"]) == (
        "事业单位工作人员培训先进个人", "长沙开放大学", "谭湘楠", "周建国")
    assert (a["contact_name"], a["contact_title"], a["contact_phone"]) == ("谭丽", "培训部主任", "13807310001")
    assert a["deeds"] == DEEDS  # the prompt gone, spaces and full-width characters as written
    b = rows["sub/b_square.docx"]  # the left column (先进集体), from a sub-folder
    assert (b["category"], b["unit"], b["nominee"]) == ("事业单位工作人员培训先进集体", "株洲开放大学", "株洲开放大学培训部")
    assert (b["contact_name"], b["contact_title"], b["contact_phone"]) == ("王芳", "办公室主任", "13907340002")
    c = rows["c_root.docx"]
    assert (c["category"], c["nominee"], c["deeds"]) == ("专业技术人员继续教育培训先进个人", "覃俊杰", "专技培训事迹。")
    assert (c["contact_name"], c["contact_title"], c["contact_phone"]) == ("覃俊杰", "培训专干", "151-7310-0008")
    w = rows["d_wingdings.docx"]
    assert (w["category"], w["unit"], w["nominee"]) == ("专业技术人员继续教育培训创新创意", "长沙电大", "")
    assert (w["contact_name"], w["contact_phone"]) == ("联系人谭丽", "")  # cannot be split: kept whole
    e = rows["e_nested.docx"]
    assert (e["category"], e["unit"], e["deeds"]) == ("事业单位工作人员培训创新创意", "株洲开放大学", "新型服务模式。")
    notes = "\n".join(led.notes)
    assert "old.doc is not read" in notes and "no start date for 谭湘楠" in notes
    text = led.render(RULES.labels())
    assert text.startswith("intake 2022: 11 form(s) read") and "= 5 used + 6 quarantined" in text
    assert "q_two.docx: 勾选了多个推荐类别 (several_boxes_ticked)" in text


def test_both_boxes_in_one_cell_and_the_columns_by_reading_order(tmp_path):
    f = tmp_path / "forms"
    notice_form(f / "one.docx", 2, ticks=(None, "✔"), one_box_cell=True,
                values={0: {"单位名称": "株洲开放大学"}, 1: {"单位名称": "长沙开放大学", "nominee": "谭湘楠"}})
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    r = res.rows.iloc[0]
    assert (r["category"], r["unit"], r["nominee"]) == ("事业单位工作人员培训先进个人", "长沙开放大学", "谭湘楠")


def test_the_box_words_a_rules_file_gives_are_written_and_read_back_as_its_award(tmp_path):
    from toolkit.intake.run import category_text
    from toolkit.intake.table import category_key

    text = (paths.PROJECT_ROOT / "rules" / "2022.yaml").read_text(encoding="utf-8")
    p = tmp_path / "2022.yaml"
    p.write_text(text.replace("category: 事业单位工作人员培训先进个人", "category: 事业单位培训优秀个人"), encoding="utf-8")
    rules = load_rules(2022, p)
    a = rules.awards["staff.individual"]
    assert category_text(a) == "事业单位培训优秀个人"
    assert category_key("事业单位培训优秀个人", rules.award_names()) == "staff.individual"


def test_read_back_by_load_year(shapes):
    folder, data = shapes
    res = intake_forms(2022, folder, data, rules=RULES)
    assert res.path == data / "推荐申报.xlsx"
    wb = openpyxl.load_workbook(res.path)
    ws = wb.worksheets[0]
    headers = [c.value for c in ws[1]]
    assert headers[-1] == "来源文件" and ws.cell(2, len(headers)).value == "a_checked.docx"
    yd = open_year(2022, data, rules=RULES, use_cache=False)
    q = yd.quarantine
    # the two individuals without a start date are the rows the ingest holds back, and say so
    assert list(q["reason"]) == ["missing_value"] * 2 and list(q["column"]) == ["从事培训工作起始日期"] * 2
    assert list(res.rows["source"]) == ["a_checked.docx", "c_root.docx", "d_wingdings.docx", "e_nested.docx",
                                        "sub/b_square.docx"]  # by path
    assert sorted(q["row"]) == [2, 3]
    n = yd.tables["nominations"].sort_values("row").reset_index(drop=True)
    written = res.rows.drop(index=[0, 1]).reset_index(drop=True)
    # the ingest keeps the deeds as written, the first paragraph's 　　 indent too
    assert list(n["deeds"]) == list(written["deeds"])
    assert written["deeds"].iloc[2].startswith("\u3000\u3000该同志") and n["deeds"].iloc[2].startswith("\u3000\u3000该同志")
    assert list(n["nominee"].fillna("")) == list(written["nominee"])
    assert list(n["contact_name"].fillna("")) == list(written["contact_name"])
    assert list(n["contact_phone"].fillna("")) == list(written["contact_phone"])
    assert list(n["unit_id"]) == ["U001", "U002", "U002"]
    assert list(n["category"]) == ["innovation.professional", "innovation.staff", "staff.collective"]


def test_started_on_from_earlier_table_and_merge(shapes, tmp_path):
    folder, data = shapes
    with open(data / "推荐名单.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["推荐类别", "单位", "姓名", "主要事迹", "从事培训工作起始日期", "备注"])
        w.writerow(["事业单位工作人员培训先进个人", "U001", "谭 湘楠", "旧的事迹", "2019-03-01", "保留"])
        w.writerow(["事业单位工作人员培训先进集体", "U003", "湘潭开放大学", "另一单位", "", "x"])
    with pytest.raises(InputError) as exc:
        intake_forms(2022, folder, data, rules=RULES)
    assert exc.value.exit_code == 2 and "推荐名单.csv" in str(exc.value)
    res = intake_forms(2022, folder, data, rules=RULES, mode="merge")
    rows = res.rows.to_dict("records")
    assert len(rows) == 2 + 5 - 1  # row 2 replaced in place, the others appended
    assert rows[0]["source"] == "a_checked.docx" and rows[0]["started_on"] == "2019-03-01"
    assert rows[1]["source"] == "推荐名单.csv" and rows[1]["备注"] == "x"
    used = {f.file: f for f in res.ledger.used}
    assert used["a_checked.docx"].replaces == "row 2 of 推荐名单.csv"
    assert not (data / "推荐名单.csv").exists() and Path(res.ledger.backup).parent.name == "推荐申报备份"
    yd = open_year(2022, data, rules=RULES, use_cache=False)
    n = yd.tables["nominations"]
    assert len(n) == 5 and list(yd.quarantine["row"]) == [4]  # 覃俊杰 still has no start date
    assert n.loc[n["nominee"] == "谭湘楠", "started_on"].iloc[0] == pd.Timestamp("2019-03-01")
    # again with --replace: the forms' rows only (the start date still from the earlier table)
    res2 = intake_forms(2022, folder, data, rules=RULES, mode="replace")
    assert len(res2.rows) == 5 and "备注" not in res2.rows.columns
    assert res2.rows.iloc[0]["started_on"] == "2019-03-01"


def test_the_toolkits_prefilled_form_edited(tmp_path):
    """The forms writer's own forms, one edited by the unit: the other box ticked, a
    contact written, the deeds rewritten."""
    d = write_tiny_year(tmp_path / "data")
    yd = open_year(2022, d, rules=RULES, use_cache=False)
    out = write_forms(evaluate(yd, RULES), yd, RULES, tmp_path / "forms")
    innovation = next(p for p in out if p.name.startswith("附件6"))
    doc = docx.Document(innovation)
    t = doc.tables[0]
    assert "☑事业单位工作人员培训创新创意" in t.cell(1, 2).text
    t.cell(1, 2).paragraphs[0].runs[0].text = "□事业单位工作人员培训创新创意"
    t.cell(1, 0).paragraphs[0].runs[0].text = "√专业技术人员继续教育培训创新创意"
    t.cell(2, 1).text = "长沙开放大学"
    t.cell(4, 1).text = "谭丽\n信息中心主任\n13807310001"
    deeds_cell = t.cell(5, 1)
    for p in deeds_cell.paragraphs[1:]:
        p._p.getparent().remove(p._p)
    deeds_cell.add_paragraph("改写的事迹 <b>原样</b>。")
    doc.save(innovation)
    res = intake_forms(2022, tmp_path / "forms", d, rules=RULES, mode="replace")
    assert len(res.ledger.used) == 2 and not res.ledger.quarantined
    rows = _by_source(res)
    r = rows[innovation.name]
    assert (r["category"], r["unit"], r["deeds"]) == ("专业技术人员继续教育培训创新创意", "长沙开放大学",
                                                      "改写的事迹 <b>原样</b>。")
    assert (r["contact_name"], r["contact_title"], r["contact_phone"]) == ("谭丽", "信息中心主任", "13807310001")
    other = next(v for k, v in rows.items() if k != innovation.name)
    assert other["nominee"] == yd.tables["nominations"]["nominee"].iloc[0]
    assert other["started_on"] == "2020-01-01"  # from the earlier table
    back = open_year(2022, d, rules=RULES, use_cache=False).tables["nominations"]
    assert sorted(back["category"]) == ["innovation.professional", "staff.individual"]


@pytest.mark.slow
def test_form_through_libreoffice(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: scripts/system-deps.sh installs it "
                    "with TOOLKIT_WITH_TEST_TOOLS=1")
    src = staff_individual(tmp_path / "src" / "form.docx")
    profile = tmp_path / "lo-profile"
    env_arg = f"-env:UserInstallation=file://{profile}"
    for fmt, frm, to in (("odt", src, tmp_path / "odt"), ("docx", tmp_path / "odt" / "form.odt", tmp_path / "lo")):
        subprocess.run([soffice, env_arg, "--headless", "--convert-to", fmt, "--outdir", str(to), str(frm)],
                       check=True, capture_output=True, timeout=180)
    assert (tmp_path / "lo" / "form.docx").is_file()
    res = intake_forms(2022, tmp_path / "lo", data_folder(tmp_path / "data"), rules=RULES)
    assert len(res.ledger.used) == 1, res.ledger.render(RULES.labels())
    r = res.rows.iloc[0]
    assert (r["category"], r["unit"], r["nominee"], r["deeds"]) == (
        "事业单位工作人员培训先进个人", "长沙开放大学", "谭湘楠", DEEDS)


def test_cli_exit_codes(shapes, capsys):
    folder, data = shapes
    assert main(["-q", "intake", "--year", "2022", "--data-dir", str(data), str(folder)]) == 0
    out = capsys.readouterr().out
    assert "= 5 used + 6 quarantined" in out and "推荐申报.xlsx" in out
    assert main(["-q", "intake", "--year", "2022", "--data-dir", str(data), str(folder)]) == 2
    err = capsys.readouterr().err
    assert "推荐申报.xlsx" in err and "--merge" in err and "Traceback" not in err
    assert main(["-q", "intake", "--year", "2022", "--data-dir", str(data), str(folder), "--merge"]) == 0
    assert "(replaces row 2 of 推荐申报.xlsx)" in capsys.readouterr().out
    assert main(["-q", "intake", "--year", "2022", "--data-dir", str(data), str(data / "nope")]) == 2
    assert "does not exist" in capsys.readouterr().err


def test_two_forms_for_the_same_nominee_are_both_written_with_a_note(tmp_path):
    f = tmp_path / "forms"
    staff_individual(f / "张三.docx")
    staff_individual(f / "张三（修改）.docx", deeds=("改过的事迹。",))
    staff_individual(f / ".hidden" / "x.docx")
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    assert [e.file for e in res.ledger.forms] == ["张三.docx", "张三（修改）.docx"]
    assert len(res.rows) == 2
    assert any("张三（修改）.docx nominates the same as 张三.docx" in n for n in res.ledger.notes)


def test_no_form_used_writes_nothing(tmp_path):
    f = tmp_path / "forms"
    staff_individual(f / "none.docx", ticks=(None, None))
    data = data_folder(tmp_path / "data")
    res = intake_forms(2022, f, data, rules=RULES)
    assert res.path is None and not (data / "推荐申报.xlsx").exists() and len(res.ledger.quarantined) == 1
    # but the ledger is saved: it says why no form was used
    ws = openpyxl.load_workbook(res.ledger_file)["受理台账"]
    assert [c.value for c in ws[2]][:2] == ["none.docx", "未采用"] and ws.cell(2, 6).value == "未勾选推荐类别"


def test_the_ledger_is_saved_beside_the_table_with_chinese_headers(shapes):
    folder, data = shapes
    res = intake_forms(2022, folder, data, rules=RULES)
    assert res.ledger_file == data / "推荐申报受理台账.xlsx" and res.ledger_file.parent == res.path.parent
    wb = openpyxl.load_workbook(res.ledger_file)
    ws = wb["受理台账"]
    rows = [[c.value for c in r] for r in ws.iter_rows()]
    assert rows[0] == ["文件", "结果", "推荐类别", "单位编码", "推荐对象", "未采用原因", "说明", "替换"]
    assert len(rows) == 1 + len(res.ledger.forms)
    by_file = {r[0]: r for r in rows[1:]}
    assert by_file["a_checked.docx"][:5] == ["a_checked.docx", "采用", "事业单位工作人员培训先进个人", "U001", "谭湘楠"]
    unit = by_file["q_unit.docx"]
    assert unit[1:2] == ["未采用"] and unit[5] == "单位不在名册中" and "衡阳开放大学" in unit[6]
    summary = {r[0].value: r[1].value for r in wb["汇总"].iter_rows()}
    assert (summary["读取的表格"], summary["采用"], summary["未采用"]) == (11, 5, 6)
    assert any("old.doc is not read" in str(r[1].value) for r in wb["汇总"].iter_rows() if r[0].value == "备注")
    open_year(2022, data, rules=RULES, use_cache=False)  # the ingest leaves the ledger file alone


def _set_span(path: Path, value: str) -> Path:
    """The form at ``path`` with its first w:gridSpan's value replaced by ``value``."""
    import zipfile

    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts["word/document.xml"].decode("utf-8")
    at = xml.index('<w:gridSpan w:val="')
    end = xml.index('"', at + len('<w:gridSpan w:val="'))
    parts["word/document.xml"] = (xml[:at] + f'<w:gridSpan w:val="{value}' + xml[end:]).encode("utf-8")
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def test_one_malformed_form_is_quarantined_and_the_others_are_used(tmp_path, capsys):
    f = tmp_path / "forms"
    _set_span(staff_individual(f / "a_decimal_span.docx"), "2.0")  # read: 2.0 is 2
    _set_span(staff_individual(f / "b_bad_span.docx"), "two")
    notice_form(f / "c_ok.docx", 6, ticks=("☑", None), values={0: {"单位名称": "株洲开放大学"}}, deeds=("事迹。",))
    data = data_folder(tmp_path / "data")
    assert main(["-q", "intake", "--year", "2022", "--data-dir", str(data), str(f)]) == 0
    out = capsys.readouterr().out
    assert "= 2 used + 1 quarantined" in out and "b_bad_span.docx: 文件无法读取 (unreadable)" in out
    assert "gridSpan is 'two'" in out
    res = intake_forms(2022, f, data, rules=RULES, mode="replace")
    assert [e.file for e in res.ledger.used] == ["a_decimal_span.docx", "c_ok.docx"]
    assert res.rows.iloc[0]["nominee"] == "谭湘楠"


def test_an_unexpected_error_while_reading_one_form_quarantines_that_form(tmp_path, monkeypatch):
    from toolkit.intake import run

    f = tmp_path / "forms"
    staff_individual(f / "a.docx")
    staff_individual(f / "b.docx", values={1: {"单位名称": "株洲开放大学", "nominee": "李四"}})
    real = run.extract

    def extract(doc, awards, award, side):
        fields = real(doc, awards, award, side)
        if fields.nominee == "李四":
            raise IndexError("list index out of range")
        return fields

    monkeypatch.setattr(run, "extract", extract)
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    (bad,) = res.ledger.quarantined
    assert (bad.file, bad.reason, bad.award, bad.unit_id) == ("b.docx", "unreadable", None, None)
    assert "IndexError: list index out of range" in bad.detail
    assert [e.file for e in res.ledger.used] == ["a.docx"] and len(res.rows) == 1


def _earlier_table(data: Path) -> Path:
    """An earlier nominations table: 谭湘楠 of U001 (with a 备注) and a collective of U003."""
    path = data / "推荐名单.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["推荐类别", "单位", "姓名", "主要事迹", "从事培训工作起始日期", "备注", "审核人"])
        w.writerow(["事业单位工作人员培训先进个人", "U001", "谭湘楠", "旧的事迹", "2019-03-01", "保留", "张"])
        w.writerow(["事业单位工作人员培训先进集体", "U003", "湘潭开放大学", "另一单位", "", "x", ""])
    return path


def test_merge_two_forms_for_one_earlier_row_writes_both(tmp_path):
    """Two forms for the nominee of an earlier row: the first replaces the row, the
    second is appended, the ledger says both were written; the counts add up."""
    f = tmp_path / "forms"
    staff_individual(f / "张三.docx", deeds=("第一稿。",))
    staff_individual(f / "张三（修改）.docx", deeds=("第二稿。",))
    data = data_folder(tmp_path / "data")
    _earlier_table(data)
    res = intake_forms(2022, f, data, rules=RULES, mode="merge")
    led = res.ledger
    rows = res.rows.to_dict("records")
    assert [(r["source"], r["deeds"]) for r in rows] == [
        ("张三.docx", "第一稿。"), ("推荐名单.csv", "另一单位"), ("张三（修改）.docx", "第二稿。")]
    first, second = led.used
    assert first.replaces == "row 2 of 推荐名单.csv" and second.replaces is None
    assert any("张三（修改）.docx nominates the same as 张三.docx" in n and "both rows are written" in n
               for n in led.notes)
    assert len(led.forms) == len(led.used) + len(led.quarantined) == 2
    assert (led.kept_rows, led.rows_written) == (1, 3) and led.rows_written == led.kept_rows + len(led.used)
    assert "3 row(s) = 2 from forms + 1 kept from the earlier table" in led.render(RULES.labels())
    back = open_year(2022, data, rules=RULES, use_cache=False).tables["nominations"]
    assert sorted(back["deeds"]) == sorted(["第一稿。", "另一单位", "第二稿。"])


def test_merge_a_replaced_row_keeps_the_earlier_tables_extra_columns(tmp_path):
    f = tmp_path / "forms"
    staff_individual(f / "a.docx")
    data = data_folder(tmp_path / "data")
    _earlier_table(data)
    res = intake_forms(2022, f, data, rules=RULES, mode="merge")
    rows = res.rows.to_dict("records")
    assert rows[0]["source"] == "a.docx" and rows[0]["deeds"].endswith("全角ＡＢＣ１２３。")
    assert (rows[0]["备注"], rows[0]["审核人"]) == ("保留", "张")  # the form has no such field: kept
    assert (rows[1]["备注"], rows[1]["审核人"]) == ("x", "")
    ws = openpyxl.load_workbook(res.path).worksheets[0]
    headers = [c.value for c in ws[1]]
    assert ws.cell(2, headers.index("备注") + 1).value == "保留"
    assert ws.cell(2, headers.index("审核人") + 1).value == "张"


@pytest.mark.slow
def test_the_toolkits_own_forms_read_back_give_the_nominations_deeds_exactly(tmp_path):
    """A round trip on the small demo year: its nominations table (one deeds text with a
    blank line between two paragraphs) -> ``toolkit forms`` -> ``toolkit intake``: every
    nomination's deeds come back character for character, each paragraph's 　　 included."""
    from toolkit.demo import write_demo_data
    from toolkit.intake.ticks import squeeze

    d = write_demo_data(2022, tmp_path / "data", scale="small", fmt="xlsx")
    wb = openpyxl.load_workbook(d / "推荐申报.xlsx")
    ws = wb.worksheets[0]
    header = next(r for r in ws.iter_rows(max_row=10) if any(c.value == "主要事迹" for c in r))
    col = next(c.column for c in header if c.value == "主要事迹")
    cell = ws.cell(header[0].row + 1, col)
    assert cell.value.startswith("\u3000\u3000") and "\n\u3000\u3000" in cell.value
    cell.value = cell.value.replace("\n\u3000\u3000", "\n\n\u3000\u3000", 1)
    wb.save(d / "推荐申报.xlsx")
    yd = open_year(2022, d, rules=RULES, use_cache=False)
    n = yd.tables["nominations"].sort_values("row")
    # the ingest keeps every paragraph's 　　 indent, the first one's too
    first = n["deeds"].iloc[0]
    assert first == cell.value and "\n\n\u3000\u3000" in first and first.startswith("\u3000")
    write_forms(evaluate(yd, RULES), yd, RULES, tmp_path / "forms")
    res = intake_forms(2022, tmp_path / "forms", d, rules=RULES, mode="replace")
    rows = _by_source(res)
    back = {(e.award, e.unit_id, squeeze(e.nominee)): rows[e.file]["deeds"] for e in res.ledger.used}
    want = {(r["category"], r["unit_id"], squeeze(r["nominee"] if isinstance(r["nominee"], str) else "")): r["deeds"]
            for r in n.to_dict("records")}
    assert len(want) == len(n) >= 10
    assert [e.reason for e in res.ledger.quarantined] == ["not_approval_form"]  # 附件5, the rsvp summary
    for key, deeds in want.items():
        assert back[key] == deeds, key


def test_a_form_whose_deeds_hold_an_id_and_a_phone_number_is_used_as_written_with_a_note(tmp_path):
    f = tmp_path / "forms"
    deeds = "该同志联系电话13912345678，身份证号43010119850505123X。"
    staff_individual(f / "谭湘楠.docx", deeds=(deeds,))
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    assert res.rows["deeds"].tolist() == [deeds]  # the table keeps the unit's words
    notes = [n for n in res.ledger.notes if n.startswith("谭湘楠.docx: 主要事迹 holds")]
    assert len(notes) == 1, res.ledger.notes
    assert "a mobile number (*******5678) and an ID number (**************123X)" in notes[0]
    assert "13912345678" not in res.ledger.render({}) and "43010119850505123X" not in res.ledger.render({})


# --- a returned form is what Word shows ------------------------------------------------------


def _cell_run(doc, r: int, c: int, text: str, *, hidden=False, style=None, first=False):
    """A run added to the first paragraph of cell (r, c) of the form's table (before the
    others with ``first``)."""
    p = doc.tables[0].cell(r, c).paragraphs[0]
    run = p.add_run(text, style=style)
    run.font.hidden = hidden or None
    if first and len(p.runs) > 1:
        p.runs[0]._r.addprevious(run._r)
    return run


def test_text_word_does_not_show_does_not_count(tmp_path):
    """A hidden tick does not decide the category, hidden characters are not in the
    name, a hidden sentence (a character style that hides) is not in the deeds."""
    from docx.enum.style import WD_STYLE_TYPE

    f = tmp_path / "forms"
    path = staff_individual(f / "hidden.docx", values={1: {"单位名称": "长沙开放大学", "nominee": "谭",
                                                            "contact": "谭丽、培训部主任、13807310001"}},
                            deeds=("第一句。",))
    doc = docx.Document(path)
    _cell_run(doc, 1, 0, "☑", hidden=True, first=True)  # a hidden tick on the other box
    _cell_run(doc, 4, 3, "某某", hidden=True)
    _cell_run(doc, 4, 3, "湘楠")
    secret = doc.styles.add_style("隐藏", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True
    deeds = doc.tables[0].cell(6, 1).paragraphs[-1]
    deeds.add_run("藏起来的一大段话，不算字数。" * 80, style=secret)
    deeds.add_run("第二句。")
    doc.save(path)
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    assert [e.reason for e in res.ledger.forms] == [None], res.ledger.render(RULES.labels())
    r = res.rows.iloc[0]
    assert (r["category"], r["nominee"], r["deeds"]) == ("事业单位工作人员培训先进个人", "谭湘楠", "第一句。第二句。")


_PLACEHOLDER = ('<w:sdt {ns}><w:sdtPr><w:placeholder><w:docPart w:val="DefaultPlaceholder_-1854013440"/>'
                '</w:placeholder><w:showingPlcHdr/></w:sdtPr><w:sdtContent><w:r><w:t>单击或点击此处输入文字。</w:t>'
                '</w:r></w:sdtContent></w:sdt>')


@pytest.mark.parametrize("how", ["content control", "plain text"])
def test_a_placeholder_is_no_name(tmp_path, how):
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    f = tmp_path / "forms"
    path = staff_individual(f / "p.docx", values={1: {"单位名称": "长沙开放大学",
                                                       "contact": "谭丽、培训部主任、13807310001"}})
    doc = docx.Document(path)
    if how == "content control":
        doc.tables[0].cell(4, 3).paragraphs[0]._p.append(parse_xml(_PLACEHOLDER.format(ns=nsdecls("w"))))
    else:
        _cell_run(doc, 4, 3, "单击或点击此处输入文字。")
    doc.save(path)
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    assert [(e.reason, e.nominee) for e in res.ledger.forms] == [("nominee_missing", "")]


def test_a_form_that_declares_entities_is_unreadable(tmp_path):
    import zipfile

    f = tmp_path / "forms"
    src = staff_individual(tmp_path / "src.docx")
    with zipfile.ZipFile(src) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    head, rest = xml.split("?>", 1)
    xml = head + '?><!DOCTYPE w:document [<!ENTITY x "湘">]>' + rest.replace("谭湘楠", "谭&x;楠")
    docx_with_parts(f / "entity.docx", {"word/document.xml": xml}, src=src)
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    (e,) = res.ledger.forms
    assert (e.reason, e.nominee) == ("unreadable", "") and "DOCTYPE" in e.detail and res.path is None


def _draft(path: Path, *, banner=True, deeds=None, leader="", contact="") -> Path:
    """The toolkit's draft form of 长沙开放大学's 事业单位 collective award, as ``toolkit
    forms`` writes it (a banner, its own tick, deeds asking the unit to add its part),
    optionally edited by the unit."""
    from toolkit.outputs.forms.drafts import TO_BE_FILLED
    from toolkit.outputs.forms.nominations import FormData, build_form

    text = deeds if deeds is not None else ("长沙开放大学2022年度开展事业单位工作人员培训。\n"
                                            f"{TO_BE_FILLED}培训工作团队建设、管理服务举措等。】")
    form = FormData(award=RULES.awards["staff.collective"], unit_name="长沙开放大学", unit_leader=leader,
                    nominee="长沙开放大学", contact=contact, deeds=text, draft=True)
    doc = build_form(form, RULES, 2022, 700)
    if not banner:
        p = next(p for p in doc.paragraphs if p.text.startswith("（草稿"))
        p._p.getparent().remove(p._p)
    path.parent.mkdir(parents=True, exist_ok=True)
    doc.save(path)
    return path


@pytest.mark.parametrize("edit,reason", [
    ({}, "draft_not_filled"),  # returned unchanged
    ({"banner": False}, "draft_not_filled"),  # the banner taken off, the deeds still ask for the unit's part
    ({"deeds": "单位写好的事迹。", "leader": "周建国", "contact": "谭丽、主任、13807310001"},
     "draft_not_filled"),  # filled in, the banner left on
    ({"banner": False, "deeds": "单位写好的事迹。", "leader": "周建国", "contact": "谭丽、主任、13807310001"},
     None),  # filled in: an application
])
def test_a_draft_is_no_application_until_the_unit_fills_it(tmp_path, edit, reason):
    f = tmp_path / "forms"
    _draft(f / "附件2_事业单位工作人员培训先进集体_长沙开放大学_草稿.docx", **edit)
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    (e,) = res.ledger.forms
    assert e.reason == reason, e.detail
    if reason:
        assert "draft" in e.detail and res.path is None
        assert "草稿未经单位填写 (draft_not_filled)" in res.ledger.render(RULES.labels())
    else:
        assert res.rows.iloc[0]["deeds"] == "单位写好的事迹。"


def test_the_toolkits_own_draft_returned_unchanged_is_quarantined(tmp_path):
    """The drafts ``toolkit forms`` writes, every one sent back as it is."""
    from outputs_helpers import RULES as RULES_2031
    from outputs_helpers import YEAR, evaluation, year_data

    paths = write_forms(evaluation(), year_data(), RULES_2031, tmp_path / "forms")
    drafts = [p for p in paths if "草稿" in p.name]
    for p in paths:
        if p not in drafts:
            p.unlink()
    assert drafts
    res = intake_forms(YEAR, tmp_path / "forms", data_folder(tmp_path / "data"), rules=RULES_2031)
    assert {e.reason for e in res.ledger.forms} == {"draft_not_filled"} and len(res.ledger.forms) == len(drafts)


def test_deeds_longer_than_a_cell_quarantine_the_form_naming_the_length(tmp_path):
    f = tmp_path / "forms"
    staff_individual(f / "long.docx", deeds=("事" * 40_000,))
    staff_individual(f / "ok.docx", values={1: {"单位名称": "株洲开放大学", "nominee": "李四"}})
    data = data_folder(tmp_path / "data")
    res = intake_forms(2022, f, data, rules=RULES)
    long = next(e for e in res.ledger.forms if e.file == "long.docx")
    assert long.reason == "value_too_long" and "主要事迹 has 40,000 characters" in long.detail
    assert [e.file for e in res.ledger.used] == ["ok.docx"]


@pytest.mark.parametrize("deeds,says", [("长" * 33_000, "33,000 characters"),
                                        ("事迹\x1b[31m红", "control character U+001B")])
def test_an_earlier_tables_value_a_cell_cannot_hold_stops_the_merge_before_anything_moves(tmp_path, deeds, says):
    f = tmp_path / "forms"
    staff_individual(f / "a.docx")
    data = data_folder(tmp_path / "data")
    with open(data / "推荐名单.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["推荐类别", "单位", "姓名", "主要事迹", "从事培训工作起始日期"])
        w.writerow(["事业单位工作人员培训先进集体", "U003", "湘潭开放大学", deeds, ""])
    with pytest.raises(InputError) as exc:
        intake_forms(2022, f, data, rules=RULES, mode="merge")
    assert exc.value.exit_code == 2 and says in str(exc.value) and "主要事迹" in str(exc.value)
    assert "推荐名单.csv" in str(exc.value)
    assert (data / "推荐名单.csv").is_file() and not (data / "推荐申报.xlsx").exists()


def test_every_file_under_the_folder_is_in_the_ledger(tmp_path):
    import os

    f = tmp_path / "forms"
    staff_individual(f / "a.docx")
    (f / "~$a.docx").write_bytes(b"lock")
    staff_individual(f / ".b.docx")
    staff_individual(f / ".git" / "c.docx")
    (f / "说明.txt").write_text("请查收")
    (f / "扫描件.pdf").write_bytes(b"%PDF")
    (f / "旧表.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    (f / "sub").mkdir()
    os.mkfifo(f / "sub" / "pipe.docx")
    (tmp_path / "elsewhere").mkdir()
    staff_individual(tmp_path / "elsewhere" / "d.docx")
    os.symlink(tmp_path / "elsewhere", f / "link")
    res = intake_forms(2022, f, data_folder(tmp_path / "data"), rules=RULES)
    led = res.ledger
    notes = "\n".join(led.notes)
    for name, why in [("~$a.docx", "lock file"), (".b.docx", "hidden file"), (".git/c.docx", "hidden folder"),
                      ("说明.txt", "not a form"), ("扫描件.pdf", "save it as .docx"), ("旧表.doc", "save it as .docx"),
                      ("sub/pipe.docx", "not a regular file"), ("link", "link to a folder")]:
        assert any(n.startswith(f"{name} is not read: ") and why in n for n in led.notes), (name, notes)
    assert [e.file for e in led.forms] == ["a.docx"] and led.not_read == 8
    assert "9 file(s) under the folder = 1 form(s) read + 8 not read" in led.render(RULES.labels())


def test_file_names_are_data(tmp_path, capsys):
    """A control character, a terminal escape, a line break or bytes that are no UTF-8
    in a form's name: the intake goes on, the names are shown escaped, no line forged."""
    import os

    f = tmp_path / "forms"
    staff_individual(f / "a\x1b[31m红.docx")
    staff_individual(f / "b\n  used        forged.docx", values={1: {"单位名称": "株洲开放大学", "nominee": "李四"}})
    raw = staff_individual(tmp_path / "c.docx", values={1: {"单位名称": "湘潭开放大学", "nominee": "王五"}})
    os.rename(raw, os.fsencode(f) + b"/c\xff\x07.docx")
    data = data_folder(tmp_path / "data")
    assert main(["-q", "intake", "--year", "2022", "--data-dir", str(data), str(f)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "= 3 used + 0 quarantined" in out
    assert "a\\x1b[31m红.docx" in out and "c\\udcff\\x07.docx" in out
    assert not any(line.startswith("  used        forged") for line in out.splitlines())
    ws = openpyxl.load_workbook(data / "推荐申报.xlsx").worksheets[0]
    assert sorted(ws.cell(r, ws.max_column).value for r in (2, 3, 4)) == [
        "a\\x1b[31m红.docx", "b\\n  used        forged.docx", "c\\udcff\\x07.docx"]
