"""What goes into a meeting's PDFs: the members' versions include closed items, the public
versions leave them out entirely (title included)."""

from .models import Document, Meeting, Minutes
from .queries import agenda_items, attendance_summary, decisions_of

MINUTES_KINDS = {Document.Kind.MINUTES, Document.Kind.MINUTES_PUBLIC}


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
    context = {"meeting": meeting, "items": items, "public": public, "is_minutes": kind in MINUTES_KINDS}
    if kind in MINUTES_KINDS:
        minutes = _minutes(meeting)
        version = (minutes.published_version or minutes.version) if minutes else None
        decisions = decisions_of(minutes, version) if minutes else {}
        for item in items:
            item.decision_text = decisions.get(item.pk, "")
        context.update(minutes=minutes, minutes_version=version, attendance=attendance_summary(meeting))
    return context
