"""Answering behind a personal link: drafts, the one submission, and the holding table whose
batches are released into the results (docs/rules.md §6: a group's answers enter the results five
at a time, so no single response can be told by when it arrived).

Refusals are ``core.errors.Refused`` with a code the respondent's page tells apart:
"unknown_link", "answered", "closed", or "answers" (field errors keyed by question id).
"""

import datetime
import random
from collections.abc import Mapping, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Refused

from .. import rules
from ..models import Answer, Draft, HeldResponse, Invitation, Option, Question, Response, Survey
from ..selectors import questions_for

shuffle_rows = random.SystemRandom().shuffle


def held_release(survey: Survey, *, closing: bool) -> int:
    """Move the held responses of the affiliations ``rules.released`` names into the results, in
    shuffled order; the caller holds the survey's row lock and the transaction."""
    held = list(survey.held.select_for_update())
    counts: dict[str, int] = {}
    for row in held:
        counts[row.affiliation] = counts.get(row.affiliation, 0) + 1
    going = rules.released(counts, closing=closing)
    batch = [row for row in held if row.affiliation in going]
    shuffle_rows(batch)
    for row in batch:
        _store_response(survey, row.affiliation, _from_json(row.data))
    HeldResponse.objects.filter(pk__in=[row.pk for row in batch]).delete()
    return len(batch)


def responses_release() -> int:
    """The periodic task's work: for each running survey, release the held responses of every
    affiliation of which at least 5 wait (``rules.released``), each survey in its own
    transaction. Returns how many responses were released."""
    released = 0
    for survey_id in list(
        HeldResponse.objects.filter(survey__closed=False).values_list("survey_id", flat=True).distinct()
    ):
        with transaction.atomic():
            survey = Survey.objects.select_for_update().get(pk=survey_id)
            if not survey.closed:
                released += held_release(survey, closing=False)
    return released


def _specs(survey: Survey) -> list[rules.QuestionSpec]:
    options: dict[int, list[tuple[int, bool]]] = {}
    for oid, qid, asks_text in Option.objects.filter(question__section__survey=survey).values_list(
        "id", "question_id", "asks_text"
    ):
        options.setdefault(qid, []).append((oid, asks_text))
    return [
        rules.QuestionSpec(
            id=q.pk,
            kind=q.kind,
            required=q.required,
            options=frozenset(o for o, _a in options.get(q.pk, [])),
            text_option=next((o for o, asks in options.get(q.pk, []) if asks), None),
            parent=q.parent_id,
            shown_for=q.shown_for_id,
        )
        for q in Question.objects.filter(section__survey=survey).order_by("section__position", "position")
    ]


def _visible_only(
    survey: Survey, affiliation: str, answers: Mapping[int, rules.Given]
) -> dict[int, rules.Given]:
    visible = set(questions_for(survey, affiliation).values_list("id", flat=True))
    return {qid: given for qid, given in answers.items() if qid in visible}


def _to_json(answers: Mapping[int, rules.Given]) -> dict:
    return {str(qid): {"o": given.options, "t": given.text} for qid, given in answers.items()}


def _from_json(data: Mapping) -> dict[int, rules.Given]:
    return {
        int(qid): rules.Given(options=list(v.get("o", [])), text=v.get("t", "")) for qid, v in data.items()
    }


def invitation_for_link(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("survey").filter(token_hash=rules.token_hash(token)).first()
    )
    if invitation is None:
        raise Refused(_("This link is not valid."), code="unknown_link")
    return invitation


def draft_load(*, token: str) -> dict[int, rules.Given]:
    draft = Draft.objects.filter(key=rules.draft_key(token)).first()
    return _from_json(draft.data) if draft else {}


def _already_answered() -> Refused:
    return Refused(_("This link has already been used to answer."), code="answered")


def answer_refusal(errors: Mapping[int, str]) -> Refused:
    """The problems of a submission (msgids per question id, ``rules.answer_errors``) as one
    refusal; ``errors_by_question`` reads them back for the page."""
    return Refused({str(qid): [ValidationError(message, code="answers")] for qid, message in errors.items()})


def errors_by_question(error: ValidationError) -> dict[int, str]:
    """The msgid per question id of a refusal made by ``answer_refusal`` (empty for any other)."""
    if not hasattr(error, "error_dict"):
        return {}
    return {int(qid): errors[0].message for qid, errors in error.error_dict.items()}


def _check_answerable(invitation: Invitation, today: datetime.date) -> None:
    if invitation.completed:
        raise _already_answered()
    if not invitation.survey.accepts_answers(today):
        raise Refused(_("The survey does not take answers now."), code="closed")


def response_save_draft(
    *,
    token: str,
    answers: Mapping[int, rules.Given],
    today: datetime.date,
    page: Sequence[int] | None = None,
) -> Draft:
    """Keep the answers so far under the link's draft key (no validation of required answers).

    With ``page`` (the ids of the questions on one page of a survey answered a section per
    page), the answers replace only those questions' answers in the draft; the rest is kept.
    """
    with transaction.atomic():
        invitation = invitation_for_link(token)
        invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
        _check_answerable(invitation, today)
        survey = invitation.survey
        if page is not None:
            answers = rules.merge_page(draft_load(token=token), answers, page)
        cleaned = rules.clean_answers(_specs(survey), answers)
        cleaned = _visible_only(survey, invitation.affiliation, cleaned)
        draft, _created = Draft.objects.update_or_create(
            key=rules.draft_key(token),
            defaults={"survey": survey, "affiliation": invitation.affiliation, "data": _to_json(cleaned)},
        )
        return draft


def draft_errors(*, token: str, affiliation: str, survey: Survey) -> dict[int, str]:
    """What is still missing or wrong in a saved draft, per question id (msgids)."""
    visible = set(questions_for(survey, affiliation).values_list("id", flat=True))
    return rules.answer_errors([s for s in _specs(survey) if s.id in visible], draft_load(token=token))


def _store_response(survey: Survey, affiliation: str, answers: Mapping[int, rules.Given]) -> Response:
    response = Response.objects.create(survey=survey, affiliation=affiliation)
    rows = []
    questions = {q.pk: q.kind for q in Question.objects.filter(pk__in=answers.keys())}
    text_options = set(
        Option.objects.filter(question_id__in=answers.keys(), asks_text=True).values_list("id", flat=True)
    )
    for qid, given in answers.items():
        if questions[qid] == Question.Kind.TEXT:
            rows.append(Answer(response=response, question_id=qid, text=given.text))
            continue
        for oid in given.options:
            rows.append(
                Answer(
                    response=response,
                    question_id=qid,
                    option_id=oid,
                    text=given.text if oid in text_options else "",
                )
            )
    Answer.objects.bulk_create(rows)
    return response


def response_submit(*, token: str, answers: Mapping[int, rules.Given], today: datetime.date) -> HeldResponse:
    """Submit once: the answers wait in the holding table for their batch (``responses_release``),
    the invitation is marked completed (not when), and the draft is deleted. Refuses (code
    "answers", "closed" or "answered") and stores nothing when the answers or the link do not do."""
    with transaction.atomic():
        invitation = invitation_for_link(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        # The survey's row lock orders a submission against closing (and a batch's release):
        # a response is never held for a survey that has closed meanwhile.
        invitation.survey = Survey.objects.select_for_update().get(pk=invitation.survey_id)
        _check_answerable(invitation, today)
        survey = invitation.survey
        specs = _specs(survey)
        visible = set(questions_for(survey, invitation.affiliation).values_list("id", flat=True))
        specs = [s for s in specs if s.id in visible]
        errors = rules.answer_errors(specs, answers)
        if errors:
            raise answer_refusal(errors)
        cleaned = rules.clean_answers(specs, answers)
        held = HeldResponse.objects.create(
            survey=survey, affiliation=invitation.affiliation, data=_to_json(cleaned)
        )
        updated = Invitation.objects.filter(pk=invitation.pk, completed=False).update(completed=True)
        if not updated:
            raise _already_answered()
        Draft.objects.filter(key=rules.draft_key(token)).delete()
        return held
