"""The figures as SQL over the clean tables: one named piece (a CTE) per metric family,
each headed by the registry metrics it computes (their definitions in words are in
:mod:`toolkit.metrics.registry`). The queries are written in DuckDB's dialect and kept
to what sqlglot transpiles to Spark SQL.

The clean stage has already typed, de-duplicated and dated every row: order ids are
unique in a payments table (``clean.keys``), text is trimmed, money is integer fen.
``{start}`` (the period's first moment), ``{end}`` (the first moment after it: the
rules' end 23:59:59 covers that whole second, ``clean.period.end_exclusive``) and ``{as_of}`` (the date that picks the
contract in force) are timestamp literals filled in by :mod:`toolkit.metrics.engine`.
Every input table named in :data:`INPUTS` exists when a query runs: a table the year
lacks is an empty one, an optional column it lacks is NULL. Whether a metric is unknown
because its table is missing is decided outside the SQL, from the registry's tables.
"""

from __future__ import annotations

#: marks a column that the engine adds: the row's position in its clean table
ROW_POSITION = "row position"

#: the columns the queries read from each clean table, with their SQL types (for the
#: NULL stand-ins of missing tables and optional columns)
INPUTS: dict[str, dict[str, str]] = {
    "staff_payments": {"order_id": "VARCHAR", "trainee_id": "VARCHAR", "unit_id": "VARCHAR",
                       "amount_fen": "BIGINT", "paid_at": "TIMESTAMP"},
    "professional_enrollments": {"order_id": "VARCHAR", "trainee_id": "VARCHAR",
                                 "unit_id": "VARCHAR", "amount_fen": "BIGINT",
                                 "paid_at": "TIMESTAMP", "course": "VARCHAR"},
    "staff_refunds": {"order_id": "VARCHAR", "amount_fen": "BIGINT", "refunded_at": "TIMESTAMP"},
    "professional_refunds": {"order_id": "VARCHAR", "amount_fen": "BIGINT",
                             "refunded_at": "TIMESTAMP"},
    "staff_registrations": {"trainee_id": "VARCHAR", "unit_id": "VARCHAR",
                            "registered_at": "TIMESTAMP"},
    "targets": {"unit_id": "VARCHAR", "target": "BIGINT"},
    "complaints": {"unit_id": "VARCHAR", "track": "VARCHAR", "received_at": "TIMESTAMP",
                   "severity": "VARCHAR", "substantiated": "BOOLEAN"},
    "contracts": {"unit_id": "VARCHAR", "track": "VARCHAR", "signed_on": "TIMESTAMP",
                  "terminated_on": "TIMESTAMP", "row_position": ROW_POSITION},
    "teams": {"unit_id": "VARCHAR", "track": "VARCHAR", "dedicated_staff": "BIGINT"},
    "nominations": {"unit_id": "VARCHAR", "track": "VARCHAR", "kind": "VARCHAR"},
}

# --- the metric families -----------------------------------------------------------------

# The period's payments of both tracks. Staff payments have no course.
PAYMENTS = """
payments AS (
    SELECT 'staff' AS track, order_id, trainee_id, unit_id, amount_fen,
           CAST(NULL AS VARCHAR) AS course
    FROM staff_payments WHERE paid_at >= {start} AND paid_at < {end}
    UNION ALL
    SELECT 'professional' AS track, order_id, trainee_id, unit_id, amount_fen, course
    FROM professional_enrollments WHERE paid_at >= {start} AND paid_at < {end})"""

# Each payment with what the period's refunds of its order took back (refunds of orders
# that are not among the period's payments count nowhere; those after the cut-off are
# not in the clean refunds table at all).
PAID = """
refunds AS (
    SELECT 'staff' AS track, order_id, amount_fen
    FROM staff_refunds WHERE refunded_at >= {start} AND refunded_at < {end}
    UNION ALL
    SELECT 'professional' AS track, order_id, amount_fen
    FROM professional_refunds WHERE refunded_at >= {start} AND refunded_at < {end}),
order_refunds AS (
    SELECT track, order_id, CAST(sum(amount_fen) AS BIGINT) AS refunded_fen,
           count(*) AS refund_count
    FROM refunds GROUP BY track, order_id),
paid AS (
    SELECT p.track, p.order_id, p.trainee_id, p.unit_id, p.amount_fen, p.course,
           coalesce(o.refunded_fen, 0) AS refunded_fen,
           coalesce(o.refund_count, 0) AS refund_count,
           coalesce(o.refunded_fen, 0) < p.amount_fen AS kept
    FROM payments p LEFT JOIN order_refunds o
         ON o.track = p.track AND o.order_id = p.order_id)"""

# income, refunds, refund_rate (income_fen, refunds_fen): the period's payments before
# refunds, and their refunds; with the number of payments and of refunds.
MONEY = """
money AS (
    SELECT track, unit_id, count(*) AS payments,
           CAST(sum(amount_fen) AS BIGINT) AS income_fen,
           CAST(sum(refunded_fen) AS BIGINT) AS refunds_fen,
           CAST(sum(refund_count) AS BIGINT) AS refund_count
    FROM paid GROUP BY track, unit_id)"""

# paid_trainees (and paid_to_registered, paid_to_target; staff): distinct trainees with
# a payment that was not fully refunded.
PAID_TRAINEES = """
paid_trainees AS (
    SELECT 'staff' AS track, unit_id, count(*) AS paid_trainees
    FROM (SELECT DISTINCT unit_id, trainee_id FROM paid
          WHERE kept AND track = 'staff') AS payers
    GROUP BY unit_id)"""

# registered_trainees (and paid_to_registered): distinct trainees registered in the
# period, every payer of the period counting as registered.
REGISTERED = """
registered AS (
    SELECT 'staff' AS track, unit_id, count(*) AS registered_trainees
    FROM (SELECT unit_id, trainee_id FROM staff_registrations
          WHERE registered_at >= {start} AND registered_at < {end}
          UNION
          SELECT unit_id, trainee_id FROM payments WHERE track = 'staff') AS registrants
    GROUP BY unit_id)"""

# target_trainees (and paid_to_target): the unit's target; two different targets for
# one unit make it unknown.
TARGETS = """
known_targets AS (
    SELECT 'staff' AS track, unit_id, min(target) AS target_trainees
    FROM targets WHERE target IS NOT NULL
    GROUP BY unit_id HAVING count(DISTINCT target) = 1)"""

# person_times (professional): distinct (trainee, course) among enrollments not fully
# refunded; an enrollment without a course counts as its own order (one person-time each).
PERSON_TIMES = """
person_times AS (
    SELECT 'professional' AS track, unit_id, count(*) AS person_times
    FROM (SELECT DISTINCT unit_id, trainee_id,
                 CASE WHEN trim(course) <> '' THEN course END AS course,
                 CASE WHEN coalesce(trim(course), '') = '' THEN order_id END AS order_id
          FROM paid WHERE kept AND track = 'professional') AS attendances
    GROUP BY unit_id)"""

# major_complaints (staff: severity major), complaints (professional: any severity):
# complaints received in the period, except those found unsubstantiated.
COMPLAINTS = """
period_complaints AS (
    SELECT track, unit_id, severity, substantiated FROM complaints
    WHERE received_at >= {start} AND received_at < {end}),
complaint_counts AS (
    SELECT track, unit_id,
           count(*) FILTER (WHERE coalesce(substantiated, true)
                            AND (track <> 'staff' OR severity = 'major')) AS complaints
    FROM period_complaints GROUP BY track, unit_id)"""

# contract_signed_on, contract_terminated_on: among the contracts signed on or before the
# as-of date and not terminated by then, the earliest signed; if none is in force, the
# latest signed (its termination or late signing then fails the criterion). Ties: the
# first in the table.
CONTRACTS = """
dated_contracts AS (
    SELECT track, unit_id, signed_on, terminated_on, row_position,
           signed_on <= {as_of} AND NOT coalesce(terminated_on <= {as_of}, false) AS in_force
    FROM contracts WHERE signed_on IS NOT NULL),
ranked_contracts AS (
    SELECT track, unit_id, signed_on, terminated_on,
           row_number() OVER (PARTITION BY track, unit_id ORDER BY
               CASE WHEN in_force THEN 0 ELSE 1 END,
               CASE WHEN in_force THEN signed_on END,
               CASE WHEN in_force THEN NULL ELSE signed_on END DESC,
               row_position) AS pick
    FROM dated_contracts),
contract_in_force AS (
    SELECT track, unit_id, signed_on AS contract_signed_on,
           terminated_on AS contract_terminated_on
    FROM ranked_contracts WHERE pick = 1)"""

# dedicated_staff: the unit's dedicated staff in the track (teams table).
DEDICATED = """
dedicated AS (
    SELECT track, unit_id, CAST(sum(dedicated_staff) AS BIGINT) AS dedicated_staff
    FROM teams WHERE dedicated_staff IS NOT NULL GROUP BY track, unit_id)"""

# The units evaluated in a track: a contract for the track, or activity in it in the
# period (payments or enrollments, registrations, complaints), or a collective nomination
# (a nomination's kind and track are its award's, from the rules file: the cleaning sets them).
EVALUATED = """
evaluated AS (
    SELECT DISTINCT track, unit_id FROM (
        SELECT track, unit_id FROM payments
        UNION ALL
        SELECT 'staff' AS track, unit_id FROM staff_registrations
        WHERE registered_at >= {start} AND registered_at < {end}
        UNION ALL
        SELECT track, unit_id FROM period_complaints
        UNION ALL
        SELECT track, unit_id FROM contracts
        UNION ALL
        SELECT track, unit_id FROM nominations WHERE kind = 'collective') AS activity
    WHERE unit_id IS NOT NULL AND track IN ('staff', 'professional'))"""

FAMILIES = (PAYMENTS, PAID, MONEY, PAID_TRAINEES, REGISTERED, TARGETS, PERSON_TIMES,
            COMPLAINTS, CONTRACTS, DEDICATED, EVALUATED)

#: the final select of :data:`UNIT_METRICS` (over the families' CTEs)
UNIT_METRICS_SELECT = """
SELECT e.track, e.unit_id,
       coalesce(m.payments, 0) AS payments,
       coalesce(m.income_fen, 0) AS income_fen,
       coalesce(m.refunds_fen, 0) AS refunds_fen,
       coalesce(m.refund_count, 0) AS refund_count,
       coalesce(pt.paid_trainees, 0) AS paid_trainees,
       coalesce(r.registered_trainees, 0) AS registered_trainees,
       t.target_trainees,
       coalesce(ps.person_times, 0) AS person_times,
       coalesce(c.complaints, 0) AS complaints,
       k.contract_signed_on, k.contract_terminated_on,
       d.dedicated_staff
FROM evaluated e
LEFT JOIN money m ON m.track = e.track AND m.unit_id = e.unit_id
LEFT JOIN paid_trainees pt ON pt.track = e.track AND pt.unit_id = e.unit_id
LEFT JOIN registered r ON r.track = e.track AND r.unit_id = e.unit_id
LEFT JOIN known_targets t ON t.track = e.track AND t.unit_id = e.unit_id
LEFT JOIN person_times ps ON ps.track = e.track AND ps.unit_id = e.unit_id
LEFT JOIN complaint_counts c ON c.track = e.track AND c.unit_id = e.unit_id
LEFT JOIN contract_in_force k ON k.track = e.track AND k.unit_id = e.unit_id
LEFT JOIN dedicated d ON d.track = e.track AND d.unit_id = e.unit_id
ORDER BY CASE e.track WHEN 'staff' THEN 0 ELSE 1 END, e.unit_id
"""

#: one row per (track, unit) evaluated, staff first, by unit_id; counts are 0 where the
#: unit has no rows (unknown for a missing table is set afterwards)
UNIT_METRICS = "WITH" + ",".join(FAMILIES) + UNIT_METRICS_SELECT


def unit_metrics_over(inputs: dict[str, str]) -> str:
    """:data:`UNIT_METRICS` with its input tables given as ``SELECT`` statements (one
    CTE per table, named as the table): a self-contained query, which can be one part
    of a larger one (one year and province of the store, :mod:`toolkit.metrics.store`)."""
    tables = ",".join(f"\n{name} AS ({select})" for name, select in inputs.items())
    return "WITH" + tables + "," + ",".join(FAMILIES) + UNIT_METRICS_SELECT

# --- the table operation of a flag -----------------------------------------------------------

#: the inputs of :data:`OVER_REFUNDS`: a track's payments (all of the table, whatever
#: their date) and every refund seen against them: the clean refunds and the refunds
#: excluded for their date (after the cut-off, out of the period)
OVER_REFUND_INPUTS: dict[str, dict[str, str]] = {
    "payments": {"order_id": "VARCHAR", "unit_id": "VARCHAR", "amount_fen": "BIGINT"},
    "refunds": {"order_id": "VARCHAR", "amount_fen": "BIGINT"},
    "dated_out_refunds": {"order_id": "VARCHAR", "amount_fen": "BIGINT"},
}

# over_refund flag: the payments refunded more than they paid, by unit_id, order_id.
OVER_REFUNDS = """
WITH every_refund AS (
    SELECT order_id, amount_fen FROM refunds
    UNION ALL
    SELECT order_id, amount_fen FROM dated_out_refunds),
refunded AS (
    SELECT order_id, CAST(sum(amount_fen) AS BIGINT) AS refunded
    FROM every_refund WHERE order_id IS NOT NULL GROUP BY order_id)
SELECT p.order_id, p.unit_id, p.amount_fen, r.refunded, r.refunded - p.amount_fen AS excess
FROM payments p JOIN refunded r ON r.order_id = p.order_id
WHERE r.refunded > 0 AND r.refunded > p.amount_fen
ORDER BY p.unit_id, p.order_id
"""
