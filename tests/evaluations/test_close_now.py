"""Issue 13 point 7: a survey can be closed early ("Close now", with a confirmation step), and
its closing date can be set to today."""

import datetime

import pytest
from django.urls import reverse

from evaluations import services
from evaluations.models import Draft, Reminder, Survey

from .conftest import TODAY, token_of

pytestmark = pytest.mark.django_db


def test_close_now_asks_first_then_closes_today(client, login, personas, open_survey, member_invitation):
    services.response_save_draft(token=token_of(member_invitation), answers={}, today=TODAY)
    login(personas["secretariat"])
    detail = client.get(reverse("evaluations:survey_detail", args=[open_survey.pk])).text
    url = reverse("evaluations:survey_close", args=[open_survey.pk])
    assert url in detail
    confirm = client.get(url)
    assert confirm.status_code == 200 and "Close the survey now" in confirm.text
    assert not Survey.objects.get(pk=open_survey.pk).closed  # GET writes nothing
    done = client.post(url)
    assert done.status_code == 302 and done.url == reverse("evaluations:report", args=[open_survey.pk])
    survey = Survey.objects.get(pk=open_survey.pk)
    assert survey.closed and survey.closed_early_on == TODAY and survey.closes_on == open_survey.closes_on
    assert not Draft.objects.exists() and not Reminder.objects.filter(survey=survey, sent=False).exists()
    again = client.post(url)
    assert again.status_code == 409 and "Only a survey that has opened" in again.text


def test_close_now_is_refused_before_the_opening_day_and_for_other_roles(client, login, personas, survey):
    services.survey_set_dates(
        survey=survey,
        opens_on=TODAY + datetime.timedelta(days=2),
        closes_on=TODAY + datetime.timedelta(days=9),
    )
    services.invitations_create(survey=survey, today=TODAY)
    services.survey_open(survey=survey, today=TODAY)
    url = reverse("evaluations:survey_close", args=[survey.pk])
    login(personas["member"])
    assert client.post(url).status_code in (403, 404)
    login(personas["secretariat"])
    assert client.post(url).status_code == 409
    assert not Survey.objects.get(pk=survey.pk).closed


def test_closing_date_may_be_today_never_yesterday(client, login, personas, open_survey):
    login(personas["secretariat"])
    url = reverse("evaluations:survey_dates", args=[open_survey.pk])
    data = {"opens_on": open_survey.opens_on.isoformat(), "closes_on": TODAY.isoformat()}
    assert client.post(url, data).status_code == 302
    assert Survey.objects.get(pk=open_survey.pk).closes_on == TODAY
    data["closes_on"] = (TODAY - datetime.timedelta(days=1)).isoformat()
    refused = client.post(url, data)
    assert refused.status_code == 400 and "cannot be in the past" in refused.text
    assert Survey.objects.get(pk=open_survey.pk).closes_on == TODAY
