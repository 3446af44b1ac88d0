import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kkr_portal.settings")

app = Celery("kkr_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def resume_unfinished_work(**_kwargs) -> None:
    """A worker that starts asks for what a dead worker may have left half done (a PDF render):
    that task's message waits unacknowledged in the broker until the visibility timeout."""
    from django.conf import settings

    for name, kwargs in settings.WORKER_START_TASKS:
        app.send_task(name, kwargs=kwargs)
