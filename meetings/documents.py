"""The meeting's PDFs: what goes into them and how they are rendered.

The members' versions include closed items; the public versions leave them out entirely (title
included). Rendering runs in the render_* tasks (pdf queue); the Document rows are the record of
what was asked for, so nothing is lost when the broker is down.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

import core.pdf
from core.documents import is_current
from core.tasks import enqueue_on_commit

from .models import Document, Meeting, Minutes
from .selectors import agenda_items, minutes_shown, with_minutes

AGENDA_KINDS = (Document.Kind.AGENDA, Document.Kind.AGENDA_PUBLIC)
MINUTES_KINDS = (Document.Kind.MINUTES, Document.Kind.MINUTES_PUBLIC)


# --- Content -------------------------------------------------------------------------------------


def _minutes(meeting: Meeting) -> Minutes | None:
    return Minutes.objects.filter(meeting=meeting).first()


def pdf_source(meeting: Meeting, kind: str) -> str:
    """A key of the content a document shows, so a render for unchanged content is skipped."""
    if kind in MINUTES_KINDS:
        minutes = _minutes(meeting)
        return f"minutes-v{minutes.published_version or minutes.version}" if minutes else "minutes-none"
    # A changed agenda marks its documents PENDING again, so a READY document is current.
    return f"agenda-{meeting.agenda_published_at:%Y%m%d%H%M%S}" if meeting.agenda_published_at else "draft"


def pdf_context(meeting: Meeting, kind: str) -> dict:
    public = kind in {Document.Kind.AGENDA_PUBLIC, Document.Kind.MINUTES_PUBLIC}
    items = list(agenda_items(meeting, include_closed=not public))
    for item in items:  # the names of the files enclosed with the item; removed files are gone
        item.enclosed = [a.name for a in item.attachments.all() if a.removed_at is None]
    context = {"meeting": meeting, "items": items, "public": public, "is_minutes": kind in MINUTES_KINDS}
    if kind in MINUTES_KINDS:
        minutes = _minutes(meeting)
        version = (minutes.published_version or minutes.version) if minutes else None
        # The version as it was approved (issue 13.1), never the current rows.
        shown = minutes_shown(meeting, minutes, version) if minutes else {"items": []}
        with_minutes(items, shown)
        context.update(
            minutes=minutes,
            minutes_version=version,
            shown=shown,
            attendance=shown.get("attendance"),
            leader=shown.get("leader", ""),
        )
    return context


# --- Rendering -----------------------------------------------------------------------------------


def documents_request(*, meeting: Meeting, kinds: list[str]) -> None:
    """Mark documents as rendering and enqueue the render task after commit."""
    from .tasks import render_agenda_pdf, render_minutes_pdf  # here: meetings.tasks imports this module

    for kind in kinds:
        Document.objects.update_or_create(
            meeting=meeting,
            kind=kind,
            defaults={"status": Document.Status.PENDING, "requested_at": timezone.now()},
        )
    if Document.Kind.AGENDA in kinds:
        enqueue_on_commit(render_agenda_pdf, meeting.pk)
    if Document.Kind.MINUTES in kinds:
        enqueue_on_commit(render_minutes_pdf, meeting.pk)


def documents_render_again(*, meeting: Meeting) -> list[str]:
    """Render the meeting's published documents again (after a failure); returns the kinds."""
    kinds = []
    if meeting.is_published:
        kinds += AGENDA_KINDS
    if Minutes.objects.filter(meeting=meeting, published_version__isnull=False).exists():
        kinds += MINUTES_KINDS
    if kinds:
        documents_request(meeting=meeting, kinds=list(kinds))
    return kinds


def documents_pending_retry(*, older_than: datetime.timedelta = datetime.timedelta(minutes=5)) -> int:
    """Enqueue again the documents still pending after `older_than`: the broker may have been
    down when they were requested (the Document row is the record, not the queue)."""
    from .tasks import render_agenda_pdf, render_minutes_pdf  # here: meetings.tasks imports this module

    stale = Document.objects.filter(
        status=Document.Status.PENDING, requested_at__lt=timezone.now() - older_than
    ).values_list("meeting_id", "kind")
    jobs = {(meeting_id, kind in MINUTES_KINDS) for meeting_id, kind in stale}
    for meeting_id, minutes in sorted(jobs):
        (render_minutes_pdf if minutes else render_agenda_pdf).apply_async(args=[meeting_id], retry=False)
    return len(jobs)


def document_render(*, meeting_id: int, kind: str) -> Document:
    """Render one document from the current rows; safe to run twice (the second run finds the
    document ready for the same source and does nothing)."""
    meeting = Meeting.objects.select_related("council__region", "leader").get(pk=meeting_id)
    document, _created = Document.objects.get_or_create(meeting=meeting, kind=kind)
    source = pdf_source(meeting, kind)
    if document.status == Document.Status.READY and is_current(document.file, document.source, source):
        return document
    try:
        data = core.pdf.render_pdf("meetings/pdf/document.html", pdf_context(meeting, kind))
    except Exception:
        Document.objects.filter(pk=document.pk).update(status=Document.Status.FAILED)
        raise
    old = document.file.name if document.file else None
    document.file.save(f"{meeting.pk}-{kind}.pdf", ContentFile(data), save=False)
    document.status, document.source, document.rendered_at = Document.Status.READY, source, timezone.now()
    document.save(update_fields=["file", "status", "source", "rendered_at"])
    if old and old != document.file.name:
        document.file.storage.delete(old)
    return document
