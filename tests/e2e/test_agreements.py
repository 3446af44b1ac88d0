"""Browser journeys of the IV agreement (issue 5): a clerk's upload with a row error, fixed and
uploaded again; the region officer's settlement run and statement download."""

import datetime
import re

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from pypdf import PdfReader

from accounts.models import RoleKind
from agreements.models import Agreement, Course, Statement
from agreements.services import course_register, tariff_year_create
from register.models import Municipality, Region
from tests.agreements.conftest import EXTENDED_UNTIL, course_input
from tests.conftest import make_user

from .conftest import check_a11y, log_in, shoot, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _agreement_extended(transactional_db):
    """The journeys register courses of 2026: under the agreement as its parties extended it."""
    Agreement.objects.filter(region__code="1084").update(ends_on=EXTENDED_UNTIL)


HEADER = "external_id;municipality_code;treatment;referred_on;decision;start_date;end_date;setting;visits_per_day;minutes_per_visit"


def _csv(*rows):
    return ("\ufeff" + "\n".join([HEADER, *rows]) + "\n").encode()


def test_clerk_uploads_a_file_with_an_error_fixes_it_and_uploads_again(page, live_server):
    kbh = Municipality.objects.get(code="101")
    clerk = make_user("klerk@example.dk", role=RoleKind.CLERK, municipality=kbh)
    log_in(page, clerk)
    visit(page, "/iv/", shot="iv-clerk-courses-empty")
    visit(page, "/iv/forloeb/upload/", shot="iv-upload")
    good = "KBH-100;101;antibiotika;01-10-2026;accepteret;02-10-2026;09-10-2026;hjem;2;30"
    bad = "KBH-101;101;væske;01-10-2026;accepteret;02-10-2026;04-10-2026;klinik;6;30"
    page.locator("#id_file").set_input_files(
        files=[{"name": "forloeb.csv", "mimeType": "text/csv", "buffer": _csv(good, bad)}]
    )
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_load_state()
    errors = page.locator("#upload-errors tbody tr")
    assert errors.count() == 1
    assert errors.first.locator("th").inner_text() == "3"
    assert "visits_per_day" in errors.first.inner_text()
    check_a11y(page, "upload with errors")
    shoot(page, "iv-upload-errors")
    assert not Course.objects.exists()

    fixed = bad.replace(";6;30", ";4;30")
    page.locator("#id_file").set_input_files(
        files=[{"name": "forloeb.csv", "mimeType": "text/csv", "buffer": _csv(good, fixed)}]
    )
    page.locator("main form[enctype] button[type=submit]").click()
    page.wait_for_url("**/iv/")
    check_a11y(page, "course list after upload")
    shoot(page, "iv-clerk-courses")
    assert page.get_by_role("link", name="KBH-101").is_visible()
    assert Course.objects.count() == 2
    page.get_by_role("link", name="KBH-101").click()
    page.wait_for_load_state()
    check_a11y(page, "course detail")
    shoot(page, "iv-course-detail")


def test_region_officer_runs_a_settlement_and_downloads_a_statement(page, live_server):
    region = Region.objects.get(code="1084")
    officer = make_user("region@example.dk", role=RoleKind.REGION_OFFICER, region=region)
    TOTPDevice.objects.create(user=officer, name="test", confirmed=True)
    tariff_year_create(year=2026, index="1.1750")
    kbh, frb = Municipality.objects.get(code="101"), Municipality.objects.get(code="147")
    start = datetime.date(2026, 3, 2)
    for i in range(3):
        course_register(item=course_input(kbh, f"KBH-{i}", start_date=start + datetime.timedelta(days=i)))
    course_register(item=course_input(frb, "FRB-1", treatment="fluids", start_date=start))

    log_in(page, officer)
    visit(page, "/iv/afregning/", shot="iv-runs")
    page.locator("form[action$='/iv/afregning/koer/'] button").click()
    page.wait_for_url("**/iv/afregning/bestilling/*/")  # the worker settles; the page shows its status
    check_a11y(page, "settlement job")
    shoot(page, "iv-settlement-job")
    page.locator("#settlement-job a.btn").click()
    page.wait_for_url("**/iv/afregning/*/")
    check_a11y(page, "run detail")
    shoot(page, "iv-run-detail")
    page.get_by_role("link", name="København").click()
    page.wait_for_url("**/iv/opgoerelse/*/")
    check_a11y(page, "statement")
    page.locator("a[href$='/afslut/']").click()
    page.wait_for_url("**/afslut/")
    check_a11y(page, "finalise confirmation")
    shoot(page, "iv-statement-finalise")
    page.locator("input[name=confirm]").check()
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/iv/opgoerelse/*/")
    statement = Statement.objects.get(municipality=kbh)
    assert statement.is_final and statement.number == 1
    check_a11y(page, "finalised statement")
    shoot(page, "iv-statement")
    with page.expect_download() as download_info:
        page.locator("a[href$='/pdf/']").click()
    download = download_info.value
    assert download.suggested_filename == "opgoerelse-101-nr-1.pdf"
    # Issue 16: the first page is what a finance office books from (text read from the PDF).
    first = PdfReader(download.path()).pages[0].extract_text()
    for text in ("Region Hovedstaden", "København Kommune", "Opgørelsesnummer", "Side 1 af"):
        assert text in first, f"{text!r} not on the statement's first page:\n{first}"
    assert re.search(r"Opgørelsesnummer\s*1\b", first), first
    visit(page, "/iv/trappe/", shot="iv-staircase")
    visit(page, "/iv/monitorering/?year=2026&quarter=1", shot="iv-monitoring")
    visit(page, "/iv/fordeling/?amount=250000", shot="iv-cost-sharing")
    # Danish amounts: "250.000,00", thousand separators and a decimal comma.
    assert re.search(r"\b250\.000(,00)?\b", page.locator("main").inner_text())
    visit(page, "/iv/takster/", shot="iv-tariffs")
    assert re.search(r"\b\d{1,3}\.\d{3}\b", page.locator("main table").first.inner_text())  # 1.343


def _tab_to(page, element_id: str, limit: int = 80) -> None:
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement && document.activeElement.id") == element_id:
            return
    raise AssertionError(f"#{element_id} cannot be reached with the keyboard")


def test_clerk_registers_a_course_with_the_keyboard_only(page, live_server):
    kbh = Municipality.objects.get(code="101")
    clerk = make_user("klerk@example.dk", role=RoleKind.CLERK, municipality=kbh)
    log_in(page, clerk)
    visit(page, "/iv/forloeb/ny/", shot="iv-course-form")
    _tab_to(page, "id_external_id")
    page.keyboard.type("KBH-KEY-1")
    # Day and month alike: the date field's segment order follows the browser's own locale.
    _tab_to(page, "id_referred_on")
    page.keyboard.type("10102026")
    _tab_to(page, "id_start_date")
    page.keyboard.type("10102026")
    _tab_to(page, "id_visits_per_day")
    page.keyboard.type("5")  # more than 4 a day: refused with the reason
    _tab_to(page, "id_minutes_per_visit")
    page.keyboard.type("30")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "course form with an error")
    shoot(page, "iv-course-form-error")
    assert not Course.objects.exists()
    assert page.locator("#id_visits_per_day").get_attribute("aria-invalid") == "true"
    _tab_to(page, "id_visits_per_day")
    page.keyboard.press("Control+A")
    page.keyboard.type("4")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    check_a11y(page, "the registered course")
    course = Course.objects.get()
    assert (course.external_id, course.visits_per_day, course.start_date) == (
        "KBH-KEY-1",
        4,
        datetime.date(2026, 10, 10),
    )
    assert course.end_date is None
