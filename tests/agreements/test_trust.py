"""Issue 12 for the IV agreement: no CPR number in free text (form, API, upload), a note length
limit, cross-municipality duplicates told to the region officer and never to the clerk, and no
course that starts after today."""

import datetime
import io

import pytest
from django.core import mail

from accounts.models import Notice
from agreements import rules
from agreements.models import Course
from agreements.services import course_register, courses_register
from core.errors import Refused
from core.time import today

from ..conftest import log_in
from .conftest import course_input
from .test_api import PAYLOAD, api_client

pytestmark = pytest.mark.django_db
HEADER = "external_id,municipality_code,treatment,referred_on,decision,start_date,end_date,setting,visits_per_day,minutes_per_visit,note"
ROW = "U-1,101,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,2,30,"


# --- 6: the rule and its boundaries ---------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "010190-1234",
        "0101901234",
        "patient 010190-1234 i hjemmet",
        "ring om 311299-4000.",
        "290200-4321",  # 29 Feb 2000 (leap year, digit 7 = 4: the 2000s)
        "010190-1235",  # fails modulus 11 yet valid since 2007: refused all the same
        "x0101901234x",
    ],
)
def test_cpr_shaped_text_is_found(text):
    assert rules.contains_cpr(text)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "K-2024-0012",
        "320190-1234",  # day 32
        "011390-1234",  # month 13
        "290201-1234",  # 29 Feb 1901 does not exist
        "010190-123",  # 9 digits
        "01019012345",  # 11 digits: part of a longer number
        "1010190-1234",  # 7 digits before the dash
        "010190--1234",
        "tlf. 33 70 33 70",
    ],
)
def test_text_without_a_cpr_number_passes(text):
    assert not rules.contains_cpr(text)


def test_free_text_problems_name_the_field_and_the_length_limit():
    assert rules.free_text_problems({"external_id": "010190-1234", "note": "ok"})[0][0] == "external_id"
    assert rules.free_text_problems({"note": "x" * rules.NOTE_MAX_LENGTH}) == []
    [(field, message)] = rules.free_text_problems({"note": "x" * (rules.NOTE_MAX_LENGTH + 1)})
    assert field == "note" and str(rules.NOTE_MAX_LENGTH) in str(message)


# --- 6 and 11: form, API and upload refuse, nothing stored ----------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [("external_id", "010190-1234"), ("note", "borger 0101901234"), ("note", "x" * 5001)],
)
def test_api_refuses_cpr_in_free_text_and_long_notes(personas, field, value):
    response = api_client(personas["clerk_a"]).post(
        "/api/iv/courses/", {**PAYLOAD, field: value}, format="json"
    )
    assert response.status_code == 400 and field in response.json()
    assert not Course.objects.exists()


def test_form_refuses_cpr_in_the_note(client, personas, kbh):
    log_in(client, personas["clerk_a"])
    data = {
        "municipality": kbh.pk,
        "external_id": "F-1",
        "treatment": "antibiotics",
        "referred_on": "01.03.2024",
        "decision": "accepted",
        "start_date": "02.03.2024",
        "end_date": "09.03.2024",
        "setting": "home",
        "visits_per_day": "2",
        "minutes_per_visit": "30",
        "note": "CPR 010190-1234",
    }
    response = client.post("/iv/forloeb/ny/", data)
    assert response.status_code == 200 and "CPR" in response.context["form"].errors["note"][0]
    response = client.post("/iv/forloeb/ny/", {**data, "note": "", "external_id": "0101901234"})
    assert "external_id" in response.context["form"].errors
    assert not Course.objects.exists()


def _upload(client, text):
    upload = io.BytesIO(text.encode())
    upload.name = "f.csv"
    return client.post("/iv/forloeb/upload/", {"file": upload})


def test_upload_names_row_and_column_of_a_cpr_number(client, personas):
    log_in(client, personas["clerk_a"])
    rows = [
        HEADER,
        ROW,
        "U-2,101,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,2,30,ring 010190-1234",
    ]
    response = _upload(client, "\n".join(rows))
    assert response.status_code == 400
    [error] = response.context["errors"]
    assert (error.row, error.column) == (3, "note")
    rows = [HEADER, "010190-1234" + ROW[3:]]
    [error] = _upload(client, "\n".join(rows)).context["errors"]
    assert (error.row, error.column) == (2, "external_id")
    assert not Course.objects.exists()


def test_services_refuse_cpr_in_free_text(kbh):
    with pytest.raises(Refused) as info:
        course_register(item=course_input(kbh, "K-1", note="0101901234"))
    assert list(info.value.message_dict)[0] == "note"


# --- 5: cross-municipality duplicates go to the region officer -----------------------------------


def test_clerk_learns_nothing_of_a_duplicate_in_another_municipality(
    personas, frb, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        course_register(
            item=course_input(frb, "FRB-SECRET", cpr="0101901234", start_date=datetime.date(2024, 4, 2))
        )
        response = api_client(personas["clerk_a"]).post(
            "/api/iv/courses/", {**PAYLOAD, "cpr": "010190-1234"}, format="json"
        )
    assert response.status_code == 201
    assert response.json()["warnings"] == []
    assert "another municipality" not in response.content.decode()
    # The region officer, who settles, is told, with both courses.
    [notice] = Notice.objects.filter(user=personas["officer"])
    assert "FRB-SECRET" in notice.body and "API-1" in notice.body
    assert not Notice.objects.filter(user=personas["clerk_a"]).exists()
    assert not Notice.objects.filter(user=personas["officer_other"]).exists()
    assert all("FRB-SECRET" not in m.body for m in mail.outbox if personas["clerk_a"].email in m.to)


def test_form_shows_no_warning_for_another_municipality(client, personas, frb, kbh):
    course_register(
        item=course_input(frb, "FRB-SECRET", cpr="0101901234", start_date=datetime.date(2024, 4, 2))
    )
    log_in(client, personas["clerk_a"])
    data = {
        "municipality": kbh.pk,
        "external_id": "F-1",
        "treatment": "antibiotics",
        "referred_on": "01.04.2024",
        "decision": "accepted",
        "start_date": "02.04.2024",
        "end_date": "09.04.2024",
        "setting": "home",
        "visits_per_day": "2",
        "minutes_per_visit": "30",
        "cpr": "010190-1234",
    }
    page = client.post("/iv/forloeb/ny/", data, follow=True).content.decode()
    assert "possible duplicate" not in page.lower() and "another municipality" not in page.lower()


def test_own_municipality_duplicate_is_still_shown_to_the_clerk(kbh):
    course_register(item=course_input(kbh, "K-1", cpr="0101901234"))
    result = courses_register(items=[course_input(kbh, "K-2", cpr="010190-1234")])
    [warning] = result.duplicate_warnings()
    assert warning["other_external_id"] == "K-1"


# --- issue 13 point 11: a course cannot start after today ----------------------------------------


def test_start_today_is_accepted_tomorrow_refused(kbh):
    day = today()
    course_register(item=course_input(kbh, "T-0", start_date=day, end_date=None))
    with pytest.raises(Refused) as info:
        course_register(
            item=course_input(kbh, "T-1", start_date=day + datetime.timedelta(days=1), end_date=None)
        )
    assert "start_date" in list(info.value.message_dict)


def test_start_rule_boundary():
    day = datetime.date(2026, 5, 1)
    assert rules.future_problems(start_date=day, referred_on=day, today=day) == []
    assert [
        f
        for f, _m in rules.future_problems(
            start_date=day + datetime.timedelta(days=1), referred_on=day, today=day
        )
    ] == ["start_date"]
    assert [
        f
        for f, _m in rules.future_problems(
            start_date=None, referred_on=day + datetime.timedelta(days=1), today=day
        )
    ] == ["referred_on"]


# --- 7: formula injection in the statement XLSX ---------------------------------------------------


def test_statement_xlsx_writes_a_case_reference_as_text(client, personas, kbh, tariff_years):
    from openpyxl import load_workbook

    from agreements.models import Statement
    from agreements.services import settlement_run

    course_register(item=course_input(kbh, '=HYPERLINK("http://evil","x")'))
    settlement_run(as_of=datetime.date(2030, 1, 1))
    statement = Statement.objects.get(municipality=kbh)
    log_in(client, personas["officer"])
    response = client.get(f"/iv/opgoerelse/{statement.pk}/xlsx/")
    cell = load_workbook(io.BytesIO(response.content))["Lines"].cell(2, 1)
    assert cell.data_type == "s" and not str(cell.value).startswith("=")


def test_upload_over_the_size_bound_is_refused_unread(client, personas, monkeypatch):
    from agreements import importing

    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 100)
    log_in(client, personas["clerk_a"])
    response = _upload(client, HEADER + "\n" + ROW * 5)
    assert response.status_code == 200 and "file" in response.context["form"].errors
    assert not Course.objects.exists()
