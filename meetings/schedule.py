"""Periodic tasks of the meetings app, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT: dict[str, dict] = {
    # Hourly: the notices are keyed, so each is queued once however often this runs; running
    # often means a day's notice goes out early that day even after a restart.
    "meetings-deadline-notices": {"task": "meetings.tasks.queue_deadline_notices", "schedule": 3600.0},
    # Documents requested while the broker was down are rendered when it is back.
    "meetings-retry-pending-documents": {"task": "meetings.tasks.retry_pending_documents", "schedule": 600.0},
}

# Sent when a worker starts: every pending document again at once (a dead worker's task waits in the
# broker until the visibility timeout).
ON_WORKER_START: list[tuple[str, dict]] = [
    ("meetings.tasks.retry_pending_documents", {"older_than_seconds": 0})
]
