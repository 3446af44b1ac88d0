"""A stand-in during a long absence (Bilag 1 1.5-1.6) replaces the member for the period: the
stand-in, not the absent holder, gets the meeting's notices and acts for the seat (absence,
proposals, closed items). The period counts on the meeting day, both ends included."""

import datetime

import pytest
from django.urls import reverse

from accounts.models import Notice
from appointments.models import StandIn
from meetings import services
from meetings.models import AbsenceReport, ItemProposal
from meetings.selectors import meeting_seat_of, members_and_called_in_users

from .conftest import approve, seat

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def stand_in_for_seat_3(council, starts_on, ends_on=None):
    """Sune Substitute (the 'substitute' persona) steps in for Mona Member (the 'member' persona)."""
    s = seat(council, 3)
    return StandIn.objects.create(
        council=council,
        seat_number=3,
        member=s.holder,
        stand_in=s.substitute,
        starts_on=starts_on,
        ends_on=ends_on,
        decided_on=starts_on - 10 * DAY,
    )


def emails(users):
    return {u.email for u in users}


# (starts_on, ends_on) relative to the meeting day; whether the stand-in replaces the member
PERIODS = [
    pytest.param(-90, -1, False, id="ended-the-day-before"),
    pytest.param(-90, 0, True, id="ends-on-the-meeting-day"),
    pytest.param(0, 90, True, id="starts-on-the-meeting-day"),
    pytest.param(1, 90, False, id="starts-the-day-after"),
    pytest.param(-90, None, True, id="open-ended"),
]


@pytest.mark.parametrize(("start", "end", "replaces"), PERIODS)
def test_agenda_notice_goes_to_the_stand_in_for_the_period(meeting, personas, council, start, end, replaces):
    stand_in_for_seat_3(
        council, meeting.date + start * DAY, None if end is None else meeting.date + end * DAY
    )
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    told = set(
        Notice.objects.filter(key__startswith="meetings:agenda-published").values_list(
            "user__email", flat=True
        )
    )
    assert ("substitute@example.dk" in told) is replaces
    assert ("member@example.dk" in told) is not replaces
    assert "chair@example.dk" in told


@pytest.mark.parametrize(("start", "end", "replaces"), PERIODS)
def test_the_seat_is_acted_for_by_the_stand_in_for_the_period(
    meeting, personas, council, start, end, replaces
):
    stand_in_for_seat_3(
        council, meeting.date + start * DAY, None if end is None else meeting.date + end * DAY
    )
    member, substitute = personas["member"].politician_id, personas["substitute"].politician_id
    acting, replaced = (substitute, member) if replaces else (member, substitute)
    assert meeting_seat_of(meeting, acting).number == 3
    assert meeting_seat_of(meeting, replaced) is None


def test_cancellation_goes_to_the_stand_in_not_the_absent_member(published, personas, council):
    stand_in_for_seat_3(council, published.date - 30 * DAY, published.date + 60 * DAY)
    services.meeting_cancel(meeting=published)
    told = set(
        Notice.objects.filter(key__startswith="meetings:cancelled").values_list("user__email", flat=True)
    )
    assert "substitute@example.dk" in told and "member@example.dk" not in told


def test_a_stand_in_for_an_earlier_holder_does_not_replace_the_new_holder(meeting, personas, council):
    s = seat(council, 3)
    StandIn.objects.create(
        council=council,
        seat_number=3,
        member=seat(council, 4).holder,  # not who holds seat 3 on the meeting day
        stand_in=s.substitute,
        starts_on=meeting.date - 30 * DAY,
    )
    assert emails(members_and_called_in_users(meeting)) >= {"member@example.dk"}
    assert "substitute@example.dk" not in emails(members_and_called_in_users(meeting))


def test_stand_in_reports_absence_and_nobody_further_is_called_in(client, login, personas, meeting, council):
    # The period starts on the meeting day: today the stand-in is still only a substitute.
    stand_in_for_seat_3(council, meeting.date)
    login(personas["substitute"])
    page = client.get(url("detail", meeting.pk))
    assert url("absence_report", meeting.pk).encode() in page.content
    assert b"Mona Member" in client.get(url("absence_report", meeting.pk)).content
    response = client.post(url("absence_report", meeting.pk), {"note": "Syg"})
    assert response.status_code == 302
    report = AbsenceReport.objects.get()
    assert report.seat_id == seat(council, 3).pk and report.reported_by == personas["substitute"]
    assert not Notice.objects.filter(key__startswith="meetings:called-in").exists()
    page = client.get(url("detail", meeting.pk)).content.decode()
    assert "You have reported absence" in page and "your substitute has been notified" not in page
    personas["substitute"].name = "Stine Stand-in"
    personas["substitute"].save(update_fields=["name"])
    login(personas["secretariat"])
    page = client.get(url("detail", meeting.pk)).content.decode()
    listed = page[page.index('id="absences-h"') :]
    assert "reported by Stine Stand-in" in listed


def test_replaced_member_cannot_report_absence_or_propose(client, login, personas, meeting, council):
    stand_in_for_seat_3(council, meeting.date - 30 * DAY)
    login(personas["member"])
    page = client.get(url("detail", meeting.pk)).content
    assert url("absence_report", meeting.pk).encode() not in page
    assert url("proposal_create", meeting.pk).encode() not in page
    assert client.post(url("absence_report", meeting.pk), {"note": "x"}).status_code == 403
    assert (
        client.post(url("proposal_create", meeting.pk), {"title": "T", "description": "D"}).status_code == 403
    )
    assert not AbsenceReport.objects.exists() and not ItemProposal.objects.exists()


def test_stand_in_proposes_an_item(client, login, personas, meeting, council):
    stand_in_for_seat_3(council, meeting.date)
    login(personas["substitute"])
    response = client.post(
        url("proposal_create", meeting.pk), {"title": "Letbane", "description": "Drøftelse"}
    )
    assert response.status_code == 302
    assert ItemProposal.objects.get().proposer_id == personas["substitute"].politician_id


def test_substitute_without_stand_in_still_cannot_propose(client, login, personas, meeting):
    login(personas["substitute"])
    response = client.post(url("proposal_create", meeting.pk), {"title": "T", "description": "D"})
    assert response.status_code == 403 and not ItemProposal.objects.exists()


def test_stand_in_for_the_meeting_day_sees_closed_items(client, login, personas, published, council):
    login(personas["substitute"])
    assert "Udpegning" not in client.get(url("detail", published.pk)).content.decode()
    stand_in_for_seat_3(council, published.date)
    login(personas["substitute"])
    assert "Udpegning" in client.get(url("detail", published.pk)).content.decode()


def test_a_replaced_member_is_not_registered_present_the_stand_in_attends_as_substitute(
    client, login, personas, begun, council
):
    published = begun
    from django.core.exceptions import ValidationError

    from meetings.models import Attendance
    from meetings.selectors import attendance_summary, quorum_state

    stand_in_for_seat_3(council, published.date - 30 * DAY)
    with pytest.raises(ValidationError, match="stand-in"):
        services.attendance_record(meeting=published, seat=seat(council, 3), status=Attendance.Status.PRESENT)
    row = services.attendance_record(
        meeting=published, seat=seat(council, 3), status=Attendance.Status.SUBSTITUTE
    )
    assert row.attendee_id == personas["substitute"].politician_id
    assert quorum_state(published).present == 1
    summary = attendance_summary(published)
    assert [r["seat"].number for r in summary.substitutes] == [3] and 3 in [
        r["seat"].number for r in summary.absent
    ]
    login(personas["secretariat"])
    page = client.get(url("attendance", published.pk)).content.decode()
    assert "long absence" in page
    # Another seat, without a stand-in, is registered present as before.
    services.attendance_record(meeting=published, seat=seat(council, 4), status=Attendance.Status.PRESENT)
