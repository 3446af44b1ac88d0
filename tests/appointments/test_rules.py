import datetime

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from appointments import rules
from appointments.rules import MayorInfo

D = datetime.date


def test_convener_is_longest_serving_mayor():
    mayors = [
        MayorInfo(1, "New", D(2018, 1, 1), D(1950, 1, 1)),
        MayorInfo(2, "Old", D(2006, 1, 1), D(1980, 1, 1)),
    ]
    assert rules.convener(mayors).politician_id == 2


def test_convener_tie_goes_to_the_oldest():
    mayors = [
        MayorInfo(1, "Young", D(2010, 1, 1), D(1980, 5, 1)),
        MayorInfo(2, "Elder", D(2010, 1, 1), D(1961, 2, 3)),
    ]
    assert rules.convener(mayors).name == "Elder"


def test_convener_unknown_start_counts_as_newest_and_none_without_mayors():
    mayors = [
        MayorInfo(1, "Unknown", None, D(1940, 1, 1)),
        MayorInfo(2, "Known", D(2021, 1, 1), D(1990, 1, 1)),
    ]
    assert rules.convener(mayors).name == "Known"
    assert rules.convener([]) is None


def test_constituent_deadline_and_notice_window():
    assert rules.constituent_deadline(2025) == D(2026, 1, 31)
    assert rules.constituent_notices_from(2025) == D(2025, 12, 1)
    assert not rules.constituent_reminder_due(2025, D(2025, 11, 30), False)
    assert rules.constituent_reminder_due(2025, D(2025, 12, 1), False)
    assert rules.constituent_reminder_due(2025, D(2026, 1, 31), False)
    assert not rules.constituent_reminder_due(2025, D(2026, 2, 1), False)
    assert not rules.constituent_reminder_due(2025, D(2025, 12, 5), True)


@pytest.mark.parametrize(
    ("members", "expected", "rule"),
    [
        (set(), 11, "1st deputy mayor"),
        ({11}, 12, "2nd deputy mayor"),
        ({11, 12}, None, "chosen by the municipal council"),
    ],
)
def test_mayor_substitute_rule(members, expected, rule):
    result = rules.mayor_substitute(11, 12, members)
    assert (result.politician_id, result.rule) == (expected, rule)


def test_term_warning_window():
    today = D(2026, 1, 1)
    assert rules.term_warning_due(D(2026, 3, 2), today)  # 60 days ahead
    assert not rules.term_warning_due(D(2026, 3, 3), today)
    assert not rules.term_warning_due(D(2025, 12, 31), today)
    assert not rules.term_warning_due(None, today)


def test_long_absence_boundary():
    start = D(2026, 1, 15)
    rules.check_long_absence(starts_on=start, ends_on=D(2026, 4, 15), decided_on=None, needs_decision=False)
    with pytest.raises(rules.RuleError, match="3 months"):
        rules.check_long_absence(
            starts_on=start, ends_on=D(2026, 4, 14), decided_on=None, needs_decision=False
        )


@pytest.mark.parametrize(
    "start, first_accepted",
    [
        (D(2026, 1, 28), D(2026, 4, 28)),
        (D(2026, 1, 29), D(2026, 4, 29)),
        (D(2026, 1, 30), D(2026, 4, 30)),
        (D(2026, 1, 31), D(2026, 4, 30)),  # April has 30 days
        (D(2025, 11, 28), D(2026, 2, 28)),
        (D(2025, 11, 29), D(2026, 2, 28)),  # 2026 is no leap year
        (D(2025, 11, 30), D(2026, 2, 28)),
        (D(2027, 11, 29), D(2028, 2, 29)),  # leap year
        (D(2027, 11, 30), D(2028, 2, 29)),
        (D(2027, 11, 28), D(2028, 2, 28)),
        (D(2026, 10, 31), D(2027, 1, 31)),  # over the new year
    ],
)
def test_long_absence_end_of_month_boundary(start, first_accepted):
    rules.check_long_absence(starts_on=start, ends_on=first_accepted, decided_on=None, needs_decision=False)
    with pytest.raises(rules.RuleError, match="3 months"):
        rules.check_long_absence(
            starts_on=start,
            ends_on=first_accepted - datetime.timedelta(days=1),
            decided_on=None,
            needs_decision=False,
        )


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2100, 12, 2)))
def test_long_absence_boundary_is_the_same_day_three_months_later(day):
    """dateutil's relativedelta: a day the month lacks becomes its last day (31.1. -> 30.4.)."""
    first_accepted = day + relativedelta(months=3)
    assert (first_accepted.year - day.year) * 12 + first_accepted.month - day.month == 3
    assert first_accepted.day == day.day or (first_accepted + datetime.timedelta(days=1)).day == 1
    rules.check_long_absence(starts_on=day, ends_on=first_accepted, decided_on=None, needs_decision=False)
    with pytest.raises(rules.RuleError):
        rules.check_long_absence(
            starts_on=day,
            ends_on=first_accepted - datetime.timedelta(days=1),
            decided_on=None,
            needs_decision=False,
        )
