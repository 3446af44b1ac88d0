"""Periodic tasks of the economy, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT: dict[str, dict] = {
    # Keyed notices: each reminder is queued once however often this runs.
    "economy-reminders": {"task": "economy.tasks.queue_reminders", "schedule": 3600.0},
}
