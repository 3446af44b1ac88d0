import datetime
from decimal import Decimal

import pytest

from agreements.models import Agreement, Course
from agreements.services import CourseInput, tariff_year_create
from register.models import Municipality

# The Hovedstaden agreement runs from 4 Oct 2021 for two years (IV 5.2); the tests register
# courses from 2024 on, as under an agreement its parties extended. Recorded for every test that
# uses the database; test_agreement_period.py tests the period itself.
EXTENDED_UNTIL = datetime.date(2030, 12, 31)


@pytest.fixture(autouse=True)
def _agreement_extended(request):
    if "transactional_db" in request.fixturenames:
        request.getfixturevalue("transactional_db")
    elif "db" in request.fixturenames:
        request.getfixturevalue("db")
    else:
        return
    Agreement.objects.filter(region__code="1084").update(ends_on=EXTENDED_UNTIL)


@pytest.fixture
def agreement(db):
    return Agreement.objects.get(region__code="1084")


@pytest.fixture
def kbh(db):
    return Municipality.objects.get(code="101")


@pytest.fixture
def frb(db):
    return Municipality.objects.get(code="147")


@pytest.fixture
def tariff_years(db):
    """Tariff tables for 2021-2027 (index 1.0 in 2021 and 2022, then rising)."""
    indices = {2021: "1.0000", 2022: "1.0000", 2023: "1.0520", 2024: "1.0810", 2025: "1.1030"}
    indices.update({2026: "1.1250", 2027: "1.1500"})
    return {year: tariff_year_create(year=year, index=Decimal(i)) for year, i in indices.items()}


def course_input(municipality, external_id="K-1", **extra) -> CourseInput:
    start = extra.pop("start_date", datetime.date(2024, 3, 4))
    day = start or datetime.date(2024, 3, 4)
    values = {
        "treatment": "antibiotics",
        "referred_on": day - datetime.timedelta(days=1),
        "decision": "accepted",
        "start_date": start,
        "end_date": day + datetime.timedelta(days=5),
        "setting": "home",
        "visits_per_day": 2,
        "minutes_per_visit": 30,
    }
    values.update(extra)
    return CourseInput(municipality=municipality, external_id=external_id, **values)


def make_courses(municipality, n, *, year=2024, prefix="C", treatment="antibiotics", days=6):
    """n completed courses, bulk-created (for tests that need volume)."""
    start = datetime.date(year, 1, 1)
    return Course.objects.bulk_create(
        Course(
            municipality=municipality,
            external_id=f"{prefix}-{i}",
            treatment=treatment,
            referred_on=start + datetime.timedelta(days=i % 300),
            decision="accepted",
            start_date=start + datetime.timedelta(days=i % 300),
            end_date=start + datetime.timedelta(days=i % 300 + days - 1),
            setting="home" if i % 2 else "clinic",
            visits_per_day=1 + i % 4,
            minutes_per_visit=20 + i % 40,
        )
        for i in range(n)
    )
