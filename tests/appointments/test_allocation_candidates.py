"""A list (or group) that wins more seats than it has candidates (KV § 81-83; Lolland 2025)."""

import csv
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from appointments.allocation import AllocationError, allocate, allocate_with_alliances

FIXTURES = Path(__file__).resolve().parents[2] / "register" / "fixtures"

LOLLAND_VOTES = {
    "A": 4419,
    "B": 78,
    "C": 1177,
    "D": 490,
    "F": 1636,
    "I": 493,
    "J": 2715,
    "L": 1532,
    "O": 1879,
    "V": 1709,
    "Æ": 3415,
    "Ø": 1482,
}
LOLLAND_ALLIANCES = {
    "A": "A+F",
    "F": "A+F",
    "B": "B+V",
    "V": "B+V",
    "C": "C+I+Æ",
    "I": "C+I+Æ",
    "Æ": "C+I+Æ",
    "D": "D+Ø",
    "Ø": "D+Ø",
}


def test_lolland_without_the_rule_gives_danmarksdemokraterne_five():
    result = allocate_with_alliances(LOLLAND_VOTES, 25, LOLLAND_ALLIANCES)
    assert result.seats["Æ"] == 5 and result.seats["C"] == 1


def test_lolland_fifth_seat_passes_to_the_conservatives_in_the_alliance():
    result = allocate_with_alliances(LOLLAND_VOTES, 25, LOLLAND_ALLIANCES, candidates={"Æ": 4})
    assert result.seats["Æ"] == 4 and result.seats["C"] == 2
    assert sum(result.seats.values()) == 25
    assert result.groups.seats["C+I+Æ"] == 6  # the alliance keeps its seats


def test_exactly_as_many_candidates_as_seats_changes_nothing():
    plain = allocate({"A": 100, "B": 40}, 5)
    assert plain.seats == {"A": 4, "B": 1}
    assert allocate({"A": 100, "B": 40}, 5, candidates={"A": 4}).seats == plain.seats


def test_one_candidate_short_passes_the_seat_to_the_next_quotient():
    assert allocate({"A": 100, "B": 40}, 5, candidates={"A": 3}).seats == {"A": 3, "B": 2}


def test_list_without_alliance_passes_the_seat_to_the_next_quotient_overall():
    result = allocate_with_alliances(
        {"A": 100, "B": 40, "C": 30}, 5, {"B": "BC", "C": "BC"}, candidates={"A": 2}
    )
    assert result.seats["A"] == 2 and sum(result.seats.values()) == 5


def test_alliance_out_of_candidates_passes_the_seat_to_another_group():
    result = allocate_with_alliances(
        {"A": 100, "B": 100, "C": 10}, 4, {"A": "AB", "B": "AB"}, candidates={"A": 1, "B": 1}
    )
    assert result.seats == {"A": 1, "B": 1, "C": 2}


def test_zero_candidates_win_nothing():
    assert allocate({"A": 100, "B": 1}, 2, candidates={"A": 0}).seats == {"A": 0, "B": 2}


def test_quotient_table_marks_no_seat_beyond_the_candidates():
    result = allocate({"A": 100, "B": 40}, 5, candidates={"A": 3})
    assert [q.seat for q in result.table[0]][3:] == [None, None]


@pytest.mark.parametrize(
    ("candidates", "message"),
    [
        ({"A": 1, "B": 1}, "only 2 candidates for 3 seats"),
        ({"A": -1}, "candidates must be a whole number"),
        ({"Z": 2}, "list Z is not among the lists"),
    ],
)
def test_bad_candidate_counts_are_refused(candidates, message):
    with pytest.raises(AllocationError, match=message):
        allocate_with_alliances({"A": 10, "B": 5}, 3, candidates=candidates)


def test_all_98_councils_of_2025_reproduce_with_lolland_candidate_rule():
    councils: dict[str, list[dict]] = {}
    with (FIXTURES / "kv25_lists.csv").open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            councils.setdefault(row["municipality_code"], []).append(row)
    assert len(councils) == 98
    for code, rows in councils.items():
        votes = {r["list"]: int(r["votes"]) for r in rows}
        alliances = {r["list"]: r["alliance"] for r in rows if r["alliance"]}
        candidates = {"Æ": 4} if code == "360" else None
        result = allocate_with_alliances(
            votes, sum(int(r["seats"]) for r in rows), alliances, candidates=candidates
        )
        assert result.seats == {r["list"]: int(r["seats"]) for r in rows}, code


# --- property tests --------------------------------------------------------------------

names = st.sampled_from(list("ABCDEFGH"))
votes_st = st.dictionaries(names, st.integers(min_value=0, max_value=5000), min_size=2, max_size=8).filter(
    lambda v: sum(1 for x in v.values() if x) >= 2
)


@st.composite
def contests(draw):
    votes = draw(votes_st)
    candidates = {n: draw(st.integers(min_value=0, max_value=8)) for n in votes if draw(st.booleans())}
    capacity = sum(candidates.get(n, 99) if votes[n] else 0 for n in votes)
    seats = draw(st.integers(min_value=1, max_value=max(1, min(30, capacity))))
    alliances = {n: draw(st.sampled_from(["X", "Y", ""])) for n in votes}
    return votes, seats, candidates, alliances, draw(st.integers(min_value=0, max_value=2**31))


def _capacity_ok(votes, seats, candidates):
    return sum(candidates.get(n, seats) for n in votes if votes[n]) >= seats


@settings(max_examples=200, deadline=None)
@given(contests())
def test_no_list_gets_more_seats_than_candidates_and_all_seats_are_given(contest):
    votes, seats, candidates, alliances, seed = contest
    if not _capacity_ok(votes, seats, candidates):
        with pytest.raises(AllocationError):
            allocate_with_alliances(votes, seats, alliances, candidates=candidates, seed=seed)
        return
    result = allocate_with_alliances(votes, seats, alliances, candidates=candidates, seed=seed)
    assert sum(result.seats.values()) == seats
    for name, won in result.seats.items():
        assert won <= candidates.get(name, seats)


@settings(max_examples=200, deadline=None)
@given(contests())
def test_enough_candidates_gives_the_plain_result(contest):
    votes, seats, _candidates, alliances, seed = contest
    plain = allocate_with_alliances(votes, seats, alliances, seed=seed)
    roomy = {n: won + 1 for n, won in plain.seats.items()}
    assert allocate_with_alliances(votes, seats, alliances, candidates=roomy, seed=seed).seats == plain.seats


@settings(max_examples=200, deadline=None)
@given(contests())
def test_a_short_list_never_takes_seats_from_lists_that_had_enough(contest):
    """Only the lists with candidates to spare gain; the short list loses exactly its shortfall."""
    votes, seats, candidates, alliances, seed = contest
    if not _capacity_ok(votes, seats, candidates):
        return
    plain = allocate_with_alliances(votes, seats, seed=seed)  # no alliances: one clean ranking
    capped = allocate_with_alliances(votes, seats, candidates=candidates, seed=seed)
    assume(plain.seed is None and capped.seed is None)  # lots may fall differently
    for name in votes:
        limit = candidates.get(name, seats)
        if plain.seats[name] > limit:
            assert capped.seats[name] == limit
        else:
            assert capped.seats[name] >= plain.seats[name]
