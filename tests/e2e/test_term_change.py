"""The term change journey (issue 17): the secretariat creates the new council, imports the
official results, records the mayors, sends the composition, records the parties' members,
holds the constituent meeting with the chair election, and the new council takes office."""

import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Role, RoleKind, User
from appointments import services
from appointments.models import Council, Seat
from appointments.services import term
from register.models import Municipality, Party
from tests.appointments.test_term_change import ELECTION, TERM_START, mayors_csv
from tests.conftest import make_politician

from .conftest import TEST_PASSWORD, log_in, shoot, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

FIXTURES = Path(__file__).resolve().parents[2] / "register" / "fixtures"


@pytest.fixture
def secretariat(council, hovedstaden):
    user = User.objects.create_user(email="sek@example.dk", password=TEST_PASSWORD, name="Sara Sekretær")
    Role.objects.create(user=user, kind=RoleKind.SECRETARIAT, region=hovedstaden)
    TOTPDevice.objects.create(user=user, name="e2e", confirmed=True)
    # The register's figures of every council; the official files of three replace theirs below.
    call_command(
        "load_election_lists", "--year", str(ELECTION), str(FIXTURES / "kv25_lists.csv"), stdout=io.StringIO()
    )
    return user


def submit(page, action):
    page.locator(f"form:has(input[name=action][value={action}]) button[type=submit]").click()
    page.wait_for_load_state()


def report_members(council, leave_one: bool):
    """The parties report their supplementary members (all but one, which the journey records)."""
    municipalities = list(Municipality.objects.filter(region=council.region).order_by("code"))
    missing = term.members_missing(council)
    last = None
    n = 0
    for letter, extra, named in missing:
        party = Party.objects.get(letter=letter)
        for _ in range(extra - named):
            n += 1
            muni = municipalities[n % len(municipalities)]
            holder = make_politician(muni, party, f"Medlem {letter} {n}", council_from=TERM_START)
            substitute = make_politician(muni, party, f"Suppleant {letter} {n}", council_from=TERM_START)
            if leave_one and last is None:
                last = (party, holder, substitute)
                continue
            services.seat_fill(
                council=council,
                kind=Seat.Kind.ELECTED,
                party=party,
                municipality=muni,
                holder=holder,
                substitute=substitute,
                valid_from=TERM_START,
            )
    return last


def test_term_change_from_import_to_the_new_council_taking_office(page, secretariat, council):
    log_in(page, secretariat)
    visit(page, "/kkr/")
    page.locator("a[href='/kkr/ny/']").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="term-new-council")
    page.locator("#id_region").select_option(label="Region Hovedstaden")
    page.locator("#id_election_year").fill(str(ELECTION))
    page.locator("#id_term_start").fill(TERM_START.isoformat())
    page.locator("form:has(#id_term_start) button[type=submit]").click()
    page.wait_for_load_state()
    new = Council.objects.get(election_year=ELECTION)
    assert page.url.endswith(f"/kkr/{new.pk}/valgperiode/")

    # 1. The official files of three municipalities, uploaded at once.
    page.locator("#id_r-files").set_input_files([str(p) for p in sorted((FIXTURES / "kv25").rglob("*.json"))])
    submit(page, "results")
    assert "Albertslund (165) 2025: 21 seats, 10 lists, 13585 votes, 5 counts: stored" in page.content()

    # 2. Mayors and 1st deputy mayors of all 29 municipalities by CSV.
    page.locator("#id_mc-file").set_input_files(
        files=[{"name": "borgmestre.csv", "mimeType": "text/csv", "buffer": mayors_csv().encode()}]
    )
    submit(page, "mayors")
    assert Seat.objects.current(TERM_START).filter(council=new, kind=Seat.Kind.MAYOR).count() == 29

    # 3. The composition and the letter to the parties.
    visit(page, f"/kkr/{new.pk}/valgperiode/", shot="term-change-composition")
    letter = page.request.get(f"/kkr/{new.pk}/valgperiode/brev.pdf")
    assert letter.ok and letter.headers["content-type"] == "application/pdf"
    submit(page, "remind")
    assert "påmindelse" in page.content().lower() or "reminder" in page.content().lower()

    # 4. The parties report; the last member is recorded through the seat page.
    party, holder, substitute = report_members(new, leave_one=True)
    visit(page, f"/kkr/{new.pk}/pladser/ny/")
    page.locator("#id_kind").select_option("elected")
    page.locator("#id_party").select_option(label=str(party))
    page.locator("#id_holder").select_option(
        label=f"{holder.name} ({party.letter}, {holder.municipality.name})"
    )
    page.locator("#id_substitute").select_option(
        label=f"{substitute.name} ({party.letter}, {substitute.municipality.name})"
    )
    page.locator("#id_valid_from").fill(TERM_START.isoformat())
    page.locator("form:has(#id_valid_from) button[type=submit]").click()
    page.wait_for_load_state()
    assert term.members_missing(new) == []

    # 5.-6. The constituent meeting, convened by the longest-serving mayor; the chair election.
    visit(page, f"/kkr/{new.pk}/konstituering/")
    meeting_at = datetime.datetime.combine(TERM_START - datetime.timedelta(days=1), datetime.time(10))
    page.locator("#id_m-meeting_at").fill(meeting_at.strftime("%Y-%m-%dT%H:%M"))
    submit(page, "meeting")
    submit(page, "run")
    assert "/kkr/valg/" in page.url
    page.locator(f"a[href='/kkr/{new.pk}/konstituering/']").first.click()
    page.wait_for_load_state()
    page.locator("#id_n-chair").select_option(index=1)
    page.locator("#id_n-vice_chair").select_option(index=1)
    submit(page, "name")
    new.refresh_from_db()
    assert new.chair is not None and new.vice_chair is not None

    # 7. The new council takes office; the previous one's seats end the day before.
    visit(page, f"/kkr/{new.pk}/valgperiode/")
    submit(page, "office")
    visit(page, page.url, shot="term-change-done")
    assert page.locator("[aria-current=step]").count() == 0  # every step done
    council.refresh_from_db()
    assert council.term_end == TERM_START - datetime.timedelta(days=1)
    assert not Seat.objects.filter(council=council, valid_to__isnull=True).exists()
    assert list(Council.objects.current(TERM_START)) == [new]
    shoot(page, "term-change-taken-office")
