"""The small tables of the synthetic data set: units, contracts, targets, teams,
complaints, nominations (with their deeds text) and meeting replies (rsvp)."""

from __future__ import annotations

import pandas as pd

from toolkit.demo.people import RARE_CHARS
from toolkit.demo.plans import PROF_BIG, STAFF_BIG
from toolkit.demo.units import SCENARIOS, unit_id_of


def registry_tables(units, staff_plans, prof_plans, year, rng) -> dict[str, pd.DataFrame]:
    """The units, contracts, targets and teams tables."""
    S = SCENARIOS
    units_df = pd.DataFrame({
        "unit_id": [u.unit_id for u in units],
        "unit_name": [u.name for u in units],
        "aliases": ["；".join(u.aliases) for u in units],
        "level": [u.level for u in units],
        "parent_id": [u.parent_id for u in units],
    }).astype({"unit_id": "str", "unit_name": "str", "aliases": "str", "level": "str"})

    def day(y, m, d):
        return pd.Timestamp(y, m, d)

    rows = []
    prof_seq = staff_seq = 0
    for u in units:
        r = rng.random(4)
        if u.unit_id != S["staff_no_contract"]:
            staff_seq += 1
            signed = day(year - 4, 1, 1) + pd.Timedelta(days=int(r[0] * 3 * 365))
            if u.unit_id == S["staff_late_contract"]:
                signed = day(year, 8, 15)
            elif u.unit_id == S["staff_contract_boundary"]:
                signed = day(year, 6, 30)
            term = day(year, 9, 30) if u.unit_id == S["staff_terminated_contract"] else pd.NaT
            rows.append((u.unit_id, "staff", signed, f"HNOU-SY-{signed.year}-{staff_seq:03d}", term))
        has_prof = u.unit_id in prof_plans and u.unit_id != S["professional_no_agreement"]
        if has_prof and (r[1] < 0.85 or u.unit_id in {S[x] for x, *_ in PROF_BIG}):
            prof_seq += 1
            signed = day(year - 3, 1, 1) + pd.Timedelta(days=int(r[2] * 3 * 365))
            rows.append((u.unit_id, "professional", signed, f"HNOU-ZJ-{signed.year}-{prof_seq:03d}", pd.NaT))
    contracts = pd.DataFrame(rows, columns=["unit", "track", "signed_on", "contract_no", "terminated_on"])
    contracts = contracts.astype({"unit": "str", "track": "str", "contract_no": "str"})

    targets = []
    for u in units:
        p = staff_plans[u.unit_id]
        if p.target_ratio is not None and u.unit_id != S["staff_no_target"]:
            targets.append((u.unit_id, int(round(p.n_paid / p.target_ratio, -2)) or 100))
    targets_df = pd.DataFrame(targets, columns=["unit", "target"]).astype({"unit": "str"})

    teams = []
    big = {S[x] for x, *_ in STAFF_BIG} | {S[x] for x, *_ in PROF_BIG}
    for u in units:
        r = rng.random(2)
        n = int(2 + r[0] * 4) if u.unit_id in big else int(r[0] * 3)
        if u.unit_id == S["staff_no_team"]:
            n = 0
        teams.append((u.unit_id, "staff", n))
        if u.unit_id in prof_plans:
            teams.append((u.unit_id, "professional", int(1 + r[1] * 3) if u.unit_id in big else int(r[1] * 3)))
    teams_df = pd.DataFrame(teams, columns=["unit", "track", "dedicated_staff"]).astype({"unit": "str", "track": "str"})
    return {"units": units_df, "contracts": contracts, "targets": targets_df, "teams": teams_df}


def complaints_table(units, year) -> pd.DataFrame:
    """The complaints of the year (and one of the previous December)."""
    S = SCENARIOS
    small = [u.unit_id for u in units if u.level == "县级"]
    T = pd.Timestamp
    rows = [
        (S["staff_major_complaint"], "staff", T(year, 5, 18, 10, 20), "major", True,
         "学员反映缴费后无法进入课程学习，多次联系分校未获答复，向市人社局投诉。", "closed"),
        (S["staff_unsubstantiated_major"], "staff", T(year, 9, 6, 15, 2), "major", False,
         "来电反映单位强制要求参加付费培训，经核查系学员误解，不属实。", "closed"),
        (small[0], "staff", T(year, 3, 22, 9, 45), "minor", True, "学员反映发票开具不及时。", "open"),
        (small[1], "staff", T(year, 7, 1, 16, 30), "minor", None, "学员反映学习平台视频卡顿。", "closed"),
        (small[4], "staff", T(year, 10, 12, 11, 0), "major", True, "学员反映被重复扣费且未及时退还。", "closed"),
        (S["professional_complaint"], "professional", T(year, 11, 8, 14, 25), "minor", True,
         "学员反映专技课程学时未同步到继续教育档案。", "open"),
        (small[2], "professional", T(year, 4, 15, 10, 10), "minor", False,
         "学员反映课程价格过高，经核查收费符合标准，不属实。", "closed"),
        (S["professional_pass_b"], "professional", T(year - 1, 12, 20, 9, 0), "minor", True,
         "学员反映证书打印不清晰（上年度受理）。", "closed"),
        (small[5], "professional", T(year, 6, 3, 8, 50), "minor", True, "学员反映客服电话无人接听。", "closed"),
    ]
    df = pd.DataFrame(rows, columns=["unit", "track", "received_at", "severity", "substantiated", "summary", "status"])
    df.insert(0, "complaint_id", [f"TS{year}{i + 1:03d}" for i in range(len(df))])
    return df.astype({"complaint_id": "str", "unit": "str", "track": "str", "severity": "str",
                      "summary": "str", "status": "str"})


_DEEDS_POOL = (
    "该单位高度重视培训工作，成立了由主要负责人任组长的培训工作领导小组，",
    "配备专职培训管理人员，建立了周调度、月通报的工作机制，",
    "积极对接当地人社部门和各主管单位，逐一走访宣传培训政策，",
    "依托学习平台开展线上答疑，建立培训微信群和QQ群，及时解答学员疑问，",
    "全年组织培训宣讲二十余场，覆盖全市各级事业单位，",
    "创新推出“一对一”服务模式，为学员提供从注册、缴费到学习、考核的全流程指导，",
    "严格执行收费和退费管理规定，做到账目清晰、手续完备，",
    "认真做好学员满意度回访工作，学员满意率保持在较高水平，",
    "制作特色宣传视频和图文资料，在本地媒体广泛推送，取得了良好的宣传效果，",
    "注重团队建设，定期组织业务学习，熟练掌握培训平台各项操作，",
    "主动服务乡村振兴和基层单位需求，送培训到县乡，",
    "培训工作推进有力、成效显著，得到了主管部门和学员的一致好评。",
)


def deeds_text(rng, n_chars: int, breaks: bool = True) -> str:
    """Deeds of exactly n_chars characters that are not white space."""
    parts, total = [], 0
    while total < n_chars:
        s = _DEEDS_POOL[int(rng.integers(0, len(_DEEDS_POOL)))]
        parts.append(s)
        total += len(s)
    text = "".join(parts)[: n_chars - 1] + "。"
    if breaks:  # paragraphs: a line break and two ideographic spaces (white space, not counted)
        cut = [i for i in range(150, len(text), 230)]
        for i in reversed(cut):
            text = text[:i] + "\n\u3000\u3000" + text[i:]
        text = "\u3000\u3000" + text
    return text


#: what the demo's units write in 推荐类别, by the award key of rules/2022.yaml: the
#: notice's box words (the awards' ``form.category`` there). The ingest reads them with
#: the year's rules, never with these.
CATEGORY_WORDS = {
    "staff.collective": "事业单位工作人员培训先进集体",
    "staff.individual": "事业单位工作人员培训先进个人",
    "professional.collective": "专业技术人员继续教育培训先进集体",
    "professional.individual": "专业技术人员继续教育培训先进个人",
    "innovation.staff": "事业单位工作人员培训创新创意",
    "innovation.professional": "专业技术人员继续教育培训创新创意",
}


def nominations_table(units, year, rng) -> pd.DataFrame:
    """One nomination or more of every category, with deeds of chosen lengths."""
    S = SCENARIOS
    name = {u.unit_id: u.name for u in units}
    T = pd.Timestamp
    L = CATEGORY_WORDS
    rows = [
        ("staff.collective", S["staff_pass_a"], name[S["staff_pass_a"]], deeds_text(rng, 560), pd.NaT, "周建国", "谭丽", "培训部主任", "13807310001"),
        ("staff.collective", S["staff_pass_b"], name[S["staff_pass_b"]], deeds_text(rng, 480), pd.NaT, "李志文", "王芳", "办公室主任", "13907340002"),
        ("staff.collective", S["staff_near_miss"], name[S["staff_near_miss"]], deeds_text(rng, 630), pd.NaT, "陈明", "刘洋", "培训专干", "13607360003"),
        ("staff.collective", S["staff_major_complaint"], name[S["staff_major_complaint"]], deeds_text(rng, 400), pd.NaT, "彭海燕", "曾强", "副校长", "15807300004"),
        ("staff.individual", S["staff_pass_a"], "谭湘楠", deeds_text(rng, 520), T(year - 3, 3, 1), "周建国", "谭丽", "培训部主任", "13807310001"),
        ("staff.individual", S["staff_late_contract"], "贺晓东", deeds_text(rng, 350), T(year, 8, 1), "龚平", "贺晓东", "培训专干", "18907370005"),
        ("staff.individual", S["long_deeds"], "邓思雨", deeds_text(rng, 760), T(year - 2, 9, 1), "袁刚", "邓思雨", "培训部副主任", "13707350006"),
        ("professional.collective", S["professional_pass_a"], name[S["professional_pass_a"]], deeds_text(rng, 500), pd.NaT, "周建国", "谭丽", "培训部主任", "13807310001"),
        ("professional.collective", S["professional_pass_b"], name[S["professional_pass_b"]], deeds_text(rng, 450), pd.NaT, "易文辉", "罗婷", "继续教育科科长", "13973300007"),
        ("professional.individual", S["professional_pass_b"], "刘" + RARE_CHARS[0], deeds_text(rng, 300), T(year - 2, 5, 1), "易文辉", "罗婷", "继续教育科科长", "13973300007"),
        ("professional.individual", S["professional_no_agreement"], "覃俊杰", deeds_text(rng, 280), T(year - 1, 3, 1), "黄勇", "覃俊杰", "培训专干", "15173100008"),
        ("professional.individual", S["professional_near_miss"], "向佳琪", deeds_text(rng, 330), T(year, 3, 15), "肖军", "向佳琪", "培训专干", "13873200009"),
        ("innovation.staff", S["staff_pass_b"], None, deeds_text(rng, 700), pd.NaT, "李志文", "王芳", "办公室主任", "13907340002"),
        ("innovation.professional", S["professional_complaint"], None, deeds_text(rng, 420), pd.NaT, "杨春生", "唐" + RARE_CHARS[1], "信息中心主任", "13574500010"),
    ]
    df = pd.DataFrame(rows, columns=["category", "unit", "nominee", "deeds", "started_on", "unit_leader",
                                     "contact_name", "contact_title", "contact_phone"])
    assert set(df["category"]) == set(L)
    return df.astype({c: "str" for c in ("category", "unit", "deeds", "unit_leader", "contact_name",
                                         "contact_title", "contact_phone")})


def rsvp_table(units, year) -> pd.DataFrame:
    """The replies to the next year's training meeting."""
    S = SCENARIOS
    T = pd.Timestamp
    y = year + 1
    rows = [
        (S["staff_pass_a"], "周建国", "男", "校长", "13807310011", "", True, T(y, 2, 20, 9, 15)),
        (S["staff_pass_a"], "谭丽", "女", "培训部主任", "13807310001", "", True, T(y, 2, 20, 9, 15)),
        (S["staff_pass_b"], "王芳", "女", "办公室主任", "13907340002", "需提前一天报到", True, T(y, 2, 27, 16, 40)),
        (S["staff_near_miss"], "陈明", "男", "校长", "13607360013", "", False, T(y, 3, 1, 10, 5)),
        (S["staff_near_miss"], "刘洋", "男", "培训专干", "13607360003", "素食", False, T(y, 3, 1, 10, 5)),
        (S["professional_pass_b"], "罗婷", "女", "继续教育科科长", "13973300007", "", True, T(y, 3, 3, 11, 30)),
        (S["staff_no_target"], "袁刚", "男", "副校长", "13707350016", "", True, T(y, 3, 6, 20, 12)),
        (S["professional_complaint"], "王" + RARE_CHARS[1], "男", "信息中心主任", "13574500017", "", True, T(y, 3, 4, 8, 0)),
        (SCENARIOS["late_rsvp"], "彭雪梅", "女", "培训专干", "15974300018", "回执补报", True, T(y, 3, 10, 14, 22)),
        (unit_id_of("浏阳市"), "黎辉", "男", "校长", "13787310019", "", False, T(y, 2, 25, 17, 48)),
        (S["staff_major_complaint"], "曾强", "男", "副校长", "15807300004", "", True, T(y, 3, 2, 9, 9)),
    ]
    df = pd.DataFrame(rows, columns=["unit", "name", "gender", "title", "phone", "note", "needs_room",
                                     "submitted_at"])
    return df.astype({c: "str" for c in ("unit", "name", "gender", "title", "phone", "note")})
