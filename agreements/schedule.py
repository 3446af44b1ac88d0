"""Periodic tasks of the agreements app, merged into CELERY_BEAT_SCHEDULE by settings.py."""

from celery.schedules import crontab

BEAT: dict[str, dict] = {
    # Key dates of the IV agreement: extension decision (IV 5.2), quarterly follow-up (IV 4.2).
    "iv-key-date-notices": {
        "task": "agreements.tasks.queue_key_date_notices",
        "schedule": crontab(hour=7, minute=15),
    },
}

# Sent when a worker starts: what a dead worker may have left unfinished.
ON_WORKER_START: list[tuple[str, dict]] = [
    ("agreements.tasks.retry_owed_statement_pdfs", {}),
    ("agreements.tasks.resume_settlements", {}),
]
