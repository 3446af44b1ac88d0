"""`/` is a public start page for visitors; logged-in users keep their own start page, and staff
still pass the second factor first."""

import datetime

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from meetings.models import AgendaItem, Meeting

pytestmark = pytest.mark.django_db


def _published(council, days, title, closed=False):
    meeting = Meeting.objects.create(
        council=council,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        location="KL-huset",
        status=Meeting.Status.PUBLISHED,
        agenda_published_at=timezone.now() - datetime.timedelta(days=1),
    )
    AgendaItem.objects.create(meeting=meeting, order=1, title=title, closed=closed)
    return meeting


def test_visitor_sees_the_kkr_and_coming_meetings(client, council):
    _published(council, 10, "Punkt")
    Meeting.objects.create(council=council, starts_at=timezone.now() + datetime.timedelta(days=40))
    response = client.get(reverse("home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "KKR Hovedstaden" in html and "KL-huset" in html
    assert html.count(reverse("meetings:public_meeting", args=[Meeting.objects.first().pk])) >= 1
    unpublished = Meeting.objects.filter(agenda_published_at__isnull=True).get()
    assert reverse("meetings:public_meeting", args=[unpublished.pk]) not in html


def test_visitor_never_sees_a_closed_items_title(client, council):
    _published(council, 10, "Hemmelig sag om grundkøb", closed=True)
    assert "Hemmelig" not in client.get(reverse("home")).content.decode()


def test_half_finished_staff_login_at_the_root_is_sent_to_the_second_factor(client, personas):
    client.post(
        reverse("accounts:login"), {"username": "secretariat@example.dk", "password": "pw-for-tests-123"}
    )
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:otp"))


def test_logged_in_member_keeps_the_start_page(client, login, personas):
    login(personas["member"])
    assert "Welcome" in client.get(reverse("home")).content.decode()


def test_public_front_queries_are_bounded(client, council, django_assert_max_num_queries):
    for days in range(1, 30):
        _published(council, days, f"Punkt {days}")
    with django_assert_max_num_queries(8):
        assert client.get(reverse("home")).status_code == 200


def test_english_dates_are_day_first_with_a_24_hour_clock(client, council, settings):
    with translation.override("en"):
        day = datetime.datetime(2026, 12, 17, 13, 14)
        assert formats.date_format(day, "SHORT_DATE_FORMAT") == "17/12/2026"
        assert formats.date_format(day, "DATETIME_FORMAT") == "17 December 2026 13:14"


def test_dev_outbox_only_in_development(client, login, personas, settings):
    login(personas["secretariat"])
    settings.DEV_OUTBOX = False
    assert client.get(reverse("dev_outbox")).status_code == 404
    settings.DEV_OUTBOX = True
    assert client.get(reverse("dev_outbox")).status_code == 200
    login(personas["member"])
    assert client.get(reverse("dev_outbox")).status_code == 403
