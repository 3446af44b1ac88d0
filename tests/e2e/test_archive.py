"""Browser journeys of the archive (issue 18): a member finds an old IV decision by an inflected
form and follows the link to it; the secretariat follows up a decision in the register and exports
it; a substitute and the public search too, and cannot find a closed item."""

import datetime
import re

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from archive.models import FollowUp
from meetings import services
from meetings.models import AgendaItem
from tests.archive.conftest import SECRET, chair_user
from tests.meetings.conftest import approve, at, register

from .conftest import log_in, shoot, visit

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True), pytest.mark.e2e]


def t(english: str, danish: str):
    return re.compile(f"^\\s*({re.escape(danish)}|{re.escape(english)})\\s*$")


@pytest.fixture
def old_decision(personas, council):
    """A meeting 300 days ago: the KKR agreed to extend the IV agreement ("aftale"); a closed
    item carries a word found nowhere else."""
    secretariat = personas["secretariat"]
    meeting = services.meeting_plan(
        council=council,
        starts_at=at(timezone.localdate() - datetime.timedelta(days=300)),
        location="KL-huset",
    )
    services.item_add(
        meeting=meeting,
        title="IV-behandling i kommunalt regi",
        recommendation="Det indstilles, at KKR anbefaler forlængelse af IV-aftale.",
        case_text="Kommunerne og regionen har evalueret den fælles aftale om IV-behandling.",
    )
    services.item_add(meeting=meeting, title=f"{SECRET}: udpegning", case_text="Fortroligt.", closed=True)
    approve(meeting)
    services.agenda_publish(meeting=meeting, by=secretariat, reason="Indlæst fra arkivet")
    register(meeting, {1: "p", 2: "p", 3: "p", 4: "a"})
    open_item, closed_item = AgendaItem.objects.filter(meeting=meeting).order_by("order")
    services.vote_record(item=open_item, by=secretariat, yes=3, no=0)
    services.minutes_save(
        meeting=meeting,
        by=secretariat,
        texts={open_item.pk: "KKR anbefalede forlængelse af IV-aftalen.", closed_item.pk: "Udpeget."},
    )
    services.minutes_approve(minutes=meeting.minutes, by=chair_user(meeting))
    services.minutes_publish(minutes=meeting.minutes, by=secretariat)
    return open_item


def search(page, words: str, shot: str | None = None):
    page.get_by_role("searchbox", name=re.compile("Søg efter|Search for")).fill(words)
    page.get_by_role("button", name=t("Search", "Søg")).click()
    page.wait_for_load_state()
    if shot:
        shoot(page, shot)


def test_member_finds_an_old_iv_decision_by_an_inflected_form(page, personas, old_decision):
    log_in(page, personas["member"])
    page.get_by_role("link", name=t("Archive", "Arkiv")).click()
    page.wait_for_load_state()
    search(page, "aftalen", shot="archive-search-member")
    hits = page.locator(".search-hit")
    assert hits.count() == 2  # the agenda item ("IV-aftale", "aftale") and its decision ("IV-aftalen")
    marks = [m.lower() for m in page.locator(".search-hit mark").all_inner_texts()]
    assert set(marks) == {"aftale", "aftalen"}  # the matched forms are highlighted
    # The member sees the closed item of their own KKR, as on the meeting page.
    search(page, SECRET)
    assert page.locator(".search-hit").count() == 2
    # Straight to the decision in the minutes, then to the register and back.
    search(page, "aftalen")
    page.locator(".search-hit a[href*='/referat/']").first.click()
    page.wait_for_load_state()
    assert f"#item-{old_decision.pk}" in page.url
    page.get_by_role("link", name=t("Decision register", "Beslutningsregister")).click()
    page.wait_for_load_state()
    visit(page, page.url, shot="archive-register-member")
    row = page.locator(f"#decision-{old_decision.pk}")
    assert "KKR anbefalede forlængelse af IV-aftalen." in row.inner_text()
    assert page.get_by_text(SECRET).count() >= 1
    assert page.get_by_role("link", name=re.compile("Opdater opfølgning|Update follow-up")).count() == 0


def test_secretariat_follows_up_a_decision_and_exports_the_register(
    page, personas, old_decision, hovedstaden
):
    secretariat = personas["secretariat"]
    TOTPDevice.objects.get_or_create(user=secretariat, name="e2e", defaults={"confirmed": True})
    log_in(page, secretariat)
    visit(page, f"/arkiv/beslutninger/{hovedstaden.slug}/", shot="archive-register-secretariat")
    page.locator(f"#decision-{old_decision.pk}").get_by_role(
        "link", name=re.compile("Opdater|Update")
    ).click()
    page.wait_for_load_state()
    shoot(page, "archive-follow-up")
    page.locator("#id_status").select_option("in_progress")
    page.locator("#id_note").fill("Kommunerne har fået besked; evaluering i 2. kvartal.")
    page.get_by_role("button", name=t("Save follow-up", "Gem opfølgning")).click()
    page.wait_for_load_state()
    assert FollowUp.objects.get(item=old_decision).status == "in_progress"
    assert "evaluering i 2. kvartal" in page.locator(f"#decision-{old_decision.pk}").inner_text()
    page.locator("#id_status").select_option("in_progress")
    with page.expect_download() as download:
        page.get_by_role("button", name=t("Export (XLSX)", "Eksportér (XLSX)")).click()
    assert download.value.suggested_filename == f"beslutninger-{hovedstaden.slug}.xlsx"


@pytest.mark.parametrize("who", [None, "substitute"])
def test_the_public_and_a_substitute_cannot_find_a_closed_item(page, personas, old_decision, who):
    if who:
        log_in(page, personas[who])
    visit(page, "/moeder/offentlig/")
    page.get_by_role("link", name=re.compile("Søg i alle offentliggjorte|Search all published")).click()
    page.wait_for_load_state()
    search(page, SECRET, shot=f"archive-search-closed-{who or 'public'}")
    assert page.locator(".search-hit").count() == 0
    assert page.get_by_role("status").inner_text().strip().startswith("0")
    assert SECRET not in page.locator("main").inner_text().replace(page.locator("#id_q").input_value(), "")
    search(page, "aftalen", shot=None if who else "archive-search-public")
    assert page.locator(".search-hit").count() == 2
    link = page.locator(".search-hit a").first.get_attribute("href")
    assert link.startswith("/moeder/offentlig/moede/") if not who else "/moeder/" in link
