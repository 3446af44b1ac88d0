import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.messaging import queue_notice
from accounts.models import Notice
from accounts.services import STALE_CLAIM, notices_send_due


def _queue(key="test:1", **extra):
    return queue_notice(
        key=key,
        to_email="a@example.dk",
        template="accounts/mail/test_notice",
        context={"text": "Hej"},
        **extra,
    )


@pytest.mark.django_db
def test_queueing_twice_keeps_one_row(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        first = _queue()
        second = _queue()
    assert first.pk == second.pk and Notice.objects.count() == 1


@pytest.mark.django_db
def test_running_the_sender_twice_sends_once(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _queue()
    assert notices_send_due() == 1
    assert notices_send_due() == 0
    assert len(mail.outbox) == 1
    assert Notice.objects.get().status == Notice.Status.SENT


@pytest.mark.django_db
def test_a_notice_claimed_by_a_dead_worker_is_sent_after_the_claim_goes_stale(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=False):
        notice = _queue()
    now = timezone.now()
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.SENDING, claimed_at=now)
    assert notices_send_due(now=now + datetime.timedelta(minutes=1)) == 0
    assert notices_send_due(now=now + STALE_CLAIM + datetime.timedelta(seconds=1)) == 1
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_notices_due_later_wait(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        _queue(due_at=timezone.now() + datetime.timedelta(days=1))
    assert notices_send_due() == 0


@pytest.mark.django_db
def test_queue_sends_on_commit_in_eager_mode(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _queue()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].subject == "Testbesked"


@pytest.mark.django_db
def test_a_notice_keeps_one_message_id_however_often_it_is_sent(mailoutbox):
    from accounts.messaging import deliver, notice_message_id

    for _ in range(2):
        deliver("Emne", "Tekst", "", ["a@example.dk"], message_id=notice_message_id("meetings:x:1"))
    ids = {m.extra_headers["Message-ID"] for m in mailoutbox}
    assert len(ids) == 1 and next(iter(ids)).startswith("<notice-")
    assert notice_message_id("meetings:x:1") != notice_message_id("meetings:x:2")
