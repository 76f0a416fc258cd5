"""A small synthetic year, used only while ``toolkit.demo`` is not available.

Messy on purpose in the ways the data contract allows: units referenced by id, name or
alias (with stray spaces and full-width brackets), amounts as ``¥180`` / ``1.8万元`` /
``１８０``, dates in several spellings, status words, exact duplicates, failed payments,
rows outside the period, refunds after the cut-off and over-refunds.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

TABLE_HEADERS = {
    "units": ["单位编码", "单位名称", "别名"],
    "targets": ["单位", "应培人数"],
    "contracts": ["单位", "项目", "签订日期"],
    "teams": ["单位", "项目", "专职人员数"],
    "staff_registrations": ["学员编号", "单位", "注册时间"],
    "staff_payments": ["订单号", "学员编号", "单位", "金额", "支付时间", "支付状态"],
    "staff_refunds": ["订单号", "退费金额", "退费时间", "退费单号"],
    "professional_enrollments": ["订单号", "学员编号", "单位", "金额", "支付时间", "课程", "支付状态"],
    "professional_refunds": ["订单号", "退费金额", "退费时间", "退费单号"],
    "complaints": ["单位", "项目", "受理时间", "等级", "是否属实"],
}


def _date(rng: random.Random, year: int, *, spill: float = 0.02) -> str:
    y = year
    r = rng.random()
    if r < spill / 2:
        y = year - 1
    elif r < spill:
        y = year + 1
    m, d = rng.randint(1, 12), rng.randint(1, 28)
    hh, mm, ss = rng.randint(0, 23), rng.randint(0, 59), rng.randint(0, 59)
    style = rng.randrange(6)
    if style == 0:
        return f"{y}-{m:02d}-{d:02d} {hh:02d}:{mm:02d}:{ss:02d}"
    if style == 1:
        return f"{y}/{m}/{d} {hh}:{mm:02d}"
    if style == 2:
        return f"{y}.{m}.{d}"
    if style == 3:
        return f"{y}{m:02d}{d:02d}"
    if style == 4:
        return f"{y}年{m}月{d}日 {hh}时{mm:02d}分"
    return f"{y}-{m:02d}-{d:02d}T{hh:02d}:{mm:02d}:{ss:02d}"


def _amount(rng: random.Random, fen: int) -> str:
    yuan = fen / 100
    style = rng.randrange(6)
    text = f"{yuan:.2f}" if fen % 100 else f"{int(yuan)}"
    if style == 0:
        return text
    if style == 1:
        return f"¥{text}"
    if style == 2:
        return f"{text}元"
    if style == 3 and fen % 100 == 0 and yuan >= 1000 and int(yuan) % 100 == 0:
        return f"{yuan / 10000:g}万元"
    if style == 4 and yuan >= 1000:
        return f"{yuan:,.2f}"
    if style == 5:
        return text.translate(str.maketrans("0123456789.", "０１２３４５６７８９．"))
    return text


def _rows(year: int, n_payments: int, seed: int) -> dict[str, list[list]]:
    rng = random.Random(seed)
    n_units = 24
    units, refs = [], {}
    for i in range(n_units):
        uid = f"U{i + 1:03d}"
        name = f"第{i + 1}开放大学(分校)"
        alias = f"第{i + 1}电大"
        units.append([uid, name, f"{alias};第{i + 1}广播电视大学"])
        refs[uid] = [uid, name, f" 第{i + 1}开放大学（分校） ", alias, f"第 {i + 1} 电大"]
    t = {k: [] for k in TABLE_HEADERS}
    t["units"] = units
    for uid, *_ in units:
        t["targets"].append([uid, rng.randint(1000, 60000)])
        t["contracts"].append([uid, "事业单位工作人员培训", f"{year - 1}-0{rng.randint(1, 9)}-15"])
        t["contracts"].append([uid, "专技", f"{year}-03-01"])
        t["teams"].append([uid, "事业单位", rng.randint(0, 3)])
    weights = [rng.random() ** 2 + 0.05 for _ in units]

    def unit_ref() -> str:
        uid = rng.choices(units, weights)[0][0]
        return rng.choice(refs[uid]) if rng.random() < 0.3 else uid

    n_trainees = max(10, n_payments * 3 // 4)
    for _ in range(int(n_payments * 0.9)):
        t["staff_registrations"].append([f"T{rng.randrange(n_trainees):08d}", unit_ref(), _date(rng, year)])
    for track, n, courses in (("staff", n_payments, None), ("professional", n_payments // 3, 40)):
        pay_table = "staff_payments" if track == "staff" else "professional_enrollments"
        ref_table = "staff_refunds" if track == "staff" else "professional_refunds"
        for k in range(n):
            oid = f"{'S' if track == 'staff' else 'P'}{year}{k:09d}"
            fen = rng.choice([18000, 18000, 36000, 9950, 120000, 1000000])
            status = rng.choices(["支付成功", "成功", "已退款", "支付失败", "已取消"], [70, 15, 5, 7, 3])[0]
            row = [oid, f"T{rng.randrange(n_trainees):08d}", unit_ref(), _amount(rng, fen), _date(rng, year)]
            if courses:
                row.append("" if rng.random() < 0.05 else f"课程{rng.randrange(courses)}")
            row.append(status)
            t[pay_table].append(row)
            if rng.random() < 0.002:
                t[pay_table].append(list(row))  # exact duplicate
            if rng.random() < 0.03:
                part = rng.choice([fen, fen, fen // 2, fen + 100])
                t[ref_table].append([oid, _amount(rng, part), _date(rng, year, spill=0.1), f"R{oid}"])
        t[ref_table].append([f"X{year}000000001", "100", f"{year}-05-05", "RX1"])  # unknown order
    for _ in range(40):
        t["complaints"].append([
            unit_ref(), rng.choice(["事业单位", "专技"]), _date(rng, year),
            rng.choice(["重大", "一般", "严重", "轻微"]), rng.choice(["是", "否", ""]),
        ])
    return t


def write(out: Path, *, year: int = 2022, n_payments: int = 2000, fmt: str = "csv", seed: int = 1) -> Path:
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    tables = _rows(year, n_payments, seed)
    for name, rows in tables.items():
        header = TABLE_HEADERS[name]
        if fmt == "csv":
            with open(out / f"{name}.csv", "w", newline="", encoding="utf-8-sig") as fh:
                w = csv.writer(fh)
                w.writerow(header)
                w.writerows(rows)
        else:
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet("Sheet1")
            if name == "staff_payments":
                ws.append([f"{year}年缴费明细表"])
                ws.append([])
            ws.append(header)
            for r in rows:
                ws.append(r)
            if name == "staff_payments":
                ws.append(["合计"])
            wb.save(out / f"{name}.xlsx")
    return out
