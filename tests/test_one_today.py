"""Issue 13.4: one "which day is it" for the whole portal (core.time.today(), the Copenhagen date).

On a UTC server the server's date is a day behind Copenhagen between midnight and 01:00/02:00
Copenhagen time; "current" seats and roles must already be those of the Copenhagen day.
"""

import datetime
import re
import time
from pathlib import Path

import pytest
from django.utils import timezone

from accounts.roles import RoleKind, compute_roles
from appointments.models import Council, Seat

ROOT = Path(__file__).resolve().parent.parent
# 23:30 UTC on 14 March 2024 is 00:30 on 15 March in Copenhagen (CET, UTC+1).
LATE_EVENING_UTC = datetime.datetime(2024, 3, 14, 23, 30, tzinfo=datetime.UTC)
COPENHAGEN_DAY = datetime.date(2024, 3, 15)


@pytest.fixture
def utc_server_at_late_evening(monkeypatch):
    """The process clock says 23:30 UTC and the server's own zone is UTC (as on a bare container)."""
    monkeypatch.setattr(time, "time", lambda: LATE_EVENING_UTC.timestamp())
    monkeypatch.setattr(timezone, "now", lambda: LATE_EVENING_UTC)
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_the_clock_is_frozen_where_the_server_date_lags(utc_server_at_late_evening):
    assert datetime.date.today() == COPENHAGEN_DAY - datetime.timedelta(days=1)
    assert timezone.localdate() == COPENHAGEN_DAY


@pytest.mark.django_db
def test_a_seat_starting_today_in_copenhagen_is_current_after_midnight(council, utc_server_at_late_evening):
    seat = Seat.objects.get(council=council, number=3)
    Seat.objects.filter(pk=seat.pk).update(valid_from=COPENHAGEN_DAY, valid_to=None)
    assert Seat.objects.current().filter(pk=seat.pk).exists()
    council.term_start = COPENHAGEN_DAY
    council.save()
    assert Council.objects.current().filter(pk=council.pk).exists()


@pytest.mark.django_db
def test_a_member_whose_seat_ended_yesterday_in_copenhagen_is_no_longer_member(
    personas, council, utc_server_at_late_evening
):
    Seat.objects.filter(council=council, number=3).update(
        valid_from=COPENHAGEN_DAY - datetime.timedelta(days=30),
        valid_to=COPENHAGEN_DAY - datetime.timedelta(days=1),
    )
    assert RoleKind.MEMBER not in compute_roles(personas["member"]).kinds


SERVER_DATE = re.compile(r"\bdate\.today\(|\bdatetime\.now\(\)\.date\(\)|\blocaldate\(\)")


def test_no_server_date_outside_core_and_tests():
    """Guard: the server's date may not return, nor a second spelling of today; use core.time.today()."""
    offenders = []
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"core", "tests", ".venv", "node_modules"} or "migrations" in parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if SERVER_DATE.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == [], "use core.time.today():\n" + "\n".join(offenders)
