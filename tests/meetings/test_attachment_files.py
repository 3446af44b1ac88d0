"""Issue 12.11: an uploaded file is removed from disk when its row cannot be written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError

from meetings import services
from meetings.models import Attachment

pytestmark = pytest.mark.django_db


def _files(root):
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_attachment_file_is_removed_when_the_row_cannot_be_written(meeting, personas, settings, monkeypatch):
    def broken_save(self, *args, **kwargs):
        raise DatabaseError("connection lost")

    monkeypatch.setattr(Attachment, "save", broken_save)
    with pytest.raises(DatabaseError):
        services.attachment_add(
            item=meeting.items.first(),
            upload=SimpleUploadedFile("bilag.pdf", b"%PDF-1.7 x"),
            by=personas["secretariat"],
        )
    assert _files(settings.MEDIA_ROOT) == []


def test_a_stored_attachment_keeps_its_file(meeting, personas, settings):
    attachment = services.attachment_add(
        item=meeting.items.first(),
        upload=SimpleUploadedFile("bilag.pdf", b"%PDF-1.7 x"),
        by=personas["secretariat"],
    )
    assert _files(settings.MEDIA_ROOT) == [settings.MEDIA_ROOT / attachment.file.name]
