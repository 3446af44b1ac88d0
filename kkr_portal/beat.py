"""Celery beat's scheduler: django-celery-beat's database scheduler with a heartbeat file.

Each pass of the scheduler loop (at least every CELERY_BEAT_MAX_LOOP_INTERVAL seconds) that read
the schedule from the database touches BEAT_HEARTBEAT_FILE; `manage.py healthcheck beat` reads it.
"""

from pathlib import Path

from django.conf import settings
from django_celery_beat.schedulers import DatabaseScheduler


class Scheduler(DatabaseScheduler):
    def tick(self, *args, **kwargs):
        interval = super().tick(*args, **kwargs)
        Path(settings.BEAT_HEARTBEAT_FILE).touch()
        return interval
