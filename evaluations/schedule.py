"""Periodic tasks of the evaluations app, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT: dict[str, dict] = {}
