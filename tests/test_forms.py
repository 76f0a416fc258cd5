"""Approval forms (attachments 2, 4, 6) and the meeting roster (attachment 5)."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from types import SimpleNamespace

import docx
import openpyxl
import pandas as pd
import pytest
from docx.oxml.ns import qn

from toolkit.clean.model import YearData
from toolkit.outputs.forms import deeds_length, write_forms

HOSTILE_HTML = "<script>alert(1)</script>"
HOSTILE_FORMULA = '=HYPERLINK("http://x","y")'
YEAR = 2031  # not 2022: the year must come from the evaluation/rules, never a literal


# --- stand-ins -------------------------------------------------------------------------


def _units() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "unit_id": ["U001", "U002", "U003", "U004"],
            "unit_name": ["长沙开放大学", "株洲开放大学", "湘潭/开放大学", "岳阳开放大学"],
            "aliases": [[], [], [], []],
            "level": [None] * 4,
            "parent_id": [None] * 4,
        }
    )


def _nomination(row, category, unit_id, nominee, deeds, **kw):
    track = category.split(".")[1] if category.startswith("innovation.") else category.split(".")[0]
    kind = "innovation" if category.startswith("innovation.") else category.split(".")[1]
    rec = dict(row=row, category=category, track=track, kind=kind, unit_id=unit_id, nominee=nominee,
               deeds=deeds, started_on=pd.NaT, unit_leader=None, contact_name=None,
               contact_title=None, contact_phone=None)
    rec.update(kw)
    return rec


def _nominations() -> pd.DataFrame:
    return pd.DataFrame(
        [
            _nomination(2, "staff.collective", "U001", "长沙开放大学培训部", "组建专职团队。\n服务到位。",
                        unit_leader="王校长", contact_name="李联系", contact_title="培训部主任",
                        contact_phone="13800000001"),
            _nomination(3, "staff.individual", "U002", HOSTILE_HTML, "好 " * 701,  # 701 chars + spaces
                        started_on=pd.Timestamp("2020-01-01"), unit_leader="赵校长",
                        contact_name=HOSTILE_FORMULA, contact_title="干事", contact_phone="0731\x0b123"),
            _nomination(4, "professional.individual", "U003", "张三", "专技事迹" + " " * 50 + "x" * 696,
                        started_on=pd.Timestamp("2019-01-01"), unit_leader="钱校长"),
            _nomination(5, "professional.individual", "U003", "张三", "同名同单位的第二份"),
            _nomination(6, "innovation.professional", "U004", None, "制作特色宣传视频。",
                        unit_leader="孙校长", contact_name="周联系", contact_phone="13900000004"),
        ]
    )


def _rsvp() -> pd.DataFrame:
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


def _year_data(**tables) -> YearData:
    base = {"units": _units(), "nominations": _nominations(), "rsvp": _rsvp()}
    base.update(tables)
    base = {k: v for k, v in base.items() if v is not None}
    return YearData(year=YEAR, data_dir=Path("."), period_start=pd.Timestamp(f"{YEAR}-01-01"),
                    period_end=pd.Timestamp(f"{YEAR}-12-31 23:59:59"), tables=base)


def _unit_result(track, unit_id, unit_name, outcome, **metrics):
    return SimpleNamespace(track=track, unit_id=unit_id, unit_name=unit_name, metrics=metrics,
                           criteria=[], outcome=outcome, nominated=False)


STAFF_METRICS = dict(paid_trainees=31234, registered_trainees=40000, target_trainees=60000,
                     paid_to_registered=31234 / 40000, paid_to_target=31234 / 60000,
                     income=5_234_567.5, refunds=52_345.0, refund_rate=52_345.0 / 5_234_567.5)


def _evaluation():
    return SimpleNamespace(
        year=YEAR,
        collective=[
            # nominated for staff.collective: no draft
            _unit_result("staff", "U001", "长沙开放大学", "eligible", **STAFF_METRICS),
            # eligible, not nominated: a draft
            _unit_result("staff", "U002", "株洲开放大学", "eligible", **STAFF_METRICS),
            # needs_review, professional, not nominated: a draft
            _unit_result("professional", "U003", "湘潭/开放大学", "needs_review",
                         person_times=4321, income=612_345.0),
            # not eligible: no draft
            _unit_result("staff", "U004", "岳阳开放大学", "not_eligible", paid_trainees=10),
        ],
        individual=[],
        innovation=[],
        flags=[],
    )


RULES = SimpleNamespace(year=YEAR, rsvp_deadline=None)


@pytest.fixture()
def written(tmp_path):
    out = tmp_path / "reports" / str(YEAR) / "forms"
    paths = write_forms(_evaluation(), _year_data(), RULES, out)
    return out, paths


# --- reading helpers -----------------------------------------------------------------


def _one(paths, *needles) -> Path:
    found = [p for p in paths if all(n in p.name for n in needles)]
    assert len(found) == 1, (needles, [p.name for p in paths])
    return found[0]


def _grid(table) -> list[list[str]]:
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


def _row(grid, label) -> list[str]:
    for r in grid:
        if r and r[0].replace("\n", "") == label:
            return r
    raise AssertionError(f"no row {label!r} in {grid}")


def _all_text(document) -> str:
    parts = [p.text for p in document.paragraphs]
    for t in document.tables:
        for r in t.rows:
            parts += [c.text for c in r.cells]
    return "\n".join(parts)


def _deeds(grid) -> str:
    return _row(grid, "主要事迹")[1]


# --- forms ------------------------------------------------------------------------------


def test_writes_only_inside_out_dir(written, tmp_path):
    out, paths = written
    assert paths and all(p.parent == out and p.is_file() for p in paths)
    everything = sorted(p for p in tmp_path.rglob("*") if p.is_file())
    assert everything == sorted(paths)


def test_staff_collective_form(written):
    _, paths = written
    path = _one(paths, "附件2_事业单位工作人员培训先进集体_长沙开放大学_长沙开放大学培训部")
    assert path.suffix == ".docx"
    d = docx.Document(path)
    text = _all_text(d)
    title = f"{YEAR}年度全省开放大学办学体系事业单位工作人员培训工作先进集体和先进个人推荐审批表"
    assert title in text.replace("\n", "")  # broken into lines as in the attachment
    assert d.core_properties.title == title
    assert "2022年度" not in text
    assert "填报单位（盖章）：长沙开放大学" in text
    assert d.paragraphs[-1].text == "（请双面打印）"
    g = _grid(d.tables[0])
    assert g[0] == ["推荐类别"]
    assert g[1] == ["☑事业单位工作人员培训先进集体", "□事业单位工作人员培训先进个人"]
    # the collective (left) side is filled, the individual (right) side is blank
    assert _row(g, "单位名称") == ["单位名称", "长沙开放大学", "单位名称", ""]
    assert _row(g, "单位负责人") == ["单位负责人", "王校长", "单位负责人", ""]
    assert _row(g, "先进集体名称") == ["先进集体名称", "长沙开放大学培训部", "先进个人姓名", ""]
    contact = _row(g, "联系人姓名、职务、手机号码")
    assert contact[1] == "李联系、培训部主任、13800000001" and contact[3] == ""
    deeds = _deeds(g)
    assert deeds.startswith("（简明扼要，突出特色，700字以内）")
    assert "组建专职团队。" in deeds and "服务到位。" in deeds
    for label in ("申报单位意见", "省校培训学院意见", "湖南开放大学审批意见"):
        block = _row(g, label)[1]
        assert "盖章" in block and re.search("年\\s*月\\s*日", block)


def test_staff_individual_form_hostile_and_over_700(written):
    _, paths = written
    path = _one(paths, "附件2_事业单位工作人员培训先进个人_株洲开放大学")
    # written all the same, and its name says the deeds run over 700 characters
    assert path.name.endswith("_超过700字.docx")
    assert "<" not in path.name and ">" not in path.name and "/" not in path.name
    d = docx.Document(path)
    g = _grid(d.tables[0])
    assert g[1] == ["□事业单位工作人员培训先进集体", "☑事业单位工作人员培训先进个人"]
    assert _row(g, "单位名称") == ["单位名称", "", "单位名称", "株洲开放大学"]
    assert _row(g, "先进集体名称")[3] == HOSTILE_HTML  # literally, as text
    contact = _row(g, "联系人姓名、职务、手机号码")[3]
    assert contact == f"{HOSTILE_FORMULA}、干事、0731123"  # the vertical tab is dropped
    assert deeds_length(_deeds(g)) > 700
    xml = zipfile.ZipFile(path).read("word/document.xml").decode("utf-8")
    assert "<script>" not in xml and "&lt;script&gt;" in xml


def test_deeds_limit_counts_no_white_space(written):
    _, paths = written
    # 4 + 696 = 700 characters once the 50 spaces are not counted: within the limit
    ok = _one(paths, "附件4_专业技术人员继续教育培训先进个人_湘潭_开放大学_张三_第4行")
    assert "超过" not in ok.name
    assert deeds_length("专技事迹" + " " * 50 + "x" * 696) == 700


def test_professional_individual_names_unique_and_sanitised(written):
    _, paths = written
    a = _one(paths, "张三_第4行")
    b = _one(paths, "张三_第5行")
    assert a != b
    assert "湘潭_开放大学" in a.name  # the slash in the unit name does not make a folder
    g = _grid(docx.Document(a).tables[0])
    assert g[1] == ["□专业技术人员继续教育培训先进集体", "☑专业技术人员继续教育培训先进个人"]
    assert _row(g, "单位名称")[3] == "湘潭/开放大学"
    assert _row(g, "先进集体名称") == ["先进集体名称", "", "先进个人姓名", "张三"]
    assert f"{YEAR}年度全省开放大学办学体系专业技术人员继续教育培训工作先进集体和先进个人推荐审批表" in _all_text(
        docx.Document(a)).replace("\n", "")


def test_innovation_form(written):
    _, paths = written
    path = _one(paths, "附件6_专业技术人员继续教育培训创新创意_岳阳开放大学")
    d = docx.Document(path)
    assert f"{YEAR}年度全省开放大学办学体系创新创意奖推荐审批表" in _all_text(d).replace("\n", "")
    g = _grid(d.tables[0])
    assert g[1] == ["☑专业技术人员继续教育培训创新创意", "□事业单位工作人员培训创新创意"]
    labels = [r[0].replace("\n", "") for r in g]
    assert "先进集体名称" not in labels  # attachment 6 has no nominee row
    assert _row(g, "单位名称") == ["单位名称", "岳阳开放大学", "单位名称", ""]
    assert _row(g, "单位负责人")[1] == "孙校长"
    assert _row(g, "联系人姓名、职务、手机号码")[1] == "周联系、13900000004"
    assert "制作特色宣传视频。" in _deeds(g)


def test_draft_forms_only_for_unnominated_eligible_or_review(written):
    _, paths = written
    drafts = sorted(p.name for p in paths if "草稿" in p.name)
    assert drafts == sorted([
        "附件2_事业单位工作人员培训先进集体_株洲开放大学_草稿.docx",
        "附件4_专业技术人员继续教育培训先进集体_湘潭_开放大学_草稿.docx",
    ])


def test_staff_draft_deeds_from_figures(written):
    _, paths = written
    d = docx.Document(_one(paths, "附件2_", "株洲开放大学_草稿"))
    g = _grid(d.tables[0])
    assert g[1] == ["☑事业单位工作人员培训先进集体", "□事业单位工作人员培训先进个人"]
    assert _row(g, "单位名称")[1] == "株洲开放大学"
    deeds = _deeds(g).removeprefix("（简明扼要，突出特色，700字以内）")
    assert "31234人" in deeds
    assert "78.09%" in deeds  # 31234 / 40000 = 78.085% -> 78.09% (half up)
    assert "52.06%" in deeds  # 31234 / 60000 = 52.0567%
    assert "5234567.50元" in deeds and "52345.00元" in deeds
    assert "1.00%" in deeds  # refund rate
    assert f"{YEAR}年度" in deeds
    assert deeds_length(deeds) <= 700


def test_professional_draft_deeds_from_figures(written):
    _, paths = written
    g = _grid(docx.Document(_one(paths, "附件4_", "草稿")).tables[0])
    deeds = _deeds(g)
    assert "4321人次" in deeds and "612345.00元" in deeds
    assert deeds_length(deeds) <= 700 + len("（简明扼要，突出特色，700字以内）")


def test_page_is_a4_and_cjk_font_set(written):
    _, paths = written
    for path in paths:
        if path.suffix != ".docx":
            continue
        d = docx.Document(path)
        for s in d.sections:
            assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
            assert 15 <= s.left_margin.mm <= 30 and 15 <= s.top_margin.mm <= 30
        normal = d.styles["Normal"]
        rfonts = normal.element.rPr.find(qn("w:rFonts"))
        assert rfonts.get(qn("w:eastAsia")) == "宋体"
        assert rfonts.get(qn("w:ascii")) == normal.font.name == "Times New Roman"
        # no theme font left to override the names
        defaults = d.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault"))
        drf = defaults.find(qn("w:rPr")).find(qn("w:rFonts"))
        assert drf.get(qn("w:eastAsiaTheme")) is None and drf.get(qn("w:eastAsia")) == "宋体"


def test_output_is_deterministic(tmp_path):
    def digests(out):
        paths = write_forms(_evaluation(), _year_data(), RULES, out)
        return [(p.name, hashlib.sha256(p.read_bytes()).hexdigest()) for p in paths]

    assert digests(tmp_path / "a") == digests(tmp_path / "b")
    d = docx.Document(next((tmp_path / "a").glob("附件2_*.docx")))
    assert d.core_properties.created.year == YEAR and d.core_properties.modified.year == YEAR


def test_no_nominations_no_rsvp(tmp_path):
    yd = _year_data(nominations=None, rsvp=None)
    yd.tables.pop("nominations", None)
    yd.tables.pop("rsvp", None)
    paths = write_forms(_evaluation(), yd, RULES, tmp_path)
    # one draft per eligible/needs_review collective, U001 included now
    assert sorted(p.name for p in paths) == sorted([
        "附件2_事业单位工作人员培训先进集体_长沙开放大学_草稿.docx",
        "附件2_事业单位工作人员培训先进集体_株洲开放大学_草稿.docx",
        "附件4_专业技术人员继续教育培训先进集体_湘潭_开放大学_草稿.docx",
    ])


def test_evaluation_as_dict_and_real_rules_shape(tmp_path):
    """The evaluation.json form of the evaluation and a Rules-like deadline work too."""
    ev = {"year": YEAR, "collective": [
        {"track": "staff", "unit_id": "U002", "unit_name": "株洲开放大学", "outcome": "needs_review",
         "metrics": {"paid_trainees": 100, "registered_trainees": None, "target_trainees": 0,
                     "income_fen": 1234567, "income": 12345.67}}]}
    import datetime as dt

    rules = SimpleNamespace(year=YEAR, rsvp_deadline=dt.date(YEAR + 1, 3, 1))
    paths = write_forms(ev, _year_data(nominations=None), rules, tmp_path)
    draft = _one(paths, "草稿")
    deeds = _deeds(_grid(docx.Document(draft).tables[0]))
    assert "100人" in deeds and "12345.67元" in deeds and "%" not in deeds  # no ratio: unknown
    wb = openpyxl.load_workbook(_one(paths, ".xlsx"))
    late = [r[9] for r in wb["参会回执"].iter_rows(min_row=2, values_only=True)]
    # deadline 3月1日: the receipts of 3月7日 and 3月8日 are late, that of 3月1日 is not
    assert late == ["是", "否", "是", "否"]


# --- the roster -------------------------------------------------------------------------


def test_roster_docx(written):
    _, paths = written
    path = _one(paths, "附件5", ".docx")
    d = docx.Document(path)
    text = _all_text(d)
    assert (f"{YEAR}年度全省开放大学办学体系事业单位工作人员培训、专业技术人员继续教育培训工作会议参会回执"
            in text)
    # rooms: one per attendee whose receipt asks for one (甲 and the hostile name)
    assert "需预留住宿房间2间" in text and "预留一间" in text
    assert "未注明是否住宿1人" in text and "逾期回执1份" in text
    units = [p.text for p in d.paragraphs if p.text.startswith("单位名称：")]
    assert units == ["单位名称：长沙开放大学", "单位名称：株洲开放大学"]
    assert len(d.tables) == 2
    g1, g2 = _grid(d.tables[0]), _grid(d.tables[1])
    assert g1[0] == ["姓名", "性别", "职务", "电话", "备注"]
    # 3月7日 23:00 is on time ("3月7日前" read as on or before the 7th)
    assert g1[1] == ["甲", "男", "主任", "13800000011", "需预留住宿"]
    assert g1[2] == ["乙", "女", "科员", "13800000012", "同住；不需住宿"]
    assert g2[1] == [HOSTILE_FORMULA, "女", HOSTILE_HTML, "", "-1；需预留住宿；逾期回执（3月8日）"]
    assert g2[2] == ["丁", "男", "", "", ""]


def test_roster_xlsx_formula_safe(written):
    _, paths = written
    path = _one(paths, "附件5", ".xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb["参会回执"]
    header = [c.value for c in ws[1]]
    assert header[:7] == ["单位编码", "单位名称", "姓名", "性别", "职务", "电话", "备注"]
    cells = {c.value: c for row in ws.iter_rows(min_row=2) for c in row if c.value is not None}
    for value in (HOSTILE_FORMULA, HOSTILE_HTML, "-1；需预留住宿；逾期回执（3月8日）", "13800000011"):
        assert cells[value].data_type == "s", value
    assert cells[HOSTILE_FORMULA].quotePrefix
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                assert "<f>" not in z.read(name).decode("utf-8")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert [r[7] for r in rows] == ["是", "否", "是", "未注明"]  # needs room
    assert [r[9] for r in rows] == ["否", "否", "是", "否"]  # late
    total = [r for r in wb["汇总"].iter_rows(values_only=True) if r[0] == "合计"][0]
    assert total[2:6] == (4, 2, 1, 1)  # attendees, rooms, unstated, late


def test_forms_never_read_trainee_tables(tmp_path):
    """Forms use nominations, rsvp, units and the evaluation only: a trainee's name or
    phone number in a registration table never reaches them."""
    regs = pd.DataFrame({"trainee_id": ["T1"], "unit_id": ["U001"], "name": ["学员王秘密"],
                         "phone": ["13999999999"], "registered_at": [pd.Timestamp(f"{YEAR}-05-01")]})
    paths = write_forms(_evaluation(), _year_data(staff_registrations=regs), RULES, tmp_path)
    for p in paths:
        with zipfile.ZipFile(p) as z:
            blob = b"".join(z.read(n) for n in z.namelist())
        assert "学员王秘密".encode() not in blob and b"13999999999" not in blob


def test_real_unit_results_and_rules_shapes(tmp_path):
    """The evaluate module's own UnitResult, its ``nominated`` flag, and the deadline as
    the rules file writes it ({date: ...}) or as the Evaluation carries it."""
    import datetime as dt

    from toolkit.evaluation import results as evaluate

    def unit_result(track, unit_id, name, outcome, nominated=False, **metrics):
        return evaluate.UnitResult(track=track, unit_id=unit_id, unit_name=name, metrics=metrics,
                                   criteria=[], outcome=outcome, nominated=nominated)

    ev = SimpleNamespace(
        year=YEAR, unit_names={"U001": "长沙开放大学"}, rsvp_deadline=dt.date(YEAR + 1, 3, 1),
        collective=[
            unit_result("staff", "U002", "株洲开放大学", "eligible", **STAFF_METRICS),
            # nominated by the evaluation's own reckoning (e.g. by name): no draft
            unit_result("professional", "U003", "湘潭/开放大学", "eligible", nominated=True,
                        person_times=5000, income=700000.0),
        ],
    )
    yd = _year_data(nominations=None)
    paths = write_forms(ev, yd, SimpleNamespace(year=YEAR, rsvp_deadline=None), tmp_path / "a")
    assert [p.name for p in paths if "草稿" in p.name] == ["附件2_事业单位工作人员培训先进集体_株洲开放大学_草稿.docx"]
    late = [r[9] for r in openpyxl.load_workbook(_one(paths, ".xlsx"))["参会回执"].iter_rows(
        min_row=2, values_only=True)]
    assert late == ["是", "否", "是", "否"]  # the evaluation's deadline: 3月1日

    rules = {"year": YEAR, "rsvp_deadline": {"date": dt.date(YEAR + 1, 3, 8)}}
    paths = write_forms(ev, yd, rules, tmp_path / "b")
    late = [r[9] for r in openpyxl.load_workbook(_one(paths, ".xlsx"))["参会回执"].iter_rows(
        min_row=2, values_only=True)]
    assert late == ["否", "否", "否", "否"]  # 3月8日 08:00 is within a 3月8日 deadline
