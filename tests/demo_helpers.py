"""Helpers of the demo tests (tests/test_demo_*.py): the figures of the spec computed with
plain pandas, independently of the evaluation modules, and readers of the written files
(cached while a file is unchanged)."""

from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from pathlib import Path

import numpy as np
import pandas as pd

from toolkit.demo import build_units
from toolkit.ingest import contract

YEAR = 2022
START, END = pd.Timestamp(YEAR, 1, 1), pd.Timestamp(YEAR, 12, 31, 23, 59, 59)
AS_OF = pd.Timestamp(YEAR, 12, 31)


# --- metrics, plain pandas (the spec's definitions) ------------------------------------

def isin(a: pd.Series, b: pd.Series) -> np.ndarray:
    """a.isin(b) by hashing b (pandas' isin is slow for a short string column in a long one)."""
    return pd.Index(b.unique()).get_indexer(a) >= 0


def in_period(s: pd.Series) -> pd.Series:
    return (s >= START) & (s <= END)


def used_payments(pay, unit_ids):
    pay = pay[pay["unit"].isin(unit_ids)]
    return pay[in_period(pay["paid_at"]) & (pay["status"] == "success")]


def refunds_in_period(ref, used):
    ref = ref[in_period(ref["refunded_at"]) & isin(ref["order_id"], used["order_id"])]
    return ref.merge(used[["order_id", "unit"]], on="order_id")


def not_fully_refunded(used, ref):
    refunded = used["order_id"].map(ref.groupby("order_id")["amount"].sum()).fillna(0)
    return used[refunded < used["amount"]]


def staff_metrics(fr) -> pd.DataFrame:
    ids = set(fr["units"]["unit_id"])
    used = used_payments(fr["staff_payments"], ids)
    ref = refunds_in_period(fr["staff_refunds"], used)
    paid = not_fully_refunded(used, ref).groupby("unit")["trainee_id"].nunique()
    reg = fr["staff_registrations"]
    reg = reg[reg["unit"].isin(ids) & in_period(reg["registered_at"])]
    registered = (pd.concat([reg[["unit", "trainee_id"]], used[["unit", "trainee_id"]]])
                  .drop_duplicates().groupby("unit").size())
    m = pd.DataFrame(index=sorted(ids))
    m["paid_trainees"] = paid.reindex(m.index).fillna(0)
    m["registered_trainees"] = registered.reindex(m.index).fillna(0)
    m["target_trainees"] = fr["targets"].set_index("unit")["target"].reindex(m.index)
    m["income"] = used.groupby("unit")["amount"].sum().reindex(m.index).fillna(0)
    m["refunds"] = ref.groupby("unit")["amount"].sum().reindex(m.index).fillna(0)
    m["paid_to_registered"] = m["paid_trainees"] / m["registered_trainees"].replace(0, np.nan)
    m["paid_to_target"] = m["paid_trainees"] / m["target_trainees"]
    m["refund_rate"] = m["refunds"] / m["income"].replace(0, np.nan)
    c = fr["complaints"]
    major = c[(c["track"] == "staff") & (c["severity"] == "major") & in_period(c["received_at"])
              & (c["substantiated"] != False)]  # noqa: E712 (None counts)
    m["major_complaints"] = major.groupby("unit").size().reindex(m.index).fillna(0)
    m["contract_ok"] = contract_ok(fr, "staff", months=6).reindex(m.index).fillna(False)
    m["dedicated_staff"] = team(fr, "staff").reindex(m.index)
    return m


def professional_metrics(fr) -> pd.DataFrame:
    ids = set(fr["units"]["unit_id"])
    used = used_payments(fr["professional_enrollments"], ids)
    ref = refunds_in_period(fr["professional_refunds"], used)
    kept = not_fully_refunded(used, ref)
    m = pd.DataFrame(index=sorted(ids))
    m["person_times"] = (kept[["unit", "trainee_id", "course"]].drop_duplicates()
                         .groupby("unit").size().reindex(m.index).fillna(0))
    m["income"] = used.groupby("unit")["amount"].sum().reindex(m.index).fillna(0)
    c = fr["complaints"]
    comp = c[(c["track"] == "professional") & in_period(c["received_at"]) & (c["substantiated"] != False)]  # noqa: E712
    m["complaints"] = comp.groupby("unit").size().reindex(m.index).fillna(0)
    m["agreement_ok"] = contract_ok(fr, "professional", months=0).reindex(m.index).fillna(False)
    m["dedicated_staff"] = team(fr, "professional").reindex(m.index)
    return m


def contract_ok(fr, track, months):
    c = fr["contracts"]
    c = c[c["track"] == track]
    ok = ((c["signed_on"] + pd.DateOffset(months=months) <= AS_OF)
          & (c["terminated_on"].isna() | (c["terminated_on"] > AS_OF)))
    return ok.groupby(c["unit"]).any()


def team(fr, track):
    t = fr["teams"]
    return t[t["track"] == track].set_index("unit")["dedicated_staff"]


def staff_failures(row) -> set[str]:
    checks = {
        "contract_months": bool(row["contract_ok"]),
        "dedicated_team": row["dedicated_staff"] >= 1,
        "paid_trainees": row["paid_trainees"] >= 30000,
        "paid_to_registered": row["paid_to_registered"] >= 0.75,
        "paid_to_target": row["paid_to_target"] >= 0.45,  # NaN (unknown) is not a failure here
        "income": row["income"] >= 5_000_000,
        "refund_rate": row["refund_rate"] <= 0.015,
        "major_complaints": row["major_complaints"] == 0,
    }
    fails = {k for k, ok in checks.items() if not ok}
    if pd.isna(row["paid_to_target"]):
        fails.discard("paid_to_target")
    return fails


def professional_failures(row) -> set[str]:
    checks = {
        "agreement_signed": bool(row["agreement_ok"]),
        "dedicated_team": row["dedicated_staff"] >= 1,
        "person_times": row["person_times"] >= 4000,
        "income": row["income"] >= 600_000,
        "complaints": row["complaints"] == 0,
    }
    return {k for k, ok in checks.items() if not ok}


# --- the written files ------------------------------------------------------------------

def table_file(folder: Path, table: str) -> Path:
    hits = [p for p in folder.iterdir() if contract.table_for_stem(p.stem) == table]
    assert len(hits) == 1, (table, hits)
    return hits[0]


def file_digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def file_stamp(path) -> tuple[str, int, int]:
    st = Path(path).stat()
    return str(path), st.st_mtime_ns, st.st_size


def read_csv(path, encoding):
    """A CSV file as text (cached while the file is unchanged: several tests read the
    big ones; do not modify the frame)."""
    return _read_csv_cached(file_stamp(path), encoding)


@functools.lru_cache(maxsize=16)
def _read_csv_cached(stamp, encoding):
    return pd.read_csv(stamp[0], dtype=str, encoding=encoding, keep_default_na=False)


def sheet_cells(path) -> list[list]:
    """The cells of a workbook's first sheet (cached like read_csv; do not modify)."""
    return _cells_cached(file_stamp(path))


@functools.lru_cache(maxsize=16)
def _cells_cached(stamp) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(stamp[0]).get_sheet_by_index(0).to_python(skip_empty_area=False)


def read_xlsx(path, header=2):
    rows = sheet_cells(path)
    return pd.DataFrame(rows[header + 1:], columns=[str(h) for h in rows[header]], dtype=object)


def norm_unit(s: pd.Series) -> pd.Series:
    def norm(x):
        x = re.sub(r"\s+", "", unicodedata.normalize("NFKC", x))
        return x.replace("（", "(").replace("）", ")")
    return s.map({x: norm(x) for x in s.unique()})


@functools.cache
def resolver() -> dict[str, str]:
    """Unit id, name or alias (NFKC) -> unit id, for the units of the demo and small scales."""
    m = {}
    for u in build_units("demo"):
        for v in (u.unit_id, u.name, *u.aliases):
            m[unicodedata.normalize("NFKC", v)] = u.unit_id
    return m


def parse_amount(s: pd.Series) -> pd.Series:
    """Yuan as float; NaN where the cell is not an amount."""
    s = s.map(lambda x: unicodedata.normalize("NFKC", str(x))).str.replace(r"[¥元,]", "", regex=True)
    wan = s.str.endswith("万")
    v = pd.to_numeric(s.str.rstrip("万"), errors="coerce")
    return (v * np.where(wan, 10000, 1)).round()


_TEXT_FORMATS = (  # (marker regex, strptime format)
    (r"^\d{4}-\d\d-\d\d \d", "%Y-%m-%d %H:%M:%S"), (r"T", "%Y-%m-%dT%H:%M:%S"),
    (r"/", "%Y/%m/%d %H:%M"), (r"^\d{8}$", "%Y%m%d"), (r"日$", "%Y年%m月%d日"),
    (r"分$", "%Y年%m月%d日 %H时%M分"), (r"\.", "%Y.%m.%d %H:%M:%S"),
)


def parse_time(s: pd.Series) -> pd.Series:
    """Text in any of the notations, datetime cells, or Excel serials (vectorised); NaT
    for text in none of them or an impossible date."""
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if pd.api.types.is_string_dtype(s) and not pd.api.types.is_object_dtype(s):
        txt = pd.Series(True, index=s.index)
    else:
        is_dt = s.map(lambda x: hasattr(x, "year"))
        is_num = s.map(lambda x: isinstance(x, float))
        if is_dt.any():
            out[is_dt] = pd.to_datetime(s[is_dt].tolist())
        if is_num.any():
            days = s[is_num].astype(float)
            out[is_num] = (pd.Timestamp(1899, 12, 30) + pd.to_timedelta(days, unit="D")).dt.round("s")
        txt = ~is_dt & ~is_num
    rest = s[txt].astype("str")
    for marker, fmt in _TEXT_FORMATS:  # each notation tried on the rows not yet matched
        m = rest.str.contains(marker).to_numpy(dtype=bool)
        out[rest.index[m]] = pd.to_datetime(rest[m], format=fmt, errors="coerce")
        rest = rest[~m]
    return out


def file_column(df: pd.DataFrame, table: str, name: str) -> str:
    """The header of a file that stands for a contract column."""
    c = contract.TABLES[table].column(name)
    accepted = {name, *(contract.UNIT_ALIASES if c.kind == "unit" else c.aliases)}
    return next(h for h in df.columns if h in accepted)


_STATUS = {w for ws in contract.STATUS_WORDS.values() for w in ws}


def read_any(folder: Path, stem: str) -> pd.DataFrame:
    """A table's file in any of the generator's formats, as text or cells."""
    [p] = [p for p in folder.iterdir() if p.stem == stem]
    if p.suffix == ".xlsx":
        return read_xlsx(p)
    try:
        return read_csv(p, "utf-8-sig")
    except UnicodeDecodeError:
        return read_csv(p, "gb18030")


def read_payments(folder: Path, stem: str, table: str) -> pd.DataFrame:
    """A payments or enrollments file read back (exact duplicates dropped: they are
    excluded, not quarantined): order_id, trainee_id, unit (id; NaN if unknown), amount
    (yuan; NaN if unreadable), paid_at, status (as written) and ``problem``, the reason
    the row cannot be used, by the contract's rules in the contract's order (None for a
    usable row). Cached while the file is unchanged; do not modify."""
    [path] = [p for p in folder.iterdir() if p.stem == stem]
    return _payments_cached(file_stamp(path), table)


@functools.lru_cache(maxsize=8)
def _payments_cached(stamp, table: str) -> pd.DataFrame:
    path = Path(stamp[0])
    df = read_any(path.parent, path.stem).drop_duplicates()

    def col(name):
        return df[file_column(df, table, name)]

    p = pd.DataFrame({
        "order_id": col("order_id").astype(str), "trainee_id": col("trainee_id").astype(str),
        "unit": norm_unit(col("unit").astype(str)).map(resolver()),
        "amount": parse_amount(col("amount")), "paid_at": parse_time(col("paid_at")),
        "status": col("status"),
    })
    problem = pd.Series(None, index=p.index, dtype=object)
    for mask, why in (
        (p["order_id"].duplicated(keep=False), "conflicting_key"),
        (p["trainee_id"].str.strip() == "", "missing_value"),
        (p["amount"].isna(), "bad_amount"),
        (p["paid_at"].isna(), "bad_date"),
        (~p["status"].isin(_STATUS), "bad_value"),
        (p["unit"].isna(), "unknown_unit"),
        (p["amount"] <= 0, "non_positive_amount"),
    ):
        problem[mask.to_numpy(dtype=bool) & problem.isna().to_numpy()] = why
    p["problem"] = problem
    return p


def clear_read_caches() -> None:
    """Forget the files read back (the big ones are cached for one test module only)."""
    for f in (_read_csv_cached, _cells_cached, _payments_cached):
        f.cache_clear()
