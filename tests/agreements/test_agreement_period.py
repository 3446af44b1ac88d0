"""Courses belong to the agreement's period (IV 5.2) and courses needing night visits stay in
hospital care (IV 1.5): the rule, the database, the form, the upload and the API."""

import datetime

import pytest
from django.db import IntegrityError

from agreements import rules
from agreements.importing import courses_import, row_errors
from agreements.models import Agreement, Course
from agreements.services import COURSE_FIELDS, course_register
from core.errors import Refused

from ..conftest import log_in
from .conftest import course_input

D = datetime.date
FIRST = D(2021, 10, 4)  # in force from (IV 5.2)
LAST = D(2023, 10, 3)  # two years (IV 5.2), as the agreement was made
HEADER = "external_id,municipality_code,treatment,referred_on,decision,start_date,end_date,setting,visits_per_day,minutes_per_visit"


@pytest.fixture
def as_made(db):
    """The Hovedstaden agreement with its period as made: 4 Oct 2021 to 3 Oct 2023."""
    Agreement.objects.filter(region__code="1084").update(starts_on=FIRST, ends_on=LAST)


def _form(municipality, **values):
    """A course as the form posts it (a pump course in a clinic, one short visit a day)."""
    base = {
        "municipality": municipality.pk,
        "external_id": "F-1",
        "treatment": "pump",
        "decision": "accepted",
    }
    return {**base, "setting": "clinic", "visits_per_day": "1", "minutes_per_visit": "20", **values}


def _period(day, *, accepted=True):
    return rules.period_problems(
        referred_on=day, start_date=day if accepted else None, starts_on=FIRST, ends_on=LAST
    )


# The day before the first day, the first day, the last day, the day after: (day, inside).
BOUNDARIES = [
    (FIRST - datetime.timedelta(days=1), False),
    (FIRST, True),
    (LAST, True),
    (LAST + datetime.timedelta(days=1), False),
]


@pytest.mark.parametrize(("day", "inside"), BOUNDARIES)
def test_period_boundaries_both_days_included(day, inside):
    assert (_period(day) == []) is inside
    if not inside:
        assert _period(day)[0][0] == "start_date" and "IV 5.2" in _period(day)[0][1]


def test_declined_course_is_placed_by_its_referral():
    assert _period(FIRST - datetime.timedelta(days=1), accepted=False)[0][0] == "referred_on"
    assert _period(LAST, accepted=False) == []


@pytest.mark.parametrize(("start", "accepted"), BOUNDARIES)
def test_service_refuses_courses_outside_the_period(as_made, kbh, start, accepted):
    item = course_input(kbh, "P", start_date=start, referred_on=start, end_date=start)
    if accepted:
        course_register(item=item)
        assert Course.objects.filter(external_id="P").exists()
    else:
        with pytest.raises(Refused) as info:
            course_register(item=item)
        assert list(info.value.message_dict) == ["start_date"]
        assert not Course.objects.exists()


def test_a_course_started_on_the_last_day_may_end_after_it(as_made, kbh):
    course, created = course_register(
        item=course_input(
            kbh, "L", start_date=LAST, referred_on=LAST, end_date=LAST + datetime.timedelta(days=9)
        )
    )
    assert created and course.days == 10


def test_recorded_extension_admits_later_courses(as_made, kbh):
    later = LAST + datetime.timedelta(days=1)
    with pytest.raises(Refused):
        course_register(item=course_input(kbh, "E", start_date=later, referred_on=later))
    Agreement.objects.filter(region__code="1084").update(ends_on=D(2025, 10, 3))
    assert course_register(item=course_input(kbh, "E", start_date=later, referred_on=later))[1]


def test_upload_names_row_and_column_for_a_course_outside_the_period(as_made, kbh):
    after = LAST + datetime.timedelta(days=1)
    data = "\n".join(
        [
            HEADER,
            f"U-1,101,antibiotics,{LAST},accepted,{LAST},{LAST},home,2,30",
            f"U-2,101,antibiotics,{after},accepted,{after},{after},home,2,30",
            "U-3,101,fluids,2021-10-01,declined,,,home,1,30",
        ]
    ).encode()
    with pytest.raises(Refused) as info:
        courses_import(name="f.csv", data=data)
    assert [(e.row, e.column) for e in row_errors(info.value)] == [(3, "start_date"), (4, "referred_on")]
    assert not Course.objects.exists()


def test_form_shows_the_period_error_on_the_start_date(client, personas, kbh, as_made):
    log_in(client, personas["clerk_a"])
    data = _form(kbh, referred_on="2023-10-04", start_date="2023-10-04")
    response = client.post("/iv/forloeb/ny/", data)
    assert response.status_code == 200 and "IV 5.2" in response.content.decode()
    assert response.context["form"].errors["start_date"]
    assert not Course.objects.exists()
    response = client.post(
        "/iv/forloeb/ny/", {**data, "referred_on": "2023-10-03", "start_date": "2023-10-03"}
    )
    assert response.status_code == 302 and Course.objects.count() == 1


def test_api_refuses_a_course_outside_the_period(personas, as_made):
    from .test_api import PAYLOAD, api_client

    client = api_client(personas["clerk_a"])
    response = client.post(
        "/api/iv/courses/",
        {**PAYLOAD, "referred_on": "2021-10-03", "start_date": "2021-10-03"},
        format="json",
    )
    assert response.status_code == 400 and "IV 5.2" in response.json()["start_date"][0]
    response = client.post(
        "/api/iv/courses/",
        {**PAYLOAD, "referred_on": "2021-10-04", "start_date": "2021-10-04"},
        format="json",
    )
    assert response.status_code == 201, response.content


# --- night visits (IV 1.5: "i tidsrummet fra 23.00-07.00") ------------------------------------------


def test_night_visits_make_a_course_ineligible():
    assert rules.ineligibility_reasons(1, 10, night_visits=False) == []
    reasons = rules.ineligibility_reasons(1, 10, night_visits=True)
    assert [f for f, _m in reasons] == ["night_visits"] and "23:00" in str(reasons[0][1])
    assert [f for f, _m in rules.ineligibility_reasons(4, 60, night_visits=True)] == ["night_visits"]


def test_database_refuses_a_course_with_night_visits(kbh):
    item = course_input(kbh, "n")
    values = {name: getattr(item, name) for name in COURSE_FIELDS}
    with pytest.raises(IntegrityError):
        Course.objects.create(municipality=kbh, external_id="n", **{**values, "night_visits": True})


def test_service_refuses_night_visits(kbh):
    with pytest.raises(Refused) as info:
        course_register(item=course_input(kbh, night_visits=True))
    assert list(info.value.message_dict) == ["night_visits"]
    course, _ = course_register(item=course_input(kbh))
    assert course.night_visits is False


def test_upload_night_visits_column_is_optional_and_defaults_to_no(agreement):
    row = "N-{n},101,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,2,30"
    courses_import(name="f.csv", data="\n".join([HEADER, row.format(n=1)]).encode())  # no column
    with_column = "\n".join(
        [HEADER + ",night_visits", row.format(n=2) + ",", row.format(n=3) + ",nej", row.format(n=4) + ",no"]
    )
    courses_import(name="f.csv", data=with_column.encode())
    assert Course.objects.filter(night_visits=False).count() == 4
    bad = "\n".join([HEADER + ",night_visits", row.format(n=5) + ",ja", row.format(n=6) + ",maybe"])
    with pytest.raises(Refused) as info:
        courses_import(name="f.csv", data=bad.encode())
    errors = [(e.row, e.column) for e in row_errors(info.value)]
    assert errors == [(2, "night_visits"), (3, "night_visits")]
    assert "hospital" in row_errors(info.value)[0].message and "maybe" in row_errors(info.value)[1].message
    assert Course.objects.count() == 4


def test_form_refuses_night_visits(client, personas, kbh):
    log_in(client, personas["clerk_a"])
    data = _form(kbh, referred_on="2024-05-01", start_date="2024-05-02", night_visits="on")
    response = client.post("/iv/forloeb/ny/", data)
    assert response.status_code == 200 and response.context["form"].errors["night_visits"]
    assert not Course.objects.exists()
    data.pop("night_visits")
    assert client.post("/iv/forloeb/ny/", data).status_code == 302


def test_api_night_visits_field(personas):
    from .test_api import PAYLOAD, api_client

    client = api_client(personas["clerk_a"])
    response = client.post("/api/iv/courses/", {**PAYLOAD, "night_visits": True}, format="json")
    assert response.status_code == 400 and "hospital" in response.json()["night_visits"][0]
    response = client.post("/api/iv/courses/", PAYLOAD, format="json")  # absent: no night visits
    assert response.status_code == 201 and response.json()["night_visits"] is False
