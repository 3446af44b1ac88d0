"""Records that hold (issue 13.1-13.3): nothing of the meeting day is recorded before it starts,
approved minutes freeze everything they show (the public page and PDF show the published
version's snapshot, not a live join), and a later seat change never rewrites a held meeting."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from appointments.models import Municipality, Party
from appointments.services.council import seat_replace
from meetings import services
from meetings.documents import pdf_context
from meetings.models import Attendance, Document, Minutes
from meetings.selectors import attendance_summary, quorum_state
from tests.conftest import make_politician

from .conftest import register, seat, start

pytestmark = pytest.mark.django_db
MINUTE = datetime.timedelta(minutes=1)


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def publish_minutes(meeting, personas, texts=None):
    texts = texts or {meeting.items.first().pk: "Godkendt"}
    minutes = services.minutes_save(meeting=meeting, by=personas["secretariat"], texts=texts)
    minutes = services.minutes_approve(minutes=minutes, by=personas["chair"])
    return services.minutes_publish(minutes=minutes, by=personas["secretariat"])


# --- 13.2: nothing before the meeting starts ---------------------------------------------------


def test_attendance_votes_minutes_and_guests_are_refused_before_the_start(published, personas):
    """The meeting is 14 days ahead: none of the meeting day's records are accepted."""
    sec = personas["secretariat"]
    with pytest.raises(ValidationError, match="not started"):
        services.attendance_record(meeting=published, seat=seat(published.council, 1), status="present")
    with pytest.raises(ValidationError, match="not started"):
        services.guest_add(meeting=published, name="Karin KL", role="KL")
    with pytest.raises(ValidationError, match="not started"):
        services.vote_record(item=published.items.first(), by=sec, yes=1)
    with pytest.raises(ValidationError, match="not started"):
        services.minutes_save(meeting=published, by=sec, texts={published.items.first().pk: "X"})
    assert not Attendance.objects.exists() and not Minutes.objects.exists()
    published.refresh_from_db()
    assert published.status == "published"


def test_one_minute_before_the_start_is_refused_at_the_start_accepted(published):
    published.starts_at = timezone.now() + MINUTE
    published.save(update_fields=["starts_at"])
    with pytest.raises(ValidationError, match="not started"):
        services.attendance_record(meeting=published, seat=seat(published.council, 1), status="present")
    start(published, ago=datetime.timedelta(0))
    row = services.attendance_record(meeting=published, seat=seat(published.council, 1), status="present")
    assert row.status == "present"


def test_minutes_are_not_approved_or_published_before_the_start(held, personas):
    minutes = services.minutes_save(
        meeting=held, by=personas["secretariat"], texts={held.items.first().pk: "Godkendt"}
    )
    held.starts_at = timezone.now() + datetime.timedelta(days=12)  # moved to a coming day afterwards
    held.save(update_fields=["starts_at"])
    with pytest.raises(ValidationError, match="not started"):
        services.minutes_approve(minutes=minutes, by=personas["chair"])
    assert Minutes.objects.get().status == "draft"


def test_the_meeting_page_offers_attendance_and_minutes_only_from_the_start(
    client, login, personas, published
):
    login(personas["secretariat"])
    page = client.get(url("detail", published.pk)).content.decode()
    assert url("attendance", published.pk) not in page and url("minutes", published.pk) not in page
    assert "Vote on item" not in page
    page = client.get(url("attendance", published.pk)).content.decode()
    assert "has not started" in page and 'name="status"' not in page
    start(published)
    page = client.get(url("detail", published.pk)).content.decode()
    assert url("attendance", published.pk) in page and url("minutes", published.pk) in page


# --- 13.1: approved minutes freeze what they show ------------------------------------------


def test_attendance_is_frozen_with_approved_minutes(held, personas):
    minutes = services.minutes_save(
        meeting=held, by=personas["secretariat"], texts={held.items.first().pk: "Godkendt"}
    )
    services.minutes_approve(minutes=minutes, by=personas["chair"])
    with pytest.raises(ValidationError, match="approved"):
        services.attendance_record(meeting=held, seat=seat(held.council, 3), status="absent")
    assert Attendance.objects.get(meeting=held, seat__number=3).status == "present"
    services.minutes_revise(minutes=Minutes.objects.get(), by=personas["secretariat"], reason="Forkert")
    services.attendance_record(meeting=held, seat=seat(held.council, 3), status="absent")


def test_public_page_and_pdf_show_the_published_version_not_later_changes(client, held, personas):
    """v1 is published with Carl Member absent; a correction (v2, with a reason) registers him
    present and changes the vote. Until v2 is approved and published, the public sees v1."""
    item = held.items.first()
    services.vote_record(item=item, by=personas["secretariat"], yes=2, no=1)
    publish_minutes(held, personas, {item.pk: "Godkendt"})
    page = client.get(url("public_meeting", held.pk)).content.decode()
    assert "Carl Member" in page.split("Absent")[1].split("</p>")[0]
    assert "2 yes, 1 no" in page
    services.minutes_revise(minutes=Minutes.objects.get(), by=personas["secretariat"], reason="Carl kom")
    register(held, {4: "p"})
    services.vote_record(item=item, by=personas["secretariat"], yes=3, no=1)
    page = client.get(url("public_meeting", held.pk)).content.decode()
    assert "Carl Member" in page.split("Absent")[1].split("</p>")[0] and "2 yes, 1 no" in page
    context = pdf_context(held, Document.Kind.MINUTES_PUBLIC)
    assert [r["name"] for r in context["attendance"]["absent"]] == ["Carl Member"]
    minutes = services.minutes_approve(minutes=Minutes.objects.get(), by=personas["chair"])
    services.minutes_publish(minutes=minutes, by=personas["secretariat"])
    page = client.get(url("public_meeting", held.pk)).content.decode()
    assert "Carl Member" not in page.split("Absent")[1].split("</p>")[0] and "3 yes, 1 no" in page


def test_members_see_the_published_snapshot_while_the_secretariat_drafts(client, login, held, personas):
    publish_minutes(held, personas)
    services.minutes_revise(minutes=Minutes.objects.get(), by=personas["secretariat"], reason="Carl kom")
    register(held, {4: "p"})
    login(personas["member"])
    page = client.get(url("minutes", held.pk)).content.decode()
    assert "Carl Member" in page.split("Absent")[1].split("</p>")[0]
    login(personas["secretariat"])
    page = client.get(url("minutes", held.pk)).content.decode()
    assert "Carl Member" not in page.split("Absent")[1].split("</p>")[0]


# --- 13.3: a later seat change never rewrites a held meeting -----------------------------------


def replace_seat_3(council, on):
    kbh, a = Municipality.objects.get(code="101"), Party.objects.get(letter="A")
    return seat_replace(
        seat=seat(council, 3),
        holder=make_politician(kbh, a, "Nina New"),
        substitute=make_politician(kbh, a, "Niels New"),
        on=on,
        reason="Udtrådt",
    )


def test_a_seat_change_dated_on_the_meeting_day_keeps_its_attendance(held):
    assert quorum_state(held).present == 3
    replace_seat_3(held.council, held.date)
    assert quorum_state(held).present == 3
    summary = attendance_summary(held)
    assert "Mona Member" in [r["seat"].holder.name for r in summary.present]
    assert "Nina New" not in [r["seat"].holder.name for r in summary.absent + summary.present]


def test_a_later_seat_change_leaves_published_minutes_and_the_register(client, held, personas):
    publish_minutes(held, personas)
    replace_seat_3(held.council, held.date)
    page = client.get(url("public_meeting", held.pk)).content.decode()
    assert "Nina New" not in page
    context = pdf_context(held, Document.Kind.MINUTES)
    assert "Mona Member" in [r["name"] for r in context["attendance"]["present"]]


def test_registering_again_after_a_seat_change_keeps_one_row_per_seat_number(held):
    replace_seat_3(held.council, held.date)
    services.attendance_record(meeting=held, seat=seat_row(held, 3), status="absent")
    assert Attendance.objects.filter(meeting=held, seat__number=3).count() == 1
    assert quorum_state(held).present == 2


def seat_row(meeting, number):
    from meetings.selectors import meeting_seats

    return meeting_seats(meeting).get(number=number)
