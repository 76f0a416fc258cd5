"""Every table rendered as a sheet (headers, cells, title row, footer) the way the
branch schools' exports look, with a re-exported block of duplicate rows."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from toolkit.demo.cells import amount_cells, column_header, status_cells, time_cells, unit_cells
from toolkit.demo.plans import random_stream
from toolkit.demo.small_tables import CATEGORY_WORDS
from toolkit.demo.units import build_units
from toolkit.ingest import contract


@dataclass
class Sheet:
    """A table as it is written: headers and cells, a title row and a footer row."""

    table: str
    columns: dict[str, np.ndarray]  # header -> cells
    title: str | None = None
    footer: list | None = None


def render_sheets(frames: dict[str, pd.DataFrame], year: int, scale: str, seed: int,
                  targets: dict[str, str]) -> dict[str, Sheet]:
    """Every table as headers and cell values; a table whose target is 'csv' gets text
    only, 'xlsx' also numbers, date cells and Excel serials."""
    rng = random_stream(seed, year, stream=1)
    units = build_units("province" if scale == "province" else "demo")
    um = {u.unit_id: u for u in units}
    sheets: dict[str, Sheet] = {}
    TW = contract.TRACK_WORDS

    f = frames["units"]
    target = targets["units"]
    sheets["units"] = Sheet("units", {
        column_header("units", "unit_id", 0): f["unit_id"].to_numpy(dtype=object),
        column_header("units", "unit_name", 0): f["unit_name"].to_numpy(dtype=object),
        column_header("units", "aliases", 1): np.array([a.replace("；", sep, 1) for a, sep in
                                                        zip(f["aliases"], np.resize(["；", "、", ";", "，"], len(f)), strict=True)],
                                                       dtype=object),
        column_header("units", "level", 0): f["level"].to_numpy(dtype=object),
        column_header("units", "parent_id", 0): f["parent_id"].to_numpy(dtype=object),
    }, title=f"湖南开放大学办学体系单位名册（{year}年）")

    f = frames["contracts"]
    target = targets["contracts"]
    track_w = {"staff": (TW["staff"][1], TW["staff"][3]), "professional": (TW["professional"][1], TW["professional"][4])}
    tr = np.array([track_w[t][i % 2] for i, t in enumerate(f["track"])], dtype=object)
    sheets["contracts"] = Sheet("contracts", {
        column_header("contracts", "unit", 1): unit_cells(um, f["unit"], rng, p_alias=0.05, p_space=0.05),
        column_header("contracts", "track", 2): tr,
        column_header("contracts", "signed_on", 0): time_cells(f["signed_on"], rng, target, [0, 0, 0.6, 0.4, 0, 0, 0],
                                                    p_cell=0.7, p_serial=0.1),
        column_header("contracts", "contract_no", 1): f["contract_no"].to_numpy(dtype=object),
        column_header("contracts", "terminated_on", 0): time_cells(f["terminated_on"], rng, target, [0, 0, 1, 0, 0, 0, 0]),
    }, title=f"合作协议台账（截至{year}年12月31日）")
    # dates in contracts are dates: cut the time part of the text forms
    k = column_header("contracts", "signed_on", 0)
    sheets["contracts"].columns[k] = np.array(
        [x.split(" ")[0] if isinstance(x, str) else x for x in sheets["contracts"].columns[k]], dtype=object)

    f = frames["targets"]
    target = targets["targets"]
    sheets["targets"] = Sheet("targets", {
        column_header("targets", "unit", 6): f["unit"].to_numpy(dtype=object),  # 单位编码: ids with a leading zero
        column_header("targets", "target", 0): f["target"].astype(str).to_numpy(dtype=object) if target == "csv"
        else f["target"].to_numpy().tolist(),
    }, title=f"{year}年各单位应培人数")

    f = frames["teams"]
    target = targets["teams"]
    sheets["teams"] = Sheet("teams", {
        column_header("teams", "unit", 0): unit_cells(um, f["unit"], rng, p_alias=0.05, p_space=0.05),
        column_header("teams", "track", 0): np.array([TW[t][2] for t in f["track"]], dtype=object),
        column_header("teams", "dedicated_staff", 1): f["dedicated_staff"].to_numpy().tolist(),
    }, title=f"{year}年培训团队专职人员统计")

    f = frames["staff_registrations"]
    target = targets["staff_registrations"]
    sheets["staff_registrations"] = Sheet("staff_registrations", {
        column_header("staff_registrations", "trainee_id", 1): f["trainee_id"].to_numpy(dtype=object),
        column_header("staff_registrations", "unit", 3): unit_cells(um, f["unit"], rng),
        column_header("staff_registrations", "registered_at", 0): time_cells(
            f["registered_at"], rng, target, [0.5, 0.2, 0.1, 0.1, 0.1, 0, 0], p_cell=0.8, p_serial=0.1),
        column_header("staff_registrations", "name", 0): f["name"].to_numpy(dtype=object),
        column_header("staff_registrations", "id_number", 0): f["id_number"].to_numpy(dtype=object),
        column_header("staff_registrations", "phone", 1): f["phone"].to_numpy(dtype=object),
    }, title=f"{year}年事业单位工作人员培训注册明细")

    f = frames["staff_payments"]
    target = targets["staff_payments"]
    refunded_orders = frames["staff_refunds"]["order_id"].unique()
    refunded = f["order_id"].isin(refunded_orders).to_numpy()
    channels = np.array(["微信支付", "支付宝", "银联"], dtype=object)
    sheets["staff_payments"] = Sheet("staff_payments", {
        column_header("staff_payments", "order_id", 0): f["order_id"].to_numpy(dtype=object),
        column_header("staff_payments", "trainee_id", 0): f["trainee_id"].to_numpy(dtype=object),
        column_header("staff_payments", "unit", 1): unit_cells(um, f["unit"], rng, p_id=0.01),
        column_header("staff_payments", "amount", 1): amount_cells(f["amount"], rng, target, [0.62, 0.1, 0.06, 0.06, 0.1, 0.06]),
        column_header("staff_payments", "paid_at", 0): time_cells(
            f["paid_at"], rng, target, [0.55, 0.15, 0.07, 0.07, 0.10, 0.03, 0.03], p_cell=0.8, p_serial=0.1),
        column_header("staff_payments", "status", 0): status_cells(f["status"], refunded, rng),
        "支付渠道": channels[rng.integers(0, 3, len(f))],  # not in the contract: ignored
    }, title=f"{year}年缴费明细表")

    for name, title, hi in (("staff_refunds", f"{year}年事业单位退费明细", 0),
                            ("professional_refunds", f"专技退费明细（{year}年度）", 1)):
        f = frames[name]
        target = targets[name]
        sheets[name] = Sheet(name, {
            column_header(name, "refund_id", hi): f["refund_id"].to_numpy(dtype=object),
            column_header(name, "order_id", 2 * hi): f["order_id"].to_numpy(dtype=object),
            column_header(name, "amount", hi): amount_cells(f["amount"], rng, target, [0.8, 0.1, 0.05, 0.0, 0.05, 0.0]),
            column_header(name, "refunded_at", hi): time_cells(f["refunded_at"], rng, target,
                                                               [0.6, 0.2, 0.1, 0.0, 0.1, 0, 0], p_cell=0.6, p_serial=0.1),
            column_header(name, "reason", 0): f["reason"].to_numpy(dtype=object),
        }, title=title)
    sheets["professional_refunds"].footer = ["合计", None, int(frames["professional_refunds"]["amount"].sum()), None, None]

    f = frames["professional_enrollments"]
    target = targets["professional_enrollments"]
    refunded = f["order_id"].isin(frames["professional_refunds"]["order_id"].unique()).to_numpy()
    sheets["professional_enrollments"] = Sheet("professional_enrollments", {
        column_header("professional_enrollments", "order_id", 1): f["order_id"].to_numpy(dtype=object),
        column_header("professional_enrollments", "trainee_id", 2): f["trainee_id"].to_numpy(dtype=object),
        column_header("professional_enrollments", "unit", 4): unit_cells(um, f["unit"], rng, p_alias=0.05),
        column_header("professional_enrollments", "amount", 0): amount_cells(f["amount"], rng, target, [0.85, 0.03, 0.03, 0.03, 0.03, 0.03]),
        column_header("professional_enrollments", "paid_at", 1): time_cells(
            f["paid_at"], rng, target, [0.6, 0.15, 0.05, 0.05, 0.15, 0, 0], p_cell=0.75, p_serial=0.12),
        column_header("professional_enrollments", "course", 1): f["course"].to_numpy(dtype=object),
        column_header("professional_enrollments", "status", 1): status_cells(f["status"], refunded, rng),
    }, title=f"{year}年专技报名明细表")

    f = frames["complaints"]
    target = targets["complaints"]
    sev = {"major": contract.SEVERITY_WORDS["major"][1:], "minor": contract.SEVERITY_WORDS["minor"][1:]}
    sub = {True: "是", False: contract.UNSUBSTANTIATED_WORDS[1], None: None}
    closed = contract.CLOSED_WORDS
    open_words = ("处理中", "待处理")
    sheets["complaints"] = Sheet("complaints", {
        column_header("complaints", "complaint_id", 0): f["complaint_id"].to_numpy(dtype=object),
        column_header("complaints", "unit", 1): np.array([um[x].aliases[0] if i == 1 else um[x].name
                                                          for i, x in enumerate(f["unit"])], dtype=object),
        column_header("complaints", "track", 0): np.array([TW[t][3 if i % 2 else 1] for i, t in enumerate(f["track"])], dtype=object),
        column_header("complaints", "received_at", 1): time_cells(f["received_at"], rng, target,
                                                                  [0.5, 0.2, 0.3, 0, 0, 0, 0], p_cell=0.7),
        column_header("complaints", "severity", 1): np.array([sev[s][i % len(sev[s])] for i, s in enumerate(f["severity"])], dtype=object),
        column_header("complaints", "substantiated", 0): np.array([sub[None if pd.isna(x) else bool(x)] for x in f["substantiated"]], dtype=object),
        column_header("complaints", "summary", 0): f["summary"].to_numpy(dtype=object),
        column_header("complaints", "status", 0): np.array([closed[i % 4] if s == "closed" else open_words[i % 2]
                                                            for i, s in enumerate(f["status"])], dtype=object),
    }, title=f"{year}年投诉登记台账")

    f = frames["nominations"]
    target = targets["nominations"]
    unit_col = np.array([um[x].name for x in f["unit"]], dtype=object)
    unit_col[3] = unit_col[3][:2] + " " + unit_col[3][2:]
    sheets["nominations"] = Sheet("nominations", {
        column_header("nominations", "category", 0): np.array([CATEGORY_WORDS[c] for c in f["category"]], dtype=object),
        column_header("nominations", "unit", 1): unit_col,
        column_header("nominations", "nominee", 2): f["nominee"].to_numpy(dtype=object),
        column_header("nominations", "deeds", 0): f["deeds"].to_numpy(dtype=object),
        column_header("nominations", "started_on", 0): time_cells(f["started_on"], rng, target, [0, 0, 0.5, 0, 0, 0.5, 0],
                                                                  p_cell=0.6, p_serial=0.2),
        column_header("nominations", "unit_leader", 0): f["unit_leader"].to_numpy(dtype=object),
        column_header("nominations", "contact_name", 0): f["contact_name"].to_numpy(dtype=object),
        column_header("nominations", "contact_title", 0): f["contact_title"].to_numpy(dtype=object),
        column_header("nominations", "contact_phone", 0): f["contact_phone"].to_numpy(dtype=object),
    }, title=f"{year}年度先进集体、先进个人和创新创意奖推荐汇总表")
    k = column_header("nominations", "started_on", 0)
    sheets["nominations"].columns[k] = np.array(
        [x.split(" ")[0] if isinstance(x, str) else x for x in sheets["nominations"].columns[k]], dtype=object)

    f = frames["rsvp"]
    target = targets["rsvp"]
    yes, no = contract.BOOL_WORDS[True], contract.BOOL_WORDS[False]
    rooms = np.array([(yes[i % 3] if v else no[i % 3]) for i, v in enumerate(f["needs_room"])], dtype=object)
    rooms = np.array([w.upper() if len(w) == 1 else w for w in rooms], dtype=object)  # Y / N
    unit_col = np.array([um[x].name for x in f["unit"]], dtype=object)
    unit_col[1] = um[f["unit"].iloc[1]].aliases[1]  # 长沙广播电视大学
    sheets["rsvp"] = Sheet("rsvp", {
        column_header("rsvp", "unit", 1): unit_col,
        column_header("rsvp", "name", 0): f["name"].to_numpy(dtype=object),
        column_header("rsvp", "gender", 0): f["gender"].to_numpy(dtype=object),
        column_header("rsvp", "title", 0): f["title"].to_numpy(dtype=object),
        column_header("rsvp", "phone", 0): f["phone"].to_numpy(dtype=object),
        column_header("rsvp", "note", 0): f["note"].to_numpy(dtype=object),
        column_header("rsvp", "needs_room", 0): rooms,
        column_header("rsvp", "submitted_at", 1): time_cells(f["submitted_at"], rng, target, [0.6, 0.4, 0, 0, 0, 0, 0]),
    }, title=f"{year}年度培训工作会议参会回执汇总")

    # a re-exported block: exact duplicate rows (payments) and a few repeated registrations
    _duplicate(sheets["staff_payments"], rng, frac=0.004)
    _duplicate(sheets["staff_registrations"], rng, frac=0.001)
    _duplicate(sheets["professional_enrollments"], rng, frac=0.002)
    return sheets


def _duplicate(sheet: Sheet, rng, frac: float) -> None:
    n = len(next(iter(sheet.columns.values())))
    k = max(2, int(n * frac))
    at = int(rng.integers(0, max(1, n - k)))
    for h, col in sheet.columns.items():
        col = np.asarray(col, dtype=object)
        sheet.columns[h] = np.concatenate([col, col[at:at + k]])
