import datetime
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from core.errors import Refused
from evaluations import rules, services
from evaluations.models import Affiliation, Invitation, Option, Question, Response

TODAY = datetime.date.today()


@contextmanager
def refused(code: str, match: str | None = None):
    """The block is refused with ``core.errors.Refused`` of this code (and message)."""
    with pytest.raises(Refused, match=match) as error:
        yield error
    assert error.value.code == code


@pytest.fixture(autouse=True)
def _no_stored_reports():
    """Closed surveys' reports are kept in the cache; a rolled-back test leaves none behind."""
    cache.clear()
    yield
    cache.clear()


def release(survey):
    """Move every held response into the results now (as closing does), to inspect it."""
    with transaction.atomic():
        services.held_release(survey, closing=True)
    return Response.objects.filter(survey=survey)


def token_of(invitation: Invitation) -> str:
    return rules.link_token(settings.SURVEY_LINK_KEY, invitation.nonce)


def build_questions(survey):
    """Part 1 for everyone, part 2 for KKR members only; every kind of question."""
    part1 = services.section_add(survey=survey, title="Part 1")
    part2 = services.section_add(survey=survey, title="Part 2", audience=Affiliation.MEMBER)
    q = {}
    q["overall"] = services.question_add(
        section=part1,
        text="Overall impression?",
        kind=Question.Kind.SINGLE,
        scale="quality",
        options=services.options_for("quality"),
        required=True,
        key="overall",
    )
    q["gains"] = services.question_add(
        section=part1,
        text="What do you get out of the meetings?",
        kind=Question.Kind.MULTIPLE,
        options=services.options_for("", ["Network", "Knowledge", "Decisions"], other=True),
        key="gains",
    )
    q["strengthen"] = services.question_add(
        section=part1,
        text="Strengthen relations?",
        kind=Question.Kind.SINGLE,
        options=services.options_for("", ["Ja - uddyb gerne", "Nej", "Ved ikke"]),
        key="strengthen",
    )
    q["how"] = services.question_add(
        section=part1,
        text="Which and how?",
        kind=Question.Kind.TEXT,
        parent=q["strengthen"],
        shown_for=Option.objects.get(question=q["strengthen"], label="Ja - uddyb gerne"),
        required=True,
        key="how",
    )
    q["comment"] = services.question_add(
        section=part1, text="Comments", kind=Question.Kind.TEXT, key="comment"
    )
    q["meetings"] = services.question_add(
        section=part2,
        text="Number of meetings?",
        kind=Question.Kind.SINGLE,
        scale="amount",
        options=services.options_for("amount"),
        required=True,
        key="meetings",
    )
    return q


def opt(question, label) -> int:
    return Option.objects.get(question=question, label=label).pk


@pytest.fixture
def template(db):
    template = services.survey_create(title="KKR evaluation", is_template=True)
    build_questions(template)
    return template


@pytest.fixture
def survey(template, council):
    return services.survey_copy_from_template(
        template=template, council=council, period_start=TODAY.year - 1, period_end=TODAY.year + 3
    )


@pytest.fixture
def questions(survey):
    return {q.key: q for q in Question.objects.filter(section__survey=survey)}


@pytest.fixture
def open_survey(survey, personas):
    services.survey_set_dates(
        survey=survey,
        opens_on=TODAY - datetime.timedelta(days=1),
        closes_on=TODAY + datetime.timedelta(days=14),
        reminders=[TODAY + datetime.timedelta(days=7)],
    )
    services.invitations_create(survey=survey, today=TODAY)
    return services.survey_open(survey=survey, today=TODAY)


@pytest.fixture
def member_invitation(open_survey):
    return Invitation.objects.get(survey=open_survey, name="Mona Member")


@pytest.fixture
def councillor_invitation(open_survey):
    return Invitation.objects.get(survey=open_survey, name="Vera Councillor")
