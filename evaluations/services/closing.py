"""Closing a survey (on its date, or early): the held responses are released, the responses are
rewritten in one shuffled transaction, drafts are discarded, and the final report is made ahead
by the pdf worker (``evaluations.documents``)."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import refuse
from core.tasks import enqueue_on_commit

from .. import rules
from ..documents import render_survey_report
from ..models import Answer, Response, Survey
from .answering import held_release, shuffle_rows


def survey_close_now(*, survey: Survey, today: datetime.date) -> Survey:
    """Close a running survey today, before its closing date (issue 13 point 7): the planned
    closing date stays and ``closed_early_on`` records the day it really closed; reminders not
    yet sent are dropped, and the survey closes as on its closing date (``survey_close``)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        refusal = rules.close_now_error(
            opened=survey.opened, closed=survey.closed, opens_on=survey.opens_on, today=today
        )
        if refusal:
            refuse(_(refusal))
        if survey.closes_on > today:
            survey.closed_early_on = today
            survey.save(update_fields=["closed_early_on"])
        survey.reminders.filter(sent=False).delete()
        survey_close(survey=survey)
        survey.refresh_from_db()
        return survey


def survey_close(*, survey: Survey) -> int:
    """Close: release every held response, rewrite the survey's responses in one shuffled
    transaction, and discard the drafts (a draft that was never submitted enters no result,
    issue 12 point 3). Returns the number of drafts discarded."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed or not survey.opened:
            return 0
        held_release(survey, closing=True)
        _rewrite_shuffled(survey)
        discarded, _by_model = survey.drafts.all().delete()
        survey.closed = True
        survey.save(update_fields=["closed"])
        _report_pdf_request(survey)
        return discarded


def _rewrite_shuffled(survey: Survey) -> None:
    """Write the survey's responses and answers again, in random order, in this one transaction:
    afterwards every row carries the same transaction id (PostgreSQL's xmin) and a random place
    (ctid, SQLite's rowid), so neither the batches nor the order of submission can be read back."""
    responses = list(Response.objects.filter(survey=survey))
    answers = list(Answer.objects.filter(response__survey=survey))
    by_response: dict = {}
    for answer in answers:
        by_response.setdefault(answer.response_id, []).append(answer)
    Answer.objects.filter(response__survey=survey).delete()
    Response.objects.filter(survey=survey).delete()
    shuffle_rows(responses)
    Response.objects.bulk_create(responses)
    rows = []
    for response in responses:
        rows.extend(by_response.get(response.pk, []))
    Answer.objects.bulk_create(rows)


def _report_pdf_request(survey: Survey) -> None:
    """The results are final once the survey closes: the pdf worker renders the report ahead."""
    enqueue_on_commit(render_survey_report, survey.pk)


def surveys_close_due(*, today: datetime.date) -> int:
    """Close every survey whose closing date has passed; return how many were closed."""
    due = list(Survey.objects.filter(opened=True, closed=False, closes_on__lt=today))
    for survey in due:
        survey_close(survey=survey)
    return len(due)
