"""Periodic tasks of the appointments app, merged into CELERY_BEAT_SCHEDULE by settings.py."""

BEAT: dict[str, dict] = {}
