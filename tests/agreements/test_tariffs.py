import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agreements import tariffs
from agreements.tariffs import BASE_TABLE, Rate, course_days, extra_days, indexed, price, step_of


@pytest.mark.parametrize(
    ("ordinal", "step"), [(1, 1), (1500, 1), (1501, 2), (3000, 2), (3001, 3), (57000, 3)]
)
def test_step_boundaries(ordinal, step):
    assert step_of(ordinal) == step


def test_step_refuses_zero():
    with pytest.raises(ValueError):
        step_of(0)


@given(st.integers(min_value=1, max_value=10**6))
def test_steps_are_graduated(ordinal):
    """Monotone: a later course is never at a lower step."""
    assert step_of(ordinal) <= step_of(ordinal + 1)
    assert step_of(ordinal) == (1 if ordinal <= 1500 else 2 if ordinal <= 3000 else 3)


@pytest.mark.parametrize(
    ("treatment", "days", "extra"),
    [
        ("antibiotics", 6, 0),
        ("antibiotics", 7, 1),
        ("pump", 6, 0),
        ("pump", 7, 1),
        ("fluids", 3, 0),
        ("fluids", 4, 1),
    ],
)
def test_included_days_boundaries(treatment, days, extra):
    assert extra_days(treatment, days) == extra


def test_price_adds_day_tariff_beyond_included_days():
    rate = BASE_TABLE["antibiotics"][1]
    assert price("antibiotics", 6, rate) == Decimal("6915.00")
    assert price("antibiotics", 7, rate) == Decimal("8400.00")
    assert price("fluids", 3, BASE_TABLE["fluids"][2]) == Decimal("1274.00")
    assert price("fluids", 4, BASE_TABLE["fluids"][2]) == Decimal("1583.00")
    assert price("pump", 8, BASE_TABLE["pump"][3]) == Decimal("1843") + 2 * Decimal("292")


def test_course_days_count_start_and_end():
    assert course_days(datetime.date(2024, 1, 1), datetime.date(2024, 1, 1)) == 1
    assert course_days(datetime.date(2024, 1, 1), datetime.date(2024, 1, 6)) == 6
    with pytest.raises(ValueError):
        course_days(datetime.date(2024, 1, 2), datetime.date(2024, 1, 1))


def test_course_over_new_year_belongs_to_its_start_year():
    start, end = datetime.date(2024, 12, 29), datetime.date(2025, 1, 3)
    assert tariffs.course_year(start) == 2024
    assert course_days(start, end) == 6


@pytest.mark.parametrize(
    ("amount", "index", "expected"),
    [
        (Decimal(6915), Decimal("1.0000"), Decimal(6915)),
        (Decimal(1343), Decimal("1.0520"), Decimal(1413)),  # 1412.836 -> 1413
        (Decimal(1000), Decimal("1.0005"), Decimal(1001)),  # 1000.5 -> half up
        (Decimal(1000), Decimal("1.0004"), Decimal(1000)),  # 1000.4 -> down
        (Decimal(341), Decimal("1.0850"), Decimal(370)),  # 369.985 -> 370
    ],
)
def test_indexed_tariffs_round_half_up_to_whole_kroner(amount, index, expected):
    assert indexed(amount, index) == expected


def test_indexed_table_of_index_one_is_the_base():
    assert tariffs.indexed_table(Decimal(1)) == BASE_TABLE


@given(
    st.sampled_from(tariffs.TREATMENTS),
    st.integers(min_value=1, max_value=200),
    st.integers(min_value=0, max_value=10_000),
    st.integers(min_value=0, max_value=5_000),
)
def test_price_grows_by_one_day_tariff_per_day_beyond(treatment, days, course, day):
    rate = Rate(Decimal(course), Decimal(day))
    difference = price(treatment, days + 1, rate) - price(treatment, days, rate)
    assert difference == (rate.day if days >= tariffs.INCLUDED_DAYS[treatment] else 0)
    assert price(treatment, days, rate) >= rate.course
