import datetime

import pytest
from django.utils import timezone

from accounts.roles import RoleKind, compute_roles
from appointments import services
from appointments.models import Appointment, Council, Election, ElectoralAlliance, Seat, StandIn
from core.errors import Refused
from register.models import Municipality, Politician
from tests.conftest import TODAY, make_politician

from .conftest import party, seat, seat_beyond_composition

pytestmark = pytest.mark.django_db


def unchanged(model):
    """Context: the table's rows stay as they were."""

    class Guard:
        def __enter__(self):
            self.before = list(model.objects.order_by("pk").values())

        def __exit__(self, *exc):
            assert list(model.objects.order_by("pk").values()) == self.before
            return False

    return Guard()


def fill(council, holder, substitute, kind=Seat.Kind.ELECTED, **extra):
    return services.seat_fill(
        council=council,
        kind=kind,
        party=extra.pop("party", holder.party),
        municipality=extra.pop("municipality", holder.municipality),
        holder=holder,
        substitute=substitute,
        valid_from=extra.pop("valid_from", TODAY),
        **extra,
    )


# --- seats and substitutes ---------------------------------------------------------------


def test_fill_a_seat_with_member_and_substitute(council, councillors):
    new = fill(council, councillors["V"], councillors["A"])
    assert new.number == 5 and new.substitute == councillors["A"]


@pytest.mark.parametrize(
    ("holder", "substitute", "message"),
    [
        ("V", None, "exactly one personal substitute"),
        ("V", "member3", "a member cannot also be a substitute"),
        ("V", "substitute3", "substitutes for one member only"),
        ("substitute3", "V", "a member cannot also be a substitute"),
        ("member3", "V", "already holds seat 3"),
        ("outside", "V", "not a council member of a municipality in the region"),
        ("V", "V", "own substitute"),
    ],
)
def test_bad_seat_people_are_refused_and_nothing_changes(council, councillors, holder, substitute, message):
    people = dict(councillors, member3=seat(council, 3).holder, substitute3=seat(council, 3).substitute)
    with unchanged(Seat), pytest.raises(Refused, match=message):
        fill(council, people[holder], people.get(substitute))


def test_mayor_substitute_is_first_deputy(council, ballerup):
    with unchanged(Seat), pytest.raises(Refused, match="1st deputy mayor"):
        fill(council, ballerup["mayor"], ballerup["deputy2"], kind=Seat.Kind.MAYOR)
    new = fill(council, ballerup["mayor"], ballerup["deputy1"], kind=Seat.Kind.MAYOR)
    assert new.kind == Seat.Kind.MAYOR


def test_mayor_substitute_is_second_deputy_when_first_is_elected_member(council, ballerup):
    fill(council, ballerup["deputy1"], ballerup["other"])
    with pytest.raises(Refused, match="2nd deputy mayor"):
        fill(
            council,
            ballerup["mayor"],
            make_politician(ballerup["muni"], party("A"), "Z"),
            kind=Seat.Kind.MAYOR,
        )
    assert (
        fill(council, ballerup["mayor"], ballerup["deputy2"], kind=Seat.Kind.MAYOR).substitute
        == ballerup["deputy2"]
    )


def test_mayor_substitute_chosen_by_council_when_both_deputies_are_members(council, ballerup, councillors):
    fill(council, ballerup["deputy1"], councillors["V"])
    fill(council, ballerup["deputy2"], councillors["F"])
    with pytest.raises(Refused, match="same municipal council"):
        fill(council, ballerup["mayor"], councillors["A"], kind=Seat.Kind.MAYOR)
    assert fill(council, ballerup["mayor"], ballerup["other"], kind=Seat.Kind.MAYOR)


def test_only_the_mayor_takes_a_mayor_seat(council, ballerup):
    with pytest.raises(Refused, match="not the mayor"):
        fill(council, ballerup["other"], ballerup["deputy1"], kind=Seat.Kind.MAYOR)


def test_change_substitute_keeps_history(council, councillors):
    old = seat(council, 3)
    new = services.seat_change_substitute(seat=old, substitute=councillors["A"], on=TODAY)
    old.refresh_from_db()
    assert old.valid_to is not None and old.end_reason == "new substitute"
    assert new.number == 3 and new.holder == old.holder and new.substitute == councillors["A"]
    assert Seat.objects.filter(council=council, number=3).count() == 2


def test_vacancy_is_filled_by_the_list_holding_the_seat(council, councillors):
    with unchanged(Seat), pytest.raises(Refused, match="belongs to list A"):
        services.seat_replace(
            seat=seat(council, 3),
            holder=councillors["V"],
            substitute=councillors["F"],
            on=TODAY,
            reason="left",
        )
    new = services.seat_replace(
        seat=seat(council, 3),
        holder=councillors["A"],
        substitute=councillors["F"],
        on=TODAY,
        reason="left the council",
    )
    history = list(Seat.objects.filter(council=council, number=3).order_by("valid_from"))
    assert [s.holder for s in history][-1] == councillors["A"] == new.holder
    assert history[0].end_reason == "left the council"


def test_vacancy_can_be_filled_by_list_cooperation_partner(council, councillors):
    coop = council.cooperations.create(name="A+F")
    coop.parties.set([party("A"), party("F")])
    new = services.seat_replace(
        seat=seat(council, 3), holder=councillors["F"], substitute=councillors["V"], on=TODAY, reason="left"
    )
    assert new.party == party("A")  # the seat stays the list's


def test_stand_in_needs_kkr_decision_and_three_months(council):
    elected = seat(council, 3)
    start = TODAY + datetime.timedelta(days=10)
    with unchanged(StandIn), pytest.raises(Refused, match="KKR's decision"):
        services.stand_in_create(seat=elected, starts_on=start, ends_on=None, decided_on=None)
    with pytest.raises(Refused, match="at least 3 months"):
        services.stand_in_create(
            seat=elected, starts_on=start, ends_on=start + datetime.timedelta(days=30), decided_on=TODAY
        )
    with pytest.raises(Refused, match="before the KKR's decision"):
        services.stand_in_create(seat=elected, starts_on=TODAY, ends_on=None, decided_on=start)
    stand_in = services.stand_in_create(seat=elected, starts_on=TODAY, ends_on=None, decided_on=TODAY)
    assert stand_in.stand_in == elected.substitute
    with pytest.raises(Refused, match="already steps in"):
        services.stand_in_create(seat=elected, starts_on=start, ends_on=None, decided_on=TODAY)


def test_stand_in_counts_as_member_for_the_period(council, personas):
    elected = seat(council, 3)
    services.stand_in_create(seat=elected, starts_on=TODAY, ends_on=None, decided_on=TODAY)
    roles = compute_roles(personas["substitute"])
    assert RoleKind.MEMBER in roles.kinds and council.pk in roles.member_councils
    services.stand_in_end(stand_in=StandIn.objects.get(), on=TODAY - datetime.timedelta(days=0))
    assert StandIn.objects.get().ends_on == TODAY


def test_mayor_stand_in_needs_no_decision(council):
    assert services.stand_in_create(seat=seat(council, 1), starts_on=TODAY, ends_on=None, decided_on=None)


# --- composition ---------------------------------------------------------------------------


def test_council_composition_from_register(council, results):
    comp = services.council_composition(council)
    rows = {r.name: r for r in comp.rows}
    assert rows["A"].mayors == 1 and rows["C"].mayors == 1
    assert all(r.takes_part for r in comp.rows)
    assert comp.size >= 2 and not comp.capped


# --- constituent meeting and chair election ------------------------------------------------


def test_constituent_meeting_deadline_and_convener(council):
    late = timezone.make_aware(datetime.datetime(council.election_year + 1, 2, 1, 10))
    with unchanged(Council), pytest.raises(Refused, match="no later than 31.01"):
        services.council_constituent_meeting_set(council=council, meeting_at=late)
    mayors = [seat(council, 1).holder, seat(council, 2).holder]
    Politician.objects.filter(pk=mayors[0].pk).update(mayor_since=datetime.date(2018, 1, 1))
    Politician.objects.filter(pk=mayors[1].pk).update(mayor_since=datetime.date(2010, 1, 1))
    ok = timezone.make_aware(datetime.datetime(council.election_year + 1, 1, 20, 10))
    updated = services.council_constituent_meeting_set(council=council, meeting_at=ok)
    assert updated.convener == mayors[1]


def declare(council, name, letters, at=None):
    return services.alliance_declare(
        council=council, name=name, parties=[party(x) for x in letters], declared_at=at
    )


def test_alliance_must_be_declared_by_the_start_of_the_meeting(council):
    start = timezone.now() - datetime.timedelta(hours=1)
    Council.objects.filter(pk=council.pk).update(constituent_meeting_at=start)
    council.refresh_from_db()
    with unchanged(ElectoralAlliance), pytest.raises(Refused, match="no later than the start"):
        declare(council, "AC", "AC", at=timezone.now())
    assert declare(council, "AC", "AC", at=start).parties.count() == 2


@pytest.mark.parametrize(
    ("letters", "message"), [("A", "at least two lists"), ("AV", "not represented"), ("", "at least two")]
)
def test_bad_alliances_are_refused(council, letters, message):
    with pytest.raises(Refused, match=message):
        declare(council, "X", letters)


def test_list_in_two_alliances_is_refused(council, councillors):
    fill(council, councillors["V"], councillors["F"])
    declare(council, "AC", "AC")
    with pytest.raises(Refused, match="already in an alliance"):
        declare(council, "AV", "AV")


def test_chair_election_first_seat_chair_second_vice(council, results, councillors):
    seat_beyond_composition(council, councillors["F"], councillors["V"])
    election = services.chair_election_run(council=council)
    # C 31, A 25, F 16 (V is not represented): C chair, A vice-chair.
    assert election.result["winners"] == ["C", "A"]
    first_quotients = {row[0]["list"]: row[0]["seat"] for row in election.result["groups"]["table"]}
    assert first_quotients == {"A": 2, "C": 1, "F": None}
    chair, vice = seat(council, 2).holder, seat(council, 1).holder
    with pytest.raises(Refused, match="won the chair"):
        services.chair_election_name(election=election, chair=vice, vice_chair=chair)
    services.chair_election_name(election=election, chair=chair, vice_chair=vice)
    council.refresh_from_db()
    assert council.leaders() == [chair, vice]
    with pytest.raises(Refused, match="already been held"):
        services.chair_election_run(council=council)


def test_chair_election_with_alliance(council, results, councillors):
    seat_beyond_composition(council, councillors["F"], councillors["V"])
    declare(council, "Rød", "AF")
    election = services.chair_election_run(council=council)
    # A+F 41 > C 31: the alliance takes the chair, C the vice-chair.
    assert election.result["winners"] == ["Rød", "C"]
    candidates = services.chair_candidates(election, 1)
    assert councillors["F"] in candidates and seat(council, 1).holder in candidates


# --- regional bodies ---------------------------------------------------------------------


def test_only_council_members_of_the_region_can_be_appointed(body, councillors):
    post = body.posts.get(name="Medlem")
    with (
        unchanged(Appointment),
        pytest.raises(Refused, match="not a council member of a municipality in this region"),
    ):
        services.appointment_create(post=post, politician=councillors["outside"], on=TODAY)
    former = councillors["V"]
    Politician.objects.filter(pk=former.pk).update(council_to=TODAY - datetime.timedelta(days=1))
    former.refresh_from_db()
    with pytest.raises(Refused, match="not a member of a municipal council on that date"):
        services.appointment_create(post=post, politician=former, on=TODAY)


def test_post_never_gets_more_appointees_than_seats(body, councillors):
    post = body.posts.get(name="Medlem")
    for letter in "ACV":
        services.appointment_create(post=post, politician=councillors[letter], on=TODAY)
    with pytest.raises(Refused, match="All 3 seats"):
        services.appointment_create(post=post, politician=councillors["F"], on=TODAY)
    with pytest.raises(Refused, match="already appointed"):
        services.appointment_end(appointment=Appointment.objects.first(), on=TODAY, reason="x")
        services.appointment_create(post=post, politician=councillors["C"], on=TODAY)


def test_majority_election_three_rounds(council, body, councillors):
    post = body.posts.get(name="Formand")
    a, c, v = councillors["A"], councillors["C"], councillors["V"]
    election = services.majority_round_record(post=post, present=10, ballots={a: 4, c: 3, v: 3})
    assert not election.decided
    election = services.majority_round_record(post=post, present=10, ballots={a: 4, c: 4, v: 2})
    assert election.rounds.get(number=2).result["runoff"] == [str(a.pk), str(c.pk)]
    with pytest.raises(Refused, match="run-off"):
        services.majority_round_record(post=post, present=10, ballots={a: 4, v: 5})
    election = services.majority_round_record(post=post, present=10, ballots={a: 4, c: 6})
    assert election.decided and election.elected_name == c.name
    assert Appointment.objects.get(post=post).politician == c
    assert election.rounds.count() == 3


def test_majority_round_refuses_ineligible_candidate(council, body, councillors):
    post = body.posts.get(name="Formand")
    with unchanged(Election), pytest.raises(Refused, match="FO 3.8"):
        services.majority_round_record(post=post, present=10, ballots={councillors["outside"]: 6})


def test_majority_elects_in_first_round(council, body, councillors):
    post = body.posts.get(name="Formand")
    election = services.majority_round_record(post=post, present=9, ballots={councillors["A"]: 5})
    assert election.elected_name == "Plain A" and election.kind == Election.Kind.MAJORITY


def test_proportional_election_and_groups_name_appointees(council, body, councillors):
    post = body.posts.get(name="Medlem")
    groups = services.parse_groups("Rød;5;RV\nSF;2;RV\nBlå;6\n")
    election = services.proportional_election_run(post=post, present=13, groups=groups)
    assert election.result["seats"] == {"Rød": 2, "SF": 0, "Blå": 1}
    assert election.result["groups"]["seats"] == {"RV": 2, "Blå": 1}
    services.appointment_create(
        post=post, politician=councillors["A"], on=TODAY, election=election, group="Rød"
    )
    services.appointment_create(
        post=post, politician=councillors["C"], on=TODAY, election=election, group="Rød"
    )
    with pytest.raises(Refused, match="named all its 2"):
        services.appointment_create(
            post=post, politician=councillors["F"], on=TODAY, election=election, group="Rød"
        )
    with pytest.raises(Refused, match="not a group"):
        services.appointment_create(
            post=post, politician=councillors["F"], on=TODAY, election=election, group="X"
        )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Rød;x", "Line 1: the number of members"),
        ("Rød;1\nRød;2", "Line 2: group Rød appears twice"),
        ("Rød", "Line 1: write group"),
        ("", "at least one group"),
        ("Rød;0", "at least one member"),
    ],
)
def test_group_declarations_say_what_is_wrong(text, message):
    with pytest.raises(Refused, match=message):
        services.parse_groups(text)


def test_groups_larger_than_present_are_refused(council, body):
    post = body.posts.get(name="Medlem")
    with unchanged(Election), pytest.raises(Refused, match="only 5 members are present"):
        services.proportional_election_run(post=post, present=5, groups=[("A", 4, ""), ("B", 3, "")])


def test_one_seat_post_is_not_proportional(council, body):
    with pytest.raises(Refused, match="majority election"):
        services.proportional_election_run(
            post=body.posts.get(name="Formand"), present=5, groups=[("A", 4, "")]
        )


def test_appointee_role_follows_appointments(body, councillors):
    from tests.conftest import make_user

    user = make_user("plain@example.dk", politician=councillors["A"])
    assert RoleKind.APPOINTEE not in compute_roles(user).kinds
    services.appointment_create(post=body.posts.get(name="Medlem"), politician=councillors["A"], on=TODAY)
    assert RoleKind.APPOINTEE in compute_roles(user).kinds


def test_roskilde_is_not_in_hovedstaden():
    assert Municipality.objects.get(code="265").region.code == "1085"


def test_chair_is_replaced_from_the_group_that_elected_them(council, results, councillors):
    seat_beyond_composition(council, councillors["F"], councillors["V"])
    election = services.chair_election_run(council=council)  # C chair, A vice-chair
    chair, vice = seat(council, 2).holder, seat(council, 1).holder
    services.chair_election_name(election=election, chair=chair, vice_chair=vice)
    with unchanged(Council), pytest.raises(Refused, match="group that elected the chair"):
        services.chair_replace(council=council, place=1, politician=councillors["F"])
    with pytest.raises(Refused, match="two different members"):
        services.chair_replace(council=council, place=1, politician=vice)
    services.chair_replace(council=council, place=1, politician=seat(council, 4).holder)
    council.refresh_from_db()
    assert council.chair == seat(council, 4).holder and council.vice_chair == vice


def test_named_members_per_list(council):
    assert services.named_members(council) == {"A": 1, "C": 1}


def test_politician_roles_cost_two_queries(council, body, councillors, django_assert_num_queries):
    from appointments.access import politician_roles

    services.appointment_create(post=body.posts.get(name="Medlem"), politician=councillors["A"], on=TODAY)
    services.stand_in_create(seat=seat(council, 3), starts_on=TODAY, ends_on=None, decided_on=TODAY)
    substitute = seat(council, 3).substitute_id
    with django_assert_num_queries(2):
        roles = politician_roles(substitute, TODAY)
    assert roles.member_councils == {council.pk} and not roles.substitute_councils
    with django_assert_num_queries(2):
        assert politician_roles(councillors["A"].pk, TODAY).appointee
    chair = politician_roles(seat(council, 1).holder_id, TODAY)
    assert chair.chair_councils == {council.pk} and not chair.appointee


def test_a_stand_in_for_someone_no_longer_holding_the_seat_is_no_member(council):
    from appointments.access import politician_roles
    from appointments.models import StandIn

    s = seat(council, 3)
    StandIn.objects.create(
        council=council, seat_number=3, member=seat(council, 4).holder, stand_in=s.substitute, starts_on=TODAY
    )
    roles = politician_roles(s.substitute_id, TODAY)
    assert roles.substitute_councils == {council.pk} and not roles.member_councils


def test_chair_election_without_results_is_refused_in_plain_words(council):
    with unchanged(Election), pytest.raises(Refused, match="No election results"):
        services.chair_election_run(council=council)


def test_alliance_named_like_a_group_is_refused():
    with pytest.raises(Refused, match="same name as a group"):
        services.parse_groups("Rød;3;Blå\nBlå;2")


@pytest.mark.parametrize(
    ("ballots", "message"), [({"A": 6, "C": 5}, "11 votes were cast but only 10"), ({"A": 0}, "No votes")]
)
def test_majority_round_refuses_impossible_ballots(council, body, councillors, ballots, message):
    post = body.posts.get(name="Formand")
    with unchanged(Election), pytest.raises(Refused, match=message):
        services.majority_round_record(
            post=post, present=10, ballots={councillors[k]: v for k, v in ballots.items()}
        )


def test_vacancy_in_a_post_goes_back_to_the_group_that_held_it(council, body, councillors):
    post = body.posts.get(name="Medlem")
    election = services.proportional_election_run(
        post=post, present=13, groups=[("Rød", 7, ""), ("Blå", 6, "")]
    )
    assert election.result["seats"] == {"Rød": 2, "Blå": 1}
    services.appointment_create(
        post=post, politician=councillors["A"], on=TODAY, election=election, group="Rød"
    )
    services.appointment_create(
        post=post, politician=councillors["F"], on=TODAY, election=election, group="Rød"
    )
    blue = services.appointment_create(
        post=post, politician=councillors["C"], on=TODAY, election=election, group="Blå"
    )
    services.appointment_end(appointment=blue, on=TODAY - datetime.timedelta(days=0), reason="resigned")
    tomorrow = TODAY + datetime.timedelta(days=1)
    with pytest.raises(Refused, match="Group Rød has named all its 2"):
        services.appointment_create(
            post=post, politician=councillors["V"], on=tomorrow, election=election, group="Rød"
        )
    again = services.appointment_create(
        post=post, politician=councillors["V"], on=tomorrow, election=election, group="Blå"
    )
    assert again.group == "Blå"


def test_proportional_group_naming_fewer_candidates_passes_the_seat_within_its_alliance(
    council, body, councillors
):
    post = body.posts.get(name="Medlem")
    groups = services.parse_groups("Rød;5;RV\nSF;2;RV\nBlå;6\n")
    election = services.proportional_election_run(post=post, present=13, groups=groups, candidates={"Rød": 1})
    assert election.result["seats"] == {"Rød": 1, "SF": 1, "Blå": 1}


def test_parse_candidates_boundaries():
    groups = services.parse_groups("Rød;5;RV\nSF;2;RV\nBlå;6\n")
    assert services.parse_candidates("", groups) == {}
    assert services.parse_candidates("Rød;0\n\n SF ; 2 ", groups) == {"Rød": 0, "SF": 2}
    for bad in ("Rød;-1", "Rød;x", "Rød", "Rød;1;2", "Grøn;1", "Rød;1\nRød;1"):
        with pytest.raises(Refused) as refused:
            services.parse_candidates(bad, groups)
        assert "candidates" in refused.value.message_dict
