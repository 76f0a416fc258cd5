"""The plain way: what an analyst writes with pandas alone.

``pd.read_excel`` (openpyxl engine) or ``pd.read_csv`` for each file, every column as
text, then idiomatic pandas: string methods to parse amounts and dates, ``.map`` for the
unit references, ``drop_duplicates``, boolean masks and ``groupby`` for the metrics.
Correct on the contract's values, with no attention paid to speed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from bench.common import (
    canonical_columns,
    header_row,
    unit_key,
    unit_lookup,
    year_files,
)
from toolkit.ingest.contract import (
    FOOTER_WORDS,
    SEVERITY_WORDS,
    STATUS_WORDS,
    TRACK_WORDS,
    UNSUBSTANTIATED_WORDS,
)


def read_table(path: Path, table: str) -> pd.DataFrame:
    if path.suffix.lower() == ".xlsx":
        raw = pd.read_excel(path, engine="openpyxl", header=None, dtype=str)
    else:
        try:
            raw = pd.read_csv(path, header=None, dtype=str, encoding="utf-8-sig")
        except UnicodeDecodeError:
            raw = pd.read_csv(path, header=None, dtype=str, encoding="gb18030")
    h = header_row(raw.head(10).values.tolist(), table)
    df = raw.iloc[h + 1:].reset_index(drop=True)
    df.columns = canonical_columns(raw.iloc[h].tolist(), table)
    df = df.dropna(how="all")
    first = df.iloc[:, 0].fillna("").str.strip()
    return df[~first.isin(FOOTER_WORDS)]


def amount_fen(s: pd.Series) -> pd.Series:
    t = s.str.normalize("NFKC").str.replace(r"\s|,|¥|元|RMB|CNY", "", regex=True)
    wan = t.str.endswith("万", na=False)
    yuan = pd.to_numeric(t.str.removesuffix("万"), errors="coerce")
    yuan = yuan.where(~wan, yuan * 10_000)
    return (yuan * 100).round().astype("Int64")


def moment(s: pd.Series) -> pd.Series:
    t = s.str.normalize("NFKC").str.strip()
    number = pd.to_numeric(t, errors="coerce")
    serial = number.notna() & (number < 100_000)  # an Excel serial day number
    t = t.str.replace(r"^(\d{4})(\d{2})(\d{2})", r"\1-\2-\3", regex=True)
    t = t.str.replace(r"[年月./]", "-", regex=True).str.replace("日", " ")
    t = t.str.replace(r"[时分]", ":", regex=True).str.replace("秒", "")
    t = t.str.replace(r"(\+08:?00|Z)$", "", regex=True).str.strip().str.rstrip(":")
    out = pd.to_datetime(t.where(~serial), format="mixed", errors="coerce")
    days = pd.to_timedelta((number.where(serial) * 86400).round(), unit="s")
    return out.where(~serial, pd.Timestamp("1899-12-30") + days)


def words(s: pd.Series, table: dict) -> pd.Series:
    look = {w: code for code, ws in table.items() for w in ws}
    return s.fillna("").str.normalize("NFKC").str.strip().str.lower().map(look)


def _dedupe(df: pd.DataFrame, key: str | None) -> pd.DataFrame:
    df = df.drop_duplicates()
    if key and key in df:
        df = df[~df[key].duplicated(keep=False)]  # a conflicting key is not used
    return df


def _resolve(df: pd.DataFrame, look: dict[str, str]) -> pd.Series:
    return df["unit"].map(lambda v: look.get(unit_key(v)))


def _track_metrics(pay, ref, start, end, look, *, with_course=False):
    pay = _dedupe(pay, "order_id")
    pay = pay.assign(
        unit_id=_resolve(pay, look),
        amount_fen=amount_fen(pay["amount"]),
        paid_at=moment(pay["paid_at"]),
        status=words(pay["status"], STATUS_WORDS) if "status" in pay else "success",
        trainee_id=pay["trainee_id"].str.strip(),
    )
    pay = pay[pay["unit_id"].notna() & (pay["amount_fen"] > 0) & pay["paid_at"].notna()
              & pay["trainee_id"].notna() & (pay["trainee_id"] != "")]
    pay = pay[(pay["status"] == "success") & pay["paid_at"].between(start, end)]

    ref = _dedupe(ref, "refund_id")
    ref = ref.assign(amount_fen=amount_fen(ref["amount"]), refunded_at=moment(ref["refunded_at"]),
                     order_id=ref["order_id"].str.strip())
    ref = ref[(ref["amount_fen"] > 0) & ref["refunded_at"].between(start, end)]
    ref = ref.merge(pay[["order_id", "unit_id"]], on="order_id", how="inner")

    refunded = ref.groupby("order_id")["amount_fen"].sum()
    pay = pay.assign(refunded=pay["order_id"].map(refunded).fillna(0))
    kept = pay[pay["refunded"] < pay["amount_fen"]]

    out = pd.DataFrame({
        "income": pay.groupby("unit_id")["amount_fen"].sum(),
        "refunds": ref.groupby("unit_id")["amount_fen"].sum(),
        "paid_trainees": kept.groupby("unit_id")["trainee_id"].nunique(),
    })
    if with_course:
        course = kept["course"].fillna("").str.normalize("NFKC").str.strip() \
            if "course" in kept else pd.Series("", index=kept.index)
        kept = kept.assign(course=course)
        with_c = kept[kept["course"] != ""].drop_duplicates(["unit_id", "trainee_id", "course"])
        without = kept[kept["course"] == ""]
        out["person_times"] = (with_c.groupby("unit_id").size()
                               .add(without.groupby("unit_id").size(), fill_value=0))
    return out, pay


def read_all(data_dir: Path) -> dict[str, pd.DataFrame]:
    return {name: read_table(path, name) for name, path in year_files(data_dir).items()}


def metrics(data_dir: Path, year: int) -> pd.DataFrame:
    """Per (track, unit_id) metrics, money in fen (see bench.common.METRICS)."""
    return compute(read_all(data_dir), year)


def compute(t: dict[str, pd.DataFrame], year: int) -> pd.DataFrame:
    start, end = pd.Timestamp(f"{year}-01-01 00:00:00"), pd.Timestamp(f"{year}-12-31 23:59:59")
    units = t["units"].assign(unit_id=t["units"]["unit_id"].str.strip())
    look = unit_lookup(units)

    staff, staff_pay = _track_metrics(t["staff_payments"], t["staff_refunds"], start, end, look)
    reg = t["staff_registrations"]
    reg = reg.assign(unit_id=_resolve(reg, look), registered_at=moment(reg["registered_at"]),
                     trainee_id=reg["trainee_id"].str.strip())
    reg = reg[reg["unit_id"].notna() & reg["registered_at"].between(start, end)
              & reg["trainee_id"].notna() & (reg["trainee_id"] != "")]
    registered = pd.concat([reg[["unit_id", "trainee_id"]], staff_pay[["unit_id", "trainee_id"]]])
    staff["registered_trainees"] = registered.drop_duplicates().groupby("unit_id").size()
    targets = t["targets"].assign(unit_id=_resolve(t["targets"], look),
                                  target=pd.to_numeric(t["targets"]["target"], errors="coerce"))
    staff = staff.reindex(units["unit_id"])
    staff["target_trainees"] = targets.dropna().groupby("unit_id")["target"].sum()
    prof, _ = _track_metrics(t["professional_enrollments"], t["professional_refunds"], start, end,
                             look, with_course=True)
    prof = prof.reindex(units["unit_id"])

    if "complaints" in t:
        c = t["complaints"]
        c = c.assign(unit_id=_resolve(c, look), track=words(c["track"], TRACK_WORDS),
                     severity=words(c["severity"], SEVERITY_WORDS),
                     received_at=moment(c["received_at"]))
        if "substantiated" in c:
            said = c["substantiated"].fillna("").str.normalize("NFKC").str.strip()
            c = c[~said.isin(UNSUBSTANTIATED_WORDS)]
        c = c[c["unit_id"].notna() & c["severity"].notna() & c["received_at"].between(start, end)]
        staff["major_complaints"] = c[(c["track"] == "staff") & (c["severity"] == "major")] \
            .groupby("unit_id").size()
        prof["complaints"] = c[c["track"] == "professional"].groupby("unit_id").size()

    for frame in (staff, prof):
        for col in ("income", "refunds", "paid_trainees", "registered_trainees", "person_times",
                    "major_complaints", "complaints"):
            if col in frame:
                frame[col] = frame[col].fillna(0)
        frame["refund_rate"] = frame["refunds"] / frame["income"].replace(0, np.nan)
    staff["paid_to_registered"] = staff["paid_trainees"] / staff["registered_trainees"].replace(0, np.nan)
    staff["paid_to_target"] = staff["paid_trainees"] / staff["target_trainees"].replace(0, np.nan)
    staff = staff.rename_axis("unit_id").reset_index().assign(track="staff")
    prof = prof.rename_axis("unit_id").reset_index().assign(track="professional")
    return pd.concat([staff, prof], ignore_index=True)
