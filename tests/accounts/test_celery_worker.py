"""A task goes through Redis to a real Celery worker and its result lands in the database."""

import time

import pytest
from django.core import mail

from accounts.messaging import queue_notice
from accounts.models import Notice
from accounts.tasks import send_due_notices


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
