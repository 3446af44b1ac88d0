"""The set-based path of a settlement run on PostgreSQL (docs/agreements.md, "Settlement at scale").

A year of new courses is priced by one statement instead of 50,000 Python objects: a window function
hands out the ordinals of each year in the order of agreements.tariffs (start, end, registration,
id), a CASE gives the step and the included days from the constants of tariffs.py, and a join gives
the tariffs. The lines are staged in a temporary table, so the run's statements can be created from
their totals, and then written with one INSERT ... SELECT.

tariffs.py's Python staircase stays the reference: settlement_run uses it on every other database
(SQLite for `make run`) and for corrections, and tests/agreements/test_settling.py proves with
hypothesis that both paths write the same lines.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.db.models import F, Window
from django.db.models.functions import ExtractYear, RowNumber

from . import tariffs
from .models import SettlementLine

SET_BASED_VENDORS = {"postgresql"}
STAGE = "settle_new_lines"


def set_based() -> bool:
    return connection.vendor in SET_BASED_VENDORS


def _step_sql() -> tuple[str, list]:
    whens, params = [], []
    for step, last in tariffs.STEP_LIMITS:
        whens.append("WHEN n.ordinal <= %s THEN %s")
        params += [last, step]
    return f"CASE {' '.join(whens)} ELSE %s END", [*params, tariffs.STEPS[-1]]


def _included_sql() -> tuple[str, list]:
    whens, params = [], []
    for treatment, days in tariffs.INCLUDED_DAYS.items():
        whens.append("WHEN %s THEN %s")
        params += [treatment, days]
    return f"CASE n.treatment {' '.join(whens)} END", params


@dataclass
class Staged:
    """What the staged new lines add up to (for the run and its statements)."""

    count: int = 0
    total: Decimal = Decimal(0)
    per_municipality: dict[int, tuple[Decimal, int]] = field(default_factory=dict)
    missing_years: set[int] = field(default_factory=set)


def stage_new_lines(new_courses, agreement_id: int) -> Staged:
    """Price the new courses (a queryset of unsettled billable courses) into a temporary table."""
    numbered = new_courses.annotate(
        course_year=ExtractYear("start_date"),
        n=Window(
            RowNumber(),
            partition_by=[ExtractYear("start_date")],
            order_by=[F("start_date").asc(), F("end_date").asc(), F("created_at").asc(), F("id").asc()],
        ),
    ).values("id", "municipality_id", "treatment", "start_date", "end_date", "revision", "course_year", "n")
    numbered_sql, numbered_params = numbered.query.sql_with_params()
    step_sql, step_params = _step_sql()
    included_sql, included_params = _included_sql()
    line = SettlementLine._meta.db_table
    sql = f"""
        CREATE TEMPORARY TABLE {STAGE} ON COMMIT DROP AS
        WITH numbered AS (
            SELECT c.id AS course_id, c.municipality_id, c.treatment, c.revision,
                   c.course_year AS year, c.n + COALESCE(last.ordinal, 0) AS ordinal,
                   (c.end_date - c.start_date + 1) AS days
            FROM ({numbered_sql}) AS c
            LEFT JOIN (
                SELECT year, MAX(ordinal) AS ordinal FROM {line}
                WHERE agreement_id = %s AND kind = %s GROUP BY year
            ) AS last ON last.year = c.course_year
        ), stepped AS (
            SELECT n.*, {step_sql} AS step,
                   GREATEST(0, n.days - {included_sql}) AS extra_days
            FROM numbered AS n
        )
        SELECT s.*, r.course_tariff, r.day_tariff,
               r.course_tariff + r.day_tariff * s.extra_days AS amount
        FROM stepped AS s
        LEFT JOIN agreements_tarifftable AS t ON t.year = s.year
        LEFT JOIN agreements_tariffrate AS r
            ON r.table_id = t.id AND r.treatment = s.treatment AND r.step = s.step
    """  # noqa: S608 - every value is a parameter; the fragments are compiled by the ORM or built above
    params = [
        *numbered_params,
        agreement_id,
        SettlementLine.Kind.COURSE,
        *step_params,
        *included_params,
    ]
    staged = Staged()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        cursor.execute(
            "SELECT municipality_id, SUM(amount), COUNT(*),"
            " array_agg(DISTINCT year) FILTER (WHERE course_tariff IS NULL)"
            " FROM settle_new_lines GROUP BY municipality_id"
        )
        for municipality_id, total, count, missing in cursor.fetchall():
            staged.per_municipality[municipality_id] = (total or Decimal(0), count)
            staged.count += count
            staged.total += total or Decimal(0)
            staged.missing_years.update(missing or ())
        if not staged.count:
            cursor.execute(f"DROP TABLE {STAGE}")
    return staged


def insert_staged_lines(run, agreement_id: int) -> None:
    """Write the staged lines onto the run's statements (one per municipality, created before)."""
    line = SettlementLine._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            INSERT INTO {line} (run_id, agreement_id, statement_id, course_id, kind, original_id, year,
                                ordinal, step, treatment, days, extra_days, course_tariff, day_tariff,
                                amount, course_revision, created_at)
            SELECT %s, %s, st.id, s.course_id, %s, NULL, s.year, s.ordinal, s.step, s.treatment, s.days,
                   s.extra_days, s.course_tariff, s.day_tariff, s.amount, s.revision, %s
            FROM {STAGE} AS s
            JOIN agreements_statement AS st ON st.run_id = %s AND st.municipality_id = s.municipality_id
            ORDER BY s.year, s.ordinal
            """,  # noqa: S608 - table names are the models'
            [run.pk, agreement_id, SettlementLine.Kind.COURSE, run.created_at, run.pk],
        )
        cursor.execute(f"DROP TABLE {STAGE}")
