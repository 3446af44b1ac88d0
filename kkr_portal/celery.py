import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kkr_portal.settings")

app = Celery("kkr_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits.

    If the broker is unreachable the page still works: the work is recorded in database rows
    that a periodic task picks up when the broker is back, so nothing is lost.
    """
    import logging

    from django.db import transaction
    from kombu.exceptions import OperationalError

    def send():
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except (OperationalError, ConnectionError, OSError) as exc:
            logging.getLogger(__name__).warning(
                "broker unreachable, %s left for the periodic run: %s", task.name, exc
            )

    transaction.on_commit(send)


@worker_ready.connect
def resume_unfinished_work(**_kwargs) -> None:
    """A worker that starts asks for what a dead worker may have left half done (a PDF render):
    that task's message waits unacknowledged in the broker until the visibility timeout."""
    from django.conf import settings

    for name, kwargs in settings.WORKER_START_TASKS:
        app.send_task(name, kwargs=kwargs)
