import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from appointments.allocation import AllocationError
from appointments.composition import ListResult, compose


def row(comp, name):
    return next(r for r in comp.rows if r.name == name)


def test_smallest_n_gives_every_list_its_mayors():
    results = [ListResult("A", 500, 20, 3), ListResult("C", 300, 12, 1), ListResult("V", 200, 8, 0)]
    comp = compose(results, municipalities=4)
    # N=4: A 2 (< 3 mayors); N=5: A 3, C 1, V 1 -> everyone has their mayors.
    assert comp.size == 5 and not comp.capped
    assert [(r.name, r.dhondt_seats, r.extra_members) for r in comp.rows] == [
        ("A", 3, 0),
        ("C", 2 - 1, 0),
        ("V", 1, 1),
    ]
    assert comp.members == 5 and comp.tried[0] == (4, ("A",))


def test_cap_binds():
    results = [ListResult("A", 900, 10, 0), ListResult("B", 100, 2, 2)]
    comp = compose(results, municipalities=2)
    assert comp.cap == 4 and comp.size == 4 and comp.capped
    b = row(comp, "B")
    assert b.takes_part and b.dhondt_seats == 0 and b.extra_members == 0 and b.members_total == 2
    assert row(comp, "A").extra_members == 4
    assert comp.members == 6


def test_mayors_list_under_two_percent_sits_as_mayor_only():
    results = [
        ListResult("A", 600, 20, 1),
        ListResult("C", 390, 10, 0),
        ListResult("K", 10, 1, 1),  # 1 % of the votes
    ]
    comp = compose(results, municipalities=2)
    k = row(comp, "K")
    assert not k.takes_part and "2 percent" in k.reason
    assert k.dhondt_seats == 0 and k.extra_members == 0 and k.members_total == 1
    assert comp.size == 1 and row(comp, "A").dhondt_seats == 1
    assert comp.members == 2


def test_exactly_two_percent_takes_part_but_no_council_seat_does_not():
    results = [ListResult("A", 98, 5, 0), ListResult("B", 2, 1, 0), ListResult("D", 0, 0, 0)]
    comp = compose(results, municipalities=3)
    assert row(comp, "B").takes_part
    assert (
        not row(comp, "D").takes_part
        and row(comp, "D").reason == "below the threshold of 2 percent of the region's votes"
    )
    results = [ListResult("A", 90, 5, 0), ListResult("B", 10, 0, 0)]
    assert row(compose(results, municipalities=3), "B").reason == "no council seat"


def test_list_cooperation_counts_as_one():
    results = [ListResult("A", 50, 5, 1), ListResult("F", 15, 2, 0), ListResult("Ø", 15, 2, 1)]
    comp = compose(results, municipalities=2, cooperations={"F": "F+Ø", "Ø": "F+Ø"})
    names = [r.name for r in comp.rows]
    assert names == ["A", "F+Ø"]
    coop = row(comp, "F+Ø")
    assert coop.members == ("F", "Ø") and coop.votes == 30 and coop.mayors == 1


def test_bad_input():
    with pytest.raises(AllocationError):
        compose([ListResult("A", 1, 1, 0), ListResult("A", 2, 1, 0)], municipalities=2)
    with pytest.raises(AllocationError):
        compose([ListResult("A", 0, 0, 0)], municipalities=2)


@settings(max_examples=80, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 5000), st.integers(0, 20), st.integers(0, 4)), min_size=1, max_size=8
    ).filter(lambda rows: sum(r[0] for r in rows) > 0),
    st.integers(1, 30),
)
def test_composition_properties(raw, municipalities):
    results = [ListResult(f"L{i}", v, s, m) for i, (v, s, m) in enumerate(raw)]
    comp = compose(results, municipalities, seed=1)
    assert comp.size <= comp.cap
    assert all(r.extra_members >= 0 for r in comp.rows)
    assert comp.mayors == sum(m for _v, _s, m in raw)
    if not comp.capped:
        assert all(r.dhondt_seats >= r.mayors for r in comp.rows if r.takes_part)
        assert sum(r.dhondt_seats for r in comp.rows) == comp.size
