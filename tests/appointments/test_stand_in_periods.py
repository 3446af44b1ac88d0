"""StandIn.objects.in_effect / not_ended: the one query for "the stand-in in effect on a day"
(Bilag 1 1.5-1.6), used by roles, meetings' acting seats, the chair's availability and the
council page. Boundaries: the first and the last day of the period count."""

import datetime

import pytest

from appointments.models import Seat, StandIn

DAY = datetime.timedelta(days=1)
START = datetime.date(2027, 3, 1)
END = datetime.date(2027, 6, 30)


@pytest.fixture
def period(council):
    seat = Seat.objects.get(council=council, number=3)
    return StandIn.objects.create(
        council=council,
        seat_number=3,
        member=seat.holder,
        stand_in=seat.substitute,
        starts_on=START,
        ends_on=END,
        decided_on=START - 10 * DAY,
    )


@pytest.mark.parametrize(
    ("day", "in_effect", "not_ended"),
    [
        (START - DAY, False, True),  # still to come
        (START, True, True),  # the first day counts
        (END, True, True),  # the last day counts
        (END + DAY, False, False),  # over
    ],
)
def test_boundaries_of_a_period(period, day, in_effect, not_ended):
    assert StandIn.objects.in_effect(day).filter(pk=period.pk).exists() is in_effect
    assert StandIn.objects.not_ended(day).filter(pk=period.pk).exists() is not_ended


def test_an_open_period_never_ends(period):
    StandIn.objects.filter(pk=period.pk).update(ends_on=None)
    far = END + 3650 * DAY
    assert StandIn.objects.in_effect(far).filter(pk=period.pk).exists()
    assert not StandIn.objects.in_effect(START - DAY).filter(pk=period.pk).exists()
