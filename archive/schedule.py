"""Periodic tasks of the archive, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT: dict[str, dict] = {
    # Catches what was published before the archive existed, and uploads made while the broker
    # was down: meetings without entries are indexed, attachments without text extracted.
    "archive-index-missing": {"task": "archive.tasks.index_missing", "schedule": 3600.0},
}

ON_WORKER_START: list[tuple[str, dict]] = [("archive.tasks.index_missing", {})]
