"""docs/rules.md §6: from the database alone no response can be joined to an invitation or a person."""

import pytest
from django.db import connection

from evaluations import rules, services
from evaluations.models import Answer, Draft, HeldResponse, Invitation, Response
from evaluations.rules import Given

from .conftest import TODAY, opt, release, token_of

pytestmark = pytest.mark.django_db

TIME_TYPES = {"DateField", "DateTimeField", "TimeField", "DurationField"}
IDENTIFYING = ("token", "invitation", "user", "politician", "person", "email", "name", "ip", "agent", "nonce")


def columns(model):
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, model._meta.db_table)
        relations = connection.introspection.get_relations(cursor, model._meta.db_table)
    return description, relations


def field_types(model, description):
    return {
        column.name: connection.introspection.get_field_type(column.type_code, column)
        for column in description
    }


@pytest.mark.parametrize("model", [Response, Answer, Draft, HeldResponse])
def test_answer_tables_have_no_column_that_leads_to_a_person(model):
    description, relations = columns(model)
    allowed_targets = {
        "evaluations_survey",
        "evaluations_question",
        "evaluations_option",
        "evaluations_response",
    }
    assert {table for _col, table in relations.values()} <= allowed_targets
    names = [column.name for column in description]
    assert not [n for n in names if any(word in n.lower() for word in IDENTIFYING)], names
    assert not set(field_types(model, description).values()) & TIME_TYPES


def test_invitation_records_completion_without_time_and_points_at_no_answer():
    description, relations = columns(Invitation)
    assert {table for _col, table in relations.values()} == {"evaluations_survey", "register_politician"}
    assert not set(field_types(Invitation, description).values()) & TIME_TYPES
    assert "completed" in [c.name for c in description]


def test_response_keys_are_random_not_sequential():
    assert Response._meta.pk.get_internal_type() == "UUIDField"
    assert Answer._meta.pk.get_internal_type() == "UUIDField"


def test_rows_share_nothing_with_invitations(member_invitation, councillor_invitation, questions):
    q = questions
    tokens = [token_of(member_invitation), token_of(councillor_invitation)]
    services.response_save_draft(
        token=tokens[0], answers={q["overall"].pk: Given([opt(q["overall"], "Godt")])}, today=TODAY
    )
    draft = Draft.objects.get()
    secrets_of_invitations = set()
    for invitation, token in zip([member_invitation, councillor_invitation], tokens, strict=True):
        invitation.refresh_from_db()
        secrets_of_invitations |= {
            invitation.nonce,
            invitation.token_hash,
            token,
            invitation.email,
            invitation.name,
        }
    assert draft.key not in secrets_of_invitations
    assert draft.key == rules.draft_key(tokens[0])  # only the link gives the key
    for token, label in zip(tokens, ["Godt", "Dårligt"], strict=True):
        services.response_submit(
            token=token,
            answers={
                q["overall"].pk: Given([opt(q["overall"], label)]),
                q["meetings"].pk: Given([opt(q["meetings"], "Passende")]),
                q["comment"].pk: Given(text="fine"),
            },
            today=TODAY,
        )
    release(member_invitation.survey)
    with connection.cursor() as cursor:
        for table in (Response._meta.db_table, Answer._meta.db_table):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - table names from the models
            for row in cursor.fetchall():
                values = {str(v) for v in row}
                assert not values & secrets_of_invitations, (table, row)
    assert Invitation.objects.filter(completed=True).count() == Response.objects.count() == 2
    assert Draft.objects.count() == 0
