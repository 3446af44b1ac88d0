"""Bilag 1 1.0: party-elected seats are named by their list, up to its computed extra members."""

import datetime

import pytest
from django.urls import reverse

from appointments import rules, services
from appointments.models import Seat
from core.errors import Refused
from register.models import ElectionResult, Municipality
from tests.conftest import TODAY, make_politician

from .conftest import party
from .test_services import fill, unchanged

pytestmark = pytest.mark.django_db


@pytest.fixture
def a_heavy(council):
    """A 60,000 votes, C 10,000; mayors A 1, C 1: d'Hondt N = 7 gives A 6 (5 extra), C 1 (0 extra).
    The fixture council has already named one A and one C party-elected member."""
    kbh = Municipality.objects.get(code="101")
    for letter, votes, seats in (("A", 60000, 10), ("C", 10000, 2)):
        ElectionResult.objects.create(
            year=council.election_year, municipality=kbh, party=party(letter), votes=votes, seats=seats
        )
    extra = {r.name: r.extra_members for r in services.council_composition(council).rows}
    assert extra == {"A": 5, "C": 0}
    return [make_politician(kbh, party("A"), f"A person {i}") for i in range(10)]


def field_of(exc):
    return list(exc.value.error_dict)


def test_rules_list_member_and_extra_members():
    rules.check_list_member(list_unit="A", holder_unit="A", name="X")
    with pytest.raises(rules.RuleError, match="does not belong to list A"):
        rules.check_list_member(list_unit="A", holder_unit="F", name="X")
    with pytest.raises(rules.RuleError, match="does not belong"):
        rules.check_list_member(list_unit="A", holder_unit=None, name="X")
    rules.check_extra_members(list_unit="A", named=4, extra=5)
    with pytest.raises(rules.RuleError, match="has 5 party-elected members .* named 5"):
        rules.check_extra_members(list_unit="A", named=5, extra=5)
    with pytest.raises(rules.RuleError, match="has 0"):
        rules.check_extra_members(list_unit="C", named=0, extra=0)


def test_holder_must_belong_to_the_chosen_list(council, councillors):
    with unchanged(Seat), pytest.raises(Refused, match="does not belong to list F") as exc:
        fill(council, councillors["A"], councillors["V"], party=party("F"))
    assert field_of(exc) == ["holder"]
    assert fill(council, councillors["F"], councillors["V"], party=party("F")).party == party("F")


def test_list_cooperation_partner_may_hold_the_cooperations_seat(council, councillors):
    coop = council.cooperations.create(name="A+F")
    coop.parties.set([party("A"), party("F")])
    assert fill(council, councillors["F"], councillors["V"], party=party("A"))


def test_mayor_seats_are_not_checked_against_the_list(council, ballerup):
    seat = fill(council, ballerup["mayor"], ballerup["deputy1"], kind=Seat.Kind.MAYOR, party=party("C"))
    assert seat.kind == Seat.Kind.MAYOR


def test_a_list_names_no_more_than_its_extra_members(council, a_heavy):
    people = iter(a_heavy)
    for _ in range(4):  # 1 named already, 5 in all
        fill(council, next(people), next(people))
    with unchanged(Seat), pytest.raises(Refused, match="has 5 party-elected members") as exc:
        fill(council, next(people), next(people))
    assert field_of(exc) == ["party"]


def test_a_list_without_extra_members_names_none(council, a_heavy):
    c_person = make_politician(Municipality.objects.get(code="101"), party("C"), "C person")
    with unchanged(Seat), pytest.raises(Refused, match="List C has 0"):
        fill(council, c_person, a_heavy[0])


def test_a_vacated_seat_frees_the_place(council, a_heavy):
    """Counting is of current seats on the day: a member who left no longer counts."""
    people = iter(a_heavy)
    for _ in range(4):
        fill(council, next(people), next(people))
    seat3 = Seat.objects.current().get(council=council, number=3)
    Seat.objects.filter(pk=seat3.pk).update(valid_to=TODAY)
    tomorrow = TODAY + datetime.timedelta(days=1)
    assert fill(council, next(people), next(people), valid_from=tomorrow, number=3).number == 3


def test_form_shows_the_errors_on_their_fields(login, client, personas, council, councillors, a_heavy):
    login(personas["secretariat"])
    target = reverse("appointments:seat_add", args=[council.pk])
    data = {
        "kind": Seat.Kind.ELECTED,
        "party": party("F").pk,
        "holder": councillors["A"].pk,
        "substitute": councillors["V"].pk,
        "valid_from": TODAY.isoformat(),
    }
    response = client.post(target, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert "does not belong to list F" in form.errors["holder"][0] and "__all__" not in form.errors
    response = client.post(target, dict(data, party=party("C").pk, holder=councillors["C"].pk))
    assert response.status_code == 400
    assert "List C has 0" in response.context["form"].errors["party"][0]
