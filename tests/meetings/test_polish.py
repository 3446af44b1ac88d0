"""Issue 16 on the meeting pages and documents: the agenda PDF lists each item's attachments
(never a closed item's in the public version); the minutes form does not repeat the item's
title as the decision field's label; the agenda calls its publication step one word."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation

from meetings import services
from meetings.documents import pdf_context
from meetings.forms import MinutesForm
from meetings.models import Document

from .conftest import approve, seat

pytestmark = pytest.mark.django_db


def attach(item, name, by):
    return services.attachment_add(item=item, upload=SimpleUploadedFile(name, b"%PDF-1.7 x"), by=by)


@pytest.fixture
def with_attachments(meeting, personas):
    open_item, closed_item = meeting.items.order_by("order")
    attach(open_item, "budgetnotat.pdf", personas["secretariat"])
    attach(closed_item, "kandidatliste.pdf", personas["secretariat"])
    return meeting


def agenda_pdf_html(meeting, kind):
    return render_to_string("meetings/pdf/document.html", pdf_context(meeting, kind))


def test_the_members_agenda_pdf_lists_every_items_attachments(with_attachments):
    html = agenda_pdf_html(with_attachments, Document.Kind.AGENDA)
    assert "budgetnotat.pdf" in html and "kandidatliste.pdf" in html


def test_the_public_agenda_pdf_never_names_a_closed_items_attachments(with_attachments):
    html = agenda_pdf_html(with_attachments, Document.Kind.AGENDA_PUBLIC)
    assert "budgetnotat.pdf" in html
    assert "kandidatliste.pdf" not in html


def test_a_removed_attachment_is_not_listed_as_enclosed(published, personas):
    item = published.items.order_by("order").first()
    gone = attach(item, "forkert.pdf", personas["secretariat"])
    services.attachment_remove(attachment=gone, by=personas["secretariat"], reason="Forkert fil")
    assert "forkert.pdf" not in agenda_pdf_html(published, Document.Kind.AGENDA_PUBLIC)


def test_the_minutes_form_labels_decisions_without_repeating_the_title(meeting):
    items = list(meeting.items.order_by("order"))
    form = MinutesForm(items=items)
    for item in items:
        label = str(form.fields[f"decision_{item.pk}"].label)
        assert item.title not in label
        assert str(item.order) in label


PUBLICATION_MSGIDS = [
    "Publish the agenda",
    "Agenda published",
    "agenda published",
    "publish the agenda by %(date)s",
    "The agenda is published and the members are notified.",
    "The agenda is approved; the secretariat can publish it.",
    "The agenda is not published yet.",
    "Reason for publishing later than 7 days before the meeting",
    "deadline %(date)s has passed: publishing needs a reason",
    "The agenda was published later than 7 days before the meeting.",
]


@pytest.mark.parametrize("msgid", PUBLICATION_MSGIDS)
def test_the_agenda_names_its_publication_step_in_one_word(msgid):
    with translation.override("da"):
        danish = translation.gettext(msgid)
    assert danish != msgid
    assert not re.search(r"[Uu]dsend", danish)
    assert re.search(r"[Oo]ffentliggø|[Oo]ffentliggj", danish)


def test_the_agenda_page_shows_offentliggoer(meeting, personas, login, settings):
    settings.LANGUAGE_CODE = "da"
    approve(meeting)
    text = login(personas["secretariat"]).get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "Offentliggør" in text
    assert not re.search(r"[Uu]dsend", text)


def test_a_called_in_substitutes_page_says_for_whom_and_when(meeting, personas, login, settings):
    settings.LANGUAGE_CODE = "da"
    member_seat = seat(meeting.council, 3)
    services.absence_report(meeting=meeting, seat=member_seat, by=personas["member"])
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=personas["secretariat"])
    page = login(personas["substitute"]).get(reverse("meetings:detail", args=[meeting.pk]))
    text = page.content.decode()
    holder = member_seat.holder
    assert holder.name in text and holder.municipality.name in text
    when = formats.date_format(timezone.localtime(meeting.starts_at), "j. F Y")
    assert f"Du er indkaldt som personlig stedfortræder for {holder.name}" in text
    assert when in text
