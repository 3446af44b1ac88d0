"""Celery tasks of the archive: safe to run twice (the AttachmentText row is the done flag)."""

import logging

from celery import shared_task

from meetings.models import Attachment

from . import extract, index
from .models import AttachmentText

log = logging.getLogger(__name__)


@shared_task(name="archive.tasks.extract_attachment_text", soft_time_limit=60, time_limit=90)
def extract_attachment_text(attachment_id: int) -> bool:
    """Extract an attachment's text once (bounded, see archive/extract.py) and index its meeting."""
    attachment = Attachment.objects.select_related("item__meeting").filter(pk=attachment_id).first()
    if attachment is None or AttachmentText.objects.filter(attachment_id=attachment_id).exists():
        return False
    failed = False
    try:
        with attachment.file.open("rb") as handle:
            text = extract.attachment_text(attachment.content_type, handle.read())
    except Exception:  # a damaged or too slow file (SoftTimeLimitExceeded) only adds no text
        log.warning("no text from attachment %s", attachment_id, exc_info=True)
        text, failed = "", True
    _, created = AttachmentText.objects.get_or_create(
        attachment=attachment, defaults={"text": text, "failed": failed}
    )
    if created:
        index.index_meeting(attachment.item.meeting)
    return created


@shared_task(name="archive.tasks.index_missing")
def index_missing() -> int:
    """Index published meetings that have items but no entries; extract attachments without text."""
    meetings = index.meetings_missing()
    for start in range(0, len(meetings), 200):
        index.index_meetings(meetings[start : start + 200])
    for attachment_id in index.attachments_missing():
        extract_attachment_text.delay(attachment_id)
    return len(meetings)
