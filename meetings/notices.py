"""Notices of meetings: one row per person under a unique key (accounts.Notice), so each is sent
once however often the code that queues it runs; and the deadline notices beat asks for."""

import datetime

from django.db import transaction
from django.urls import reverse

import core.time
from accounts.messaging import queue_notice

from . import rules
from .models import Meeting
from .selectors import secretariat_and_chair_users


def notify(users, *, key: str, template: str, url: str, **context) -> int:
    """Queue one notice per user under `key:<user id>`; queuing again adds nothing."""
    count = 0
    for user in users:
        queue_notice(
            key=f"{key}:{user.pk}",
            user=user,
            to_email=user.email,
            template=template,
            context={**context, "url": url},
            url=url,
        )
        count += 1
    return count


def deadline_notices_queue(*, today: datetime.date | None = None) -> int:
    """Queue the due deadline notices for unpublished agendas. Each notice has a unique key, so
    running this twice (beat firing twice, a worker dying mid-run) queues each notice once."""
    today = today or core.time.today()
    horizon = today + datetime.timedelta(days=rules.AGENDA_NOTICE_DAYS + 14)
    meetings = Meeting.objects.filter(
        status=Meeting.Status.PLANNED,
        kind=Meeting.Kind.ORDINARY,
        starts_at__date__gt=today,
        starts_at__date__lte=horizon,
    ).select_related("council__region")
    queued = 0
    for meeting in meetings:
        due = rules.due_deadline_notice(today, meeting.date, published=False)
        if due is None:
            continue
        with transaction.atomic():
            queued += notify(
                secretariat_and_chair_users(meeting.council),
                key=f"meetings:{due}:{meeting.pk}",
                template=f"meetings/mail/deadline_{due.value.replace('-', '_')}",
                url=reverse("meetings:detail", args=[meeting.pk]),
                meeting=meeting,
                deadline=rules.agenda_deadline(meeting.date),
            )
    return queued
