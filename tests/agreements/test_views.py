import datetime
import io
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from openpyxl import load_workbook

from agreements.models import Course, QuarterReport, SettlementJob, SettlementRun, Statement
from agreements.services import course_register, settlement_run, statement_finalise

from ..conftest import log_in
from .conftest import course_input, make_courses

pytestmark = pytest.mark.django_db

HEADER = "external_id,municipality_code,treatment,referred_on,decision,start_date,end_date,setting,visits_per_day,minutes_per_visit"
AS_OF = datetime.date(2030, 1, 1)


@pytest.fixture
def courses(personas, kbh, frb):
    a, _ = course_register(item=course_input(kbh, "KBH-1"))
    b, _ = course_register(item=course_input(frb, "FRB-1"))
    return a, b


@pytest.fixture
def settled(courses, tariff_years):
    return settlement_run(as_of=AS_OF)


def test_clerk_lists_only_own_courses(client, personas, courses):
    log_in(client, personas["clerk_a"])
    response = client.get("/iv/")
    assert response.status_code == 200
    assert b"KBH-1" in response.content and b"FRB-1" not in response.content


def test_officer_lists_all_and_filters(client, personas, courses, frb):
    log_in(client, personas["officer"])
    response = client.get("/iv/")
    assert b"KBH-1" in response.content and b"FRB-1" in response.content
    response = client.get(
        f"/iv/?municipality={frb.pk}&status=completed&treatment=antibiotics&year=2024&q=FRB"
    )
    assert b"KBH-1" not in response.content and b"FRB-1" in response.content


def test_officer_of_other_region_sees_nothing(client, personas, courses):
    log_in(client, personas["officer_other"])
    response = client.get("/iv/")
    assert b"KBH-1" not in response.content and b"FRB-1" not in response.content
    assert client.get(f"/iv/forloeb/{courses[0].pk}/").status_code == 404


@pytest.mark.parametrize("persona", ["member", "secretariat", "council_member"])
def test_other_roles_cannot_list_courses(client, personas, persona):
    log_in(client, personas[persona])
    assert client.get("/iv/").status_code == 403


def test_course_list_queries_do_not_grow(client, personas, kbh, django_assert_max_num_queries):
    make_courses(kbh, 120)
    log_in(client, personas["officer"])
    with django_assert_max_num_queries(12):
        response = client.get("/iv/?page=2")
    assert response.status_code == 200


def test_clerk_registers_a_course_with_the_form(client, personas, kbh):
    log_in(client, personas["clerk_a"])
    assert client.get("/iv/forloeb/ny/").status_code == 200
    data = {
        "municipality": kbh.pk,
        "external_id": "F-1",
        "treatment": "pump",
        "referred_on": "2024-05-01",
        "decision": "accepted",
        "start_date": "02-05-2024",
        "end_date": "",
        "setting": "clinic",
        "visits_per_day": "1",
        "minutes_per_visit": "20",
        "cpr": "010190-1234",
    }
    response = client.post("/iv/forloeb/ny/", data)
    course = Course.objects.get(external_id="F-1")
    assert response.status_code == 302 and course.end_date is None and course.cpr_hash
    response = client.post("/iv/forloeb/ny/", {**data, "visits_per_day": "5"})
    assert response.status_code == 200 and b"hospital" in response.content
    assert Course.objects.get(external_id="F-1").visits_per_day == 1


def test_form_refuses_other_municipality(client, personas, frb):
    log_in(client, personas["clerk_a"])
    response = client.post("/iv/forloeb/ny/", {"municipality": frb.pk, "external_id": "X"})
    assert response.status_code == 200 and not Course.objects.exists()


def test_officer_cannot_register(client, personas):
    log_in(client, personas["officer"])
    assert client.get("/iv/forloeb/ny/").status_code == 302


def test_clerk_edits_and_withdraws_own_course_only(client, personas, courses):
    mine, theirs = courses
    log_in(client, personas["clerk_a"])
    assert client.get(f"/iv/forloeb/{mine.pk}/").status_code == 200
    assert client.get(f"/iv/forloeb/{mine.pk}/rediger/").status_code == 200
    response = client.post(
        f"/iv/forloeb/{mine.pk}/rediger/",
        {
            "treatment": "fluids",
            "referred_on": "2024-03-03",
            "decision": "accepted",
            "start_date": "2024-03-04",
            "end_date": "2024-03-05",
            "setting": "home",
            "visits_per_day": "2",
            "minutes_per_visit": "30",
        },
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.treatment == "fluids" and mine.external_id == "KBH-1" and mine.revision == 2
    assert client.get(f"/iv/forloeb/{mine.pk}/tilbagetraek/").status_code == 405
    assert client.post(f"/iv/forloeb/{mine.pk}/tilbagetraek/").status_code == 302
    mine.refresh_from_db()
    assert mine.withdrawn
    for url in (f"/iv/forloeb/{theirs.pk}/", f"/iv/forloeb/{theirs.pk}/rediger/"):
        assert client.get(url).status_code == 404
    assert client.post(f"/iv/forloeb/{theirs.pk}/tilbagetraek/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.withdrawn


def test_officer_reads_but_cannot_edit(client, personas, courses):
    log_in(client, personas["officer"])
    assert client.get(f"/iv/forloeb/{courses[0].pk}/").status_code == 200
    assert client.get(f"/iv/forloeb/{courses[0].pk}/rediger/").status_code == 404


def _upload(client, text, name="f.csv"):
    upload = io.BytesIO(text.encode())
    upload.name = name
    return client.post("/iv/forloeb/upload/", {"file": upload})


def test_upload_shows_every_error_and_stores_nothing(client, personas):
    log_in(client, personas["clerk_a"])
    assert client.get("/iv/forloeb/upload/").status_code == 200
    text = "\n".join(
        [
            HEADER,
            "U-1,101,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,2,30",
            "U-2,101,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,6,30",
            "U-3,147,antibiotics,2024-03-01,accepted,2024-03-02,2024-03-09,home,2,30",
        ]
    )
    response = _upload(client, text)
    assert response.status_code == 400
    body = response.content.decode()
    assert "visits_per_day" in body and "municipality_code" in body and ">3<" in body and ">4<" in body
    assert not Course.objects.exists()
    response = _upload(client, "\n".join(text.split("\n")[:2]))
    assert response.status_code == 302 and Course.objects.count() == 1


@pytest.mark.parametrize("persona", ["officer", "member"])
def test_upload_is_for_clerks(client, personas, persona):
    log_in(client, personas[persona])
    assert client.get("/iv/forloeb/upload/").status_code in {302, 403}


def _settle_on_page(client, callbacks_fixture):
    """Click "run a settlement" and let the worker (eager here) run it: the job page's response."""
    with callbacks_fixture(execute=True):
        response = client.post("/iv/afregning/koer/")
    assert response.status_code == 302 and "/iv/afregning/bestilling/" in response["Location"]
    return client.get(response["Location"])


def test_officer_runs_settlement_and_finalises(
    client, personas, courses, tariff_years, django_capture_on_commit_callbacks
):
    log_in(client, personas["officer"])
    assert client.get("/iv/afregning/").status_code == 200
    assert client.get("/iv/afregning/koer/").status_code == 405
    response = _settle_on_page(client, django_capture_on_commit_callbacks)
    assert response.status_code == 200 and response.context["job"].status == SettlementJob.Status.DONE
    statement = Statement.objects.order_by("municipality__code").first()
    run = statement.run
    assert f"/iv/afregning/{run.pk}/".encode() in response.content
    assert client.get(f"/iv/afregning/{run.pk}/").status_code == 200
    assert client.get(f"/iv/afregning/{run.pk}/xlsx/").status_code == 200
    response = _settle_on_page(client, django_capture_on_commit_callbacks)  # nothing new
    assert response.context["job"].status == SettlementJob.Status.NOTHING
    assert run.agreement.runs.count() == 1
    assert client.get(f"/iv/opgoerelse/{statement.pk}/").status_code == 200
    assert client.get(f"/iv/opgoerelse/{statement.pk}/afslut/").status_code == 200  # asks to confirm
    assert client.post(f"/iv/opgoerelse/{statement.pk}/afslut/", {"confirm": "on"}).status_code == 302
    statement.refresh_from_db()
    assert statement.is_final and statement.number == 1


def test_settlement_runs_in_the_worker_and_two_clicks_give_one_run(
    client, personas, courses, tariff_years, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    log_in(client, personas["officer"])
    with django_capture_on_commit_callbacks() as first:
        first_click = client.post("/iv/afregning/koer/")
    with django_capture_on_commit_callbacks() as second:
        second_click = client.post("/iv/afregning/koer/")
    # The request only records the job; nothing is settled until the worker takes it.
    assert first_click["Location"] == second_click["Location"]
    assert (len(first), len(second)) == (1, 0) and SettlementJob.objects.count() == 1
    assert not SettlementRun.objects.exists()
    job = SettlementJob.objects.get()
    page = client.get(first_click["Location"])
    assert page.context["job"].status == SettlementJob.Status.QUEUED
    assert b'hx-trigger="every 2s"' in page.content  # the status row polls while open
    first[0]()  # the worker runs the task
    first[0]()  # a second delivery of the same task does nothing
    assert SettlementRun.objects.count() == 1
    with django_assert_max_num_queries(8):  # polled every 2 s: a bounded row
        row = client.get(first_click["Location"] + "?row=1")
    assert row.context["job"].status == SettlementJob.Status.DONE
    assert b"hx-trigger" not in row.content and b"<html" not in row.content
    job.refresh_from_db()
    assert job.run.statements.count() == 2 and job.finished_at


def test_two_open_settlement_jobs_cannot_exist(personas, courses):
    agreement = Statement._meta.apps.get_model("agreements", "Agreement").objects.get()
    SettlementJob.objects.create(agreement=agreement)
    with pytest.raises(IntegrityError), transaction.atomic():
        SettlementJob.objects.create(agreement=agreement, status=SettlementJob.Status.RUNNING)
    SettlementJob.objects.create(agreement=agreement, status=SettlementJob.Status.DONE)


def test_missing_tariff_year_is_shown(client, personas, courses, django_capture_on_commit_callbacks):
    log_in(client, personas["officer"])
    response = _settle_on_page(client, django_capture_on_commit_callbacks)
    assert response.context["job"].status == SettlementJob.Status.FAILED
    assert b"2024" in response.content and not Statement.objects.exists()


def test_statement_downloads(client, personas, settled, django_capture_on_commit_callbacks):
    statement = Statement.objects.get(municipality__code="101")
    log_in(client, personas["officer"])
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.get(f"/iv/opgoerelse/{statement.pk}/pdf/")
    assert response.status_code == 202 and not callbacks  # GET never writes nor enqueues
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = client.post(f"/iv/opgoerelse/{statement.pk}/pdf/")
    assert response.status_code == 302 and len(callbacks) == 1  # the pdf worker renders it
    response = client.get(f"/iv/opgoerelse/{statement.pk}/pdf/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].endswith('filename="opgoerelse-101-kladde-koersel-1.pdf"')
    pdf = b"".join(response.streaming_content)
    assert pdf.startswith(b"%PDF")
    response = client.get(f"/iv/opgoerelse/{statement.pk}/xlsx/")
    sheet = load_workbook(io.BytesIO(response.content))["Lines"]
    assert sheet.cell(int(sheet.freeze_panes[1:]), 1).value == "KBH-1"  # below the heading
    with django_capture_on_commit_callbacks(execute=True):
        statement_finalise(statement=statement)
    statement.refresh_from_db()
    assert statement.pdf_key.startswith("final-1")  # rendered ahead when finalised
    response = client.get(f"/iv/opgoerelse/{statement.pk}/pdf/")
    assert response["Content-Disposition"].endswith('filename="opgoerelse-101-nr-1.pdf"')


def test_finalising_asks_for_confirmation(client, personas, settled):
    statement = Statement.objects.get(municipality__code="101")
    log_in(client, personas["officer"])
    page = client.get(f"/iv/opgoerelse/{statement.pk}/afslut/")
    assert page.status_code == 200 and b"cannot be undone" in page.content
    response = client.post(f"/iv/opgoerelse/{statement.pk}/afslut/")
    assert response.status_code == 400 and b"Tick the box" in response.content
    statement.refresh_from_db()
    assert not statement.is_final
    assert client.post(f"/iv/opgoerelse/{statement.pk}/afslut/", {"confirm": "on"}).status_code == 302
    statement.refresh_from_db()
    assert statement.is_final


def test_clerk_reads_own_statement_only_and_cannot_finalise(client, personas, settled):
    mine = Statement.objects.get(municipality__code="101")
    theirs = Statement.objects.get(municipality__code="147")
    log_in(client, personas["clerk_a"])
    assert client.get(f"/iv/opgoerelse/{mine.pk}/").status_code == 200
    assert client.get(f"/iv/opgoerelse/{theirs.pk}/").status_code == 404
    assert client.get(f"/iv/opgoerelse/{theirs.pk}/xlsx/").status_code == 404
    assert client.post(f"/iv/opgoerelse/{mine.pk}/afslut/").status_code == 403
    assert client.get("/iv/afregning/").status_code == 403


def test_run_and_statement_queries_do_not_grow(
    client, personas, kbh, frb, tariff_years, django_assert_max_num_queries
):
    make_courses(kbh, 250)
    make_courses(frb, 150, prefix="F")
    run = settlement_run(as_of=AS_OF)
    statement = run.statements.get(municipality=kbh)
    log_in(client, personas["officer"])
    with django_assert_max_num_queries(12):
        assert client.get(f"/iv/afregning/{run.pk}/").status_code == 200
    with django_assert_max_num_queries(12):
        response = client.get(f"/iv/opgoerelse/{statement.pk}/")
    assert response.status_code == 200 and len(response.context["page"]) == 200
    assert [s["count"] for s in response.context["steps"]] == [250]
    response = client.get(f"/iv/opgoerelse/{statement.pk}/?page=2")
    assert len(response.context["page"]) == 50


def test_tariff_page(client, personas):
    log_in(client, personas["officer"])
    assert client.get("/iv/takster/").status_code == 200
    assert client.post("/iv/takster/", {"year": "2024", "index": "1.0810"}).status_code == 302
    response = client.post("/iv/takster/", {"year": "2024", "index": "1.1"})
    assert response.status_code == 200 and b"already" in response.content
    log_in(client, personas["clerk_a"])
    assert client.post("/iv/takster/", {"year": "2025", "index": "1.1"}).status_code == 403


def test_tariff_page_names_treatments_and_groups_thousands(client, personas, settings):
    settings.LANGUAGE_CODE = "da"
    log_in(client, personas["officer"])
    html = client.get("/iv/takster/").content.decode()
    assert "antibiotics" not in html and "IV-antibiotika" in html
    assert "6.915 / 1.485" in html


def test_staircase_and_monitoring(
    client, personas, kbh, frb, django_assert_max_num_queries, django_capture_on_commit_callbacks
):
    today = datetime.date.today()
    make_courses(kbh, 60, year=today.year)
    make_courses(frb, 60, year=today.year, prefix="F", treatment="fluids")
    for persona in ("officer", "secretariat", "clerk_a"):
        log_in(client, personas[persona])
        with django_assert_max_num_queries(12):
            assert client.get("/iv/trappe/").status_code == 200
        with django_assert_max_num_queries(12):
            response = client.get(f"/iv/monitorering/?year={today.year}&quarter=1")
        assert response.status_code == 200 and b"<svg" in response.content
    response = client.get(f"/iv/monitorering/xlsx/?year={today.year}&quarter=1")
    rows = list(load_workbook(io.BytesIO(response.content)).active.values)
    assert len(rows) == 1 + 29 + 1 and rows[-1][1] == sum(r[1] for r in rows[1:-1])  # the whole region
    url = f"/iv/monitorering/pdf/?year={today.year}&quarter=1"
    # GET never writes (issue 11): nothing stored yet, so the page offers to ask for the PDF.
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(url)
    assert response.status_code == 202 and response.context["ask"]
    assert callbacks == [] and not QuarterReport.objects.exists()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert client.post(url).status_code == 302  # asked: the pdf worker renders it
    assert len(callbacks) == 1
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    course = Course.objects.filter(municipality=kbh).first()
    course.visits_per_day = 4
    course.save()
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.get(url)
    assert response.status_code == 202 and response.context["ask"] and callbacks == []  # data changed
    with django_capture_on_commit_callbacks() as callbacks:
        client.post(url)
    response = client.get(url)  # asked, not rendered yet: the page says it is being made
    assert response.status_code == 202 and not response.context["ask"] and len(callbacks) == 1
    log_in(client, personas["member"])
    assert client.get("/iv/monitorering/").status_code == 403


def test_cost_sharing(client, personas):
    log_in(client, personas["secretariat"])
    response = client.get("/iv/fordeling/?amount=1000000.00")
    assert response.status_code == 200
    shares = response.context["shares"]
    assert len(shares) == 29 and sum(s for _m, s in shares) == Decimal("1000000.00")
    response = client.get("/iv/fordeling/?amount=1000000.00&format=xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert client.get("/iv/fordeling/?amount=-1").status_code == 200
    log_in(client, personas["clerk_a"])
    assert client.get("/iv/fordeling/").status_code == 403


def test_cost_sharing_for_a_kkr_without_an_iv_agreement(client, personas, sjaelland, hovedstaden):
    """FO 4.3 is the KKR's: Sjælland's secretariat shares among Sjælland's municipalities."""
    from register.models import Municipality

    log_in(client, personas["secretariat_other"])
    response = client.get("/iv/fordeling/")
    assert response.status_code == 200
    assert [label for label, _url in response.context["iv_nav"]] == ["Cost sharing"]
    response = client.get("/iv/fordeling/?amount=250000.00")
    shares = response.context["shares"]
    expected = set(Municipality.objects.filter(region=sjaelland).values_list("pk", flat=True))
    assert {m.pk for m, _s in shares} == expected and expected
    assert sum(s for _m, s in shares) == Decimal("250000.00")
    assert 'href="/iv/trappe/"' not in response.content.decode()
    assert client.get("/iv/monitorering/").url == "/iv/fordeling/"  # the menu's entry leads here
    xlsx = client.get("/iv/fordeling/?amount=250000.00&format=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    # Another region cannot be asked for.
    response = client.get(f"/iv/fordeling/?region={hovedstaden.pk}&amount=100.00")
    assert response.status_code == 200 and not response.context["shares"]
    assert response.context["region"] == sjaelland


def test_start_page_panels(client, personas, courses):
    log_in(client, personas["clerk_a"])
    response = client.get("/")
    assert b"Your open IV courses" in response.content
    log_in(client, personas["officer"])
    response = client.get("/")
    assert b"the staircase" in response.content and b"wait for settlement" in response.content


GET_ONLY = [
    "/iv/",
    "/iv/forloeb/{course}/",
    "/iv/afregning/",
    "/iv/afregning/{run}/",
    "/iv/afregning/{run}/xlsx/",
    "/iv/opgoerelse/{statement}/",
    "/iv/opgoerelse/{statement}/xlsx/",
    "/iv/trappe/",
    "/iv/monitorering/",
    "/iv/monitorering/xlsx/",
    "/iv/fordeling/",
]
POST_ONLY = ["/iv/afregning/koer/"]
# GET shows (the PDF, or a button that asks for it; the confirmation), POST acts.
GET_AND_POST = [
    "/iv/opgoerelse/{statement}/pdf/",
    "/iv/opgoerelse/{statement}/afslut/",
    "/iv/monitorering/pdf/",  # POST asks for the PDF (a GET never writes)
]


def test_wrong_methods_are_refused(client, personas, settled):
    course = Course.objects.get(external_id="KBH-1")
    statement = Statement.objects.get(municipality__code="101")
    ids = {"course": course.pk, "run": settled.pk, "statement": statement.pk}
    log_in(client, personas["officer"])
    for url in GET_ONLY:
        assert client.post(url.format(**ids)).status_code == 405, url
    for url in POST_ONLY:
        assert client.get(url.format(**ids)).status_code == 405, url
    for url in GET_AND_POST:
        assert client.put(url.format(**ids)).status_code == 405, url
    log_in(client, personas["clerk_a"])
    assert client.get(f"/iv/forloeb/{course.pk}/tilbagetraek/").status_code == 405
    for url in ("/iv/forloeb/ny/", "/iv/forloeb/upload/", f"/iv/forloeb/{course.pk}/rediger/"):
        assert client.put(url).status_code == 405, url


def test_form_warns_about_a_possible_duplicate(client, personas, kbh):
    course_register(item=course_input(kbh, "D-1", cpr="010190-1234"))
    log_in(client, personas["clerk_a"])
    data = {
        "municipality": kbh.pk,
        "external_id": "D-2",
        "treatment": "antibiotics",
        "referred_on": "2024-03-03",
        "decision": "accepted",
        "start_date": "2024-03-04",
        "setting": "home",
        "visits_per_day": "2",
        "minutes_per_visit": "30",
        "cpr": "0101901234",
    }
    response = client.post("/iv/forloeb/ny/", data, follow=True)
    assert b"Possible duplicate: D-2" in response.content and Course.objects.count() == 2


def test_detail_and_tariff_pages_queries_are_pinned(client, personas, settled, django_assert_max_num_queries):
    course = Course.objects.get(external_id="KBH-1")
    log_in(client, personas["officer"])
    with django_assert_max_num_queries(8):
        assert client.get(f"/iv/forloeb/{course.pk}/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/iv/takster/").status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get("/iv/afregning/").status_code == 200


def test_admin_shows_agreement_and_tariffs(client, tariff_years, agreement):
    from accounts.models import User

    from ..conftest import log_in as log_in_admin

    admin = User.objects.create_superuser(email="admin@example.dk", password="pw-for-tests-123")
    admin.is_staff = True
    admin.save()
    log_in_admin(client, admin)
    assert client.get(f"/admin/agreements/agreement/{agreement.pk}/change/").status_code == 200
    table = tariff_years[2024]
    assert client.get(f"/admin/agreements/tarifftable/{table.pk}/change/").status_code == 200
    assert client.get("/admin/agreements/tarifftable/add/").status_code == 403
