"""Periodic tasks of the agreements app, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT: dict[str, dict] = {}
