"""Sending Celery tasks the way every app does: after the transaction commits, never losing work."""

import logging

from django.db import transaction
from kombu.exceptions import OperationalError


def enqueue_on_commit(task, *args, **kwargs) -> None:
    """Send a task once the current transaction commits.

    If the broker is unreachable the page still works: the work is recorded in database rows
    that a periodic task picks up when the broker is back, so nothing is lost.
    """

    def send():
        try:
            task.apply_async(args=args, kwargs=kwargs, retry=False)
        except (OperationalError, ConnectionError, OSError) as exc:
            logging.getLogger(__name__).warning(
                "broker unreachable, %s left for the periodic run: %s", task.name, exc
            )

    transaction.on_commit(send)
