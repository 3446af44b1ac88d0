"""docs/rules.md §3: in a proportional election a vacancy goes back to the group that held the seat."""

import datetime

import pytest

from appointments import services
from appointments.models import Body, Council, Election
from appointments.selectors import open_groups
from core.errors import Refused
from register.models import Municipality
from tests.conftest import TODAY, make_politician

from .conftest import party
from .test_services import unchanged

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


@pytest.fixture
def elected(council, body, councillors):
    """Medlem (3 seats): Rød 2, Blå 1; all three named."""
    post = body.posts.get(name="Medlem")
    election = services.proportional_election_run(
        post=post, present=11, groups=[("Rød", 6, ""), ("Blå", 5, "")], on=TODAY - 10 * DAY
    )
    assert election.result["seats"] == {"Rød": 2, "Blå": 1}
    named = {
        person: services.appointment_create(
            post=post, politician=councillors[person], on=TODAY - 10 * DAY, election=election, group=group
        )
        for person, group in (("A", "Rød"), ("F", "Rød"), ("C", "Blå"))
    }
    return post, election, named


def test_rerun_after_a_vacancy_is_refused_and_names_the_group(elected):
    post, election, named = elected
    services.appointment_end(appointment=named["C"], on=TODAY - DAY, reason="left the council")
    # A fresh d'Hondt over these groups would give the one seat to Rød.
    with unchanged(Election), pytest.raises(Refused, match="goes back to the group .* Blå names"):
        services.proportional_election_run(post=post, present=11, groups=[("Rød", 8, ""), ("Blå", 3, "")])
    assert open_groups(election, TODAY) == ["Blå"]


def test_the_group_that_held_the_seat_names_the_successor(elected, council):
    post, election, named = elected
    services.appointment_end(appointment=named["C"], on=TODAY - DAY, reason="left the council")
    kbh = Municipality.objects.get(code="101")
    successor = make_politician(kbh, party("C"), "Successor C")
    other = make_politician(kbh, party("A"), "Other A")
    with pytest.raises(Refused, match="Rød has named all its 2"):
        services.appointment_create(post=post, politician=other, on=TODAY, election=election, group="Rød")
    with pytest.raises(Refused, match="Blå names the appointee"):
        services.appointment_create(post=post, politician=other, on=TODAY)  # outside the groups
    services.appointment_create(post=post, politician=successor, on=TODAY, election=election, group="Blå")
    assert open_groups(election, TODAY) == []


def test_vacancy_of_a_group_with_two_seats_stays_with_it(elected):
    post, election, named = elected
    services.appointment_end(appointment=named["A"], on=TODAY - DAY, reason="moved")
    with pytest.raises(Refused, match="Rød names"):
        services.proportional_election_run(post=post, present=11, groups=[("Rød", 1, ""), ("Blå", 10, "")])
    assert open_groups(election, TODAY) == ["Rød"]


def test_a_new_council_elects_afresh(elected, council):
    """The previous council's groups held the seats for its electoral period only."""
    post, election, named = elected
    Body.objects.filter(pk=post.body_id).update(term_end=None)  # appointments run for the period
    Council.objects.create(region=council.region, term_start=TODAY, election_year=TODAY.year)
    new = services.proportional_election_run(
        post=post, present=11, groups=[("Rød", 9, ""), ("Blå", 2, "")], on=TODAY
    )
    assert new.council != election.council and new.result["seats"] == {"Rød": 3, "Blå": 0}
