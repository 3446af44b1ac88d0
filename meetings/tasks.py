"""Celery tasks of meetings: thin wrappers around services, safe to run twice.

Tasks named render_* go to the pdf queue (CELERY_TASK_ROUTES).
"""

import datetime

from celery import shared_task

from . import documents, notices


@shared_task(name="meetings.tasks.render_agenda_pdf")
def render_agenda_pdf(meeting_id: int) -> None:
    for kind in documents.AGENDA_KINDS:
        documents.document_render(meeting_id=meeting_id, kind=kind)


@shared_task(name="meetings.tasks.render_minutes_pdf")
def render_minutes_pdf(meeting_id: int) -> None:
    for kind in documents.MINUTES_KINDS:
        documents.document_render(meeting_id=meeting_id, kind=kind)


@shared_task(name="meetings.tasks.queue_deadline_notices")
def queue_deadline_notices(today: str | None = None) -> int:
    """`today` (ISO date) lets a test or an operator replay a given day."""
    return notices.deadline_notices_queue(today=datetime.date.fromisoformat(today) if today else None)


@shared_task(name="meetings.tasks.retry_pending_documents")
def retry_pending_documents(older_than_seconds: int = 300) -> int:
    return documents.documents_pending_retry(older_than=datetime.timedelta(seconds=older_than_seconds))
