import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agreements import rules


@pytest.mark.parametrize(
    ("visits", "minutes", "fields"),
    [
        (4, 60, []),
        (5, 60, ["visits_per_day"]),
        (4, 61, ["minutes_per_visit"]),
        (5, 61, ["visits_per_day", "minutes_per_visit"]),
    ],
)
def test_eligibility_boundaries(visits, minutes, fields):
    reasons = rules.ineligibility_reasons(visits, minutes)
    assert [f for f, _m in reasons] == fields
    assert all("hospital" in str(m) for _f, m in reasons)


@pytest.mark.parametrize(
    ("cpr", "born"),
    [
        ("010190-1234", datetime.date(1990, 1, 1)),
        ("0101901234", datetime.date(1990, 1, 1)),
        ("010110-4234", datetime.date(2010, 1, 1)),
        ("010150-4234", datetime.date(1950, 1, 1)),
        ("010157-5234", datetime.date(2057, 1, 1)),
        ("010158-5234", datetime.date(1858, 1, 1)),
        ("010136-9234", datetime.date(2036, 1, 1)),
        ("010137-9234", datetime.date(1937, 1, 1)),
        ("290200-4000", datetime.date(2000, 2, 29)),
    ],
)
def test_cpr_century_rule(cpr, born):
    assert rules.cpr_birth_date(cpr) == born


@pytest.mark.parametrize("cpr", ["", "12345", "310290-1234", "010190-12345", "01019a-1234", "290200-3000"])
def test_cpr_shape_and_date_are_checked(cpr):
    with pytest.raises(ValueError):
        rules.cpr_birth_date(cpr)


def test_cpr_hash_is_keyed_and_ignores_the_dash():
    a = rules.cpr_hash("010190-1234", "key-1")
    assert a == rules.cpr_hash("0101901234", "key-1")
    assert a != rules.cpr_hash("010190-1234", "key-2")
    assert "0101901234" not in a and len(a) == 64


def test_quarters():
    assert rules.quarter_of(datetime.date(2024, 3, 31)) == (2024, 1)
    assert rules.quarter_bounds(2024, 4) == (datetime.date(2024, 10, 1), datetime.date(2024, 12, 31))
    assert rules.previous_quarter(datetime.date(2024, 2, 1)) == (2023, 4)


def test_projection_at_current_pace():
    # 1,000 courses by 31 March (91 days in 2024): 11 a day; step 2 on day 137, step 3 on day 274.
    projection = rules.staircase_projection(1000, datetime.date(2024, 3, 31))
    assert projection[2] == datetime.date(2024, 5, 16)
    assert projection[3] == datetime.date(2024, 9, 30)
    assert rules.staircase_projection(1501, datetime.date(2024, 6, 1))[2] == datetime.date(2024, 6, 1)
    assert rules.staircase_projection(10, datetime.date(2024, 12, 1)) == {2: None, 3: None}
    assert rules.staircase_projection(0, datetime.date(2024, 1, 1)) == {2: None, 3: None}


def test_largest_remainder_example():
    shares = rules.largest_remainder(Decimal("100.00"), {"a": 1, "b": 1, "c": 1})
    assert shares == {"a": Decimal("33.34"), "b": Decimal("33.33"), "c": Decimal("33.33")}


def test_largest_remainder_worked_example_with_unequal_weights():
    # 10.00 kr = 1,000 øre by 7:5:1 (13 parts): exactly 538.46, 384.62 and 76.92 øre. The floors
    # (538 + 384 + 76) leave 2 øre; they go to the largest remainders, c (.92) and b (.62), not to
    # the largest weight a (.46).
    shares = rules.largest_remainder(Decimal("10.00"), {"a": 7, "b": 5, "c": 1})
    assert shares == {"a": Decimal("5.38"), "b": Decimal("3.85"), "c": Decimal("0.77")}


def test_largest_remainder_worked_example_with_populations():
    # 1,000,000.00 kr by the populations of København, Frederiksberg and Dragør (96,571 parts of
    # 772,568): exactly 84,609,251.22, 13,501,076.93 and 1,889,671.85 øre; the 2 øre left go to
    # Frederiksberg (.93) and Dragør (.85).
    shares = rules.largest_remainder(Decimal("1000000.00"), {"101": 653664, "147": 104305, "155": 14599})
    assert shares == {"101": Decimal("846092.51"), "147": Decimal("135010.77"), "155": Decimal("18896.72")}


def test_largest_remainder_ties_go_to_the_larger_weight_then_the_order_given():
    # 2 øre by 1:3: exactly 0.5 and 1.5 øre, equal remainders: the larger weight gets the øre.
    assert rules.largest_remainder(Decimal("0.02"), {"x": 1, "y": 3}) == {
        "x": Decimal("0"),
        "y": Decimal("0.02"),
    }
    assert rules.largest_remainder(Decimal("0.02"), {"y": 3, "x": 1}) == {
        "y": Decimal("0.02"),
        "x": Decimal("0"),
    }
    # equal weights: the first key given
    assert rules.largest_remainder(Decimal("0.01"), {"x": 1, "y": 1}) == {
        "x": Decimal("0.01"),
        "y": Decimal("0"),
    }
    assert rules.largest_remainder(Decimal("0.01"), {"y": 1, "x": 1}) == {
        "y": Decimal("0.01"),
        "x": Decimal("0"),
    }


@given(
    st.integers(min_value=0, max_value=10**11),
    st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=30),
)
def test_largest_remainder_gives_the_leftover_ore_to_the_largest_remainders(ore, populations):
    from fractions import Fraction

    weights = dict(enumerate(populations))
    shares = rules.largest_remainder(Decimal(ore) / 100, weights)
    whole = sum(populations)
    exact = {k: Fraction(ore * w, whole) for k, w in weights.items()}  # in øre, exactly
    extra = {}
    for key, share in shares.items():
        got = int(share * 100)
        floor = exact[key].numerator // exact[key].denominator
        assert got in (floor, floor + 1)  # never more than one øre from the exact share
        extra[key] = got - floor
    leftover = ore - sum(e.numerator // e.denominator for e in exact.values())
    assert sum(extra.values()) == leftover
    remainder = {k: exact[k] - exact[k].numerator // exact[k].denominator for k in weights}
    given_to = [remainder[k] for k in weights if extra[k]]
    passed_over = [remainder[k] for k in weights if not extra[k]]
    if given_to and passed_over:
        assert min(given_to) >= max(passed_over)


@given(
    st.decimals(min_value=0, max_value=10**9, places=2),
    st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=30),
)
def test_largest_remainder_sums_exactly_and_is_fair(total, populations):
    weights = dict(enumerate(populations))
    shares = rules.largest_remainder(total, weights)
    assert sum(shares.values()) == total
    whole = sum(populations)
    for key, share in shares.items():
        exact = total * weights[key] / whole
        assert abs(share - exact) < Decimal("0.01")


def test_course_problems():
    day = datetime.date(2024, 1, 10)
    ok = {
        "decision": "accepted",
        "referred_on": day,
        "start_date": day,
        "end_date": day,
        "visits_per_day": 1,
        "minutes_per_visit": 1,
    }
    assert rules.course_problems(**ok) == []
    assert [f for f, _ in rules.course_problems(**{**ok, "start_date": None, "end_date": None})] == [
        "start_date"
    ]
    assert [f for f, _ in rules.course_problems(**{**ok, "end_date": day - datetime.timedelta(days=1)})] == [
        "end_date"
    ]
    assert [
        f for f, _ in rules.course_problems(**{**ok, "referred_on": day + datetime.timedelta(days=1)})
    ] == ["start_date"]
    assert rules.course_problems(**{**ok, "decision": "declined", "start_date": None, "end_date": None}) == []


def test_staircase_steps_split_the_count():
    from agreements.selectors import Staircase

    stairs = Staircase(
        2024, datetime.date(2024, 6, 30), 3100, 0, {2: datetime.date(2024, 3, 1), 3: None}, [0] * 12
    )
    assert [(s["first"], s["last"], s["count"]) for s in stairs.steps()] == [
        (1, 1500, 1500),
        (1501, 3000, 1500),
        (3001, None, 100),
    ]
    assert Staircase(2024, datetime.date(2024, 1, 1), 0, 0, {}, [0] * 12).steps()[0]["count"] == 0
