from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appointments.allocation import (
    AllocationError,
    allocate,
    allocate_with_alliances,
    dhondt,
    majority_round,
)

ISSUE = {"A": 25, "B": 31, "C": 11, "D": 16}


def test_issue_example_without_alliance():
    assert allocate(ISSUE, 8).seats == {"A": 3, "B": 3, "C": 1, "D": 1}


def test_issue_example_with_c_and_d_in_alliance():
    result = allocate_with_alliances(ISSUE, 8, {"C": "CD", "D": "CD"})
    assert result.seats == {"A": 2, "B": 3, "C": 1, "D": 2}
    assert result.groups.seats == {"A": 2, "B": 3, "CD": 3}
    assert result.splits["CD"].seats == {"C": 1, "D": 2}


def test_quotient_table_says_who_won_which_seat():
    result = allocate(ISSUE, 8)
    assert result.order == ("B", "A", "D", "B", "A", "C", "B", "A")
    a_row = result.table[0]
    assert [q.divisor for q in a_row] == list(range(1, 9))
    assert [q.seat for q in a_row[:4]] == [2, 5, 8, None]
    assert a_row[2].value == Fraction(25, 3)
    assert result.draws == () and result.seed is None


def test_seats_in_input_order():
    assert list(allocate({"Z": 1, "A": 5}, 2).seats) == ["Z", "A"]


def test_tie_for_last_seat_is_drawn_with_recorded_seed():
    votes = {"A": 10, "B": 10}
    first = allocate(votes, 1)
    assert first.seed is not None
    assert len(first.draws) == 1 and first.draws[0].candidates == ("A", "B")
    again = allocate(votes, 1, seed=first.seed)
    assert again.seats == first.seats and again.order == first.order
    winners = {allocate(votes, 1, seed=s).order[0] for s in range(40)}
    assert winners == {"A", "B"}


def test_tie_for_order_of_seats_is_drawn_even_when_both_win():
    result = allocate({"A": 10, "B": 10}, 2, seed=3)
    assert result.seats == {"A": 1, "B": 1}
    assert result.draws[0].places == 2 and result.seed == 3


def test_zero_votes_never_win():
    assert allocate({"A": 0, "B": 3}, 3).seats == {"A": 0, "B": 3}


@pytest.mark.parametrize(
    ("votes", "seats", "message"),
    [
        ({"A": -1, "B": 3}, 2, "negative"),
        ({"A": "x"}, 2, "whole number"),
        ({"A": 1}, 0, "at least 1"),
        ({}, 1, "no lists"),
        ({"A": 0}, 1, "no list has any votes"),
    ],
)
def test_bad_input_is_refused(votes, seats, message):
    with pytest.raises(AllocationError, match=message):
        allocate(votes, seats)


def test_alliance_named_like_a_list_is_refused():
    with pytest.raises(AllocationError, match="same name"):
        allocate_with_alliances({"A": 1, "B": 2}, 2, {"B": "A"})


def test_dhondt_compat_ties_to_first_named():
    assert dhondt({"A": 10, "B": 10}, 1) == {"A": 1, "B": 0}


# --- property tests --------------------------------------------------------------------

names = st.sampled_from(list("ABCDEFGHIJ"))
votes_st = st.dictionaries(names, st.integers(min_value=0, max_value=5000), min_size=1, max_size=8).filter(
    lambda v: any(v.values())
)
seats_st = st.integers(min_value=1, max_value=30)
seed_st = st.integers(min_value=0, max_value=2**31)


@settings(max_examples=150, deadline=None)
@given(votes_st, seats_st, seed_st)
def test_seats_sum_to_n(votes, seats, seed):
    assert sum(allocate(votes, seats, seed=seed).seats.values()) == seats


@settings(max_examples=150, deadline=None)
@given(votes_st, seats_st, seed_st)
def test_more_votes_never_fewer_seats(votes, seats, seed):
    result = allocate(votes, seats, seed=seed).seats
    for a in votes:
        for b in votes:
            if votes[a] > votes[b]:
                assert result[a] >= result[b]


@settings(max_examples=150, deadline=None)
@given(votes_st, seats_st, seed_st, st.integers(min_value=1, max_value=3000), st.data())
def test_adding_votes_never_costs_a_seat(votes, seats, seed, extra, data):
    name = data.draw(st.sampled_from(sorted(votes)))
    before = allocate(votes, seats, seed=seed).seats[name]
    after = allocate({**votes, name: votes[name] + extra}, seats, seed=seed).seats[name]
    assert after >= before


@settings(max_examples=150, deadline=None)
@given(votes_st, seats_st, seed_st, st.data())
def test_alliance_splits_sum_to_alliance_seats(votes, seats, seed, data):
    alliances = {n: data.draw(st.sampled_from(["", "x1", "x2"])) for n in votes}
    result = allocate_with_alliances(votes, seats, alliances, seed=seed)
    assert sum(result.seats.values()) == seats
    for group, lists in result.members.items():
        assert sum(result.seats[n] for n in lists) == result.groups.seats[group]


@settings(max_examples=100, deadline=None)
@given(votes_st, seats_st, seed_st, st.data())
def test_same_seed_same_result(votes, seats, seed, data):
    alliances = {n: data.draw(st.sampled_from(["", "x1"])) for n in votes}
    one = allocate_with_alliances(votes, seats, alliances, seed=seed)
    two = allocate_with_alliances(votes, seats, alliances, seed=seed)
    assert one.as_dict() == two.as_dict()


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=50), seats_st)
def test_equal_votes_split_evenly_by_lot(v, seats):
    result = allocate({"A": v, "B": v, "C": v}, seats)
    counts = sorted(result.seats.values())
    assert counts[-1] - counts[0] <= 1
    assert result.seed is not None  # equal quotients always decide the order of seats


# --- majority election -------------------------------------------------------------------


def test_round_one_majority_of_present_elects():
    result = majority_round(1, {"Ann": 6, "Bo": 5}, present=11)
    assert result.elected == "Ann"


def test_round_one_half_is_not_a_majority():
    result = majority_round(1, {"Ann": 5, "Bo": 4}, present=10)
    assert result.elected is None and "second round" in result.reason


def test_round_two_only_candidate_voted_for_elects():
    result = majority_round(2, {"Ann": 3, "Bo": 0}, present=10)
    assert result.elected == "Ann"


def test_round_two_without_majority_sends_top_two_to_runoff():
    result = majority_round(2, {"Ann": 4, "Bo": 3, "Cy": 2}, present=10)
    assert result.elected is None and result.runoff == ("Ann", "Bo") and result.draw is None


def test_round_two_tie_for_second_place_is_drawn():
    result = majority_round(2, {"Ann": 4, "Bo": 3, "Cy": 3}, present=10, seed=7)
    assert result.runoff[0] == "Ann" and result.runoff[1] in {"Bo", "Cy"}
    assert result.draw.candidates == ("Bo", "Cy") and result.seed == 7
    assert majority_round(2, {"Ann": 4, "Bo": 3, "Cy": 3}, present=10, seed=7).runoff == result.runoff


def test_runoff_most_votes_elects_and_tie_by_lot():
    assert majority_round(3, {"Ann": 4, "Bo": 5}, present=10, runoff=("Ann", "Bo")).elected == "Bo"
    tie = majority_round(3, {"Ann": 5, "Bo": 5}, present=10, runoff=("Ann", "Bo"), seed=1)
    assert tie.elected in {"Ann", "Bo"} and tie.seed == 1 and tie.draw is not None


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((1, {"A": 6, "B": 6}, 10), {}, "only 10 members present"),
        ((1, {"A": -1}, 10), {}, "whole number"),
        ((4, {"A": 1}, 10), {}, "three rounds"),
        ((1, {"A": 1}, 0), {}, "present"),
        ((3, {"A": 1, "C": 1}, 10), {"runoff": ("A", "B")}, "not C"),
        ((2, {"A": 0}, 10), {}, "no votes"),
    ],
)
def test_majority_bad_input(args, kwargs, message):
    with pytest.raises(AllocationError, match=message):
        majority_round(*args, **kwargs)


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(names, st.integers(min_value=0, max_value=30), min_size=1, max_size=5),
    st.integers(min_value=1, max_value=60),
    seed_st,
)
def test_majority_round_one_elects_exactly_on_a_majority(ballots, extra, seed):
    present = sum(ballots.values()) + extra - 1 if sum(ballots.values()) else extra
    present = max(present, sum(ballots.values()), 1)
    result = majority_round(1, ballots, present, seed=seed)
    top = max(ballots.values())
    assert (result.elected is not None) == (2 * top > present)
    if result.elected:
        assert 2 * ballots[result.elected] > present


@settings(max_examples=150, deadline=None)
@given(
    st.dictionaries(names, st.integers(min_value=0, max_value=30), min_size=2, max_size=6).filter(
        lambda b: sum(1 for v in b.values() if v) >= 2
    ),
    seed_st,
)
def test_majority_round_two_runoff_takes_the_two_with_most_votes(ballots, seed):
    present = sum(ballots.values()) * 2  # nobody can have a majority
    result = majority_round(2, ballots, present, seed=seed)
    assert result.elected is None and len(result.runoff) == 2
    ranked = sorted(ballots.values(), reverse=True)
    assert sorted((ballots[n] for n in result.runoff), reverse=True) == ranked[:2]
    assert majority_round(2, ballots, present, seed=seed).runoff == result.runoff
