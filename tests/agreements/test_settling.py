"""The set-based settlement (agreements/settling.py, PostgreSQL) writes exactly the lines, statements
and runs of the Python staircase in agreements/tariffs.py, which stays the reference."""

import datetime
from contextlib import contextmanager

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements import settling, tariffs
from agreements.models import Course, SettlementLine, SettlementRun, Statement
from agreements.services import course_withdraw, settlement_run
from core.errors import Refused

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

CREATED = timezone.make_aware(datetime.datetime(2024, 12, 1, 12, 0))
course = st.tuples(
    st.integers(0, 1),  # municipality
    st.sampled_from(tariffs.TREATMENTS),
    st.sampled_from([datetime.date(2024, 12, 31), datetime.date(2025, 1, 1)]),  # over New Year, often tied
    st.one_of(st.none(), st.integers(1, 3), st.integers(4, 12)),  # days, None = ongoing
    st.sampled_from(["accepted", "accepted", "declined"]),
    st.sampled_from([False, False, True]),  # withdrawn
    st.integers(0, 2),  # registered this many hours after CREATED (ties broken by id)
)


@contextmanager
def path(set_based: bool):
    vendors = settling.SET_BASED_VENDORS
    settling.SET_BASED_VENDORS = {"postgresql"} if set_based else set()
    try:
        yield
    finally:
        settling.SET_BASED_VENDORS = vendors


def _create(batch, municipalities, prefix):
    return Course.objects.bulk_create(
        Course(
            municipality=municipalities[m],
            external_id=f"{prefix}-{i}",
            treatment=treatment,
            referred_on=start,
            decision=decision,
            start_date=start,
            end_date=start + datetime.timedelta(days=days - 1) if days else None,
            setting="home",
            visits_per_day=1,
            minutes_per_visit=30,
            withdrawn=withdrawn,
            created_at=CREATED + datetime.timedelta(hours=hours),
        )
        for i, (m, treatment, start, days, decision, withdrawn, hours) in enumerate(batch)
    )


def _outcome():
    lines = sorted(
        SettlementLine.objects.values_list(
            "run__number",
            "statement__municipality__code",
            "course__external_id",
            "kind",
            "original__course__external_id",
            "year",
            "ordinal",
            "step",
            "treatment",
            "days",
            "extra_days",
            "course_tariff",
            "day_tariff",
            "amount",
            "course_revision",
        )
    )
    statements = sorted(
        Statement.objects.values_list("run__number", "municipality__code", "total", "line_count")
    )
    runs = sorted(SettlementRun.objects.values_list("number", "course_count", "correction_count", "total"))
    priced = sorted(Course.objects.values_list("external_id", "priced_revision"))
    return lines, statements, runs, priced


def _settle(first, second, withdraw, municipalities):
    made = _create(first, municipalities, "a")
    settlement_run(as_of=datetime.date(2025, 1, 2))
    for index in withdraw:
        if index < len(made):
            course_withdraw(course=made[index])
    _create(second, municipalities, "b")
    settlement_run(as_of=datetime.date(2025, 3, 1))
    return _outcome()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    first=st.lists(course, max_size=8),
    second=st.lists(course, max_size=8),
    withdraw=st.lists(st.integers(0, 7), max_size=3),
)
def test_set_based_lines_equal_the_python_staircase(kbh, frb, tariff_years, first, second, withdraw):
    municipalities = [kbh, frb]
    limits = tariffs.STEP_LIMITS
    tariffs.STEP_LIMITS = ((1, 3), (2, 6))  # small steps, so a handful of courses climbs the staircase
    try:
        outcomes = []
        for set_based in (True, False):
            with path(set_based), transaction.atomic():
                point = transaction.savepoint()
                outcomes.append(_settle(first, second, withdraw, municipalities))
                transaction.savepoint_rollback(point)
    finally:
        tariffs.STEP_LIMITS = limits
    assert outcomes[0] == outcomes[1]


def test_a_missing_tariff_year_refuses_the_set_based_run(kbh, tariff_years):
    _create([(0, "pump", datetime.date(2031, 1, 2), 3, "accepted", False, 0)], [kbh], "x")
    with pytest.raises(Refused):
        settlement_run(as_of=datetime.date(2031, 3, 1))
    assert not SettlementLine.objects.exists()


@pytest.mark.parametrize("set_based", [True, False])
def test_settling_writes_no_course_row_and_a_change_is_still_corrected(kbh, tariff_years, set_based):
    """Issue 15: a new course is settled by its course line alone (no UPDATE of the course row,
    whose xmin would change); a course changed after it was settled is corrected by the next run."""
    from django.db import connection

    from agreements.services import course_register

    from .conftest import course_input

    def row_versions():
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, xmin::text FROM agreements_course ORDER BY id")
            return cursor.fetchall()

    _create([(0, "pump", datetime.date(2024, 12, 31), 3, "accepted", False, h) for h in range(3)], [kbh], "n")
    before = row_versions()
    with path(set_based):
        run = settlement_run(as_of=datetime.date(2025, 3, 1))
        assert run.course_count == 3
        assert row_versions() == before
        course = Course.objects.get(external_id="n-0")
        assert course.is_settled and not course.changed_since_settled and course.priced_revision is None
        # Changed after it was settled: longer than the included days, corrected (and only then
        # recorded on the row).
        course_register(
            item=course_input(
                kbh,
                "n-0",
                treatment="pump",
                referred_on=datetime.date(2024, 12, 31),
                start_date=datetime.date(2024, 12, 31),
                end_date=datetime.date(2025, 1, 20),
                visits_per_day=1,
            )
        )
        assert Course.objects.with_settlement().get(external_id="n-0").changed_since_settled
        again = settlement_run(as_of=datetime.date(2025, 3, 1))
        assert again.course_count == 0 and again.correction_count == 1
        assert settlement_run(as_of=datetime.date(2025, 3, 1)) is None
    assert not Course.objects.with_settlement().get(external_id="n-0").changed_since_settled
