"""Issue 16: choosing one of hundreds of people is a search, by keyboard, not a long drop-down.

Person, municipality and body choices are ``core.forms.SearchableSelect``: Tom Select (served from
node_modules by WhiteNoise) over the original select, which stays in the form and is posted.
"""

import datetime

import pytest
from playwright.sync_api import expect

from appointments import services
from register.models import Municipality, Party, Politician
from tests.conftest import make_politician

from .conftest import choose, log_in, shoot, visit
from .test_appointments import secretariat  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def post(council, hovedstaden):
    # A region's worth of people to choose among, as in the demo (~256 politicians).
    kbh, a = Municipality.objects.get(code="101"), Party.objects.get(letter="A")
    for i in range(60):
        make_politician(kbh, a, f"Person {i:02d} Hansen")
    body = services.body_create(
        region=hovedstaden,
        name="Vandrådet",
        term_start=datetime.date.today() - datetime.timedelta(days=10),
        term_end=None,
        posts=[("Medlem", 1)],
    )
    return body.posts.get()


def test_a_person_is_chosen_by_typing_part_of_the_name_and_pressing_enter(page, secretariat, post):  # noqa: F811
    log_in(page, secretariat)
    visit(page, f"/kkr/poster/{post.pk}/")
    # The label names the combobox a keyboard or screen-reader user lands on.
    label = page.locator("label#id_r-candidate_1-ts-label")
    assert label.inner_text().startswith("Kandidat 1")
    assert label.get_attribute("for") == "id_r-candidate_1-ts-control"
    combobox = page.get_by_role("combobox", name="Kandidat 1")
    assert combobox.get_attribute("id") == "id_r-candidate_1-ts-control"
    page.locator("#id_r-present").fill("9")
    page.locator("#id_r-present").press("Tab")  # from the field before, by keyboard
    assert page.evaluate("document.activeElement.id") == "id_r-candidate_1-ts-control"
    page.keyboard.type("mona")
    listbox = page.locator("#id_r-candidate_1-ts-dropdown")
    expect(listbox.locator(".option")).to_have_text(["Mona Member (A, København)"])
    shoot(page, "searchable-choice-typed")
    page.keyboard.press("Enter")
    assert page.locator("#id_r-candidate_1").input_value() == str(
        Politician.objects.get(name="Mona Member").pk
    )
    page.locator("#id_r-votes_1").fill("5")
    choose(page, "id_r-candidate_2", "Carl M")
    page.locator("#id_r-votes_2").fill("4")
    # A word that matches nobody says so, in Danish.
    page.locator("#id_r-candidate_3-ts-control").focus()
    page.keyboard.type("xyzzy")
    expect(page.locator("#id_r-candidate_3-ts-dropdown .no-results")).to_have_text("Ingen resultater")
    page.keyboard.press("Escape")
    # Leave the field, as a user tabbing on does: its list must be closed and cover nothing
    # (an open list over the submit button made the click below flaky).
    page.locator("#id_r-votes_3").focus()
    expect(page.locator("#id_r-candidate_3-ts-dropdown")).to_be_hidden()
    shoot(page, "searchable-choices-filled")
    page.locator("form:has(input[name=action][value=round]) button[type=submit]").click()
    page.wait_for_load_state()
    assert "Mona Member" in page.locator("main").inner_text()


def test_without_javascript_the_choice_is_a_plain_select(page, browser, live_server, secretariat, post):  # noqa: F811
    log_in(page, secretariat)  # with JavaScript (axe runs in the page); the session then goes on without
    context = browser.new_context(
        base_url=live_server.url,
        locale="da-DK",
        java_script_enabled=False,
        storage_state=page.context.storage_state(),
    )
    plain = context.new_page()
    plain.set_default_timeout(15_000)
    try:
        plain.goto(f"/kkr/poster/{post.pk}/")
        select = plain.get_by_label("Kandidat 1", exact=False).and_(plain.locator("select"))
        assert select.is_visible() and not plain.locator(".ts-wrapper").count()
        assert select.locator("option").count() == 1 + 8 + 60  # "---------" and the region's people
        select.select_option(label="Mona Member (A, København)")
        plain.locator("#id_r-present").fill("9")
        plain.locator("#id_r-votes_1").fill("5")
        plain.locator("form:has(input[name=action][value=round]) button[type=submit]").click()
        plain.wait_for_load_state()
        assert "Mona Member" in plain.locator("main").inner_text()
    finally:
        context.close()
