"""The limit: the fastest raw read of the same files plus one DuckDB SQL query.

``.xlsx`` is read by fastexcel (calamine straight into Arrow), CSV by pyarrow; every
column as text, as the files hold it. DuckDB then does all the typing and the metrics
in SQL (amounts, dates, status words, duplicates, the period, refunds, distinct
counts). Unit references are resolved by a small join: the distinct references are
normalised in Python (NFKC, white space removed, brackets unified; a few hundred
values) into a (ref, unit_id) table.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow as pa

from bench.common import canonical_columns, header_row, unit_key, unit_lookup, year_files
from toolkit.ingest.contract import (
    SEVERITY_WORDS,
    STATUS_WORDS,
    TRACK_WORDS,
    UNSUBSTANTIATED_WORDS,
)

# --- raw reads -------------------------------------------------------------------------


def read_xlsx(path: Path, table: str) -> pa.Table:
    import fastexcel

    # one load (calamine parses the whole sheet on every load): no header, all text
    sheet = fastexcel.read_excel(str(path)).load_sheet(0, header_row=None, dtypes="string")
    t = pa.Table.from_batches([sheet.to_arrow()])
    rows = [list(r.values()) for r in t.slice(0, 10).to_pylist()]
    h = header_row(rows, table)
    return t.slice(h + 1).rename_columns(canonical_columns(rows[h], table))


def read_csv(path: Path, table: str) -> pa.Table:
    import pyarrow.csv as pcsv

    h, names, encoding = csv_header(path, table)
    t = pcsv.read_csv(
        path,
        read_options=pcsv.ReadOptions(encoding=encoding, skip_rows=h + 1, column_names=names),
        convert_options=pcsv.ConvertOptions(column_types={n: pa.string() for n in names},
                                            strings_can_be_null=True),
    )
    return t


def csv_header(path: Path, table: str) -> tuple[int, list[str], str]:
    """The header's 0-based line, the canonical column names and the encoding of a CSV."""
    import csv
    import io

    head = path.read_bytes()[:65536]
    encoding = "utf8"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 4:  # not just a character cut at the end of the sample
            encoding = "gb18030"
    text = head.decode("utf-8-sig" if encoding == "utf8" else "gb18030", errors="ignore")
    rows = list(csv.reader(io.StringIO(text)))[:10]
    h = header_row(rows, table)
    return h, canonical_columns(rows[h], table), encoding


def load_csvs_duckdb(con: duckdb.DuckDBPyConnection, data_dir: Path) -> dict[str, list[str]]:
    """Every metric table's CSV read by DuckDB itself (``read_csv``, all text) into a
    table of ``con`` named as the table; returns the columns of each."""
    cols = {}
    for table, path in year_files(data_dir).items():
        if path.suffix.lower() != ".csv":
            raise ValueError(f"{path.name}: DuckDB reads CSV only here")
        h, names, encoding = csv_header(path, table)
        literal = str(path).replace("'", "''")
        names_sql = ", ".join("'" + n.replace("'", "''") + "'" for n in names)
        con.execute(
            f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM read_csv('{literal}', "
            f"header = false, skip = {h + 1}, all_varchar = true, names = [{names_sql}], "
            f"encoding = '{'utf-8' if encoding == 'utf8' else 'gb18030'}', "
            "null_padding = true, strict_mode = false)")
        cols[table] = names
    return cols


def read_raw(data_dir: Path) -> dict[str, pa.Table]:
    """Every metric table of the year as Arrow, all columns text."""
    out = {}
    for table, path in year_files(data_dir).items():
        reader = read_xlsx if path.suffix.lower() == ".xlsx" else read_csv
        out[table] = reader(path, table)
    return out


# --- the query -------------------------------------------------------------------------


def _in(words) -> str:
    return "(" + ", ".join(f"'{w}'" for w in words) + ")"


def _coded(name: str, mapping: dict) -> str:
    """A macro mapping coded words (as written or lower-cased, trimmed)."""
    whens = " ".join(
        f"WHEN trim(s) IN {_in(sorted(set(ws) | {w.lower() for w in ws}))} THEN '{code}'"
        for code, ws in mapping.items())
    return f"CREATE OR REPLACE MACRO {name}(s) AS CASE {whens} END;"


# the date notations of the data contract that a plain cast does not read
TIME_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d", "%Y-%m-%dT%H:%M:%S",
                "%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y/%m/%d", "%Y.%m.%d %H:%M:%S",
                "%Y.%m.%d %H:%M", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日 %H时%M分%S秒",
                "%Y年%m月%d日 %H时%M分", "%Y年%m月%d日 %H:%M:%S", "%Y年%m月%d日 %H:%M",
                "%Y年%m月%d日", "%Y%m%d %H:%M:%S", "%Y%m%d %H:%M")

MACROS = f"""
CREATE OR REPLACE MACRO nk(s) AS
    trim(translate(s, '０１２３４５６７８９．，￥　：／－', '0123456789.,¥ :/-'));
CREATE OR REPLACE MACRO fen_text(s) AS
    CAST(round(TRY_CAST(regexp_replace(nk(s), '[\\s,¥元万]|RMB|CNY', '', 'g') AS DOUBLE)
               * CASE WHEN contains(s, '万') THEN 1000000 ELSE 100 END) AS BIGINT);
CREATE OR REPLACE MACRO fen(s) AS CASE
    WHEN TRY_CAST(s AS DECIMAL(18, 2)) IS NOT NULL THEN CAST(TRY_CAST(s AS DECIMAL(18, 2)) * 100 AS BIGINT)
    ELSE fen_text(s) END;
-- the common notations become ISO text by plain replacements, then one cast
CREATE OR REPLACE MACRO ts_fast(s) AS TRY_CAST(CASE
    WHEN length(s) = 8 THEN substr(s, 1, 4) || '-' || substr(s, 5, 2) || '-' || substr(s, 7, 2)
    ELSE replace(replace(replace(replace(replace(replace(replace(
        s, '年', '-'), '月', '-'), '日', ''), '时', ':'), '分', ''), '/', '-'), '.', '-') END
    AS TIMESTAMP);
-- the rest: Excel serial numbers, then the contract's notations one by one (slow, rare)
CREATE OR REPLACE MACRO ts_slow(s) AS CASE
    WHEN TRY_CAST(s AS DOUBLE) BETWEEN 1 AND 99999
        THEN TIMESTAMP '1899-12-30' + to_seconds(CAST(round(CAST(s AS DOUBLE) * 86400) AS BIGINT))
    ELSE try_strptime(regexp_replace(nk(s), '(\\+08:?00|Z)$', ''),
                      [{", ".join(f"'{f}'" for f in TIME_FORMATS)}]) END;
CREATE OR REPLACE MACRO ts(s) AS CASE
    WHEN ts_fast(s) IS NOT NULL THEN ts_fast(s) WHEN s IS NOT NULL THEN ts_slow(s) END;
{_coded("status_code", STATUS_WORDS)}
{_coded("track_code", TRACK_WORDS)}
{_coded("severity_code", SEVERITY_WORDS)}
"""


# The final step of the raw query: one row per (track, unit) with the spec's metrics,
# from the per-unit CTEs s_m, reg_m, tgt, s_inc, s_refs, p_m, p_inc, p_refs, comp_m, units_c.
METRICS_SELECT = """
SELECT 'staff' AS track, x.unit_id,
       coalesce(m.paid_trainees, 0) AS paid_trainees,
       coalesce(r.registered_trainees, 0) AS registered_trainees,
       t.target_trainees,
       coalesce(i.income, 0) AS income, coalesce(f.refunds, 0) AS refunds,
       coalesce(f.refunds, 0) / nullif(i.income, 0) AS refund_rate,
       coalesce(m.paid_trainees, 0) / nullif(r.registered_trainees, 0) AS paid_to_registered,
       coalesce(m.paid_trainees, 0) / nullif(t.target_trainees, 0) AS paid_to_target,
       coalesce(c.major_complaints, 0) AS major_complaints,
       NULL AS person_times, NULL AS complaints
FROM units_c x LEFT JOIN s_m m USING (unit_id) LEFT JOIN reg_m r USING (unit_id)
     LEFT JOIN tgt t USING (unit_id) LEFT JOIN s_inc i USING (unit_id)
     LEFT JOIN s_refs f USING (unit_id) LEFT JOIN comp_m c USING (unit_id)
UNION ALL
SELECT 'professional', x.unit_id, NULL, NULL, NULL,
       coalesce(i.income, 0), coalesce(f.refunds, 0),
       coalesce(f.refunds, 0) / nullif(i.income, 0), NULL, NULL, NULL,
       coalesce(m.person_times, 0), coalesce(c.complaints, 0)
FROM units_c x LEFT JOIN p_m m USING (unit_id) LEFT JOIN p_inc i USING (unit_id)
     LEFT JOIN p_refs f USING (unit_id) LEFT JOIN comp_m c USING (unit_id)
"""


def _track_sql(pay: str, ref: str, cols: dict[str, list[str]], track: str, course: bool,
               PERIOD: str) -> str:  # noqa: N803
    # footer rows (合计) need no filter: they lack the trainee, unit or a known order
    status = "status_code(status)" if "status" in cols[pay] else "'success'"
    has_refund_id = "refund_id" in cols[ref]
    ref_key = "refund_id" if has_refund_id else "NULL"
    course_col = "nullif(trim(course), '')" if course and "course" in cols[pay] else "NULL"
    return f"""
{track}_pay_d AS (SELECT DISTINCT * FROM {pay}),
{track}_pay_k AS (
    SELECT * FROM {track}_pay_d
    WHERE order_id IN (SELECT order_id FROM {track}_pay_d GROUP BY order_id HAVING count(*) = 1)),
{track}_pay AS (
    SELECT trim(p.order_id) AS order_id, trim(p.trainee_id) AS trainee_id, u.unit_id,
           fen(p.amount) AS amount_fen, ts(p.paid_at) AS paid_at, {course_col} AS course
    FROM {track}_pay_k p JOIN unit_refs u ON p.unit = u.ref
    WHERE {status} = 'success' AND coalesce(trim(p.trainee_id), '') <> ''),
{track}_used AS (
    SELECT * FROM {track}_pay WHERE amount_fen > 0 AND paid_at BETWEEN {PERIOD}),
{track}_ref_d AS (SELECT DISTINCT * FROM {ref}),
{track}_ref_k AS (
    SELECT * FROM {track}_ref_d
    WHERE {ref_key} IS NULL OR {ref_key} IN (
        SELECT {ref_key} FROM {track}_ref_d GROUP BY {ref_key} HAVING count(*) = 1)),
{track}_ref AS (
    SELECT u.order_id, u.unit_id, fen(r.amount) AS amount_fen
    FROM {track}_ref_k r JOIN {track}_used u ON trim(r.order_id) = u.order_id
    WHERE fen(r.amount) > 0
      AND ts(r.refunded_at) BETWEEN {PERIOD}),
{track}_refunded AS (SELECT order_id, sum(amount_fen) AS refunded FROM {track}_ref GROUP BY 1),
{track}_kept AS (
    SELECT p.* FROM {track}_used p LEFT JOIN {track}_refunded r USING (order_id)
    WHERE coalesce(r.refunded, 0) < p.amount_fen),
{track}_m AS (
    SELECT unit_id, count(DISTINCT trainee_id) AS paid_trainees,
           count(DISTINCT (trainee_id, course)) FILTER (WHERE course IS NOT NULL)
             + count(*) FILTER (WHERE course IS NULL) AS person_times
    FROM {track}_kept k GROUP BY unit_id),
{track}_inc AS (SELECT unit_id, sum(amount_fen) AS income FROM {track}_used GROUP BY 1),
{track}_refs AS (SELECT unit_id, sum(amount_fen) AS refunds FROM {track}_ref GROUP BY 1)"""


def period(year: int) -> str:
    return f"TIMESTAMP '{year}-01-01 00:00:00' AND TIMESTAMP '{year}-12-31 23:59:59'"


def metrics_sql(cols: dict[str, list[str]], year: int) -> str:
    """One SQL query over the raw tables (registered under their table names)."""
    has_complaints = "complaints" in cols
    PERIOD = period(year)  # noqa: N806
    sub = ""
    if has_complaints and "substantiated" in cols["complaints"]:
        words = ", ".join(f"'{w}'" for w in UNSUBSTANTIATED_WORDS)
        sub = f"AND coalesce(nk(substantiated), '') NOT IN ({words})"
    complaints = f"""
comp AS (
    SELECT u.unit_id, track_code(c.track) AS track, severity_code(c.severity) AS severity
    FROM complaints c JOIN unit_refs u ON c.unit = u.ref
    WHERE severity_code(c.severity) IS NOT NULL {sub}
      AND ts(c.received_at) BETWEEN {PERIOD}),
comp_m AS (
    SELECT unit_id,
           count(*) FILTER (WHERE track = 'staff' AND severity = 'major') AS major_complaints,
           count(*) FILTER (WHERE track = 'professional') AS complaints
    FROM comp GROUP BY unit_id)""" if has_complaints else """
comp_m AS (SELECT NULL::VARCHAR AS unit_id, 0 AS major_complaints, 0 AS complaints WHERE false)"""
    return f"""
WITH
{_track_sql("staff_payments", "staff_refunds", cols, "s", False, PERIOD)},
{_track_sql("professional_enrollments", "professional_refunds", cols, "p", True, PERIOD)},
reg AS (
    SELECT u.unit_id, trim(r.trainee_id) AS trainee_id
    FROM staff_registrations r JOIN unit_refs u ON r.unit = u.ref
    WHERE coalesce(trim(r.trainee_id), '') <> ''
      AND ts(r.registered_at) BETWEEN {PERIOD}
    UNION
    SELECT unit_id, trainee_id FROM s_used),
reg_m AS (SELECT unit_id, count(*) AS registered_trainees FROM reg GROUP BY 1),
tgt AS (
    SELECT u.unit_id, sum(TRY_CAST(nk(t.target) AS DOUBLE)) AS target_trainees
    FROM targets t JOIN unit_refs u ON t.unit = u.ref GROUP BY 1),
{complaints},
units_c AS (SELECT DISTINCT unit_id FROM unit_refs)
{METRICS_SELECT}
"""


def connect(threads: int | None = None) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    if threads:
        con.execute(f"SET threads = {threads}")
    con.execute(MACROS)
    return con


def query(con: duckdb.DuckDBPyConnection, tables: dict[str, pa.Table], year: int):
    """Register the raw tables, resolve the unit references, run the metrics query;
    returns a pandas frame (track, unit_id, metrics...)."""
    for name, t in tables.items():
        con.register(name, t)
    return query_tables(con, {name: t.column_names for name, t in tables.items()}, year)


def query_tables(con: duckdb.DuckDBPyConnection, columns: dict[str, list[str]], year: int):
    """:func:`query` over raw tables that ``con`` already holds (``columns``: their names)."""
    look = unit_lookup(con.execute("SELECT unit_id, unit_name"
                                   + (", aliases" if "aliases" in columns["units"] else "")
                                   + " FROM units WHERE coalesce(trim(unit_id), '') <> ''").df())
    refs = set()
    for name, names in columns.items():
        if "unit" in names:
            refs.update(con.execute(f"SELECT DISTINCT unit FROM {name} WHERE unit IS NOT NULL")
                        .fetchnumpy()["unit"].tolist())
    pairs = [(r, look[unit_key(r)]) for r in refs if unit_key(r) in look]
    con.register("unit_refs", pa.table({"ref": [p[0] for p in pairs],
                                        "unit_id": [p[1] for p in pairs]}))
    return con.execute(metrics_sql(columns, year)).df()


def metrics(data_dir: Path, year: int):
    tables = read_raw(Path(data_dir))
    return query(connect(), tables, year)


# --- the query on the toolkit's store (clean tables) --------------------------------------
# The toolkit's own metric SQL (toolkit.metrics.queries) on the store's Parquet files: the
# same query as the toolkit's warm evaluation runs, without anything else (no load, no
# flags, no judging). The raw ways above keep their own SQL: they must type and clean the
# raw text in SQL, and an independent statement of the metrics is what makes the
# agreement check mean something.


def store_query(con: duckdb.DuckDBPyConnection, root: Path, year: int,
                province: str = "hunan") -> tuple[pa.Table, dict[str, pa.Table]]:
    """The toolkit's UNIT_METRICS over the partition's files, as Arrow, and the
    over-refund lookup of each track (OVER_REFUNDS: the other query an evaluation runs)."""
    import json

    meta = json.loads((Path(root) / "meta" / f"year={year}" / f"province={province}" /
                       "meta.json").read_text(encoding="utf-8"))
    return _metrics_query(con, root, meta), _over_refunds(con, root, meta)


def _over_refunds(con: duckdb.DuckDBPyConnection, root: Path, meta: dict) -> dict[str, pa.Table]:
    from toolkit.metrics.inputs import duckdb_parquet, input_select
    from toolkit.metrics.queries import OVER_REFUND_INPUTS, OVER_REFUNDS
    from toolkit.metrics.registry import PAYMENTS_TABLE, REFUNDS_TABLE

    out = {}
    for track, pay in PAYMENTS_TABLE.items():
        ref = REFUNDS_TABLE[track]
        files = {"payments": meta["tables"].get(pay), "refunds": meta["tables"].get(ref)}
        if files["payments"] is None:
            continue
        inputs = {}
        for name, entry in files.items():
            columns = OVER_REFUND_INPUTS[name]
            if entry is None:
                inputs[name] = input_select(None, [], columns)
                continue
            select, present = duckdb_parquet(Path(root) / entry["file"], columns)
            inputs[name] = input_select(f"({select}) AS f", present, columns)
        excluded = meta["excluded"].get(ref)
        inputs["dated_out_refunds"] = input_select(None, [], OVER_REFUND_INPUTS["refunds"])
        if excluded is not None:
            path = str(Path(root) / excluded["file"]).replace("'", "''")
            inputs["dated_out_refunds"] = (
                f"SELECT order_id, amount_fen FROM read_parquet('{path}') "
                "WHERE reason IN ('after_cutoff', 'out_of_period')")
        ctes = ", ".join(f"{name} AS ({select})" for name, select in inputs.items())
        sql = OVER_REFUNDS.strip().removeprefix("WITH")
        out[track] = con.sql(f"WITH {ctes}, {sql}").to_arrow_table()
    return out


def _metrics_query(con: duckdb.DuckDBPyConnection, root: Path, meta: dict) -> pa.Table:
    import pandas as pd

    from toolkit.clean.period import end_exclusive
    from toolkit.metrics.inputs import duckdb_parquet, input_select, timestamp_literal
    from toolkit.metrics.queries import INPUTS, unit_metrics_over

    inputs = {}
    for name, columns in INPUTS.items():
        entry = meta["tables"].get(name)
        if entry is None:
            inputs[name] = input_select(None, [], columns)
            continue
        select, present = duckdb_parquet(Path(root) / entry["file"], columns)
        inputs[name] = input_select(f"({select}) AS f", present, columns)
    start, end = pd.Timestamp(meta["period"][0]), pd.Timestamp(meta["period"][1])
    sql = unit_metrics_over(inputs).format(
        start=timestamp_literal(start), end=timestamp_literal(end_exclusive(end)),
        as_of=timestamp_literal(end.normalize()))
    return con.sql(sql).to_arrow_table()


def store_frame(result: pa.Table):
    """The query's rows in the comparison's shape (money in fen, the ratios)."""
    df = result.to_pandas()
    out = df[["track", "unit_id"]].copy()
    staff = df["track"] == "staff"
    num = lambda c: df[c].astype("float64")  # noqa: E731
    out["income"], out["refunds"] = num("income_fen"), num("refunds_fen")
    out["refund_rate"] = num("refunds_fen") / num("income_fen").where(num("income_fen") != 0)
    for c in ("paid_trainees", "registered_trainees", "target_trainees"):
        out[c] = num(c).where(staff)
    out["paid_to_registered"] = out["paid_trainees"] / out["registered_trainees"].where(
        out["registered_trainees"] != 0)
    out["paid_to_target"] = out["paid_trainees"] / out["target_trainees"].where(
        out["target_trainees"] != 0)
    out["major_complaints"] = num("complaints").where(staff)
    out["complaints"] = num("complaints").where(~staff)
    out["person_times"] = num("person_times").where(~staff)
    return out
