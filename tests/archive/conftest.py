"""Fixtures of the archive tests: a meeting with published agenda and minutes, whose closed item
carries a word found nowhere else (SECRET) in its title, case text, recommendation, decision and
attachment, and whose open item is about the IV agreement ("aftale")."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from meetings import services
from meetings.models import AgendaItem, Meeting
from tests.meetings import conftest as meetings_fixtures
from tests.meetings.conftest import register

# The meetings tests' fixtures, shared: a planned meeting and its published agenda.
meeting = meetings_fixtures.meeting
published = meetings_fixtures.published

SECRET = "Xylofonprojektet"
SECRET_WORDS = {
    "title": "xylofonprojektet",
    "case": "xylofonkassen",
    "recommendation": "xylofonfonden",
    "decision": "xylofonbeslutningen",
    "attachment": "xylofonbilaget",
}


def docx(text: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr(
            "word/document.xml",
            f'<w:document xmlns:w="x"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>',
        )
    return buffer.getvalue()


def chair_user(of):
    return User.objects.get(politician=of.council.chair)


@pytest.fixture
def archive(published, personas, django_capture_on_commit_callbacks):  # noqa: F811
    """The published meeting with an attachment on each item, attendance, a vote, and published
    minutes with a decision per item."""
    meeting = published
    open_item, closed_item = list(AgendaItem.objects.filter(meeting=meeting).order_by("order"))
    services.item_update(
        item=open_item,
        case_text="Forlængelse af IV-aftale mellem kommunerne og regionen.",
        recommendation="Det indstilles, at KKR godkender forlængelsen.",
    )
    services.item_update(
        item=closed_item,
        title=f"{SECRET}: Udpegning",
        case_text=f"Sagen om {SECRET_WORDS['case']} er fortrolig.",
        recommendation=f"Det indstilles at støtte {SECRET_WORDS['recommendation']}.",
    )
    secretariat = personas["secretariat"]
    with django_capture_on_commit_callbacks(execute=True):
        services.attachment_add(
            item=closed_item,
            upload=SimpleUploadedFile("fortroligt.docx", docx(f"Bilag om {SECRET_WORDS['attachment']}")),
            by=secretariat,
        )
        services.attachment_add(
            item=open_item,
            upload=SimpleUploadedFile("bilag.docx", docx("Økonomien i IV-behandlingen &amp; tarifferne")),
            by=secretariat,
        )
    register(meeting, {1: "p", 2: "p", 3: "p", 4: "a"})
    services.vote_record(item=open_item, by=secretariat, yes=2, no=1)
    services.minutes_save(
        meeting=meeting,
        by=secretariat,
        texts={
            open_item.pk: "KKR godkendte aftalen om IV-behandling.",
            closed_item.pk: f"Godkendt: {SECRET_WORDS['decision']}.",
        },
    )
    record = meeting.minutes
    services.minutes_approve(minutes=record, by=chair_user(meeting))
    services.minutes_publish(minutes=record, by=secretariat)
    return Meeting.objects.get(pk=meeting.pk)
