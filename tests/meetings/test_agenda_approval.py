"""The chair approves the agenda before the secretariat publishes it (docs/rules.md §0 roles table, FO 3.2);
the vice-chair does when the chair is unavailable (FO 3.5); a change to the items withdraws it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Notice
from appointments.models import StandIn
from meetings import rules, services
from meetings.models import Meeting
from meetings.selectors import agenda_version
from tests.conftest import make_user

from .conftest import approve, seat

pytestmark = pytest.mark.django_db


def read(meeting) -> dict:
    """The approval form as the meeting page sends it: the agenda the chair read."""
    return {"version": agenda_version(meeting)}


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def fresh(meeting) -> Meeting:
    return Meeting.objects.get(pk=meeting.pk)


@pytest.mark.parametrize(
    ("is_chair", "is_vice_chair", "unavailable", "may"),
    [
        (True, False, False, True),
        (True, False, True, True),
        (False, True, False, False),
        (False, True, True, True),
        (False, False, True, False),
    ],
)
def test_who_may_approve_the_agenda(is_chair, is_vice_chair, unavailable, may):
    assert (
        rules.may_approve_agenda(
            is_chair=is_chair, is_vice_chair=is_vice_chair, chair_unavailable=unavailable
        )
        is may
    )


# --- Services -------------------------------------------------------------------------------------


def test_agenda_is_not_published_without_the_chairs_approval(meeting, personas):
    with pytest.raises(ValidationError, match="not approved"):
        services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    assert fresh(meeting).status == Meeting.Status.PLANNED
    assert not Notice.objects.filter(key__startswith="meetings:agenda-published").exists()


def test_approval_records_who_and_when(meeting, personas):
    when = timezone.now() - datetime.timedelta(hours=2)
    services.agenda_approve(meeting=meeting, by=personas["chair"], now=when)
    m = fresh(meeting)
    assert m.agenda_approved_by == personas["chair"] and m.agenda_approved_at == when
    assert services.agenda_publish(meeting=m, by=personas["secretariat"]).status == Meeting.Status.PUBLISHED
    assert fresh(meeting).agenda_approved_by == personas["chair"]


def test_empty_or_published_agenda_is_not_approved(council, meeting, personas):
    empty = services.meeting_plan(council=council, starts_at=meeting.starts_at + datetime.timedelta(days=30))
    with pytest.raises(ValidationError, match="no items"):
        services.agenda_approve(meeting=empty, by=personas["chair"])
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    with pytest.raises(ValidationError):
        services.agenda_approve(meeting=meeting, by=personas["chair"])


@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda m: services.item_add(meeting=m, title="Nyt punkt"), id="add"),
        pytest.param(lambda m: services.item_update(item=m.items.first(), title="Ny titel"), id="update"),
        pytest.param(lambda m: services.item_update(item=m.items.first(), closed=True), id="close"),
        pytest.param(lambda m: services.item_remove(item=m.items.last()), id="remove"),
        pytest.param(lambda m: services.item_move(item=m.items.last(), step=-1), id="move"),
    ],
)
def test_a_change_to_the_items_withdraws_the_approval(meeting, personas, change):
    approve(meeting)
    assert fresh(meeting).agenda_approved
    change(fresh(meeting))
    m = fresh(meeting)
    assert not m.agenda_approved and m.agenda_approved_by is None
    with pytest.raises(ValidationError, match="not approved"):
        services.agenda_publish(meeting=m, by=personas["secretariat"])


def test_saving_an_item_unchanged_or_adding_material_keeps_the_approval(meeting, personas):
    approve(meeting)
    item = meeting.items.first()
    services.item_update(item=item, title=item.title, closed=item.closed)
    services.item_move(item=item, step=-1)  # already first: nothing moves
    services.attachment_add(
        item=item, upload=SimpleUploadedFile("notat.pdf", b"%PDF-1.7"), by=personas["secretariat"]
    )
    assert fresh(meeting).agenda_approved


def test_a_change_after_publication_keeps_the_approval_it_was_published_with(published, personas):
    services.item_add(meeting=published, title="Eftersendt punkt")
    assert fresh(published).agenda_approved_by == personas["chair"]


# --- Views: chair, vice-chair, secretariat ---------------------------------------------------------


@pytest.fixture
def vice_chair(council):
    return make_user("vice@example.dk", politician=council.vice_chair)


def approval_note(page: str) -> str:
    start = page.index('id="agenda-approval"')
    return page[start : page.index("</p>", start)]


def test_chair_approves_and_secretariat_then_publishes(client, login, personas, meeting):
    personas["chair"].name = "Formand Mette"
    personas["chair"].save(update_fields=["name"])
    login(personas["secretariat"])
    page = client.get(url("detail", meeting.pk)).content.decode()
    assert 'id="agenda-approval"' in page and url("agenda_publish", meeting.pk) not in page
    assert url("agenda_approve", meeting.pk) not in page
    assert client.post(url("agenda_approve", meeting.pk)).status_code == 403
    login(personas["chair"])
    assert url("agenda_approve", meeting.pk) in client.get(url("detail", meeting.pk)).content.decode()
    assert client.post(url("agenda_approve", meeting.pk), read(meeting)).status_code == 302
    assert fresh(meeting).agenda_approved_by == personas["chair"]
    login(personas["secretariat"])
    page = client.get(url("detail", meeting.pk)).content.decode()
    assert url("agenda_publish", meeting.pk) in page
    assert "Formand Mette" in approval_note(page)
    assert client.post(url("agenda_publish", meeting.pk), {"reason": ""}).status_code == 302
    login(personas["member"])
    note = approval_note(client.get(url("detail", meeting.pk)).content.decode())
    assert "Formand Mette" in note and str(timezone.localdate().year) in note


def test_publish_page_says_the_approval_is_missing(client, login, personas, meeting):
    login(personas["secretariat"])
    response = client.post(url("agenda_publish", meeting.pk), {"reason": ""})
    assert response.status_code == 200 and b"not approved" in response.content
    assert fresh(meeting).status == Meeting.Status.PLANNED


def test_vice_chair_cannot_approve_while_the_chair_is_available(client, login, vice_chair, personas, meeting):
    login(vice_chair)
    assert url("agenda_approve", meeting.pk) not in client.get(url("detail", meeting.pk)).content.decode()
    assert client.post(url("agenda_approve", meeting.pk)).status_code == 403
    assert not fresh(meeting).agenda_approved


def test_vice_chair_approves_when_the_chair_reported_absence(
    client, login, vice_chair, personas, meeting, council
):
    services.absence_report(meeting=meeting, seat=seat(council, 1), by=personas["chair"])
    login(vice_chair)
    assert client.post(url("agenda_approve", meeting.pk), read(meeting)).status_code == 302
    assert fresh(meeting).agenda_approved_by == vice_chair


def test_vice_chair_approves_during_the_chairs_long_absence(
    client, login, vice_chair, personas, meeting, council
):
    chair_seat = seat(council, 1)
    today = timezone.localdate()
    StandIn.objects.create(
        council=council,
        seat_number=1,
        member=chair_seat.holder,
        stand_in=chair_seat.substitute,
        starts_on=today + datetime.timedelta(days=1),
    )
    login(vice_chair)
    assert client.post(url("agenda_approve", meeting.pk)).status_code == 403  # starts tomorrow
    StandIn.objects.update(starts_on=today)
    assert client.post(url("agenda_approve", meeting.pk), read(meeting)).status_code == 302
    assert fresh(meeting).agenda_approved_by == vice_chair


def test_vice_chair_approves_when_the_chair_has_no_active_user(client, login, vice_chair, personas, meeting):
    personas["chair"].is_active = False
    personas["chair"].save(update_fields=["is_active"])
    login(vice_chair)
    assert client.post(url("agenda_approve", meeting.pk), read(meeting)).status_code == 302


# --- Asking the chair to approve ------------------------------------------------------------------


def approval_notices():
    return Notice.objects.filter(key__startswith="meetings:agenda-approval:")


def test_secretariat_asks_the_chair_once_until_the_items_change(client, login, personas, meeting):
    login(personas["secretariat"])
    assert (
        url("agenda_approval_request", meeting.pk) in client.get(url("detail", meeting.pk)).content.decode()
    )
    assert client.post(url("agenda_approval_request", meeting.pk)).status_code == 302
    assert client.post(url("agenda_approval_request", meeting.pk)).status_code == 302  # a retry
    assert list(approval_notices().values_list("to_email", flat=True)) == [personas["chair"].email]
    page = client.get(url("detail", meeting.pk)).content.decode()
    assert url("agenda_approval_request", meeting.pk) not in page
    assert str(timezone.localdate().year) in approval_note(page)
    services.item_add(meeting=fresh(meeting), title="Nyt punkt")  # withdraws the request too
    assert fresh(meeting).agenda_approval_requested_at is None
    services.agenda_approval_request(
        meeting=fresh(meeting), by=personas["secretariat"], now=timezone.now() + datetime.timedelta(seconds=5)
    )
    assert approval_notices().count() == 2


def test_the_vice_chair_is_asked_when_the_chair_reported_absence(vice_chair, personas, meeting, council):
    services.absence_report(meeting=meeting, seat=seat(council, 1), by=personas["chair"])
    services.agenda_approval_request(meeting=meeting, by=personas["secretariat"])
    assert list(approval_notices().values_list("to_email", flat=True)) == [vice_chair.email]


def test_asking_is_refused_when_nobody_can_approve(personas, meeting):
    personas["chair"].is_active = False
    personas["chair"].save(update_fields=["is_active"])  # and the vice-chair has no user
    with pytest.raises(ValidationError, match="portal user"):
        services.agenda_approval_request(meeting=meeting, by=personas["secretariat"])
    assert fresh(meeting).agenda_approval_requested_at is None and not approval_notices().exists()


@pytest.mark.parametrize("persona", ["chair", "member"])
def test_only_the_secretariat_asks(client, login, personas, meeting, persona):
    login(personas[persona])
    assert client.post(url("agenda_approval_request", meeting.pk)).status_code == 403
    assert not approval_notices().exists()
