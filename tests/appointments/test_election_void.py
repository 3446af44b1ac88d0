"""Issue 13.10: a proportional election that is abandoned before any group names an appointee can
be voided with a recorded reason; a voided election appoints nobody and the post can elect again."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from appointments import rules, services
from appointments.models import Election
from tests.conftest import TODAY, log_in

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


# --- the rule ------------------------------------------------------------------------------------


def test_void_needs_a_proportional_election_without_appointments_and_a_reason():
    assert rules.void_reason(
        proportional=True, voided=False, appointments=0, reason="  Mødet blev aflyst "
    ) == ("Mødet blev aflyst")
    for kwargs, match in [
        ({"proportional": False}, "proportional"),
        ({"voided": True}, "already voided"),
        ({"appointments": 1}, "named"),
        ({"reason": "   "}, "reason"),
    ]:
        arguments = {"proportional": True, "voided": False, "appointments": 0, "reason": "x"} | kwargs
        with pytest.raises(rules.RuleError, match=match):
            rules.void_reason(**arguments)


# --- the service and the page --------------------------------------------------------------------


@pytest.fixture
def abandoned(council, body):
    post = body.posts.get(name="Medlem")
    election = services.proportional_election_run(
        post=post, present=11, groups=[("Rød", 6, ""), ("Blå", 5, "")], on=TODAY - DAY
    )
    return post, election


def test_a_voided_election_appoints_nobody_and_the_post_elects_again(abandoned, councillors, personas):
    post, election = abandoned
    with pytest.raises(ValidationError, match="goes back to the group"):
        services.proportional_election_run(post=post, present=11, groups=[("Rød", 8, ""), ("Blå", 3, "")])
    services.election_void(election=election, reason="Valget blev afbrudt", user=personas["secretariat"])
    election.refresh_from_db()
    assert election.voided_at is not None and election.voided_by == personas["secretariat"]
    assert election.void_reason == "Valget blev afbrudt"
    assert election.result["seats"] == {"Rød": 2, "Blå": 1}  # the record itself is kept
    with pytest.raises(ValidationError, match="voided"):
        services.appointment_create(
            post=post, politician=councillors["A"], on=TODAY, election=election, group="Rød"
        )
    again = services.proportional_election_run(post=post, present=11, groups=[("Rød", 9, ""), ("Blå", 2, "")])
    assert again.result["seats"] == {"Rød": 3, "Blå": 0}


def test_an_election_whose_groups_have_named_cannot_be_voided(abandoned, councillors):
    post, election = abandoned
    services.appointment_create(
        post=post, politician=councillors["A"], on=TODAY, election=election, group="Rød"
    )
    with pytest.raises(ValidationError, match="named"):
        services.election_void(election=election, reason="x")
    election.refresh_from_db()
    assert election.voided_at is None and election.void_reason == ""


def test_secretariat_voids_on_the_post_page_and_the_election_page_shows_it(client, personas, abandoned):
    post, election = abandoned
    log_in(client, personas["secretariat"])
    page = client.get(f"/kkr/poster/{post.pk}/").content.decode()
    assert 'value="void"' in page
    refused = client.post(f"/kkr/poster/{post.pk}/", {"action": "void", "v-reason": "  "})
    assert refused.status_code == 400 and not Election.objects.filter(voided_at__isnull=False).exists()
    done = client.post(f"/kkr/poster/{post.pk}/", {"action": "void", "v-reason": "Mødet blev hævet"})
    assert done.status_code == 302
    page = client.get(f"/kkr/poster/{post.pk}/").content.decode()
    assert 'value="void"' not in page and 'value="appoint"' not in page
    detail = client.get(f"/kkr/valg/{election.pk}/").content.decode()
    assert "Mødet blev hævet" in detail and 'id="election-voided"' in detail
