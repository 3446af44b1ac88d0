"""Write paths of accounts: sending queued notices exactly once."""

import datetime
import logging

from django.db.models import F, Q
from django.utils import timezone

from .messaging import deliver, notice_message_id
from .models import Notice

log = logging.getLogger(__name__)

# A claim older than this is taken to belong to a worker that died mid-send.
STALE_CLAIM = datetime.timedelta(minutes=10)
MAX_ATTEMPTS = 5
# A sent notice holding a personal link (a survey link) keeps it this long, then loses it.
LINK_NOTICE_KEEP = datetime.timedelta(days=30)
PRUNED_BODY = "(Beskeden indeholdt et personligt link og er slettet efter afsendelse.)"


def notices_send_due(*, limit: int = 200, now: datetime.datetime | None = None) -> int:
    """Send every due notice; return how many were sent by this call.

    Each row is claimed with a conditional UPDATE, so two workers (or beat firing twice)
    never send the same row; a row stuck in SENDING past STALE_CLAIM is claimed again.
    """
    now = now or timezone.now()
    due = (
        Notice.objects.filter(due_at__lte=now, attempts__lt=MAX_ATTEMPTS)
        .filter(
            Q(status=Notice.Status.PENDING)
            | Q(status=Notice.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
        )
        .order_by("due_at", "id")
        .values_list("id", "status", "claimed_at")[:limit]
    )
    sent = 0
    for notice_id, status, claimed_at in list(due):
        claimed = Notice.objects.filter(pk=notice_id, status=status, claimed_at=claimed_at).update(
            status=Notice.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
        if not claimed:
            continue  # another worker has it
        notice = Notice.objects.get(pk=notice_id)
        try:
            deliver(
                notice.subject,
                notice.body,
                notice.html,
                [notice.to_email],
                message_id=notice_message_id(notice.key),
            )
        except Exception as exc:  # the mail server is outside our control: retry later
            log.warning("notice %s failed: %s", notice_id, exc)
            failed = notice.attempts >= MAX_ATTEMPTS
            Notice.objects.filter(pk=notice_id).update(
                status=Notice.Status.FAILED if failed else Notice.Status.PENDING,
                claimed_at=None,
                last_error=str(exc)[:2000],
            )
            continue
        Notice.objects.filter(pk=notice_id).update(status=Notice.Status.SENT, sent_at=timezone.now())
        sent += 1
    return sent


def notices_prune_links(*, now: datetime.datetime | None = None) -> int:
    """Remove the body and link of every notice holding a personal link that was sent more than
    LINK_NOTICE_KEEP ago; the row (key, recipient, subject, status) stays, so queuing the same key
    again still finds it and never sends twice. Returns how many were pruned."""
    now = now or timezone.now()
    return (
        Notice.objects.filter(
            personal_link=True, status=Notice.Status.SENT, sent_at__lt=now - LINK_NOTICE_KEEP
        )
        .exclude(body=PRUNED_BODY)
        .update(body=PRUNED_BODY, html="", url="")
    )
