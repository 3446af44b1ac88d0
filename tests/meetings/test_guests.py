"""Members of KL's board and committees from the region attend without a vote (Bilag 1 1.4):
recorded by name and role, shown in attendance and minutes (page and PDF) as non-voting, never
counted for quorum or votes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from meetings import services
from meetings.models import Document, Guest, Minutes
from meetings.selectors import quorum_state

from .conftest import register
from .test_tasks import pdf_text

pytestmark = pytest.mark.django_db

BOARD = "Member of KL's board"


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def test_guests_never_count_for_the_quorum(published):
    register(published, {1: "p", 2: "a", 3: "a", 4: "a"})
    for n in range(3):
        services.guest_add(meeting=published, name=f"Gæst {n}", role=BOARD)
    state = quorum_state(published)
    assert (state.present, state.quorate) == (1, False)
    register(published, {2: "p"})
    assert quorum_state(published).present == 2 and quorum_state(published).quorate


def test_guests_never_count_in_votes(held, personas):
    services.guest_add(meeting=held, name="Karin KL", role=BOARD)
    services.guest_add(meeting=held, name="Kurt KL", role="Member of KL's social committee")
    with pytest.raises(ValidationError):  # 3 seats present; the two guests add no votes
        services.vote_record(item=held.items.first(), by=personas["secretariat"], yes=4, no=1)
    vote = services.vote_record(item=held.items.first(), by=personas["secretariat"], yes=2, no=1)
    assert vote.present_seats == 3


@pytest.mark.parametrize(
    ("name", "role", "field"),
    [("", BOARD, "name"), ("  ", BOARD, "name"), ("Karin KL", "", "role"), ("Karin KL", " ", "role")],
)
def test_a_guest_needs_name_and_role(begun, name, role, field):
    with pytest.raises(ValidationError) as error:
        services.guest_add(meeting=begun, name=name, role=role)
    assert field in error.value.message_dict and not Guest.objects.exists()


def test_a_guest_is_recorded_once(begun):
    services.guest_add(meeting=begun, name="Karin KL", role=BOARD)
    with pytest.raises(ValidationError, match="already"):
        services.guest_add(meeting=begun, name=" Karin KL ", role=BOARD)
    assert Guest.objects.count() == 1


def test_guests_are_frozen_with_approved_minutes_and_refused_on_cancelled_meetings(held, personas, meeting):
    guest = services.guest_add(meeting=held, name="Karin KL", role=BOARD)
    minutes = services.minutes_save(
        meeting=held, by=personas["secretariat"], texts={held.items.first().pk: "OK"}
    )
    services.minutes_approve(minutes=minutes, by=personas["chair"])
    with pytest.raises(ValidationError, match="approved"):
        services.guest_add(meeting=held, name="Kurt KL", role=BOARD)
    with pytest.raises(ValidationError, match="approved"):
        services.guest_remove(guest=guest)
    services.minutes_revise(minutes=Minutes.objects.get(), by=personas["secretariat"], reason="Gæst manglede")
    services.guest_add(meeting=held, name="Kurt KL", role=BOARD)
    assert Guest.objects.filter(meeting=held).count() == 2


def test_secretariat_records_guests_on_the_attendance_page(client, login, personas, begun):
    login(personas["chair"])
    assert client.post(url("guest_add", begun.pk), {"name": "X", "role": BOARD}).status_code == 403
    login(personas["secretariat"])
    response = client.post(url("guest_add", begun.pk), {"name": "Karin KL", "role": BOARD})
    assert response.status_code == 302 and Guest.objects.get().name == "Karin KL"
    page = client.get(url("attendance", begun.pk)).content.decode()
    assert "Karin KL" in page and "without a vote" in page
    response = client.post(url("guest_add", begun.pk), {"name": "", "role": ""})
    assert response.status_code == 302 and Guest.objects.count() == 1
    guest = Guest.objects.get()
    login(personas["secretariat_other"])
    assert client.post(url("guest_remove", guest.pk)).status_code in {403, 404}
    login(personas["secretariat"])
    assert client.get(url("guest_remove", guest.pk)).status_code == 405
    assert client.post(url("guest_remove", guest.pk)).status_code == 302 and not Guest.objects.exists()


def test_minutes_page_public_page_and_pdf_show_guests_as_non_voting(
    client, login, personas, held, django_capture_on_commit_callbacks
):
    services.guest_add(meeting=held, name="Karin KL", role=BOARD)
    minutes = services.minutes_save(
        meeting=held, by=personas["secretariat"], texts={held.items.first().pk: "OK"}
    )
    services.minutes_approve(minutes=minutes, by=personas["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        services.minutes_publish(minutes=minutes, by=personas["secretariat"])
    login(personas["member"])
    page = client.get(url("minutes", held.pk)).content.decode()
    assert "Attending without a vote" in page and "Karin KL (Member of KL&#x27;s board)" in page
    client.logout()
    page = client.get(url("public_meeting", held.pk)).content.decode()
    assert "Attending without a vote" in page and "Karin KL" in page
    text = pdf_text(Document.objects.get(meeting=held, kind=Document.Kind.MINUTES_PUBLIC))
    # Only in the line of guests without a vote, not among the members present: no seat.
    lines = [line for line in text.splitlines() if "Karin KL" in line]
    assert lines and all("Bilag 1 1.4" in line for line in lines)
