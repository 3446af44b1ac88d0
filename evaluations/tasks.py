from celery import shared_task

import core.time

from . import services
from .documents import render_survey_report

__all__ = ["close_due_surveys", "release_held_responses", "render_survey_report", "send_due_reminders"]


@shared_task(name="evaluations.tasks.send_due_reminders")
def send_due_reminders() -> int:
    return services.reminders_send_due(today=core.time.today())


@shared_task(name="evaluations.tasks.close_due_surveys")
def close_due_surveys() -> int:
    return services.surveys_close_due(today=core.time.today())


@shared_task(name="evaluations.tasks.release_held_responses")
def release_held_responses() -> int:
    return services.responses_release()
