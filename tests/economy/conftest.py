import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from appointments.models import Seat
from economy.models import Event, MileageRate
from meetings.models import Attendance, Meeting


def make_event(region, *, capacity: int, fee_politician: str = "650.50") -> Event:
    """An event in 30 days: registration open 20 more days, free cancellation 10 more days."""
    now = timezone.now()
    return Event.objects.create(
        region=region,
        title="Konference om det nære sundhedsvæsen",
        programme="09.00 Velkomst\n10.00 Oplæg",
        place="Tivoli Hotel",
        starts_at=now + datetime.timedelta(days=30),
        ends_at=now + datetime.timedelta(days=30, hours=6),
        capacity=capacity,
        registration_deadline=now + datetime.timedelta(days=20),
        cancellation_deadline=now + datetime.timedelta(days=10),
        fee_member=Decimal("450.00"),
        fee_politician=Decimal(fee_politician),
    )


@pytest.fixture
def event(hovedstaden):
    return make_event(hovedstaden, capacity=2)


@pytest.fixture
def held_meeting(council):
    """A held KKR meeting where seat 3's holder attended and seat 4's holder was absent."""
    meeting = Meeting.objects.create(
        council=council,
        starts_at=timezone.now() - datetime.timedelta(days=5),
        location="Regionsgården",
        status=Meeting.Status.HELD,
        agenda_published_at=timezone.now() - datetime.timedelta(days=12),
    )
    seat3 = Seat.objects.get(council=council, number=3)
    seat4 = Seat.objects.get(council=council, number=4)
    Attendance.objects.create(
        meeting=meeting, seat=seat3, status=Attendance.Status.PRESENT, attendee=seat3.holder
    )
    Attendance.objects.create(meeting=meeting, seat=seat4, status=Attendance.Status.ABSENT)
    return meeting


@pytest.fixture
def rates(db):
    year = timezone.localdate().year
    for y in {year, year - 1}:
        MileageRate.objects.create(
            year=y, high_rate=Decimal("3.81"), low_rate=Decimal("2.23"), high_limit_km=20000
        )
