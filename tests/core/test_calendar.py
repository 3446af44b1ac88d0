"""core.calendar: Danish public holidays and working days (the agenda deadline reminders count
working days back, docs/rules.md §2)."""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from core import calendar

D = datetime.date


def test_working_days_skip_weekends():
    assert calendar.working_days_before(D(2026, 11, 30), 3) == D(2026, 11, 25)  # Monday → Wednesday
    assert calendar.working_days_before(D(2026, 11, 27), 3) == D(2026, 11, 24)


def test_working_days_skip_easter():
    # Easter 2026 is 5 April: skærtorsdag 2/4, langfredag 3/4 and 2. påskedag 6/4 are holidays.
    assert calendar.working_days_before(D(2026, 4, 7), 3) == D(2026, 3, 30)


def test_store_bededag_is_a_working_day_from_2024():
    assert D(2023, 5, 5) in calendar.danish_holidays(2023)
    assert calendar.is_working_day(D(2024, 4, 26))


def test_christmas_and_constitution_day_are_not_working_days():
    assert not calendar.is_working_day(D(2026, 12, 24))
    assert not calendar.is_working_day(D(2026, 6, 5))


@given(st.dates(D(2020, 1, 1), D(2035, 12, 31)), st.integers(0, 15))
def test_working_days_before_lands_on_a_working_day_n_working_days_back(day, n):
    result = calendar.working_days_before(day, n)
    between = [result + datetime.timedelta(days=i) for i in range((day - result).days)]
    assert sum(calendar.is_working_day(d) for d in between) == n
    if n:
        assert calendar.is_working_day(result)
