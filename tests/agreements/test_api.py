import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from agreements.models import Course
from agreements.services import course_register

from .conftest import course_input

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "external_id": "API-1",
    "municipality_code": "101",
    "treatment": "antibiotics",
    "referred_on": "2024-04-01",
    "decision": "accepted",
    "start_date": "2024-04-02",
    "end_date": "2024-04-09",
    "setting": "home",
    "visits_per_day": 3,
    "minutes_per_visit": 40,
}


def api_client(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_submit_creates_then_updates(personas):
    client = api_client(personas["clerk_a"])
    response = client.post("/api/iv/courses/", PAYLOAD, format="json")
    assert response.status_code == 201, response.content
    response = client.post(
        "/api/iv/courses/", {**PAYLOAD, "visits_per_day": 4, "cpr": "010190-1234"}, format="json"
    )
    assert response.status_code == 200 and response.json()["revision"] == 2 and "cpr" not in response.json()
    assert Course.objects.count() == 1 and Course.objects.get().cpr_hash


def test_submit_refuses_ineligible_with_reason(personas):
    response = api_client(personas["clerk_a"]).post(
        "/api/iv/courses/", {**PAYLOAD, "minutes_per_visit": 75}, format="json"
    )
    assert response.status_code == 400 and "hospital" in response.json()["minutes_per_visit"][0]
    assert not Course.objects.exists()


def test_clerk_cannot_submit_for_another_municipality(personas):
    response = api_client(personas["clerk_a"]).post(
        "/api/iv/courses/", {**PAYLOAD, "municipality_code": "147"}, format="json"
    )
    assert response.status_code == 403 and not Course.objects.exists()


def test_clerk_reads_only_own_courses(personas, kbh, frb):
    mine, _ = course_register(item=course_input(kbh, "A"))
    theirs, _ = course_register(item=course_input(frb, "B"))
    client = api_client(personas["clerk_a"])
    response = client.get("/api/iv/courses/")
    assert [c["external_id"] for c in response.json()["results"]] == ["A"]
    assert client.get(f"/api/iv/courses/{mine.pk}/").status_code == 200
    assert client.get(f"/api/iv/courses/{theirs.pk}/").status_code == 404
    # Changing B through the API by its external id is refused too.
    response = client.post(
        "/api/iv/courses/", {**PAYLOAD, "external_id": "B", "municipality_code": "147"}, format="json"
    )
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.revision == 1


def test_officer_reads_all_but_cannot_submit(personas, kbh, frb):
    course_register(item=course_input(kbh, "A"))
    course_register(item=course_input(frb, "B"))
    client = api_client(personas["officer"])
    assert client.get("/api/iv/courses/").json()["count"] == 2
    assert client.post("/api/iv/courses/", PAYLOAD, format="json").status_code == 403


def test_other_roles_and_anonymous_are_refused(personas):
    assert APIClient().get("/api/iv/courses/").status_code == 401
    assert api_client(personas["member"]).get("/api/iv/courses/").status_code == 403


def test_list_queries_do_not_grow(personas, kbh, django_assert_max_num_queries):
    from .conftest import make_courses

    make_courses(kbh, 150)
    client = api_client(personas["clerk_a"])
    with django_assert_max_num_queries(8):
        assert client.get("/api/iv/courses/").status_code == 200


def test_schema_lists_the_course_endpoints(client, db):
    response = client.get("/api/schema/")
    assert response.status_code == 200 and b"/api/iv/courses/" in response.content
    assert client.get("/api/docs/").status_code == 200


def test_put_replaces_and_delete_withdraws_own_course_only(personas, kbh, frb):
    mine, _ = course_register(item=course_input(kbh, "A"))
    theirs, _ = course_register(item=course_input(frb, "B"))
    client = api_client(personas["clerk_a"])
    body = {**PAYLOAD, "external_id": "ignored", "municipality_code": "147", "setting": "clinic"}
    response = client.put(f"/api/iv/courses/{mine.pk}/", body, format="json")
    assert response.status_code == 200, response.content
    mine.refresh_from_db()
    assert (mine.external_id, mine.municipality_id, mine.setting, mine.revision) == ("A", kbh.pk, "clinic", 2)
    assert client.put(f"/api/iv/courses/{theirs.pk}/", body, format="json").status_code == 404
    assert client.delete(f"/api/iv/courses/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/iv/courses/{mine.pk}/").json()["withdrawn"] is True
    theirs.refresh_from_db()
    assert theirs.revision == 1 and not theirs.withdrawn
    officer = api_client(personas["officer"])
    assert officer.delete(f"/api/iv/courses/{theirs.pk}/").status_code == 404
    assert client.patch(f"/api/iv/courses/{mine.pk}/", {}, format="json").status_code == 405


def test_settled_flag(personas, kbh, tariff_years):
    import datetime

    from agreements.services import settlement_run

    course, _ = course_register(item=course_input(kbh, "A"))
    client = api_client(personas["clerk_a"])
    assert client.get(f"/api/iv/courses/{course.pk}/").json()["settled"] is False
    settlement_run(as_of=datetime.date(2030, 1, 1))
    assert client.get(f"/api/iv/courses/{course.pk}/").json()["settled"] is True


def test_submit_returns_the_duplicate_warnings_the_form_shows(personas):
    client = api_client(personas["clerk_a"])
    first = client.post("/api/iv/courses/", {**PAYLOAD, "cpr": "010190-1234"}, format="json")
    assert first.status_code == 201 and first.json()["warnings"] == []
    response = client.post(
        "/api/iv/courses/", {**PAYLOAD, "external_id": "API-2", "cpr": "0101901234"}, format="json"
    )
    assert response.status_code == 201
    [warning] = response.json()["warnings"]
    assert warning["code"] == "possible_duplicate" and warning["other_external_id"] == "API-1"
    assert "API-2" in warning["message"] and "API-1" in warning["message"]
    assert Course.objects.count() == 2  # a warning, not a refusal
    course = Course.objects.get(external_id="API-2")
    changed = {**PAYLOAD, "visits_per_day": 2, "cpr": "0101901234"}  # a change is checked again
    response = client.put(f"/api/iv/courses/{course.pk}/", changed, format="json")
    assert response.status_code == 200 and response.json()["warnings"][0]["other_external_id"] == "API-1"
    assert "warnings" not in client.get(f"/api/iv/courses/{course.pk}/").json()


def test_a_duplicate_in_another_municipality_does_not_reveal_its_case_reference(personas, frb):
    course_register(
        item=course_input(frb, "FRB-SECRET", cpr="0101901234", start_date=datetime.date(2024, 4, 2))
    )
    client = api_client(personas["clerk_a"])
    response = client.post("/api/iv/courses/", {**PAYLOAD, "cpr": "010190-1234"}, format="json")
    # Issue 12.5: not even that an overlapping course exists (the region officer is told instead).
    assert response.json()["warnings"] == []
    assert "FRB-SECRET" not in response.content.decode()


def test_schema_documents_the_warnings(personas):
    from django.test import Client

    from ..conftest import log_in

    client = log_in(Client(), personas["clerk_a"])
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    text = schema.content.decode()
    assert "CourseSubmitted" in text and "possible_duplicate" in text
