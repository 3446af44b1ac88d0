"""The Danish working-day calendar: public holidays and counting working days.

Pure functions (no ORM, no clock); the app rules build on them (meetings' deadline reminders,
docs/rules.md §2).
"""

import datetime

from dateutil.easter import easter


def danish_holidays(year: int) -> frozenset[datetime.date]:
    """Danish public holidays (helligdage) plus Grundlovsdag and Christmas Eve, when public
    offices are closed. Store bededag was abolished from 2024."""
    e = easter(year)
    d = datetime.timedelta
    days = {
        datetime.date(year, 1, 1),
        e - d(days=3),  # skærtorsdag
        e - d(days=2),  # langfredag
        e,  # påskedag
        e + d(days=1),  # 2. påskedag
        e + d(days=39),  # Kristi himmelfartsdag
        e + d(days=49),  # pinsedag
        e + d(days=50),  # 2. pinsedag
        datetime.date(year, 6, 5),  # grundlovsdag
        datetime.date(year, 12, 24),
        datetime.date(year, 12, 25),
        datetime.date(year, 12, 26),
    }
    if year < 2024:
        days.add(e + d(days=26))  # store bededag
    return frozenset(days)


def is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and day not in danish_holidays(day.year)


def working_days_before(day: datetime.date, n: int) -> datetime.date:
    """The date n working days before `day` (`day` itself not counted)."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    while n:
        current -= datetime.timedelta(days=1)
        if is_working_day(current):
            n -= 1
    return current
