"""Acceptance property (issue 5): after any sequence of imports, changes, withdrawals and
settlement runs, every course's lines add up to its current price at its original step and tariff
year, and every ordinal of a year is used exactly once."""

import datetime
from collections import defaultdict
from decimal import Decimal

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agreements import tariffs
from agreements.importing import courses_import
from agreements.models import Course, SettlementLine
from agreements.services import course_register, course_withdraw, settlement_run, tariff_rates

from .conftest import course_input

AS_OF = datetime.date(2030, 1, 1)

register = st.tuples(
    st.just("register"),
    st.integers(0, 7),  # which course (external id)
    st.sampled_from(tariffs.TREATMENTS),
    st.dates(datetime.date(2024, 12, 20), datetime.date(2025, 1, 10)),  # over New Year
    st.one_of(st.none(), st.integers(1, 12)),  # days, None = ongoing
    st.sampled_from(["accepted", "declined"]),
)
upload = st.tuples(
    st.just("import"),
    st.lists(
        st.tuples(
            st.integers(0, 7),
            st.sampled_from(tariffs.TREATMENTS),
            st.dates(datetime.date(2024, 12, 20), datetime.date(2025, 1, 10)),
            st.integers(1, 12),
        ),
        min_size=1,
        max_size=4,
        unique_by=lambda row: row[0],
    ),
)
withdraw = st.tuples(st.just("withdraw"), st.integers(0, 7))
run = st.tuples(st.just("run"))
operations = st.lists(st.one_of(register, register, upload, withdraw, run), min_size=1, max_size=25)
HEADER = "external_id,municipality_code,treatment,referred_on,decision,start_date,end_date,setting,visits_per_day,minutes_per_visit"


class Rollback(Exception):
    pass


@pytest.mark.django_db
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=operations)
def test_lines_sum_to_current_price_and_ordinals_are_used_once(ops, tariff_years, kbh, frb, monkeypatch):
    monkeypatch.setattr("agreements.tariffs.STEP_LIMITS", ((1, 2), (2, 4)))
    try:
        with transaction.atomic():
            _play(ops, kbh, frb)
            raise Rollback
    except Rollback:
        pass


def _play(ops, kbh, frb):
    for op in ops:
        if op[0] == "register":
            _kind, n, treatment, start, days, decision = op
            accepted = decision == "accepted"
            course_register(
                item=course_input(
                    kbh if n % 2 else frb,
                    f"P-{n}",
                    treatment=treatment,
                    decision=decision,
                    start_date=start if accepted else None,
                    end_date=start + datetime.timedelta(days=days - 1) if accepted and days else None,
                    referred_on=start,
                )
            )
        elif op[0] == "import":
            lines = [HEADER]
            for n, treatment, start, days in op[1]:
                end = start + datetime.timedelta(days=days - 1)
                code = "101" if n % 2 else "147"
                lines.append(f"P-{n},{code},{treatment},{start},accepted,{start},{end},home,1,30")
            courses_import(name="p.csv", data="\n".join(lines).encode())
        elif op[0] == "withdraw":
            course = Course.objects.filter(external_id=f"P-{op[1]}").first()
            if course:
                course_withdraw(course=course)
        else:
            settlement_run(as_of=AS_OF)
    settlement_run(as_of=AS_OF)
    _check()


def _check():
    rates = tariff_rates()
    lines = list(SettlementLine.objects.all())
    by_course = defaultdict(list)
    for line in lines:
        by_course[line.course_id].append(line)
    ordinals = defaultdict(list)
    for line in lines:
        if line.kind == "course":
            ordinals[line.year].append(line.ordinal)
    for _year, used in ordinals.items():
        assert sorted(used) == list(range(1, len(used) + 1))
    for course in Course.objects.all():
        course_lines = by_course.get(course.pk, [])
        total = sum((line.amount for line in course_lines), Decimal(0))
        originals = [line for line in course_lines if line.kind == "course"]
        if not originals:
            assert not course.is_billable(AS_OF) and total == 0
            continue
        assert len(originals) == 1
        original = originals[0]
        if course.is_billable(AS_OF):
            rate = rates[(original.year, course.treatment, original.step)]
            expected = tariffs.price(course.treatment, course.days, rate)
        else:
            expected = Decimal(0)
        assert total == expected
        assert all(line.step == original.step and line.ordinal == original.ordinal for line in course_lines)
