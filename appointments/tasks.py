"""Celery tasks of appointments: thin, idempotent wrappers around services."""

from celery import shared_task
from django.utils import translation

import core.time

from . import services
from .services.term import members_reminders_due_queue


@shared_task(name="appointments.tasks.render_election_record", time_limit=120, soft_time_limit=100)
def render_election_record(election_id: int) -> bool:
    with translation.override("da"):
        return services.election_record_render(election_id=election_id)


@shared_task(name="appointments.tasks.constituent_reminders")
def constituent_reminders() -> int:
    return services.constituent_reminders_queue(today=core.time.today())


@shared_task(name="appointments.tasks.term_warnings")
def term_warnings() -> int:
    return services.term_warnings_queue(today=core.time.today())


@shared_task(name="appointments.tasks.term_members_reminders")
def term_members_reminders() -> int:
    return members_reminders_due_queue(today=core.time.today())
