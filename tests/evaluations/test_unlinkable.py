"""Issue 12, points 3 and 4: a response cannot be matched to its invitation from the database
alone (PostgreSQL's system columns xmin and ctid, SQLite's row order), and a draft of someone
who never submitted enters no result.

A submitted response waits in the holding table (HeldResponse) and is written to the results
tables by a periodic task, in shuffled batches of at least 5 of one affiliation, in its own
transaction; at closing the rest is released and the survey's responses are rewritten in one
shuffled transaction (services.responses_release, services.survey_close).
"""

import datetime
import io

import pytest
from django.db import connection
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import services, tasks
from evaluations.models import Affiliation, Answer, Draft, HeldResponse, Invitation, Response
from evaluations.rules import Given
from evaluations.selectors import build_report
from register.models import Municipality, Party

from ..conftest import make_politician
from .conftest import TODAY, opt, token_of

pytestmark = pytest.mark.django_db
# Committed transactions, as in production: each submission and each batch is its own.
real_transactions = pytest.mark.django_db(transaction=True, serialized_rollback=True)

PEOPLE = 10


@pytest.fixture
def crowd(open_survey):
    """PEOPLE more council members invited to the open survey, in the order they will answer."""
    kbh, party = Municipality.objects.get(code="101"), Party.objects.get(letter="V")
    for i in range(PEOPLE):
        make_politician(kbh, party, f"Crowd Person {i:02d}")
    services.invitations_create(survey=open_survey, today=TODAY)
    return list(Invitation.objects.filter(survey=open_survey, name__startswith="Crowd").order_by("name"))


def submit_all(invitations, questions):
    """Each person answers with a text naming them, one after the other (one transaction each)."""
    q = questions
    for invitation in invitations:
        services.response_submit(
            token=token_of(invitation),
            answers={
                q["overall"].pk: Given([opt(q["overall"], "Godt")]),
                q["comment"].pk: Given(text=f"answer of {invitation.name}"),
            },
            today=TODAY,
        )


def comment_order(sql_order: str) -> list[str]:
    """The comment texts in the physical order of the response rows."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT a.text FROM evaluations_response r JOIN evaluations_answer a ON a.response_id = r.id "  # noqa: S608
            f"WHERE a.text LIKE 'answer of %%' ORDER BY {sql_order}"
        )
        return [row[0] for row in cursor.fetchall()]


def test_a_submission_is_held_apart_from_the_results(crowd, questions):
    submit_all(crowd[:3], questions)
    assert Response.objects.count() == 0 and Answer.objects.count() == 0
    assert HeldResponse.objects.count() == 3
    assert Invitation.objects.filter(completed=True).count() == 3


def test_batches_of_one_affiliation_are_released_when_5_wait(crowd, questions, member_invitation):
    submit_all(crowd[:4], questions)
    services.response_submit(
        token=token_of(member_invitation),
        answers={
            questions["overall"].pk: Given([opt(questions["overall"], "Godt")]),
            questions["meetings"].pk: Given([opt(questions["meetings"], "Passende")]),
        },
        today=TODAY,
    )
    assert tasks.release_held_responses() == 0  # 4 council members and 1 member: too few of each
    submit_all(crowd[4:5], questions)
    assert tasks.release_held_responses() == 5
    assert set(Response.objects.values_list("affiliation", flat=True)) == {Affiliation.COUNCIL_MEMBER}
    assert list(HeldResponse.objects.values_list("affiliation", flat=True)) == [Affiliation.MEMBER]
    services.survey_close(survey=crowd[0].survey)
    assert Response.objects.count() == 6 and not HeldResponse.objects.exists()


def test_while_running_the_report_counts_the_held(crowd, questions):
    submit_all(crowd[:2], questions)
    assert build_report(crowd[0].survey, today=TODAY).responses == 2


@pytest.mark.postgres
@real_transactions
def test_postgres_system_columns_match_no_response_to_an_invitation(crowd, questions):
    """The attack of issue 12: JOIN ... ON r.xmin = i.xmin matched 8 of 8 names to their answers."""
    submit_all(crowd, questions)
    assert tasks.release_held_responses() == PEOPLE  # one batch while the survey runs
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM evaluations_response r JOIN evaluations_invitation i ON r.xmin = i.xmin"
        )
        assert cursor.fetchone()[0] == 0
    services.survey_close(survey=crowd[0].survey)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM evaluations_response r JOIN evaluations_invitation i ON r.xmin = i.xmin"
        )
        assert cursor.fetchone()[0] == 0
        cursor.execute(
            "SELECT count(*) FROM evaluations_answer a JOIN evaluations_invitation i ON a.xmin = i.xmin"
        )
        assert cursor.fetchone()[0] == 0
        # All of the survey's responses were written by one transaction: xmin tells nothing apart.
        cursor.execute("SELECT count(DISTINCT xmin::text) FROM evaluations_response")
        assert cursor.fetchone()[0] == 1
    in_order = [f"answer of {i.name}" for i in crowd]
    assert sorted(comment_order("r.ctid")) == sorted(in_order)
    assert comment_order("r.ctid") != in_order  # 1 in 10! that a shuffle keeps the order
    assert comment_order("a.ctid") != in_order


@pytest.mark.postgres
@real_transactions
def test_postgres_invitation_xmin_order_does_not_give_the_response_order(crowd, questions):
    """Sorting invitations by their transaction id gives the order people completed in; no order of
    the response rows follows it."""
    submit_all(crowd, questions)
    services.survey_close(survey=crowd[0].survey)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM evaluations_invitation WHERE name LIKE 'Crowd%%' ORDER BY xmin::text::bigint"
        )
        completed_order = [f"answer of {row[0]}" for row in cursor.fetchall()]
    assert completed_order == [f"answer of {i.name}" for i in crowd]
    assert comment_order("r.ctid") != completed_order
    assert comment_order("a.ctid") != completed_order


@real_transactions
def test_row_order_does_not_give_the_order_of_answers(crowd, questions):
    """SQLite: rowid is the insertion order; PostgreSQL: ctid is (before any vacuum)."""
    submit_all(crowd, questions)
    services.survey_close(survey=crowd[0].survey)
    physical = "r.ctid" if connection.vendor == "postgresql" else "r.rowid"
    in_order = [f"answer of {i.name}" for i in crowd]
    assert sorted(comment_order(physical)) == sorted(in_order)
    assert comment_order(physical) != in_order


def test_a_draft_of_someone_who_never_submitted_enters_no_result(client, personas, crowd, questions, login):
    """Point 3: the only non-completer's draft must not appear as an incomplete row at closing."""
    q = questions
    submit_all(crowd[:5], questions)
    member = Invitation.objects.get(survey=crowd[0].survey, name="Mona Member")
    services.response_save_draft(
        token=token_of(member),
        answers={
            q["overall"].pk: Given([opt(q["overall"], "Meget dårligt")]),
            q["comment"].pk: Given(text="draft"),
        },
        today=TODAY,
    )
    survey = crowd[0].survey
    services.surveys_close_due(today=survey.closes_on + datetime.timedelta(days=1))
    assert not Draft.objects.exists()
    assert Response.objects.count() == 5 and not Response.objects.filter(complete=False).exists()
    assert not Answer.objects.filter(text="draft").exists()
    login(personas["secretariat"])
    book = load_workbook(io.BytesIO(client.get(reverse("evaluations:report_xlsx", args=[survey.pk])).content))
    rows = list(book["Responses"].iter_rows(values_only=True))
    assert len(rows) == 1 + 5
    assert "draft" not in str(rows)


def test_the_survey_list_counts_the_held(client, login, personas, crowd, questions):
    submit_all(crowd[:2], questions)
    login(personas["secretariat"])
    page = client.get(reverse("evaluations:survey_list")).text
    row = next(r for r in page.split("<tr") if crowd[0].survey.title in r)
    assert '<td class="text-end">2</td>' in row
