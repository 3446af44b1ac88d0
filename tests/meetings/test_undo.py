"""What users can undo or do (issue 13.10) and what the public page must not reveal (issue 12.11):
withdraw an absence report until the start, remove an attachment (with a reason once published),
a called-in substitute reports their own absence, actions offered only where allowed, the chair
approves the agenda they read, public items numbered without gaps, opaque attachment ids, and a
closed item opened only with the secretariat's confirmation."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Notice
from meetings import services
from meetings.models import AbsenceReport, AgendaItem, Attachment, ItemProposal, Meeting
from meetings.selectors import agenda_version

from .conftest import approve, register, seat, start

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"meetings:{name}", args=args)


def pdf_upload(name="bilag.pdf"):
    return SimpleUploadedFile(name, b"%PDF-1.7\n%%EOF")


# --- Withdrawing an absence report --------------------------------------------------------------


def test_a_member_withdraws_an_absence_report_until_the_start(client, login, personas, published):
    login(personas["member"])
    client.post(url("absence_report", published.pk), {"note": "Syg"})
    assert AbsenceReport.objects.filter(meeting=published).count() == 1
    page = client.get(url("detail", published.pk)).content.decode()
    assert url("absence_withdraw", published.pk) in page
    assert client.post(url("absence_withdraw", published.pk)).status_code == 302
    assert not AbsenceReport.objects.exists()
    # The substitute who was called in is told they are no longer called in.
    assert Notice.objects.filter(key__startswith=f"meetings:called-off:{published.pk}:").count() == 1


def test_an_absence_report_cannot_be_withdrawn_after_the_start(published, personas):
    s = seat(published.council, 3)
    services.absence_report(meeting=published, seat=s, by=personas["member"])
    start(published, ago=datetime.timedelta(0))
    with pytest.raises(ValidationError, match="started"):
        services.absence_withdraw(meeting=published, seat=s)
    assert AbsenceReport.objects.count() == 1


# --- Removing an attachment --------------------------------------------------------------------


def test_an_attachment_is_removed_before_publication_without_a_reason(
    meeting, personas, django_capture_on_commit_callbacks
):
    item = meeting.items.first()
    attachment = services.attachment_add(item=item, upload=pdf_upload(), by=personas["secretariat"])
    path = attachment.file.path
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_remove(attachment=attachment, by=personas["secretariat"])
    assert not Attachment.objects.exists()
    import os

    assert not os.path.exists(path)


def test_an_attachment_is_removed_after_publication_only_with_a_recorded_reason(
    client, login, published, personas
):
    item = published.items.first()
    attachment = services.attachment_add(item=item, upload=pdf_upload(), by=personas["secretariat"])
    with pytest.raises(ValidationError) as error:
        services.attachment_remove(attachment=attachment, by=personas["secretariat"])
    assert "reason" in error.value.message_dict
    services.attachment_remove(attachment=attachment, by=personas["secretariat"], reason="Forkert fil")
    attachment.refresh_from_db()
    assert attachment.removed_at and attachment.removal_reason == "Forkert fil" and not attachment.file
    page = client.get(url("public_meeting", published.pk)).content.decode()
    assert "bilag.pdf" in page and "Forkert fil" in page
    assert client.get(url("public_attachment", attachment.public_id)).status_code == 404
    login(personas["member"])
    assert client.get(url("attachment", attachment.pk)).status_code == 404


def test_the_item_page_offers_removal(client, login, published, personas):
    item = published.items.first()
    attachment = services.attachment_add(item=item, upload=pdf_upload(), by=personas["secretariat"])
    login(personas["secretariat"])
    page = client.get(url("item_edit", item.pk)).content.decode()
    assert url("attachment_remove", attachment.pk) in page
    response = client.post(url("attachment_remove", attachment.pk), {"reason": ""})
    assert response.status_code == 302 and Attachment.objects.get().removed_at is None
    client.post(url("attachment_remove", attachment.pk), {"reason": "Forkert fil"})
    assert Attachment.objects.get().removed_at is not None


# --- A called-in substitute reports their own absence -----------------------------------------


def test_a_called_in_substitute_reports_their_own_absence(client, login, published, personas):
    services.absence_report(meeting=published, seat=seat(published.council, 3), by=personas["member"])
    login(personas["substitute"])
    page = client.get(url("detail", published.pk)).content.decode()
    assert url("absence_report", published.pk) in page
    response = client.post(url("absence_report", published.pk), {"note": "Kan heller ikke"})
    assert response.status_code == 302
    report = AbsenceReport.objects.get()
    assert report.substitute_absent_at and report.substitute_note == "Kan heller ikke"
    login(personas["secretariat"])
    start(published)
    page = client.get(url("attendance", published.pk)).content.decode()
    assert "substitute cannot attend either" in page


def test_a_substitute_not_called_in_cannot_report_absence(client, login, published, personas):
    login(personas["substitute"])
    assert client.post(url("absence_report", published.pk), {"note": ""}).status_code in {403, 404}


# --- Actions offered only where allowed ------------------------------------------------------


def test_place_on_this_agenda_is_not_offered_for_a_held_meeting(client, login, published, personas):
    proposal = ItemProposal.objects.create(
        meeting=published,
        proposer=personas["member"].politician,
        submitted_by=personas["member"],
        title="Nyt punkt",
        description="Om noget",
    )
    login(personas["secretariat"])
    page = client.get(url("detail", published.pk)).content.decode()
    assert 'value="place"' in page
    register(published, {1: "p", 2: "p"})
    page = client.get(url("detail", published.pk)).content.decode()
    assert 'value="place"' not in page and 'value="accept"' in page
    assert proposal.status == ItemProposal.Status.PENDING


# --- The chair approves the agenda they read ---------------------------------------------------


def test_the_chair_cannot_approve_an_agenda_that_changed_after_the_page_loaded(
    client, login, meeting, personas
):
    login(personas["chair"])
    page = client.get(url("detail", meeting.pk)).content.decode()
    version = agenda_version(meeting)
    assert f'value="{version}"' in page
    services.item_add(meeting=meeting, title="Tilføjet imens")
    client.post(url("agenda_approve", meeting.pk), {"version": version})
    assert not Meeting.objects.get(pk=meeting.pk).agenda_approved
    client.post(url("agenda_approve", meeting.pk), {"version": agenda_version(meeting)})
    assert Meeting.objects.get(pk=meeting.pk).agenda_approved


def test_the_agenda_version_follows_every_change_of_the_items(meeting):
    before = agenda_version(meeting)
    item = meeting.items.first()
    services.item_update(item=item, recommendation="Ny indstilling")
    assert agenda_version(meeting) != before


# --- Issue 12.11: the public page reveals nothing of closed items --------------------------------


def test_public_items_are_numbered_without_gaps_and_attachments_have_opaque_ids(client, meeting, personas):
    # Items: 1 open, 2 closed (fixture), 3 open.
    third = services.item_add(meeting=meeting, title="Klima")
    attachment = services.attachment_add(item=third, upload=pdf_upload(), by=personas["secretariat"])
    closed = meeting.items.get(closed=True)
    services.attachment_add(item=closed, upload=pdf_upload("lukket.pdf"), by=personas["secretariat"])
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    page = client.get(url("public_meeting", meeting.pk)).content.decode()
    assert 'id="punkt-1"' in page and 'id="punkt-2"' in page and 'id="punkt-3"' not in page
    assert f"pi-{third.pk}" not in page and "2. Klima" in page
    assert url("public_attachment", attachment.public_id) in page
    assert f"/offentlig/bilag/{attachment.pk}/" not in page
    assert client.get(url("public_attachment", attachment.public_id)).status_code == 200


def test_the_chair_opening_a_closed_item_is_recorded_and_needs_the_secretariats_confirmation(
    client, login, meeting, personas
):
    closed = meeting.items.get(closed=True)
    services.item_update(item=closed, by=personas["chair"], closed=False)
    closed.refresh_from_db()
    assert closed.closed_changed_by == personas["chair"] and closed.closed_changed_at
    assert closed.closed_confirmed_at is None
    approve(meeting)
    with pytest.raises(ValidationError, match="Confirm"):
        services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    login(personas["secretariat"])
    page = client.get(url("detail", meeting.pk)).content.decode()
    assert url("item_closed_confirm", closed.pk) in page
    client.post(url("item_closed_confirm", closed.pk))
    closed.refresh_from_db()
    assert closed.closed_confirmed_by == personas["secretariat"]
    approve(Meeting.objects.get(pk=meeting.pk))
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])


def test_the_secretariat_changing_closed_needs_no_confirmation(meeting, personas):
    item = meeting.items.get(closed=False)
    services.item_update(item=item, by=personas["secretariat"], closed=True)
    item.refresh_from_db()
    assert item.closed_changed_by == personas["secretariat"] and item.closed_confirmed_at
    assert (
        AgendaItem.objects.filter(closed_confirmed_at__isnull=True, closed_changed_at__isnull=False).count()
        == 0
    )


def test_a_cancelled_meeting_offers_no_agenda_changes(client, login, meeting, personas):
    services.meeting_cancel(meeting=meeting)
    login(personas["secretariat"])
    page = client.get(url("detail", meeting.pk)).content.decode()
    assert url("item_create", meeting.pk) not in page and "Edit item" not in page


def test_on_a_published_agenda_the_chair_cannot_open_a_closed_item(client, login, published, personas):
    closed = published.items.get(closed=True)
    login(personas["chair"])
    page = client.get(url("item_edit", closed.pk)).content.decode()
    assert 'name="closed"' in page and "disabled" in page.split('name="closed"')[1].split(">")[0]
    client.post(url("item_edit", closed.pk), {"title": closed.title, "kind": closed.kind, "closed": ""})
    assert AgendaItem.objects.get(pk=closed.pk).closed
    with pytest.raises(ValidationError, match="only the secretariat"):
        services.item_update(item=closed, by=personas["chair"], closed=False)
