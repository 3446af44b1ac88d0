"""Browser journeys: Playwright for Python driving Debian's Chromium against the live server.

Every page a journey visits goes through `visit()`, which runs axe-core (WCAG 2.1 A/AA) and
fails on a serious or critical violation, and `shoot()` keeps a full-page screenshot.
The UI is Danish, as the users see it.
"""

import os
import pathlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect, sync_playwright

from tests.conftest import ensure_reference_data

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = pathlib.Path(__file__).parent / "screenshots"
TEST_PASSWORD = "pw-for-tests-123"  # noqa: S105 - the fixtures' password
MAX_SHOT_HEIGHT = 8000
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    ensure_reference_data()


@pytest.fixture(autouse=True)
def _danish(settings):
    # The test settings speak English for readable assertions; the journeys show the real, Danish UI.
    settings.LANGUAGE_CODE = "da"


@pytest.fixture(scope="session")
def browser():
    if not pathlib.Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run `make chromium`")
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, locale="da-DK", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


_axe = Axe()


def check_a11y(page, where: str) -> None:
    results = _axe.run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    bad = [v for v in results.response["violations"] if v.get("impact") in {"serious", "critical"}]
    details = "; ".join(f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in bad)
    assert not bad, f"accessibility violations on {where}: {details}"


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(exist_ok=True)
    # Chromium cannot capture a page taller than its texture limit (~16,000 px): clip long pages.
    height = page.evaluate("document.documentElement.scrollHeight")
    path = str(SCREENSHOTS / f"{name}.png")
    if height <= MAX_SHOT_HEIGHT:
        page.screenshot(path=path, full_page=True)
    else:
        width = page.evaluate("document.documentElement.scrollWidth")
        page.screenshot(
            path=path, full_page=True, clip={"x": 0, "y": 0, "width": width, "height": MAX_SHOT_HEIGHT}
        )


def visit(page, url: str, shot: str | None = None):
    response = page.goto(url)
    assert response is not None and response.status < 400, f"{url} answered {response and response.status}"
    check_a11y(page, url)
    if shot:
        shoot(page, shot)
    return response


def log_in(page, user, password=TEST_PASSWORD):
    """Log in through the form; staff also pass the TOTP step with a code from their device."""
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    visit(page, "/konto/login/")
    page.get_by_label("E-mail").fill(user.email)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        # django-otp refuses a code of a step already used (replay): a second login in the same
        # 30 s (a journey switching users) stands for one a step later.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        page.get_by_label("Kode").fill(f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}")
        page.get_by_role("button", name="Bekræft").click()
    page.wait_for_load_state()


def choose(page, select_id: str, typed: str) -> None:
    """Choose in a searchable select (``core.forms.SearchableSelect``) as a keyboard user does:
    focus its combobox, type part of a name, press Enter. Checks the original select, which is
    what the form posts, now holds a choice whose label contains what was typed."""
    combobox = page.locator(f"#{select_id}-ts-control")
    combobox.focus()
    page.keyboard.type(typed)
    expect(page.locator(f"#{select_id}-ts-dropdown .option.active")).to_contain_text(typed, ignore_case=True)
    page.keyboard.press("Enter")
    expect(page.locator(f"#{select_id}-ts-dropdown")).to_be_hidden()  # closed, covers nothing
    chosen = page.locator(f"#{select_id}").evaluate("el => el.selectedOptions[0].textContent")
    assert typed.casefold() in chosen.casefold(), f"{typed!r} chose {chosen!r}"
