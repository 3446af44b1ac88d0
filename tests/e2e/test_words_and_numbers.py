"""Issue 16 in the browser: yes/no answers read ja/nej, numbers carry Danish thousand separators
and decimal commas, and an anonymous visitor's `/` is the public start page."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from .conftest import check_a11y, log_in, shoot, visit
from .test_appointments import secretariat  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_composition_says_ja_nej_and_groups_the_votes(page, secretariat, council):  # noqa: F811
    log_in(page, secretariat)
    visit(page, f"/kkr/{council.pk}/sammensaetning/", shot="words-composition")
    table = page.locator("table", has=page.locator("caption", has_text="Lister, stemmer og pladser"))
    headers = table.locator("thead th").all_inner_texts()
    column = headers.index("Deltager")
    answers = [row.locator("td").nth(column - 1).inner_text() for row in table.locator("tbody tr").all()]
    assert answers and all(re.fullmatch(r"ja|nej(: .+)?", answer) for answer in answers), answers
    assert not any(word in " ".join(answers) for word in ("for", "imod", "yes", "no"))
    # The fixture gives A 25.000 votes in each of two municipalities: 50.000, not 50000.
    rows = {row.locator("th").inner_text(): row for row in table.locator("tbody tr").all()}
    expect(rows["A"].locator("td").first).to_have_text("50.000")
    share = table.locator("tbody tr").first.locator("td").nth(1).inner_text()
    assert re.fullmatch(r"\d{1,3},\d{2}\u00a0%", share), share  # decimal comma, % on the same line


def test_the_public_start_page_for_an_anonymous_visitor(page):
    call_command("seed_demo", verbosity=0)
    visit(page, "/", shot="public-front")
    assert "/konto/login/" not in page.url
    expect(page.get_by_role("heading", level=1)).to_have_text("Kommunekontaktrådene (KKR)")
    kkr = page.locator("section[aria-labelledby=kkr-heading] li")
    expect(kkr).to_have_count(5)
    assert any(text.startswith("KKR Hovedstaden") for text in kkr.all_inner_texts())
    expect(kkr.locator("a[href$='/kalender.ics']")).to_have_count(5)
    calendar = page.locator("section[aria-labelledby=calendar-heading]")
    # Danish dates and times: "Mandag 14. december 15:00"
    assert calendar.locator("time").count() >= 1
    assert re.search(r"\d{1,2}\. [a-zæøå]+ \d{2}:\d{2}", calendar.locator("time").first.inner_text())
    for section in ("agendas-heading", "minutes-heading"):
        links = page.locator(f"section[aria-labelledby={section}] li a")
        assert links.count() >= 1, section
        assert re.search(r"KKR \w+, \d{1,2}\. [a-zæøå]+ \d{4}", links.first.inner_text())
    page.locator("section[aria-labelledby=minutes-heading] li a").first.click()
    page.wait_for_load_state()
    check_a11y(page, page.url)
    shoot(page, "public-front-minutes")
    assert page.locator("#minutes").count() == 1
