"""The meeting page and the minutes page of a 25-item meeting with 60 seats run a bounded number
of queries (an N+1 over items, attachments, votes or seats would show)."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appointments.models import Council, Seat
from meetings import services
from meetings.models import Attendance
from meetings.selectors import attendance_rows, quorum_of_rows, quorum_state
from register.models import Municipality, Party, Politician

from .conftest import approve, at
from .conftest import start as begin

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_meeting(hovedstaden, personas):
    munis = list(Municipality.objects.filter(region=hovedstaden)[:29])
    party = Party.objects.get(letter="A")
    start = datetime.date.today() - datetime.timedelta(days=30)
    council = Council.objects.create(region=hovedstaden, term_start=start, election_year=start.year)
    people = Politician.objects.bulk_create(
        Politician(
            name=f"Politiker {n}",
            birth_date=datetime.date(1970, 1, 1),
            municipality=munis[n % len(munis)],
            party=party,
            council_from=start,
        )
        for n in range(120)
    )
    Seat.objects.bulk_create(
        Seat(
            council=council,
            number=n + 1,
            kind=Seat.Kind.ELECTED,
            party=party,
            municipality=munis[n % len(munis)],
            holder=people[2 * n],
            substitute=people[2 * n + 1],
            valid_from=start,
        )
        for n in range(60)
    )
    council.chair, council.vice_chair = people[0], people[2]
    council.save()
    meeting = services.meeting_plan(
        council=council, starts_at=at(datetime.date.today() + datetime.timedelta(days=10))
    )
    for n in range(25):
        item = services.item_add(
            meeting=meeting, title=f"Punkt {n}", recommendation="Godkendes", closed=n % 5 == 0
        )
        services.attachment_add(
            item=item, upload=SimpleUploadedFile(f"b{n}.pdf", b"%PDF-1.7"), by=personas["secretariat"]
        )
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    begin(meeting)
    seats = list(Seat.objects.filter(council=council).order_by("number"))
    for n, s in enumerate(seats):
        status = (
            Attendance.Status.ABSENT
            if n % 7 == 0
            else Attendance.Status.SUBSTITUTE
            if n % 5 == 0
            else Attendance.Status.PRESENT
        )
        services.attendance_record(meeting=meeting, seat=s, status=status)
    for item in meeting.items.all():
        services.vote_record(item=item, by=personas["secretariat"], yes=30, no=10, abstain=2)
    services.minutes_save(
        meeting=meeting,
        by=personas["secretariat"],
        texts={i.pk: f"Beslutning {i.order}" for i in meeting.items.all()},
    )
    return meeting


def test_meeting_page_queries_are_bounded(
    client, login, personas, big_meeting, django_assert_max_num_queries
):
    login(personas["secretariat"])
    with django_assert_max_num_queries(16):
        response = client.get(reverse("meetings:detail", args=[big_meeting.pk]))
    assert response.status_code == 200 and response.content.count(b'class="card mb-3"') == 25


def test_minutes_page_queries_are_bounded(
    client, login, personas, big_meeting, django_assert_max_num_queries
):
    login(personas["secretariat"])
    # The items are read once for the record and the page; the quorum comes from the rows.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("meetings:minutes", args=[big_meeting.pk]))
    assert response.status_code == 200 and b"Beslutning 24" in response.content


def test_attendance_page_queries_are_bounded(
    client, login, personas, big_meeting, django_assert_max_num_queries
):
    login(personas["secretariat"])
    # The open register of 60 seats as one form (issue 16): rows, quorum counted from the rows.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("meetings:attendance", args=[big_meeting.pk]))
    assert response.status_code == 200 and response.content.count(b'<tr id="seat-') == 60
    assert response.content.count(b'type="radio"') == 60 * 3


def test_public_meeting_page_queries_are_bounded(client, big_meeting, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        response = client.get(reverse("meetings:public_meeting", args=[big_meeting.pk]))
    assert (
        response.status_code == 200 and b"Punkt 0" not in response.content and b"Punkt 1<" in response.content
    )


def test_the_quorum_counted_from_the_register_rows_is_the_quorum(big_meeting):
    """The attendance and minutes pages count the quorum from the rows they read already."""
    assert quorum_of_rows(attendance_rows(big_meeting)) == quorum_state(big_meeting)
