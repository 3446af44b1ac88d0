"""The foundation as users meet it: logging in (staff with TOTP, first-time set-up included), the
start page of each role, the language switch, and the navbar by keyboard alone."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from .conftest import TEST_PASSWORD, log_in, shoot, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

# persona -> the role label the start page shows (Danish UI)
ROLE_LABELS = {
    "secretariat": "Sekretariat",
    "officer": "Regionens afregningsmedarbejder",
    "clerk_a": "Kommunal afregningsmedarbejder",
    "member": "Medlem",
    "substitute": "Stedfortræder",
    "chair": "Formand",
}
STAFF = {"secretariat", "officer"}


def code_for(device) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def submit_login(page, user) -> None:
    visit(page, "/konto/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()


@pytest.mark.parametrize("persona", list(ROLE_LABELS))
def test_each_persona_logs_in_and_sees_their_start_page(page, personas, persona):
    user = personas[persona]
    if persona in STAFF:
        TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
    log_in(page, user)
    assert page.url.endswith("/"), page.url
    visit(page, "/", shot=f"start-{persona}")
    assert "Velkommen" in page.get_by_role("heading", level=1).inner_text()
    assert ROLE_LABELS[persona] in page.locator("main").inner_text()
    assert page.get_by_role("button", name="Log ud").is_visible()


def test_staff_second_factor_refuses_a_wrong_code_then_lets_the_right_one_in(page, personas):
    user = personas["secretariat"]
    device = TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
    submit_login(page, user)
    assert "/konto/totp/" in page.url
    visit(page, page.url, shot="totp-prompt")
    wrong = "000000" if code_for(device) != "000000" else "111111"
    page.get_by_label("Kode").fill(wrong)
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_load_state()
    assert "Koden er forkert" in page.locator("main").inner_text()
    shoot(page, "totp-wrong-code")
    # Nothing beyond the login is reachable until the code is right.
    visit(page, "/kkr/")
    assert "/konto/totp/" in page.url
    page.get_by_label("Kode").fill(code_for(device))
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_load_state()
    assert page.url.endswith("/kkr/"), page.url
    visit(page, page.url, shot="totp-passed-council-list")


def test_staff_first_login_sets_up_the_authenticator(page, personas):
    user = personas["officer"]
    submit_login(page, user)
    visit(page, page.url, shot="totp-setup")
    assert page.get_by_role("img", name="QR-kode").count() or page.locator("main img").count()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    page.get_by_label("Kode").fill(code_for(device))
    page.get_by_role("button", name="Bekræft").click()
    page.wait_for_load_state()
    device.refresh_from_db()
    assert device.confirmed
    assert "Velkommen" in page.get_by_role("heading", level=1).inner_text()


def test_language_switch_to_english_and_back(page, personas):
    log_in(page, personas["member"])
    visit(page, "/")
    assert page.locator("html").get_attribute("lang") == "da"
    page.get_by_label("Sprog").select_option("en")
    page.get_by_role("button", name="Skift").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Welcome" in page.get_by_role("heading", level=1).inner_text()
    visit(page, page.url, shot="start-member-english")
    page.get_by_label("Language").select_option("da")
    page.get_by_role("button", name="Change").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "da"
    assert "Velkommen" in page.get_by_role("heading", level=1).inner_text()


def test_anonymous_is_sent_to_login_and_back_to_the_page_asked_for(page, personas):
    page.goto("/kkr/")
    assert "/konto/login/" in page.url and "next=/kkr/" in page.url
    page.get_by_label("E-mail").fill(personas["member"].email)
    page.get_by_label("Adgangskode").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state()
    assert page.url.endswith("/kkr/"), page.url
    visit(page, page.url, shot="member-council-list")


def focused(page) -> dict:
    return page.evaluate(
        """() => { const e = document.activeElement;
        return {tag: e.tagName, text: (e.innerText || e.value || '').trim(), href: e.getAttribute('href'),
                id: e.id, visible: e.matches(':focus-visible')}; }"""
    )


def test_navbar_by_keyboard_alone(page, personas):
    user = personas["secretariat"]
    TOTPDevice.objects.create(user=user, name="Telefon", confirmed=True)
    log_in(page, user)
    visit(page, "/")
    # The first Tab reaches the skip link, which moves focus to the main content.
    page.keyboard.press("Tab")
    first = focused(page)
    assert first["href"] == "#main" and first["visible"], first
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "main"
    # From the top again: every navbar entry is reached in order, each with a visible focus ring.
    page.goto("/")
    nav_links = page.locator("#main-nav a.nav-link").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    assert nav_links, "the secretariat has navbar entries"
    seen = []
    for _ in range(40):
        page.keyboard.press("Tab")
        now = focused(page)
        assert now["visible"], now
        if now["href"] in nav_links and now["href"] not in seen:
            seen.append(now["href"])
        if now["text"] == "Log ud":
            break
    assert seen == nav_links
    # Enter on a navbar entry opens it.
    page.goto("/")
    for _ in range(40):
        page.keyboard.press("Tab")
        if focused(page)["href"] == nav_links[0]:
            break
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith(nav_links[0]), page.url
    visit(page, page.url, shot="keyboard-navbar-target")
