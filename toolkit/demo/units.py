"""The unit registry of the synthetic data set and the scenario units.

The 14 prefecture-level open universities and their county-level units (``build_units``);
``SCENARIOS`` names the units that exercise the 2022 criteria, ``SCENARIO_NOTES`` says
what each one is for.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    """A branch school: id, name, 市级/县级, parent unit id, the aliases exports use."""

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


UNITS_ALL = build_units("province")
_ID = {u.name: u.unit_id for u in UNITS_ALL}


def unit_id_of(place: str) -> str:
    """The unit id of a place (a city as in ``_CITIES`` or a county-level place)."""
    return _ID[_CITY_FULL.get(place, place) + "开放大学"]


SCENARIOS: dict[str, str] = {
    "staff_pass_a": unit_id_of("长沙"),
    "staff_pass_b": unit_id_of("衡阳"),
    "staff_refund_near_limit": unit_id_of("衡阳"),
    "staff_contract_boundary": unit_id_of("衡阳"),
    "staff_unsubstantiated_major": unit_id_of("长沙"),
    "staff_near_miss": unit_id_of("常德"),
    "staff_major_complaint": unit_id_of("岳阳"),
    "staff_no_target": unit_id_of("郴州"),
    "staff_late_contract": unit_id_of("益阳"),
    "staff_high_refund": unit_id_of("醴陵市"),
    "staff_over_refund": unit_id_of("湘乡市"),
    "staff_terminated_contract": unit_id_of("攸县"),
    "staff_no_contract": unit_id_of("韶山市"),
    "staff_no_team": unit_id_of("津市市"),
    "professional_pass_a": unit_id_of("长沙"),
    "professional_pass_b": unit_id_of("株洲"),
    "professional_near_miss": unit_id_of("湘潭"),
    "professional_complaint": unit_id_of("怀化"),
    "professional_no_agreement": unit_id_of("宁乡市"),
    "late_rsvp": unit_id_of("吉首市"),
    "long_deeds": unit_id_of("郴州"),
    "boundary_times": unit_id_of("常德"),
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
