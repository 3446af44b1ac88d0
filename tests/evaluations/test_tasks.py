import datetime

import pytest

from evaluations import tasks
from evaluations.models import Reminder, Survey
from evaluations.schedule import BEAT
from kkr_portal.celery import app

from .conftest import TODAY

pytestmark = pytest.mark.django_db


def test_beat_entries_name_registered_tasks():
    app.loader.import_default_modules()
    for entry in BEAT.values():
        assert entry["task"] in app.tasks


def test_reminder_and_close_tasks_are_idempotent(open_survey):
    Reminder.objects.update(send_on=TODAY)
    first = tasks.send_due_reminders()
    assert first > 0 and tasks.send_due_reminders() == 0
    Survey.objects.filter(pk=open_survey.pk).update(
        opens_on=TODAY - datetime.timedelta(days=3), closes_on=TODAY - datetime.timedelta(days=1)
    )
    assert tasks.close_due_surveys() == 1
    assert tasks.close_due_surveys() == 0
    assert Survey.objects.get(pk=open_survey.pk).closed
