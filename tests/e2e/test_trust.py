"""Browser journey of issue 12: a clerk who writes a CPR number in a course's note is refused, in
Danish, on the field, and nothing is stored; a half-finished staff login sees only the TOTP step."""

import pytest

from accounts.models import RoleKind
from agreements.models import Agreement, Course
from register.models import Municipality, Region
from tests.agreements.conftest import EXTENDED_UNTIL
from tests.conftest import make_user

from .conftest import TEST_PASSWORD, check_a11y, shoot, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture(autouse=True)
def _agreement_extended(transactional_db):
    Agreement.objects.filter(region__code="1084").update(ends_on=EXTENDED_UNTIL)


def test_clerk_is_refused_a_cpr_number_in_the_note(page, live_server):
    from .conftest import log_in

    clerk = make_user(
        "klerk@example.dk", role=RoleKind.CLERK, municipality=Municipality.objects.get(code="101")
    )
    log_in(page, clerk)
    visit(page, "/iv/forloeb/ny/")
    page.locator("#id_external_id").fill("KBH-CPR-1")
    page.locator("#id_referred_on").fill("2026-10-10")
    page.locator("#id_start_date").fill("2026-10-10")
    page.locator("#id_visits_per_day").fill("2")
    page.locator("#id_minutes_per_visit").fill("30")
    page.locator("#id_note").fill("Borger 010190-1234 ønsker besøg om formiddagen")
    with page.expect_navigation():
        page.locator("form button[type=submit]").last.click()
    check_a11y(page, "course form refusing a CPR number")
    shoot(page, "iv-course-form-cpr-refused")
    assert page.locator("#id_note").get_attribute("aria-invalid") == "true"
    assert "ligner et CPR-nummer" in page.content()
    assert not Course.objects.exists()


def test_half_finished_staff_login_sees_only_the_totp_step(page, live_server):
    officer = make_user(
        "region@example.dk", role=RoleKind.REGION_OFFICER, region=Region.objects.get(code="1084")
    )
    visit(page, "/konto/login/")
    page.get_by_label("E-mail").fill(officer.email.upper())  # the email's case does not matter
    page.get_by_label("Adgangskode").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_url("**/konto/totp/**")
    for url in ("/iv/", "/admin/"):
        page.goto(url)
        assert "/konto/totp/" in page.url
    response = page.goto("/api/iv/courses/")
    assert response.status == 403 and "results" not in page.content()
    shoot(page, "trust-api-needs-second-factor")
