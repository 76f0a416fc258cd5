"""The deterministic synthetic data set: one year's input folder, messy as real exports are.

``generate_frames(year, scale, seed)`` builds the clean, logical records (canonical column
names, unit ids, amounts in whole yuan, ``datetime64`` times, canonical status words)
including the rows that the evaluation must exclude (failed payments, rows outside the
period, refunds after the cut-off) and the rows of a misspelt unit (quarantined).
``write_demo_data`` renders them the way the branch schools' exports look (Chinese file
names and headers, title rows, GB18030 beside UTF-8, ``¥180`` and ``１８０``, six date
notations, Excel serials, unit aliases and stray spaces, a re-exported block of rows...)
and writes one file per table. In the ``mixed`` format (the demo) it also adds a few rows
of every other kind the ingest stage quarantines (``QUARANTINE_NOTES``: unreadable
amounts and dates, a zero and a negative payment, an empty trainee id, unknown status
and category words, a conflicting re-export, refunds of unknown orders) and merged title
banners in the small workbooks; none of those rows is usable, so ``generate_frames``
still holds exactly what ingest uses, excludes, or quarantines as ``unknown_unit``.

Everything is derived from ``numpy.random.default_rng(seed + year offset)``: the same
year, scale, seed and format give byte-identical files (workbooks get fixed timestamps).

``SCENARIOS`` names the units that exercise the 2022 criteria (see ``SCENARIO_NOTES``).
The figures hold for the reference year 2022 and later; earlier years (the report's
previous year) are the same units with figures scaled by 0.9 per year back, so a
scenario's pass/fail is only promised for years >= 2022.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit import paths
from toolkit.ingest import contract
from toolkit.outputs.files import fixed_ooxml

log = logging.getLogger(__name__)

REF_YEAR = 2022
DEFAULT_SEED = 20221231
SCALES = ("demo", "province", "small")
FORMATS = ("mixed", "csv", "xlsx")

# --- the units -------------------------------------------------------------------------
# The 14 prefecture-level open universities with their (historical) telephone area code,
# which prefixes the synthetic unit ids: every id has a leading zero (id-as-text).
_CITIES: tuple[tuple[str, str], ...] = (
    ("长沙", "0731"), ("株洲", "0733"), ("湘潭", "0732"), ("衡阳", "0734"), ("邵阳", "0739"),
    ("岳阳", "0730"), ("常德", "0736"), ("张家界", "0744"), ("益阳", "0737"), ("郴州", "0735"),
    ("永州", "0746"), ("怀化", "0745"), ("娄底", "0738"), ("湘西", "0743"),
)
_CITY_FULL = {"湘西": "湘西土家族苗族自治州"}

# county-level units of the demo scale (place, parent city)
_DEMO_COUNTIES: tuple[tuple[str, str], ...] = (
    ("浏阳市", "长沙"), ("宁乡市", "长沙"), ("醴陵市", "株洲"), ("湘乡市", "湘潭"),
    ("耒阳市", "衡阳"), ("邵东市", "邵阳"), ("汨罗市", "岳阳"), ("沅江市", "益阳"),
    ("资兴市", "郴州"), ("冷水江市", "娄底"), ("涟源市", "娄底"), ("吉首市", "湘西"),
    ("桃源县", "常德"), ("攸县", "株洲"), ("祁阳市", "永州"), ("华容县", "岳阳"),
    ("津市市", "常德"), ("洪江市", "怀化"), ("武冈市", "邵阳"), ("韶山市", "湘潭"),
)
# further real county-level places for the province scale (about 140 units in all)
_PROVINCE_COUNTIES: dict[str, tuple[str, ...]] = {
    "长沙": ("长沙县", "望城区", "岳麓区", "开福区", "天心区", "芙蓉区", "雨花区"),
    "株洲": ("茶陵县", "炎陵县", "渌口区", "芦淞区", "荷塘区", "石峰区", "天元区"),
    "湘潭": ("湘潭县", "雨湖区", "岳塘区"),
    "衡阳": ("衡阳县", "衡南县", "衡山县", "衡东县", "祁东县", "常宁市", "南岳区", "珠晖区",
             "雁峰区", "石鼓区", "蒸湘区"),
    "邵阳": ("新邵县", "邵阳县", "隆回县", "洞口县", "绥宁县", "新宁县", "城步苗族自治县",
             "双清区", "大祥区", "北塔区"),
    "岳阳": ("岳阳县", "湘阴县", "平江县", "临湘市", "君山区", "岳阳楼区", "云溪区"),
    "常德": ("安乡县", "汉寿县", "澧县", "临澧县", "石门县", "武陵区", "鼎城区"),
    "张家界": ("慈利县", "桑植县", "永定区", "武陵源区"),
    "益阳": ("南县", "桃江县", "安化县", "资阳区", "赫山区"),
    "郴州": ("桂阳县", "宜章县", "永兴县", "嘉禾县", "临武县", "汝城县", "桂东县", "安仁县",
             "北湖区", "苏仙区"),
    "永州": ("东安县", "双牌县", "道县", "江永县", "宁远县", "蓝山县", "新田县",
             "江华瑶族自治县", "零陵区", "冷水滩区"),
    "怀化": ("中方县", "沅陵县", "辰溪县", "溆浦县", "会同县", "麻阳苗族自治县",
             "新晃侗族自治县", "芷江侗族自治县", "靖州苗族侗族自治县", "通道侗族自治县", "鹤城区"),
    "娄底": ("双峰县", "新化县", "娄星区"),
    "湘西": ("泸溪县", "凤凰县", "花垣县", "保靖县", "古丈县", "永顺县", "龙山县"),
}


@dataclass(frozen=True)
class Unit:
    unit_id: str
    name: str
    level: str  # 市级 / 县级
    parent_id: str | None
    aliases: tuple[str, ...]


def build_units(scale: str = "demo") -> list[Unit]:
    """The unit registry of a scale: 14 prefecture units, then county units (ids stable
    across scales: the demo counties come first under each city)."""
    units: list[Unit] = []
    city_id: dict[str, str] = {}
    for city, code in _CITIES:
        uid = code + "00"
        city_id[city] = uid
        if city == "湘西":
            aliases = ("湘西州开放大学", "湘西电大", "湘西自治州开放大学(湘西电大)")
        elif city == "长沙":
            aliases = ("长沙电大", "长沙广播电视大学", "长沙市广播电视大学")
        else:
            aliases = (f"{city}电大", f"{city}广播电视大学")
        units.append(Unit(uid, f"{_CITY_FULL.get(city, city)}开放大学", "市级", None, aliases))
    places = list(_DEMO_COUNTIES)
    if scale == "province":
        places += [(p, c) for c, ps in _PROVINCE_COUNTIES.items() for p in ps]
    serial: dict[str, int] = {}
    for place, city in places:
        serial[city] = serial.get(city, 0) + 1
        parent = city_id[city]
        uid = f"{parent[:4]}{serial[city]:02d}"
        units.append(Unit(uid, f"{place}开放大学", "县级", parent, (f"{place}电大", f"{place}广播电视大学")))
    return units


_UNITS_ALL = build_units("province")
_ID = {u.name: u.unit_id for u in _UNITS_ALL}


def _uid(place: str) -> str:
    return _ID[_CITY_FULL.get(place, place) + "开放大学"]


SCENARIOS: dict[str, str] = {
    "staff_pass_a": _uid("长沙"),
    "staff_pass_b": _uid("衡阳"),
    "staff_refund_near_limit": _uid("衡阳"),
    "staff_contract_boundary": _uid("衡阳"),
    "staff_unsubstantiated_major": _uid("长沙"),
    "staff_near_miss": _uid("常德"),
    "staff_major_complaint": _uid("岳阳"),
    "staff_no_target": _uid("郴州"),
    "staff_late_contract": _uid("益阳"),
    "staff_high_refund": _uid("醴陵市"),
    "staff_over_refund": _uid("湘乡市"),
    "staff_terminated_contract": _uid("攸县"),
    "staff_no_contract": _uid("韶山市"),
    "staff_no_team": _uid("津市市"),
    "professional_pass_a": _uid("长沙"),
    "professional_pass_b": _uid("株洲"),
    "professional_near_miss": _uid("湘潭"),
    "professional_complaint": _uid("怀化"),
    "professional_no_agreement": _uid("宁乡市"),
    "late_rsvp": _uid("吉首市"),
    "long_deeds": _uid("郴州"),
    "boundary_times": _uid("常德"),
}

SCENARIO_NOTES: dict[str, str] = {
    "staff_pass_a": "passes every staff criterion (36,200 paid trainees, refund rate 0.50%)",
    "staff_pass_b": "passes every staff criterion (33,400 paid trainees)",
    "staff_refund_near_limit": "refund rate 1.35%: passes, flagged refund_rate_near_limit",
    "staff_contract_boundary": "staff contract signed <year>-06-30: exactly 6 months, passes",
    "staff_unsubstantiated_major": "a major staff complaint marked 不属实: does not count",
    "staff_near_miss": "fails only paid_trainees: 29,962 < 30,000",
    "staff_major_complaint": "passes all but major_complaints (one substantiated major complaint)",
    "staff_no_target": "no 应培人数 row: paid_to_target unknown -> needs_review",
    "staff_late_contract": "staff contract signed <year>-08-15: contract_months fails, all else passes",
    "staff_high_refund": "small unit with refund rate 2.4% (refund_rate_over_limit)",
    "staff_over_refund": "one order refunded 20 yuan more than paid (over_refund flag)",
    "staff_terminated_contract": "staff contract terminated <year>-09-30",
    "staff_no_contract": "staff activity but no staff contract",
    "staff_no_team": "no dedicated staff (专职人数 0)",
    "professional_pass_a": "passes every professional criterion (5,200 person-times)",
    "professional_pass_b": "passes every professional criterion (4,600 person-times); "
                           "has a professional complaint dated the previous December (out of period)",
    "professional_near_miss": "fails only income (4,100 person-times, income < 600,000)",
    "professional_complaint": "passes all but complaints (one open minor professional complaint)",
    "professional_no_agreement": "professional enrollments but no agreement; an individual nominee",
    "late_rsvp": "meeting reply sent after the March 7 deadline of the next year",
    "long_deeds": "a staff.individual nomination whose deeds exceed 700 characters",
    "boundary_times": "payments at <year>-01-01 00:00:00 and <year>-12-31 23:59:59 (in), "
                      "<year+1>-01-01 00:00:00 (out)",
}

# (scenario unit, paid trainees, paid/registered, paid/target or None, refund rate)
_STAFF_BIG = (
    ("staff_pass_a", 36200, 0.83, 0.60, 0.0050),
    ("staff_pass_b", 33400, 0.81, 0.58, 0.0135),
    ("staff_near_miss", 29962, 0.84, 0.56, 0.0060),
    ("staff_major_complaint", 31800, 0.82, 0.57, 0.0070),
    ("staff_no_target", 32100, 0.80, None, 0.0060),
    ("staff_late_contract", 30900, 0.82, 0.55, 0.0050),
)
# (scenario unit, person-times, price factor)
_PROF_BIG = (
    ("professional_pass_a", 5200, 1.0),
    ("professional_pass_b", 4600, 1.0),
    ("professional_near_miss", 4100, 0.7),
    ("professional_complaint", 4400, 1.0),
)
_COURSES = (
    ("专业技术人员公需科目：数字经济与创新发展", 120), ("专业技术人员心理健康与压力管理", 150),
    ("人工智能技术应用前沿", 180), ("乡村振兴政策解读与实践", 200), ("职业道德与科研诚信", 100),
    ("大数据分析基础", 240), ("教育信息化2.0实务", 260), ("工程项目管理实务", 300),
    ("卫生健康专业知识更新", 160), ("财会人员继续教育专题", 220), ("农业技术推广新进展", 280),
    ("安全生产法律法规", 140),
)
_FEES = np.array([150, 180, 200])
_MONTH_W = np.array([0.6, 0.5, 1.3, 1.4, 1.2, 1.0, 0.8, 0.7, 1.3, 1.4, 1.2, 0.9])
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                 "蒋蔡余杜叶程苏魏吕丁任沈姚卢姜钟谭陆汪范金石廖贾夏付方邹熊秦江尹雷侯龙"
                 "段贺毛龚邵万覃向汤欧阳")[:-2] + ["欧阳", "司马"]
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文辉海燕鹏"
              "宇浩然思雨欣怡梓涵子轩佳琪俊杰晓东丹阳婷雪梅春生湘楠岚")
_RARE = ("䶮", "𬌗")  # CJK Ext A / Ext E: GB18030 four-byte codes, outside GBK
_ID_REGIONS = np.array([430102, 430103, 430104, 430105, 430111, 430121, 430181, 430182, 430202,
                        430281, 430302, 430381, 430382, 430405, 430481, 430482, 430503, 430521,
                        430581, 430602, 430681, 430702, 430725, 430802, 430902, 430981, 431002,
                        431081, 431102, 431121, 431202, 431281, 431302, 431381, 431382, 433101])
_PHONE_PREFIX = np.array([130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 153, 155,
                          156, 157, 158, 159, 173, 177, 180, 181, 182, 183, 186, 187, 188, 189, 199])


# The province scale's ordinary units are sized so that its staff payments come to about a
# million rows and still fit one worksheet (XLSX_MAX_DATA_ROWS): the payments table is then
# a real workbook in the benchmark's .xlsx set, as a province-wide export usually is.
PROVINCE_STAFF_SIZE = 0.93


def _scale_sizes(scale: str, year: int) -> float:
    if scale not in SCALES:
        raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")
    g = 1.0 if year >= REF_YEAR else 0.9 ** (REF_YEAR - year)
    return g * (0.02 if scale == "small" else 1.0)


def _rng(seed: int, year: int, stream: int = 0) -> np.random.Generator:
    return np.random.default_rng(seed + 7919 * (year - 2000) + 104729 * stream)


# --- time helpers (int64 seconds since 1970, naive Beijing time) -------------------------

def _epoch(y: int, m: int = 1, d: int = 1, hh: int = 0, mm: int = 0, ss: int = 0) -> int:
    return int((dt.datetime(y, m, d, hh, mm, ss) - dt.datetime(1970, 1, 1)).total_seconds())


def _rand_times(rng, n: int, year: int, margin_days: int = 0) -> np.ndarray:
    """n moments in the year (seasonal), at least margin_days before its end."""
    start = _epoch(year)
    ndays = (dt.date(year, 12, 31) - dt.date(year, 1, 1)).days + 1 - margin_days
    months = (np.arange(ndays).astype("timedelta64[D]") + np.datetime64(f"{year}-01-01")
              ).astype("datetime64[M]").astype(int) % 12
    w = _MONTH_W[months]
    days = rng.choice(ndays, size=n, p=w / w.sum())
    secs = rng.integers(7 * 3600 + 1800, 24 * 3600, size=n)
    return start + days.astype(np.int64) * 86400 + secs


def _to_dt(secs) -> pd.Series:
    return pd.Series(np.asarray(secs, dtype=np.int64).astype("datetime64[s]").astype("datetime64[ns]"))


# --- staff -------------------------------------------------------------------------------

@dataclass
class _StaffPlan:
    n_paid: int
    reg_ratio: float
    target_ratio: float | None
    refund_rate: float
    fee_p: tuple[float, float, float] = (0.05, 0.90, 0.05)


@dataclass
class _ProfPlan:
    n_pt: int
    price_factor: float = 1.0


def _plans(units: list[Unit], scale: str, year: int, rng) -> tuple[dict, dict]:
    g = _scale_sizes(scale, year)
    staff: dict[str, _StaffPlan] = {}
    prof: dict[str, _ProfPlan] = {}
    for role, n, rr, tr, rate in _STAFF_BIG:
        staff[SCENARIOS[role]] = _StaffPlan(round(n * g), rr, tr, rate)
    for role, n, pf in _PROF_BIG:
        prof[SCENARIOS[role]] = _ProfPlan(round(n * g), pf)
    province = scale == "province"
    for u in units:
        r = rng.random(8)
        if u.unit_id not in staff:
            if u.level == "市级":
                n = 10000 + r[0] * 14000 if province else 2500 + r[0] * 4000
            else:
                n = 1500 + r[0] * 7000 if province else 500 + r[0] * 2200
            if province:
                n *= PROVINCE_STAFF_SIZE
            rate = 0.002 + r[1] * 0.010
            if u.unit_id == SCENARIOS["staff_high_refund"]:
                rate = 0.024
            staff[u.unit_id] = _StaffPlan(max(3, round(n * g)), 0.55 + r[2] * 0.35,
                                          0.15 + r[3] * 0.45, rate,
                                          (0.2, 0.6, 0.2) if r[4] < 0.3 else (0.05, 0.9, 0.05))
        if u.unit_id not in prof and (r[5] < (0.9 if province else 0.65)
                                      or u.unit_id == SCENARIOS["professional_no_agreement"]):
            n = 400 + r[6] * 1250 if province else 100 + r[6] * 800
            prof[u.unit_id] = _ProfPlan(max(2, round(n * g)), 0.8 + r[7] * 0.4)
    return staff, prof


class _Acc:
    """Column accumulator: append arrays per column, concatenate once."""

    def __init__(self, *cols: str):
        self.cols = {c: [] for c in cols}
        self.n = 0

    def add(self, n: int, **values) -> np.ndarray:
        for c, parts in self.cols.items():
            v = values[c]
            parts.append(np.full(n, v, dtype=object if isinstance(v, str) or v is None else None)
                         if np.ndim(v) == 0 else np.asarray(v))
        pos = np.arange(self.n, self.n + n)
        self.n += n
        return pos

    def arrays(self) -> dict[str, np.ndarray]:
        return {c: (np.concatenate(p) if p else np.array([])) for c, p in self.cols.items()}


def _staff(units, plans, year, rng) -> dict[str, pd.DataFrame]:
    start, end = _epoch(year), _epoch(year, 12, 31, 23, 59, 59)
    prev_dec = _epoch(year - 1, 12, 1)
    pay = _Acc("trainee", "unit", "amount", "t", "ok")
    reg = _Acc("trainee", "unit", "t")
    ref = _Acc("pos", "amount", "t", "reason")
    next_tid = 0

    def tids(n):
        nonlocal next_tid
        out = np.arange(next_tid, next_tid + n, dtype=np.int64)
        next_tid += n
        return out

    for u in units:
        p = plans[u.unit_id]
        uid = u.unit_id
        nA = p.n_paid
        nB = max(1, round(0.45 * p.refund_rate * nA)) if p.refund_rate > 0 else 0
        nC = max(0, round(nA / p.reg_ratio) - nA - nB)
        nD = max(1, round(0.01 * nA))
        A, B, C, D = tids(nA), tids(nB), tids(nC), tids(nD)
        fee = _FEES[rng.choice(3, size=nA + nB, p=p.fee_p)]
        feeA, feeB = fee[:nA], fee[nA:]
        # A: one successful order each (in period)
        tA = _rand_times(rng, nA, year)
        if uid == SCENARIOS["boundary_times"] and nA >= 2:
            tA[0], tA[1] = end, start
        posA = pay.add(nA, trainee=A, unit=uid, amount=feeA, t=tA, ok=np.ones(nA, bool))
        # a few pay twice (second order refunded in full for some)
        im = np.flatnonzero(rng.random(nA) < 0.02)
        tM = _rand_times(rng, len(im), year, margin_days=22)
        posM = pay.add(len(im), trainee=A[im], unit=uid, amount=feeA[im], t=tM, ok=np.ones(len(im), bool))
        # failed attempts before a success
        iff = np.flatnonzero(rng.random(nA) < 0.03)
        pay.add(len(iff), trainee=A[iff], unit=uid, amount=feeA[iff],
                t=tA[iff] - rng.integers(60, 2 * 86400, len(iff)), ok=np.zeros(len(iff), bool))
        # B: paid, then fully refunded in the period
        tB = _rand_times(rng, nB, year, margin_days=22)
        posB = pay.add(nB, trainee=B, unit=uid, amount=feeB, t=tB, ok=np.ones(nB, bool))
        # C: registered only; some failed, some paid after the cut-off
        rC = rng.random(nC)
        icf = np.flatnonzero(rC < 0.20)
        pay.add(len(icf), trainee=C[icf], unit=uid, amount=_FEES[rng.choice(3, len(icf), p=p.fee_p)],
                t=_rand_times(rng, len(icf), year), ok=np.zeros(len(icf), bool))
        icn = np.flatnonzero(rC > 0.98)
        tCn = _epoch(year + 1) + rng.integers(0, 30 * 86400, len(icn))
        if uid == SCENARIOS["boundary_times"] and len(icn):
            tCn[0] = _epoch(year + 1)
        pay.add(len(icn), trainee=C[icn], unit=uid, amount=180, t=tCn, ok=np.ones(len(icn), bool))
        # D: registered and paid in the previous December
        tD = prev_dec + rng.integers(0, 30 * 86400, nD)
        posD = pay.add(nD, trainee=D, unit=uid, amount=180, t=tD, ok=np.ones(nD, bool))

        # registrations
        tfirst = np.concatenate([tA, tB])
        r = rng.random(nA + nB)
        treg = np.where(r < 0.93, tfirst - rng.integers(0, 30 * 86400, nA + nB),
                        _epoch(year - 1, 3) + rng.integers(0, 270 * 86400, nA + nB))
        keep = r < 0.98
        reg.add(int(keep.sum()), trainee=np.concatenate([A, B])[keep], unit=uid, t=treg[keep])
        reg.add(nC, trainee=C, unit=uid, t=_rand_times(rng, nC, year))
        reg.add(nD, trainee=D, unit=uid, t=tD - rng.integers(3600, 60 * 86400, nD))

        # refunds: full in the period (B; some in two parts; one over-refund)
        full_sum = 0
        split = rng.random(nB) < 0.10
        for_over = uid == SCENARIOS["staff_over_refund"] and nB > 0
        if for_over:
            split[0] = False
        whole = np.flatnonzero(~split)
        amt = feeB[whole].copy()
        if for_over:
            amt[0] += 20
        ref.add(len(whole), pos=posB[whole], amount=amt,
                t=tB[whole] + rng.integers(3600, 20 * 86400, len(whole)), reason="学员申请退费")
        full_sum += int(amt.sum())
        ws = np.flatnonzero(split)
        a1 = np.round(feeB[ws] * rng.uniform(0.3, 0.7, len(ws))).astype(np.int64)
        t1 = tB[ws] + rng.integers(3600, 10 * 86400, len(ws))
        ref.add(len(ws), pos=posB[ws], amount=a1, t=t1, reason="分次退费")
        ref.add(len(ws), pos=posB[ws], amount=feeB[ws] - a1,
                t=t1 + rng.integers(3600, 10 * 86400, len(ws)), reason="分次退费")
        full_sum += int(feeB[ws].sum())
        # a second order refunded in full: the trainee still counts
        n_mr = min(len(im), max(1, round(0.001 * nA))) if p.refund_rate > 0 else 0
        if n_mr:
            ref.add(n_mr, pos=posM[:n_mr], amount=feeA[im[:n_mr]],
                    t=tM[:n_mr] + rng.integers(3600, 20 * 86400, n_mr), reason="重复缴费")
            full_sum += int(feeA[im[:n_mr]].sum())
        # refunds after the cut-off against December payments (not counted)
        dec = np.flatnonzero(tA >= _epoch(year, 12, 1))
        n_ac = min(len(dec), max(1, round(0.002 * nA)))
        iac = rng.choice(dec, n_ac, replace=False) if n_ac else np.array([], dtype=np.int64)
        ref.add(n_ac, pos=posA[iac], amount=feeA[iac],
                t=_epoch(year + 1, 1, 2) + rng.integers(0, 23 * 86400, n_ac), reason="学员申请退费")
        # refunds in January of previous-December orders (order not in the year)
        n_dr = max(1, round(0.1 * nD))
        ref.add(n_dr, pos=posD[:n_dr], amount=180,
                t=start + 2 * 86400 + rng.integers(0, 15 * 86400, n_dr), reason="学员申请退费")
        # partial refunds fill the rest of the planned rate
        income = int(feeA.sum() + feeA[im].sum() + feeB.sum())
        rest = round(p.refund_rate * income) - full_sum
        if rest > 0:
            cand = np.setdiff1d(np.arange(nA), iac)
            steps = rng.choice(np.array([30, 40, 50, 60, 80, 90, 100]), size=rest // 30 + 2)
            cs = np.cumsum(steps)
            k = int(np.searchsorted(cs, rest)) + 1
            amts = steps[:k].copy()
            amts[-1] = rest - (cs[k - 2] if k > 1 else 0)
            k = min(k, len(cand))
            ip = rng.choice(cand, k, replace=False)
            tp = tA[ip] + rng.integers(3600, 30 * 86400, k)
            ref.add(k, pos=posA[ip], amount=np.minimum(amts[:k], feeA[ip] - 10),
                    t=np.minimum(tp, end), reason="部分退费")

    # rows of a misspelt unit: quarantine material
    bad = np.array(["株州开放大学"] * 6 + ["湘谭开放大学"] * 3, dtype=object)
    tb = tids(len(bad))
    pay.add(len(bad), trainee=tb, unit=bad, amount=180, t=_rand_times(rng, len(bad), year),
            ok=np.ones(len(bad), bool))
    badr = np.array(["长沙开方大学", "长沙开方大学", "株州开放大学"], dtype=object)
    reg.add(len(badr), trainee=tids(len(badr)), unit=badr, t=_rand_times(rng, len(badr), year))

    P, R, F = pay.arrays(), reg.arrays(), ref.arrays()
    # export order: by time; order ids carry the payment's date and time
    order = np.lexsort((P["trainee"], P["t"]))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    t = P["t"][order]
    tt = t.astype("datetime64[s]")
    ymd = _ymdhms(tt)
    seq = pd.Series(np.arange(len(t)) + 1).astype(str).str.zfill(7).to_numpy(dtype=object)
    order_ids = ymd + seq
    tr = _trainee_ids(year, P["trainee"][order])
    payments = pd.DataFrame({
        "order_id": pd.array(order_ids, dtype="str"),
        "trainee_id": pd.array(tr, dtype="str"),
        "unit": pd.array(P["unit"][order].astype(object), dtype="str"),
        "amount": P["amount"][order].astype(np.int64),
        "paid_at": _to_dt(t),
        "status": pd.array(np.where(P["ok"][order].astype(bool), "success", "failure"), dtype="str"),
    })
    ro = np.lexsort((F["pos"], F["t"]))
    rids = (f"TF{year}" + pd.Series(np.arange(len(ro)) + 1).astype(str).str.zfill(6)).to_numpy(dtype=object)
    refunds = pd.DataFrame({
        "refund_id": pd.array(rids, dtype="str"),
        "order_id": pd.array(order_ids[rank[F["pos"][ro].astype(np.int64)]], dtype="str"),
        "amount": F["amount"][ro].astype(np.int64),
        "refunded_at": _to_dt(F["t"][ro]),
        "reason": pd.array(F["reason"][ro].astype(object), dtype="str"),
    })
    go = np.lexsort((R["trainee"], R["t"]))
    n = len(go)
    names, idn, phones = _people(rng, n)
    registrations = pd.DataFrame({
        "trainee_id": pd.array(_trainee_ids(year, R["trainee"][go]), dtype="str"),
        "unit": pd.array(R["unit"][go].astype(object), dtype="str"),
        "registered_at": _to_dt(R["t"][go]),
        "name": pd.array(names, dtype="str"),
        "id_number": pd.array(idn, dtype="str"),
        "phone": pd.array(phones, dtype="str"),
    })
    return {"staff_registrations": registrations, "staff_payments": payments, "staff_refunds": refunds}


def _ymdhms(tt: np.ndarray) -> np.ndarray:
    """YYYYMMDDhhmmss strings of datetime64[s] values, vectorised."""
    Y, M, D, h, mi, s = _parts(tt)
    return (Y.astype(str).astype(object) + _P2[M] + _P2[D] + _P2[h] + _P2[mi] + _P2[s])


def _trainee_ids(year: int, n: np.ndarray) -> np.ndarray:
    # 12 digits, unique within a year's data set
    return (pd.Series(np.asarray(n, dtype=np.int64) + 10_000_000 + (year % 100) * 100_000_000)
            .astype(str).str.zfill(12).to_numpy(dtype=object))


def _people(rng, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Synthetic names, 18-digit resident ID numbers (valid check digit) and mobile numbers."""
    sur = np.array(_SURNAMES, dtype=object)[rng.integers(0, len(_SURNAMES), n)]
    g1 = np.array(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), n)]
    g2 = np.array(_GIVEN, dtype=object)[rng.integers(0, len(_GIVEN), n)]
    two = rng.random(n) < 0.7
    names = np.where(two, sur + g1 + g2, sur + g1)
    rare = np.flatnonzero(rng.random(n) < 0.0005)
    names[rare] = sur[rare] + np.array(_RARE, dtype=object)[rare % 2]
    region = _ID_REGIONS[rng.integers(0, len(_ID_REGIONS), n)]
    birth = (np.datetime64("1962-01-01") + rng.integers(0, 38 * 365, n).astype("timedelta64[D]"))
    Y, M, D, *_ = _parts(birth.astype("datetime64[s]"))
    seqn = rng.integers(0, 1000, n)
    body = np.stack([region // 10 ** k % 10 for k in range(5, -1, -1)]
                    + [Y // 10 ** k % 10 for k in range(3, -1, -1)]
                    + [M // 10, M % 10, D // 10, D % 10]
                    + [seqn // 100, seqn // 10 % 10, seqn % 10], axis=1)
    w = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
    check = np.array(list("10X98765432"), dtype=object)[(body * w).sum(axis=1) % 11]
    digits = (region.astype(str).astype(object) + Y.astype(str).astype(object) + _P2[M] + _P2[D]
              + pd.Series(seqn).astype(str).str.zfill(3).to_numpy(dtype=object) + check)
    phones = (_PHONE_PREFIX[rng.integers(0, len(_PHONE_PREFIX), n)] * 100_000_000
              + rng.integers(0, 100_000_000, n)).astype(str).astype(object)
    return names, digits, phones


_P2 = np.array([f"{i:02d}" for i in range(100)], dtype=object)
_P1 = np.array([str(i) for i in range(100)], dtype=object)


def _parts(tt: np.ndarray):
    tt = np.asarray(tt).astype("datetime64[s]")
    Y = tt.astype("datetime64[Y]").astype(np.int64) + 1970
    mo = tt.astype("datetime64[M]")
    M = mo.astype(np.int64) % 12 + 1
    D = (tt.astype("datetime64[D]") - mo.astype("datetime64[D]")).astype(np.int64) + 1
    sod = (tt - tt.astype("datetime64[D]")).astype(np.int64)
    return Y, M, D, sod // 3600, sod // 60 % 60, sod % 60


# --- professional ------------------------------------------------------------------------

def _professional(units, plans, year, rng) -> dict[str, pd.DataFrame]:
    end = _epoch(year, 12, 31, 23, 59, 59)
    C = len(_COURSES)
    base = np.array([p for _, p in _COURSES])
    enr = _Acc("trainee", "unit", "course", "amount", "t", "ok")
    ref = _Acc("pos", "amount", "t", "reason")
    next_tid = 0

    def tids(n):
        nonlocal next_tid
        out = np.arange(next_tid, next_tid + n, dtype=np.int64)
        next_tid += n
        return out

    bulk_units = [u.unit_id for u in units if u.unit_id in plans and u.unit_id not in
                  {SCENARIOS[r] for r, *_ in _PROF_BIG}][:3]
    for u in units:
        if u.unit_id not in plans:
            continue
        uid, p = u.unit_id, plans[u.unit_id]
        price = np.maximum(100, np.round(base * p.price_factor / 10) * 10).astype(np.int64)
        k = rng.choice(np.array([1, 2, 3, 4]), size=p.n_pt, p=[0.45, 0.3, 0.15, 0.1])
        cs = np.cumsum(k)
        ntr = int(np.searchsorted(cs, p.n_pt)) + 1
        k = k[:ntr].copy()
        k[-1] -= cs[ntr - 1] - p.n_pt
        tr = tids(ntr)
        first = np.repeat(np.cumsum(k) - k, k)
        j = np.arange(p.n_pt) - first
        course = (np.repeat(rng.integers(0, C, ntr), k) + j) % C
        trainee = np.repeat(tr, k)
        amount = price[course]
        if uid in bulk_units:
            amount = amount.copy()
            amount[0] = (12000, 18000, 25000)[bulk_units.index(uid)]
        t = _rand_times(rng, p.n_pt, year)
        pos = enr.add(p.n_pt, trainee=trainee, unit=uid, course=course, amount=amount, t=t,
                      ok=np.ones(p.n_pt, bool))
        # repurchases of the same course: person-times unchanged
        ir = np.flatnonzero(rng.random(p.n_pt) < 0.02)
        enr.add(len(ir), trainee=trainee[ir], unit=uid, course=course[ir], amount=price[course[ir]],
                t=_rand_times(rng, len(ir), year), ok=np.ones(len(ir), bool))
        # failed orders
        iff = np.flatnonzero(rng.random(p.n_pt) < 0.03)
        cf = rng.integers(0, C, len(iff))
        enr.add(len(iff), trainee=trainee[iff], unit=uid, course=cf, amount=price[cf],
                t=_rand_times(rng, len(iff), year), ok=np.zeros(len(iff), bool))
        # new pairs refunded in full in the period: not counted
        nF = max(1, round(0.01 * p.n_pt))
        cF = rng.integers(0, C, nF)
        tF = _rand_times(rng, nF, year, margin_days=22)
        posF = enr.add(nF, trainee=tids(nF), unit=uid, course=cF, amount=price[cF], t=tF,
                       ok=np.ones(nF, bool))
        ref.add(nF, pos=posF, amount=price[cF], t=tF + rng.integers(3600, 20 * 86400, nF),
                reason="课程未开通")
        # previous December (out of period)
        nD = max(1, round(0.01 * p.n_pt))
        cD = rng.integers(0, C, nD)
        enr.add(nD, trainee=tids(nD), unit=uid, course=cD, amount=price[cD],
                t=_epoch(year - 1, 12, 1) + rng.integers(0, 30 * 86400, nD), ok=np.ones(nD, bool))
        # refunds after the cut-off (not counted) and partial refunds in the period
        dec = np.flatnonzero(t >= _epoch(year, 12, 1))
        n_ac = min(len(dec), max(1, round(0.003 * p.n_pt)))
        iac = rng.choice(dec, n_ac, replace=False) if n_ac else np.array([], dtype=np.int64)
        ref.add(n_ac, pos=pos[iac], amount=amount[iac],
                t=_epoch(year + 1, 1, 3) + rng.integers(0, 20 * 86400, n_ac), reason="学员申请退费")
        cand = np.setdiff1d(np.arange(p.n_pt), iac)
        n_pa = min(len(cand), max(1, round(0.01 * p.n_pt)))
        ip = rng.choice(cand, n_pa, replace=False)
        pa = np.maximum(10, np.round(amount[ip] * rng.uniform(0.2, 0.5, n_pa) / 10) * 10).astype(np.int64)
        ref.add(n_pa, pos=pos[ip], amount=pa,
                t=np.minimum(t[ip] + rng.integers(3600, 30 * 86400, n_pa), end), reason="部分退费")
    bad = np.array(["怀化开发大学", "怀化开发大学"], dtype=object)
    enr.add(2, trainee=tids(2), unit=bad, course=np.array([0, 1]), amount=base[:2],
            t=_rand_times(rng, 2, year), ok=np.ones(2, bool))

    E, F = enr.arrays(), ref.arrays()
    order = np.lexsort((E["trainee"], E["t"]))
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    t = E["t"][order]
    Y, M, D, *_ = _parts(t.astype("datetime64[s]"))
    oid = ("ZJ" + Y.astype(str).astype(object) + _P2[M] + _P2[D]
           + pd.Series(np.arange(len(t)) + 1).astype(str).str.zfill(6).to_numpy(dtype=object))
    tid = ("ZJ" + pd.Series(E["trainee"][order].astype(np.int64) + 1).astype(str).str.zfill(8)
           .to_numpy(dtype=object))
    names = np.array([c for c, _ in _COURSES], dtype=object)
    enrollments = pd.DataFrame({
        "order_id": pd.array(oid, dtype="str"),
        "trainee_id": pd.array(tid, dtype="str"),
        "unit": pd.array(E["unit"][order].astype(object), dtype="str"),
        "amount": E["amount"][order].astype(np.int64),
        "paid_at": _to_dt(t),
        "course": pd.array(names[E["course"][order].astype(np.int64)], dtype="str"),
        "status": pd.array(np.where(E["ok"][order].astype(bool), "success", "failure"), dtype="str"),
    })
    ro = np.lexsort((F["pos"], F["t"]))
    refunds = pd.DataFrame({
        "refund_id": pd.array((f"ZT{year}" + pd.Series(np.arange(len(ro)) + 1).astype(str).str.zfill(5))
                              .to_numpy(dtype=object), dtype="str"),
        "order_id": pd.array(oid[rank[F["pos"][ro].astype(np.int64)]], dtype="str"),
        "amount": F["amount"][ro].astype(np.int64),
        "refunded_at": _to_dt(F["t"][ro]),
        "reason": pd.array(F["reason"][ro].astype(object), dtype="str"),
    })
    return {"professional_enrollments": enrollments, "professional_refunds": refunds}


# --- registry tables ---------------------------------------------------------------------

def _registry(units, staff_plans, prof_plans, year, rng) -> dict[str, pd.DataFrame]:
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
        if has_prof and (r[1] < 0.85 or u.unit_id in {S[x] for x, *_ in _PROF_BIG}):
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
    big = {S[x] for x, *_ in _STAFF_BIG} | {S[x] for x, *_ in _PROF_BIG}
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


def _complaints(units, year) -> pd.DataFrame:
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


def _deeds(rng, n_chars: int, breaks: bool = True) -> str:
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


def _nominations(units, year, rng) -> pd.DataFrame:
    S = SCENARIOS
    name = {u.unit_id: u.name for u in units}
    T = pd.Timestamp
    L = contract.CATEGORY_LABELS
    rows = [
        ("staff.collective", S["staff_pass_a"], name[S["staff_pass_a"]], _deeds(rng, 560), pd.NaT, "周建国", "谭丽", "培训部主任", "13807310001"),
        ("staff.collective", S["staff_pass_b"], name[S["staff_pass_b"]], _deeds(rng, 480), pd.NaT, "李志文", "王芳", "办公室主任", "13907340002"),
        ("staff.collective", S["staff_near_miss"], name[S["staff_near_miss"]], _deeds(rng, 630), pd.NaT, "陈明", "刘洋", "培训专干", "13607360003"),
        ("staff.collective", S["staff_major_complaint"], name[S["staff_major_complaint"]], _deeds(rng, 400), pd.NaT, "彭海燕", "曾强", "副校长", "15807300004"),
        ("staff.individual", S["staff_pass_a"], "谭湘楠", _deeds(rng, 520), T(year - 3, 3, 1), "周建国", "谭丽", "培训部主任", "13807310001"),
        ("staff.individual", S["staff_late_contract"], "贺晓东", _deeds(rng, 350), T(year, 8, 1), "龚平", "贺晓东", "培训专干", "18907370005"),
        ("staff.individual", S["long_deeds"], "邓思雨", _deeds(rng, 760), T(year - 2, 9, 1), "袁刚", "邓思雨", "培训部副主任", "13707350006"),
        ("professional.collective", S["professional_pass_a"], name[S["professional_pass_a"]], _deeds(rng, 500), pd.NaT, "周建国", "谭丽", "培训部主任", "13807310001"),
        ("professional.collective", S["professional_pass_b"], name[S["professional_pass_b"]], _deeds(rng, 450), pd.NaT, "易文辉", "罗婷", "继续教育科科长", "13973300007"),
        ("professional.individual", S["professional_pass_b"], "刘" + _RARE[0], _deeds(rng, 300), T(year - 2, 5, 1), "易文辉", "罗婷", "继续教育科科长", "13973300007"),
        ("professional.individual", S["professional_no_agreement"], "覃俊杰", _deeds(rng, 280), T(year - 1, 3, 1), "黄勇", "覃俊杰", "培训专干", "15173100008"),
        ("professional.individual", S["professional_near_miss"], "向佳琪", _deeds(rng, 330), T(year, 3, 15), "肖军", "向佳琪", "培训专干", "13873200009"),
        ("innovation.staff", S["staff_pass_b"], None, _deeds(rng, 700), pd.NaT, "李志文", "王芳", "办公室主任", "13907340002"),
        ("innovation.professional", S["professional_complaint"], None, _deeds(rng, 420), pd.NaT, "杨春生", "唐" + _RARE[1], "信息中心主任", "13574500010"),
    ]
    df = pd.DataFrame(rows, columns=["category", "unit", "nominee", "deeds", "started_on", "unit_leader",
                                     "contact_name", "contact_title", "contact_phone"])
    assert set(df["category"]) == set(L)
    return df.astype({c: "str" for c in ("category", "unit", "deeds", "unit_leader", "contact_name",
                                         "contact_title", "contact_phone")})


def _rsvp(units, year) -> pd.DataFrame:
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
        (S["professional_complaint"], "王" + _RARE[1], "男", "信息中心主任", "13574500017", "", True, T(y, 3, 4, 8, 0)),
        (SCENARIOS["late_rsvp"], "彭雪梅", "女", "培训专干", "15974300018", "回执补报", True, T(y, 3, 10, 14, 22)),
        (_uid("浏阳市"), "黎辉", "男", "校长", "13787310019", "", False, T(y, 2, 25, 17, 48)),
        (S["staff_major_complaint"], "曾强", "男", "副校长", "15807300004", "", True, T(y, 3, 2, 9, 9)),
    ]
    df = pd.DataFrame(rows, columns=["unit", "name", "gender", "title", "phone", "note", "needs_room",
                                     "submitted_at"])
    return df.astype({c: "str" for c in ("unit", "name", "gender", "title", "phone", "note")})


def generate_frames(year: int, scale: str = "demo", seed: int = DEFAULT_SEED) -> dict[str, pd.DataFrame]:
    """The clean, logical records of a year (before they are rendered messy).

    Canonical column names; ``unit`` holds a unit_id, or the misspelt name of a row that
    must be quarantined; amounts are whole yuan (int64); times are ``datetime64[ns]``;
    ``status`` is ``success``/``failure``; complaints' severity is ``major``/``minor``,
    ``substantiated`` True/False/None, ``status`` ``closed``/``open``; nominations'
    ``category`` is the canonical code. Rows outside the period, failed payments and
    refunds after the cut-off are included (the evaluation must exclude them); exact
    duplicate rows are added only when writing.
    """
    rng = _rng(seed, year)
    units = build_units("province" if scale == "province" else "demo")
    staff_plans, prof_plans = _plans(units, scale, year, rng)
    frames = _registry(units, staff_plans, prof_plans, year, rng)
    frames.update(_staff(units, staff_plans, year, rng))
    frames.update(_professional(units, prof_plans, year, rng))
    frames["complaints"] = _complaints(units, year)
    frames["nominations"] = _nominations(units, year, rng)
    frames["rsvp"] = _rsvp(units, year)
    return {name: frames[name] for name in contract.TABLES}


# --- rendering ---------------------------------------------------------------------------

def _h(table: str, column: str, i: int = 0) -> str:
    """Header for a column: its i-th Chinese alias from the contract."""
    if column == "unit":
        return contract.UNIT_ALIASES[i]
    c = contract.TABLES[table].column(column)
    return c.aliases[i] if c.aliases else c.name


_FW = str.maketrans("0123456789.", "０１２３４５６７８９．")


def _fmt_times(t: pd.Series, forms: np.ndarray) -> np.ndarray:
    """Render times in one of seven notations per row (see the data contract)."""
    tt = t.to_numpy().astype("datetime64[s]")
    Y, M, D, h, mi, s = _parts(tt)
    ys = Y.astype(str).astype(object)
    out = np.empty(len(tt), dtype=object)
    for f in np.unique(forms):
        m = forms == f
        y_, M_, D_, h_, mi_, s_ = ys[m], M[m], D[m], h[m], mi[m], s[m]
        if f == 0:
            v = y_ + "-" + _P2[M_] + "-" + _P2[D_] + " " + _P2[h_] + ":" + _P2[mi_] + ":" + _P2[s_]
        elif f == 1:
            v = y_ + "/" + _P1[M_] + "/" + _P1[D_] + " " + _P1[h_] + ":" + _P2[mi_]
        elif f == 2:
            v = y_ + "年" + _P1[M_] + "月" + _P1[D_] + "日"
        elif f == 3:
            v = y_ + _P2[M_] + _P2[D_]
        elif f == 4:
            v = y_ + "-" + _P2[M_] + "-" + _P2[D_] + "T" + _P2[h_] + ":" + _P2[mi_] + ":" + _P2[s_]
        elif f == 5:
            v = y_ + "." + _P1[M_] + "." + _P1[D_] + " " + _P2[h_] + ":" + _P2[mi_] + ":" + _P2[s_]
        else:
            v = y_ + "年" + _P1[M_] + "月" + _P1[D_] + "日 " + _P1[h_] + "时" + _P2[mi_] + "分"
        out[m] = v
    return out


def _excel_serial(t: pd.Series) -> np.ndarray:
    secs = t.to_numpy().astype("datetime64[s]").astype(np.int64)
    return secs / 86400.0 + 25569.0


def _time_cells(t: pd.Series, rng, target: str, p_forms, p_cell=0.0, p_serial=0.0) -> np.ndarray:
    """Text in mixed notations; in workbooks also real date cells and Excel serials."""
    n = len(t)
    nat = t.isna().to_numpy()
    if nat.any():
        t = t.fillna(pd.Timestamp(2000, 1, 1))
    forms = rng.choice(len(p_forms), size=n, p=p_forms)
    out = _fmt_times(t, forms)
    r = rng.random(n)  # drawn whatever the target, so text cells agree across formats
    if target == "xlsx" and (p_cell or p_serial):
        cell = r < p_cell
        ser = (r >= p_cell) & (r < p_cell + p_serial)
        if cell.any():
            out[np.flatnonzero(cell)] = list(t[cell].dt.to_pydatetime())
        if ser.any():
            out[ser] = _excel_serial(t[ser])
    out[nat] = None
    return out


def _amount_cells(a: pd.Series, rng, target: str, p) -> np.ndarray:
    """plain, 180.00, ¥180, ￥180, 180元, full-width; numbers in workbooks."""
    v = a.to_numpy().astype(np.int64)
    s = v.astype(str).astype(object)
    kind = rng.choice(6, size=len(v), p=p)
    out = s.copy()
    out[kind == 1] = s[kind == 1] + ".00"
    out[kind == 2] = "¥" + s[kind == 2]
    out[kind == 3] = "￥" + s[kind == 3]
    out[kind == 4] = s[kind == 4] + "元"
    fw = np.flatnonzero(kind == 5)
    out[fw] = [x.translate(_FW) for x in s[fw]]
    big = v >= 10000
    out[big] = [f"{x / 10000:g}万元" for x in v[big]]
    if target == "xlsx":
        num = kind == 0
        out[num & ~big] = v[num & ~big].tolist()
    return out


def _unit_cells(units_map: dict[str, Unit], col: pd.Series, rng, p_alias=0.03, p_space=0.03,
                p_id=0.0) -> np.ndarray:
    """Unit names as exports have them: mostly the name, some aliases (with full-width
    brackets), stray spaces, sometimes the id; unknown (misspelt) values kept as they are."""
    vals = col.to_numpy(dtype=object)
    names = {k: u.name for k, u in units_map.items()}
    out = pd.Series(vals).map(names).to_numpy(dtype=object)
    unknown = pd.isna(out)
    out[unknown] = vals[unknown]
    r = rng.random(len(vals))
    known = ~unknown
    ia = np.flatnonzero(known & (r < p_alias))
    pick = rng.integers(0, 3, len(ia))
    al = []
    for i, k in zip(ia, pick, strict=True):
        a = units_map[vals[i]].aliases
        bracketed = [x for x in a if "(" in x]  # written with full-width brackets in details
        x = bracketed[0] if bracketed and k else a[k % len(a)]
        al.append(x.replace("(", "（").replace(")", "）"))
    out[ia] = al
    isp = np.flatnonzero(known & (r >= p_alias) & (r < p_alias + p_space))
    how = rng.integers(0, 4, len(isp))
    sp = []
    for i, k in zip(isp, how, strict=True):
        x = out[i]
        sp.append((x + " ", " " + x, x[:2] + " " + x[2:], x[:2] + "\u3000" + x[2:])[k])
    out[isp] = sp
    iid = known & (r >= p_alias + p_space) & (r < p_alias + p_space + p_id)
    out[iid] = vals[iid]
    return out


def _status_cells(status: pd.Series, refunded: np.ndarray, rng) -> np.ndarray:
    ok_words = np.array(contract.STATUS_WORDS["success"][1:5], dtype=object)  # 成功, 支付成功, 已支付, 已缴费
    bad_words = np.array(contract.STATUS_WORDS["failure"][1:], dtype=object)
    refunded_word = contract.STATUS_WORDS["success"][6]  # 已退款
    n = len(status)
    ok = (status == "success").to_numpy()
    out = np.where(ok, ok_words[rng.choice(4, n, p=[0.1, 0.75, 0.1, 0.05])],
                   bad_words[rng.integers(0, len(bad_words), n)]).astype(object)
    ref = ok & refunded & (rng.random(n) < 0.5)
    out[ref] = refunded_word
    return out


@dataclass
class _Sheet:
    table: str
    columns: dict[str, np.ndarray]  # header -> cells
    title: str | None = None
    footer: list | None = None


def _render(frames: dict[str, pd.DataFrame], year: int, scale: str, seed: int,
            targets: dict[str, str]) -> dict[str, _Sheet]:
    """Every table as headers and cell values; a table whose target is 'csv' gets text
    only, 'xlsx' also numbers, date cells and Excel serials."""
    rng = _rng(seed, year, stream=1)
    units = build_units("province" if scale == "province" else "demo")
    um = {u.unit_id: u for u in units}
    sheets: dict[str, _Sheet] = {}
    TW = contract.TRACK_WORDS

    f = frames["units"]
    target = targets["units"]
    sheets["units"] = _Sheet("units", {
        _h("units", "unit_id", 0): f["unit_id"].to_numpy(dtype=object),
        _h("units", "unit_name", 0): f["unit_name"].to_numpy(dtype=object),
        _h("units", "aliases", 1): np.array([a.replace("；", sep, 1) for a, sep in
                                             zip(f["aliases"], np.resize(["；", "、", ";", "，"], len(f)), strict=True)],
                                            dtype=object),
        _h("units", "level", 0): f["level"].to_numpy(dtype=object),
        _h("units", "parent_id", 0): f["parent_id"].to_numpy(dtype=object),
    }, title=f"湖南开放大学办学体系单位名册（{year}年）")

    f = frames["contracts"]
    target = targets["contracts"]
    track_w = {"staff": (TW["staff"][1], TW["staff"][3]), "professional": (TW["professional"][1], TW["professional"][4])}
    tr = np.array([track_w[t][i % 2] for i, t in enumerate(f["track"])], dtype=object)
    sheets["contracts"] = _Sheet("contracts", {
        _h("contracts", "unit", 1): _unit_cells(um, f["unit"], rng, p_alias=0.05, p_space=0.05),
        _h("contracts", "track", 2): tr,
        _h("contracts", "signed_on", 0): _time_cells(f["signed_on"], rng, target, [0, 0, 0.6, 0.4, 0, 0, 0],
                                                    p_cell=0.7, p_serial=0.1),
        _h("contracts", "contract_no", 1): f["contract_no"].to_numpy(dtype=object),
        _h("contracts", "terminated_on", 0): _time_cells(f["terminated_on"], rng, target, [0, 0, 1, 0, 0, 0, 0]),
    }, title=f"合作协议台账（截至{year}年12月31日）")
    # dates in contracts are dates: cut the time part of the text forms
    k = _h("contracts", "signed_on", 0)
    sheets["contracts"].columns[k] = np.array(
        [x.split(" ")[0] if isinstance(x, str) else x for x in sheets["contracts"].columns[k]], dtype=object)

    f = frames["targets"]
    target = targets["targets"]
    sheets["targets"] = _Sheet("targets", {
        _h("targets", "unit", 6): f["unit"].to_numpy(dtype=object),  # 单位编码: ids with a leading zero
        _h("targets", "target", 0): f["target"].astype(str).to_numpy(dtype=object) if target == "csv"
        else f["target"].to_numpy().tolist(),
    }, title=f"{year}年各单位应培人数")

    f = frames["teams"]
    target = targets["teams"]
    sheets["teams"] = _Sheet("teams", {
        _h("teams", "unit", 0): _unit_cells(um, f["unit"], rng, p_alias=0.05, p_space=0.05),
        _h("teams", "track", 0): np.array([TW[t][2] for t in f["track"]], dtype=object),
        _h("teams", "dedicated_staff", 1): f["dedicated_staff"].to_numpy().tolist(),
    }, title=f"{year}年培训团队专职人员统计")

    f = frames["staff_registrations"]
    target = targets["staff_registrations"]
    sheets["staff_registrations"] = _Sheet("staff_registrations", {
        _h("staff_registrations", "trainee_id", 1): f["trainee_id"].to_numpy(dtype=object),
        _h("staff_registrations", "unit", 3): _unit_cells(um, f["unit"], rng),
        _h("staff_registrations", "registered_at", 0): _time_cells(
            f["registered_at"], rng, target, [0.5, 0.2, 0.1, 0.1, 0.1, 0, 0], p_cell=0.8, p_serial=0.1),
        _h("staff_registrations", "name", 0): f["name"].to_numpy(dtype=object),
        _h("staff_registrations", "id_number", 0): f["id_number"].to_numpy(dtype=object),
        _h("staff_registrations", "phone", 1): f["phone"].to_numpy(dtype=object),
    }, title=f"{year}年事业单位工作人员培训注册明细")

    f = frames["staff_payments"]
    target = targets["staff_payments"]
    refunded_orders = frames["staff_refunds"]["order_id"].unique()
    refunded = f["order_id"].isin(refunded_orders).to_numpy()
    channels = np.array(["微信支付", "支付宝", "银联"], dtype=object)
    sheets["staff_payments"] = _Sheet("staff_payments", {
        _h("staff_payments", "order_id", 0): f["order_id"].to_numpy(dtype=object),
        _h("staff_payments", "trainee_id", 0): f["trainee_id"].to_numpy(dtype=object),
        _h("staff_payments", "unit", 1): _unit_cells(um, f["unit"], rng, p_id=0.01),
        _h("staff_payments", "amount", 1): _amount_cells(f["amount"], rng, target, [0.62, 0.1, 0.06, 0.06, 0.1, 0.06]),
        _h("staff_payments", "paid_at", 0): _time_cells(
            f["paid_at"], rng, target, [0.55, 0.15, 0.07, 0.07, 0.10, 0.03, 0.03], p_cell=0.8, p_serial=0.1),
        _h("staff_payments", "status", 0): _status_cells(f["status"], refunded, rng),
        "支付渠道": channels[rng.integers(0, 3, len(f))],  # not in the contract: ignored
    }, title=f"{year}年缴费明细表")

    for name, title, hi in (("staff_refunds", f"{year}年事业单位退费明细", 0),
                            ("professional_refunds", f"专技退费明细（{year}年度）", 1)):
        f = frames[name]
        target = targets[name]
        sheets[name] = _Sheet(name, {
            _h(name, "refund_id", hi): f["refund_id"].to_numpy(dtype=object),
            _h(name, "order_id", 2 * hi): f["order_id"].to_numpy(dtype=object),
            _h(name, "amount", hi): _amount_cells(f["amount"], rng, target, [0.8, 0.1, 0.05, 0.0, 0.05, 0.0]),
            _h(name, "refunded_at", hi): _time_cells(f["refunded_at"], rng, target,
                                                     [0.6, 0.2, 0.1, 0.0, 0.1, 0, 0], p_cell=0.6, p_serial=0.1),
            _h(name, "reason", 0): f["reason"].to_numpy(dtype=object),
        }, title=title)
    sheets["professional_refunds"].footer = ["合计", None, int(frames["professional_refunds"]["amount"].sum()), None, None]

    f = frames["professional_enrollments"]
    target = targets["professional_enrollments"]
    refunded = f["order_id"].isin(frames["professional_refunds"]["order_id"].unique()).to_numpy()
    sheets["professional_enrollments"] = _Sheet("professional_enrollments", {
        _h("professional_enrollments", "order_id", 1): f["order_id"].to_numpy(dtype=object),
        _h("professional_enrollments", "trainee_id", 2): f["trainee_id"].to_numpy(dtype=object),
        _h("professional_enrollments", "unit", 4): _unit_cells(um, f["unit"], rng, p_alias=0.05),
        _h("professional_enrollments", "amount", 0): _amount_cells(f["amount"], rng, target, [0.85, 0.03, 0.03, 0.03, 0.03, 0.03]),
        _h("professional_enrollments", "paid_at", 1): _time_cells(
            f["paid_at"], rng, target, [0.6, 0.15, 0.05, 0.05, 0.15, 0, 0], p_cell=0.75, p_serial=0.12),
        _h("professional_enrollments", "course", 1): f["course"].to_numpy(dtype=object),
        _h("professional_enrollments", "status", 1): _status_cells(f["status"], refunded, rng),
    }, title=f"{year}年专技报名明细表")

    f = frames["complaints"]
    target = targets["complaints"]
    sev = {"major": contract.SEVERITY_WORDS["major"][1:], "minor": contract.SEVERITY_WORDS["minor"][1:]}
    sub = {True: "是", False: contract.UNSUBSTANTIATED_WORDS[1], None: None}
    closed = contract.CLOSED_WORDS
    open_words = ("处理中", "待处理")
    sheets["complaints"] = _Sheet("complaints", {
        _h("complaints", "complaint_id", 0): f["complaint_id"].to_numpy(dtype=object),
        _h("complaints", "unit", 1): np.array([um[x].aliases[0] if i == 1 else um[x].name
                                               for i, x in enumerate(f["unit"])], dtype=object),
        _h("complaints", "track", 0): np.array([TW[t][3 if i % 2 else 1] for i, t in enumerate(f["track"])], dtype=object),
        _h("complaints", "received_at", 1): _time_cells(f["received_at"], rng, target,
                                                        [0.5, 0.2, 0.3, 0, 0, 0, 0], p_cell=0.7),
        _h("complaints", "severity", 1): np.array([sev[s][i % len(sev[s])] for i, s in enumerate(f["severity"])], dtype=object),
        _h("complaints", "substantiated", 0): np.array([sub[None if pd.isna(x) else bool(x)] for x in f["substantiated"]], dtype=object),
        _h("complaints", "summary", 0): f["summary"].to_numpy(dtype=object),
        _h("complaints", "status", 0): np.array([closed[i % 4] if s == "closed" else open_words[i % 2]
                                                 for i, s in enumerate(f["status"])], dtype=object),
    }, title=f"{year}年投诉登记台账")

    f = frames["nominations"]
    target = targets["nominations"]
    unit_col = np.array([um[x].name for x in f["unit"]], dtype=object)
    unit_col[3] = unit_col[3][:2] + " " + unit_col[3][2:]
    sheets["nominations"] = _Sheet("nominations", {
        _h("nominations", "category", 0): np.array([contract.CATEGORY_LABELS[c] for c in f["category"]], dtype=object),
        _h("nominations", "unit", 1): unit_col,
        _h("nominations", "nominee", 2): f["nominee"].to_numpy(dtype=object),
        _h("nominations", "deeds", 0): f["deeds"].to_numpy(dtype=object),
        _h("nominations", "started_on", 0): _time_cells(f["started_on"], rng, target, [0, 0, 0.5, 0, 0, 0.5, 0],
                                                        p_cell=0.6, p_serial=0.2),
        _h("nominations", "unit_leader", 0): f["unit_leader"].to_numpy(dtype=object),
        _h("nominations", "contact_name", 0): f["contact_name"].to_numpy(dtype=object),
        _h("nominations", "contact_title", 0): f["contact_title"].to_numpy(dtype=object),
        _h("nominations", "contact_phone", 0): f["contact_phone"].to_numpy(dtype=object),
    }, title=f"{year}年度先进集体、先进个人和创新创意奖推荐汇总表")
    k = _h("nominations", "started_on", 0)
    sheets["nominations"].columns[k] = np.array(
        [x.split(" ")[0] if isinstance(x, str) else x for x in sheets["nominations"].columns[k]], dtype=object)

    f = frames["rsvp"]
    target = targets["rsvp"]
    yes, no = contract.BOOL_WORDS[True], contract.BOOL_WORDS[False]
    rooms = np.array([(yes[i % 3] if v else no[i % 3]) for i, v in enumerate(f["needs_room"])], dtype=object)
    rooms = np.array([w.upper() if len(w) == 1 else w for w in rooms], dtype=object)  # Y / N
    unit_col = np.array([um[x].name for x in f["unit"]], dtype=object)
    unit_col[1] = um[f["unit"].iloc[1]].aliases[1]  # 长沙广播电视大学
    sheets["rsvp"] = _Sheet("rsvp", {
        _h("rsvp", "unit", 1): unit_col,
        _h("rsvp", "name", 0): f["name"].to_numpy(dtype=object),
        _h("rsvp", "gender", 0): f["gender"].to_numpy(dtype=object),
        _h("rsvp", "title", 0): f["title"].to_numpy(dtype=object),
        _h("rsvp", "phone", 0): f["phone"].to_numpy(dtype=object),
        _h("rsvp", "note", 0): f["note"].to_numpy(dtype=object),
        _h("rsvp", "needs_room", 0): rooms,
        _h("rsvp", "submitted_at", 1): _time_cells(f["submitted_at"], rng, target, [0.6, 0.4, 0, 0, 0, 0, 0]),
    }, title=f"{year}年度培训工作会议参会回执汇总")

    # a re-exported block: exact duplicate rows (payments) and a few repeated registrations
    _duplicate(sheets["staff_payments"], rng, frac=0.004)
    _duplicate(sheets["staff_registrations"], rng, frac=0.001)
    _duplicate(sheets["professional_enrollments"], rng, frac=0.002)
    return sheets


def _duplicate(sheet: _Sheet, rng, frac: float) -> None:
    n = len(next(iter(sheet.columns.values())))
    k = max(2, int(n * frac))
    at = int(rng.integers(0, max(1, n - k)))
    for h, col in sheet.columns.items():
        col = np.asarray(col, dtype=object)
        sheet.columns[h] = np.concatenate([col, col[at:at + k]])


# --- rows to quarantine (fmt "mixed") ------------------------------------------------------
# Each kind of unusable row the ingest stage quarantines, a few of each, as branch schools'
# exports have them. They are added to the rendered files only: none of them is usable, so
# the clean records of ``generate_frames`` (what ingest uses) stay as they are. They sit on
# small county units that no scenario uses, and the unit of every one resolves, so each
# row shows its own reason (and, were a value ever read after all, no scenario would move).
_BROKEN_UNITS = ("汨罗市", "沅江市", "资兴市", "冷水江市", "祁阳市", "华容县", "武冈市")

QUARANTINE_NOTES: dict[str, str] = {
    "unknown_unit": "payments, registrations and enrollments of misspelt units (株州开放大学, 长沙开方大学, 怀化开发大学…)",
    "bad_amount": "payments of 一百八 and 180元整, an enrollment of 一百二十",
    "bad_date": "payments dated <year>-13-45 and 明天, an enrollment dated <year>年2月30日",
    "non_positive_amount": "a payment of 0 and one of -180 (a refund typed as a payment)",
    "missing_value": "two payments with an empty trainee id",
    "bad_value": "payments with the status 处理中 and 退款中; a nomination of the unknown category "
                 "事业单位工作人员培训先进单位",
    "conflicting_key": "one order exported twice, at 180 and at 200 yuan (both rows quarantined)",
    "unknown_order": "two staff refunds and one professional refund of orders that do not exist",
}


def _canonical(table: str, header: str) -> str:
    """The contract column a rendered header stands for (an extra column: itself)."""
    for c in contract.TABLES[table].columns:
        if header == c.name or header in (contract.UNIT_ALIASES if c.kind == "unit" else c.aliases):
            return c.name
    return header


def _insert_rows(sheet: _Sheet, rows: list[dict], at=None) -> None:
    """Insert rows (canonical column -> cell; absent columns empty): row i before the
    body row ``at[i]`` (0-based, clipped to the end; default: all at the end)."""
    n = len(next(iter(sheet.columns.values())))
    at = np.full(len(rows), n) if at is None else np.minimum(np.asarray(at, dtype=np.int64), n)
    for h, col in sheet.columns.items():
        c = _canonical(sheet.table, h)
        vals = np.empty(len(rows), dtype=object)
        vals[:] = [r.get(c) for r in rows]
        sheet.columns[h] = np.insert(np.asarray(col, dtype=object), at, vals)


def _add_broken_rows(sheets: dict[str, _Sheet], frames: dict[str, pd.DataFrame], year: int,
                     seed: int) -> None:
    rng = _rng(seed, year, stream=2)
    uids = [_uid(p) for p in _BROKEN_UNITS]
    names = {u.unit_id: u.name for u in _UNITS_ALL}

    def when(k: int) -> tuple[np.ndarray, np.ndarray]:
        """k moments in the year: as seconds and as 2022-03-05 14:03:07 text."""
        t = _rand_times(rng, k, year)
        return t, _fmt_times(_to_dt(t), np.zeros(k, dtype=np.int64))

    def place(table: str, column: str, t: np.ndarray) -> np.ndarray:
        """Where rows of these times go in a file sorted by time (as the exports are)."""
        secs = frames[table][column].to_numpy().astype("datetime64[s]").astype(np.int64)
        return np.searchsorted(secs, t)

    def trainee(table: str, uid: str) -> str:
        reg = frames[table]
        ids = reg["trainee_id"][(reg["unit"] == uid).to_numpy()].to_numpy(dtype=object)
        return str(ids[int(rng.integers(0, len(ids)))])

    # staff payments: (amount, paid_at or None for a good time, status, trainee id or None)
    pay = frames["staff_payments"]
    spec = [
        ("一百八", None, "支付成功", None), ("180元整", None, "已支付", None),
        ("180", f"{year}-13-45 10:12:33", "支付成功", None), ("200", "明天", "已缴费", None),
        ("0", None, "支付成功", None), ("-180", None, "已退款", None),
        ("180", None, "支付成功", ""), ("150", None, "支付成功", ""),
        ("180", None, "处理中", None), ("200", None, "退款中", None),
    ]
    t, text = when(len(spec) + 1)
    seq = np.arange(len(spec) + 1) + len(pay) + 1
    oids = _ymdhms(t.astype("datetime64[s]")) + pd.Series(seq).astype(str).str.zfill(7).to_numpy(dtype=object)
    rows = []
    for i, (amount, paid_at, status, tid) in enumerate(spec):
        uid = uids[i % len(uids)]
        rows.append({"order_id": oids[i], "unit": names[uid], "amount": amount,
                     "trainee_id": trainee("staff_registrations", uid) if tid is None else tid,
                     "paid_at": text[i] if paid_at is None else paid_at, "status": status,
                     "支付渠道": "微信支付"})
    # one order exported twice, the second time with another amount
    uid = uids[-1]
    again = {"order_id": oids[-1], "trainee_id": trainee("staff_registrations", uid),
             "unit": names[uid], "paid_at": text[-1], "status": "支付成功", "支付渠道": "支付宝"}
    rows += [dict(again, amount="180"), dict(again, amount="200")]
    # in time order; the changed copy comes with the re-exported rows at the end
    _insert_rows(sheets["staff_payments"], rows, [*place("staff_payments", "paid_at", t), 10 ** 9])

    # professional enrollments
    enr = frames["professional_enrollments"]
    t, text = when(2)
    Y, M, D, *_ = _parts(t.astype("datetime64[s]"))
    oids = ["ZJ" + f"{y}{m:02d}{d:02d}" + str(len(enr) + 1 + i).zfill(6)
            for i, (y, m, d) in enumerate(zip(Y, M, D, strict=True))]
    rows = []
    for i, (amount, paid_at) in enumerate((("一百二十", text[0]), ("120", f"{year}年2月30日 14时05分"))):
        uid = next(u for u in uids[i:] if (enr["unit"] == u).any())
        rows.append({"order_id": oids[i], "trainee_id": trainee("professional_enrollments", uid),
                     "unit": names[uid], "amount": amount, "paid_at": paid_at,
                     "course": _COURSES[4][0], "status": "支付成功"})
    _insert_rows(sheets["professional_enrollments"], rows, place("professional_enrollments", "paid_at", t))

    # refunds of orders that are in no payment file: ids of the payment files' form, with
    # a sequence number (9…) that no order has
    t, text = when(3)
    placed = _ymdhms((t - 5 * 86400).astype("datetime64[s]"))  # when the orders were placed
    for name, prefix, width, order_ids, k in (
            ("staff_refunds", "TF", 6, [placed[0] + "9000000", placed[1] + "9000001"], [0, 1]),
            ("professional_refunds", "ZT", 5, ["ZJ" + placed[2][:8] + "900000"], [2])):
        n0 = len(frames[name])
        rows = [{"refund_id": f"{prefix}{year}{n0 + 1 + i:0{width}d}", "order_id": oid, "amount": "180",
                 "refunded_at": text[j], "reason": "学员申请退费"}
                for i, (oid, j) in enumerate(zip(order_ids, k, strict=True))]
        _insert_rows(sheets[name], rows, place(name, "refunded_at", t[k]))
        if sheets[name].footer:  # 合计 of the amount column
            sheets[name].footer[2] += 180 * len(rows)

    # a nomination of a category the notice does not have (先进单位 for 先进集体)
    uid = uids[0]
    _insert_rows(sheets["nominations"], [{
        "category": "事业单位工作人员培训先进单位", "unit": names[uid], "nominee": names[uid],
        "deeds": _deeds(rng, 320), "unit_leader": "易建华", "contact_name": "李婷",
        "contact_title": "培训专干", "contact_phone": "13874000021"}])


# --- writing -----------------------------------------------------------------------------

# (file name index in contract.TABLES[t].file_names, suffix, csv encoding) for fmt="mixed"
_MIXED = {
    "units": (0, ".xlsx", None),
    "contracts": (0, ".xlsx", None),
    "targets": (0, ".csv", "utf-8"),
    "teams": (0, ".xlsx", None),
    "staff_registrations": (0, ".csv", "utf-8-sig"),
    "staff_payments": (0, ".csv", "gb18030"),
    "staff_refunds": (0, ".xlsx", None),
    "professional_enrollments": (0, ".xlsx", None),
    "professional_refunds": (0, ".xlsx", None),
    "complaints": (0, ".xlsx", None),
    "nominations": (0, ".xlsx", None),
    "rsvp": (0, ".csv", "gb18030"),
}


def _write_csv(path: Path, sheet: _Sheet, encoding: str) -> None:
    df = pd.DataFrame({h: pd.Series(c, dtype=object) for h, c in sheet.columns.items()})
    crlf = encoding == "gb18030"  # the Windows export tool
    df.to_csv(path, index=False, encoding=encoding, lineterminator="\r\n" if crlf else "\n")


# In fmt "mixed", a workbook of at most this many rows carries its title as a merged,
# centred banner across the table (openpyxl's normal mode; larger ones stream in
# write-only mode, which cannot merge cells).
BANNER_MAX_ROWS = 1000


# The most data rows a table may have to be written as a workbook: Excel's 1,048,576
# rows per sheet less the header row.
XLSX_MAX_DATA_ROWS = 1_048_575


def _rows(sheet: _Sheet) -> int:
    return len(next(iter(sheet.columns.values())))


def _write_xlsx(path: Path, sheet: _Sheet, year: int, banner: bool = False) -> None:
    from openpyxl import Workbook

    stamp = dt.datetime(year + 1, 1, 5, 9, 0, 0)
    wb = Workbook(write_only=not banner)
    wb.properties.creator = "湖南开放大学培训管理平台"
    wb.properties.created = stamp
    wb.properties.modified = stamp
    if banner:
        ws = wb.active
        ws.title = "Sheet1"
    else:
        ws = wb.create_sheet(title="Sheet1")
    if sheet.title:
        ws.append([sheet.title])
        ws.append([])
    ws.append(list(sheet.columns))
    cols = [np.asarray(c, dtype=object).tolist() for c in sheet.columns.values()]
    for row in zip(*cols, strict=True):
        ws.append(row)
    if sheet.footer:
        ws.append(sheet.footer)
    if banner and sheet.title:
        from openpyxl.styles import Alignment, Font

        ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(sheet.columns))
        ws["A1"].font = Font(bold=True, size=14)
        ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
        ws.row_dimensions[1].height = 28
    buf = io.BytesIO()
    wb.save(buf)
    path.write_bytes(fixed_ooxml(buf.getvalue(), stamp))


def write_demo_data(year: int, out: str | Path | None = None, *, scale: str = "demo",
                    seed: int = DEFAULT_SEED, fmt: str = "mixed") -> Path:
    """Write the synthetic input folder of a year and return it.

    fmt ``mixed``: the messy demo mix (workbooks with title rows, merged title banners in
    the small ones, GB18030 / UTF-8 / UTF-8-with-BOM CSVs) with a few rows of every kind
    the ingest stage quarantines (``QUARANTINE_NOTES``); ``csv``: every table as UTF-8
    CSV; ``xlsx``: every table as a workbook (for the benchmark: of the rows to
    quarantine only the misspelt units' ones, which ``generate_frames`` holds), but a
    table of more than ``XLSX_MAX_DATA_ROWS`` rows as a UTF-8 CSV with BOM (no sheet
    holds that many). Table
    files already in the folder (any format) are removed first: two files of one table
    would be an error for ingest. Other files are left alone.
    """
    if fmt not in FORMATS:
        raise ValueError(f"fmt must be one of {FORMATS}, got {fmt!r}")
    _scale_sizes(scale, year)
    out_dir = paths.data_dir(year, out)
    out_dir.mkdir(parents=True, exist_ok=True)
    frames = generate_frames(year, scale, seed)
    layout = {}
    for name, (idx, suffix, enc) in _MIXED.items():
        if fmt == "csv":
            suffix, enc = ".csv", "utf-8"
        elif fmt == "xlsx":
            suffix, enc = ".xlsx", None
        layout[name] = (contract.TABLES[name].file_names[idx] + suffix, enc)
    targets = {n: ("csv" if f.endswith(".csv") else "xlsx") for n, (f, _) in layout.items()}
    sheets = _render(frames, year, scale, seed, targets)
    # A worksheet holds at most 1,048,576 rows (Excel's limit; WPS's too), so no real
    # export has a workbook with more data rows than that: such a table (the province
    # scale's registrations) is written as CSV, UTF-8 with BOM, as the export tools do
    # for big tables. It is rendered again as text (no date cells or numbers in a CSV);
    # the rendering draws the same random numbers whatever the target.
    too_big = [n for n, sh in sheets.items()
               if targets[n] == "xlsx" and _rows(sh) > XLSX_MAX_DATA_ROWS]
    if too_big:
        for n in too_big:
            targets[n] = "csv"
            layout[n] = (contract.TABLES[n].file_names[_MIXED[n][0]] + ".csv", "utf-8-sig")
        sheets = _render(frames, year, scale, seed, targets)
    if fmt == "mixed":
        _add_broken_rows(sheets, frames, year, seed)
    stale = [p for p in out_dir.iterdir()
             if p.suffix.lower() in contract.FILE_SUFFIXES and contract.table_for_stem(p.stem)]
    for p in stale:
        p.unlink()
    for name in contract.TABLES:
        file_name, enc = layout[name]
        path = out_dir / file_name
        if enc:
            _write_csv(path, sheets[name], enc)
        else:
            _write_xlsx(path, sheets[name], year,
                        banner=fmt == "mixed" and _rows(sheets[name]) <= BANNER_MAX_ROWS)
        log.debug("wrote %s", path)
    return out_dir
