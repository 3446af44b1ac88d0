"""Fixtures of the meetings tests: a planned meeting of the shared council and helpers."""

import datetime

import pytest
from django.utils import timezone

from accounts.models import User
from appointments.models import Seat
from meetings import services
from meetings.models import Attendance, Meeting


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def approve(meeting):
    """The chair approves the agenda (FO 3.2), which publication needs."""
    from tests.conftest import make_user

    chair = meeting.council.chair
    user = User.objects.filter(politician=chair).first() or make_user(
        f"chair-{chair.pk}@example.dk", politician=chair
    )
    return services.agenda_approve(meeting=meeting, by=user)


@pytest.fixture
def meeting(council):
    """An ordinary meeting 14 days ahead, with an open and a closed item."""
    m = services.meeting_plan(
        council=council, starts_at=at(timezone.localdate() + datetime.timedelta(days=14)), location="Kbh"
    )
    services.item_add(meeting=m, title="Sundhedsaftale 2027", recommendation="Godkendes", case_text="Tekst")
    services.item_add(meeting=m, title="Lukket: Udpegning til bestyrelse", closed=True)
    return m


@pytest.fixture
def published(meeting, personas):
    approve(meeting)
    return services.agenda_publish(meeting=meeting, by=personas["secretariat"])


def seat(council, n) -> Seat:
    return Seat.objects.select_related("holder", "substitute").get(council=council, number=n)


def start(meeting, ago: datetime.timedelta = datetime.timedelta(hours=1)) -> Meeting:
    """Time passes: the meeting began `ago` (nothing of the meeting day is recorded before its
    start, rules.meeting_started). Moved in the database, as the clock would, not by a service."""
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - ago)
    meeting.refresh_from_db()
    return meeting


def register(meeting, statuses: dict[int, str]) -> None:
    """Attendance by seat number: 'p' present, 'a' absent, 's' substitute (the meeting has begun)."""
    if meeting.starts_at > timezone.now():
        start(meeting)
    codes = {"p": Attendance.Status.PRESENT, "a": Attendance.Status.ABSENT, "s": Attendance.Status.SUBSTITUTE}
    for number, code in statuses.items():
        services.attendance_record(meeting=meeting, seat=seat(meeting.council, number), status=codes[code])
    meeting.refresh_from_db()


@pytest.fixture
def held(published, council):
    """The published meeting, begun an hour ago, with its attendance registered."""
    register(published, {1: "p", 2: "p", 3: "p", 4: "a"})
    return Meeting.objects.get(pk=published.pk)


@pytest.fixture
def begun(published):
    """The published meeting, begun an hour ago, nothing registered yet."""
    return start(published)
