"""A task goes through Redis to a real Celery worker and its result lands in the database."""

import time

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail

from accounts.messaging import queue_notice
from accounts.models import Notice
from accounts.tasks import send_due_notices
from kkr_portal.celery import app


@pytest.fixture
def real_worker(settings):
    import celery.contrib.testing.tasks  # noqa: F401 - registers the ping task start_worker waits for

    app.conf.task_always_eager = False
    app.conf.broker_url = settings.REDIS_URL
    try:
        # Both queues, as `make worker` runs it. Naming them matters: a worker started with other
        # queues narrows the app's queue selection for every later worker in the process.
        with start_worker(
            app,
            pool="solo",
            perform_ping_check=False,
            loglevel="WARNING",
            shutdown_timeout=10,
            queues=["celery", "pdf"],
        ):
            yield
    finally:
        app.conf.task_always_eager = True


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_notice_is_sent_by_real_worker_exactly_once(real_worker):
    notice = queue_notice(
        key="worker:1",
        to_email="w@example.dk",
        template="accounts/mail/test_notice",
        context={"text": "via Redis"},
    )
    # queue_notice enqueued a send on commit; send twice more as if beat fired twice.
    send_due_notices.delay()
    send_due_notices.delay()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        notice.refresh_from_db()
        if notice.status == Notice.Status.SENT:
            break
        time.sleep(0.1)
    time.sleep(1)  # let the other two deliveries run too
    assert notice.status == Notice.Status.SENT
    assert notice.attempts == 1
    assert len(mail.outbox) == 1
