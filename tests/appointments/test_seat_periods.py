"""Exactly one row of a seat is current on every day, whatever changes are recorded when."""

import datetime
import importlib
import random

import pytest
from dateutil.relativedelta import relativedelta
from django.apps import apps
from hypothesis import given
from hypothesis import strategies as st

from appointments import rules, services
from appointments.models import Seat
from core.errors import Refused
from register.models import Municipality
from tests.conftest import TODAY, make_politician

from .conftest import party, seat
from .test_services import fill

DAY = datetime.timedelta(days=1)


def current_rows(council, number, on):
    return list(Seat.objects.current(on).filter(council=council, number=number))


def fresh_seat(council, councillors, start):
    return fill(council, councillors["V"], councillors["A"], valid_from=start)


# --- the pure rule -----------------------------------------------------------------------------


def test_seat_period_close_boundaries():
    start = datetime.date(2026, 3, 1)
    assert rules.seat_period_close(start, start) == (start, True)
    assert rules.seat_period_close(start, start + DAY) == (start, False)
    assert rules.seat_period_close(start, start + 2 * DAY) == (start + DAY, False)
    with pytest.raises(rules.RuleError, match="before the seat's period began"):
        rules.seat_period_close(start, start - DAY)


@given(st.lists(st.integers(min_value=0, max_value=3), max_size=12))
def test_any_sequence_of_changes_leaves_one_period_per_day(offsets):
    """Periods as the services write them: each change starts a new period ``offset`` days after
    the current one began and closes the current one by ``seat_period_close``."""
    start = datetime.date(2026, 1, 1)
    periods = [[start, None, False]]
    for offset in offsets:
        on = periods[-1][0] + offset * DAY
        periods[-1][1], periods[-1][2] = rules.seat_period_close(periods[-1][0], on)
        periods.append([on, None, False])
    last = periods[-1][0] + 2 * DAY
    day = start
    while day <= last:
        current = [p for p in periods if not p[2] and p[0] <= day and (p[1] is None or day <= p[1])]
        assert len(current) == 1, (day, periods)
        day += DAY
    assert all(p[1] >= p[0] for p in periods[:-1])  # the database's seat_period_ordered holds


# --- the services ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_substitute_changed_on_the_first_day_supersedes_the_row(council, councillors):
    new_seat = fresh_seat(council, councillors, TODAY)
    seats_before = Seat.objects.current(TODAY).filter(council=council).count()
    changed = services.seat_change_substitute(seat=new_seat, substitute=councillors["F"], on=TODAY)
    new_seat.refresh_from_db()
    assert new_seat.superseded and new_seat.valid_to == TODAY and new_seat.end_reason == "new substitute"
    assert current_rows(council, new_seat.number, TODAY) == [changed]
    assert Seat.objects.current(TODAY).filter(council=council).count() == seats_before
    assert Seat.objects.filter(council=council, number=new_seat.number).count() == 2  # kept as history


@pytest.mark.django_db
def test_member_replaced_on_the_first_day_supersedes_the_row(council, councillors):
    new_seat = fresh_seat(council, councillors, TODAY)
    other_v = make_politician(Municipality.objects.get(code="101"), party("V"), "Other V")
    replaced = services.seat_replace(
        seat=new_seat, holder=other_v, substitute=councillors["F"], on=TODAY, reason="entered by mistake"
    )
    assert current_rows(council, new_seat.number, TODAY) == [replaced]
    # a second change the same day supersedes the replacement too
    again = services.seat_change_substitute(seat=replaced, substitute=councillors["A"], on=TODAY)
    assert current_rows(council, new_seat.number, TODAY) == [again]
    assert Seat.objects.filter(council=council, number=new_seat.number, superseded=True).count() == 2


@pytest.mark.django_db
def test_change_the_day_after_the_first_day_ends_the_row_that_day(council, councillors):
    start = TODAY - DAY
    new_seat = fresh_seat(council, councillors, start)
    changed = services.seat_change_substitute(seat=new_seat, substitute=councillors["F"], on=TODAY)
    new_seat.refresh_from_db()
    assert new_seat.valid_to == start and not new_seat.superseded
    assert current_rows(council, new_seat.number, start) == [new_seat]
    assert current_rows(council, new_seat.number, TODAY) == [changed]


@pytest.mark.django_db
def test_change_before_the_first_day_is_refused(council, councillors):
    new_seat = fresh_seat(council, councillors, TODAY)
    with pytest.raises(Refused, match="before the seat's period began"):
        services.seat_change_substitute(seat=new_seat, substitute=councillors["F"], on=TODAY - DAY)
    new_seat.refresh_from_db()
    assert new_seat.valid_to is None and not new_seat.superseded


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(6))
def test_random_sequences_of_changes_keep_one_current_row_per_day(council, seed):
    """Property-style over the real services: substitutes and members change at random
    offsets (often 0 days, the case that used to double a seat)."""
    rng = random.Random(seed)
    kbh = Municipality.objects.get(code="101")
    pool = [make_politician(kbh, party("A"), f"Pool {seed} {i}") for i in range(30)]
    start = seat(council, 3).valid_from
    last = start
    for _step in range(10):
        row = seat(council, 3)
        on = row.valid_from + rng.choice([0, 0, 1, 2]) * DAY
        if on > TODAY:
            on = row.valid_from
        free = [p for p in pool if p.pk not in (row.holder_id, row.substitute_id)]
        if rng.random() < 0.5:
            services.seat_change_substitute(seat=row, substitute=free.pop(rng.randrange(len(free))), on=on)
        else:
            holder = free.pop(rng.randrange(len(free)))
            substitute = free.pop(rng.randrange(len(free)))
            services.seat_replace(seat=row, holder=holder, substitute=substitute, on=on, reason="left")
        last = max(last, on)
    day = start
    while day <= last + DAY:
        for number in range(1, 5):
            assert len(current_rows(council, number, day)) == 1, (number, day)
        day += DAY


@pytest.mark.django_db
def test_migration_marks_rows_changed_on_their_first_day(council, councillors):
    """Rows the old code left (valid_to = valid_from, next row starting the same day) are superseded;
    a genuine one-day period is left alone."""
    old = fresh_seat(council, councillors, TODAY - 3 * DAY)
    Seat.objects.filter(pk=old.pk).update(valid_to=TODAY - 3 * DAY)

    def row(substitute, valid_from, valid_to):
        return Seat.objects.create(
            **{f: getattr(old, f) for f in ("council", "number", "kind", "party", "municipality", "holder")},
            substitute=substitute,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    doubled = row(councillors["F"], TODAY - 3 * DAY, TODAY - DAY)
    one_day = row(councillors["C"], TODAY, TODAY)
    migration = importlib.import_module("appointments.migrations.0003_seat_superseded")
    migration.mark_superseded(apps, None)
    assert list(Seat.objects.filter(superseded=True).values_list("pk", flat=True)) == [old.pk]
    assert current_rows(council, old.number, TODAY - 3 * DAY) == [doubled]
    assert current_rows(council, old.number, TODAY) == [one_day]


@pytest.mark.django_db
def test_no_new_substitute_while_the_old_one_stands_in_for_a_long_absence(council, councillors):
    """Bilag 1 1.5-1.6: the stand-in is the substitute named then; a new substitute during the
    period would leave two people acting for the seat. After the period ends it is allowed."""
    s = seat(council, 3)
    last = TODAY + relativedelta(months=3)
    stand_in = services.stand_in_create(seat=s, starts_on=TODAY, ends_on=last, decided_on=TODAY)
    with pytest.raises(Refused, match="long absence"):
        services.seat_change_substitute(seat=s, substitute=councillors["F"], on=last)
    assert current_rows(council, 3, TODAY) == [s]
    changed = services.seat_change_substitute(seat=s, substitute=councillors["F"], on=last + DAY)
    assert changed.substitute == councillors["F"] and stand_in.ends_on == last
