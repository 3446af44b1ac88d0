"""Issue 15: an upload checks each row once, and formats the agreement's dates only for a row that
is outside the agreement's period (5,000 rows in <= 0.5 s is measured by `make bench`)."""

import pytest

from agreements import rules
from agreements.importing import courses_import, row_errors
from core.errors import Refused

from .test_services import HEADER

ROWS = [
    f"W-{i},101,pump,2024-03-01,accepted,02-03-2024,2024-03-0{2 + i},home,1,30".encode() for i in range(3)
]


def _counting(monkeypatch, name):
    calls = []
    real = getattr(rules, name)

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(rules, name, counted)
    return calls


@pytest.mark.django_db
def test_each_row_is_checked_once_and_no_date_is_formatted(agreement, monkeypatch):
    checks = _counting(monkeypatch, "course_problems")
    formatted = _counting(monkeypatch, "date_format")
    result = courses_import(name="w.csv", data=b"\n".join([HEADER.encode(), *ROWS]) + b"\n")
    assert len(result.created) == 3
    assert len(checks) == 3
    assert formatted == []


@pytest.mark.django_db
def test_a_row_outside_the_period_still_names_the_period(agreement):
    row = b"W-9,101,pump,2019-03-01,accepted,02-03-2019,2019-03-04,home,1,30"
    with pytest.raises(Refused) as refused:
        courses_import(name="w.csv", data=b"\n".join([HEADER.encode(), row]) + b"\n")
    assert "IV 5.2" in str(row_errors(refused.value)[0])
