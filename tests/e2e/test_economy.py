"""Browser journeys of the economy (FO 4.2-4.4): a politician registers and cancels and the waiting
list moves; an initiative's yearly report lands on the KKR agenda; a member claims mileage for a
meeting and the secretariat approves it."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from appointments.models import Seat
from economy import services
from economy.models import Claim, MileageRate, Registration
from meetings.models import Attendance, Meeting
from tests.economy.conftest import make_event

from .conftest import log_in, shoot, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def staff(user):
    """Staff log in with a second factor: give the user a TOTP device."""
    TOTPDevice.objects.get_or_create(user=user, name="e2e", defaults={"confirmed": True})
    return user


@pytest.fixture
def full_event(hovedstaden, council, personas):
    event = make_event(hovedstaden, capacity=1, fee_politician="650.00")
    services.register(event=event, politician=personas["chair"].politician, by=personas["secretariat"])
    return event


def test_register_cancel_and_the_waiting_list_moves(page, full_event, personas):
    log_in(page, personas["member"])
    visit(page, f"/okonomi/arrangementer/{full_event.pk}/", "economy-event-full")
    page.get_by_role("button", name="Skriv mig på ventelisten").click()
    assert "På ventelisten" in page.locator("#own-status").inner_text()
    page.context.clear_cookies()
    log_in(page, personas["chair"])
    visit(page, f"/okonomi/arrangementer/{full_event.pk}/")
    page.get_by_role("button", name="Afmeld mig").click()
    page.wait_for_load_state()
    assert Registration.objects.get(politician=personas["member"].politician).status == "confirmed"
    page.context.clear_cookies()
    log_in(page, personas["member"])
    visit(page, f"/okonomi/arrangementer/{full_event.pk}/", "economy-event-moved-up")
    assert "Tilmeldt" in page.locator("#own-status").inner_text()


def test_yearly_report_lands_on_the_agenda(page, council, personas):
    meeting = Meeting.objects.create(council=council, starts_at=timezone.now() + datetime.timedelta(days=25))
    initiative = services.initiative_create(
        region=council.region,
        by=personas["secretariat"],
        title="Rekrutteringstaskforce",
        purpose="Flere SOSU-elever",
        owner=personas["secretariat"],
        host=council.region.municipalities.get(code="101"),
        institutions="",
        starts_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 12, 31),
    )
    services.budget_set(initiative=initiative, year=2026, amount=Decimal("1000000"))
    log_in(page, staff(personas["secretariat"]))
    visit(page, f"/okonomi/initiativer/{initiative.pk}/", "economy-initiative")
    page.locator("#reports").get_by_role("link", name="Skriv rapporten").nth(1).click()  # the yearly one
    page.get_by_label("Rapport").fill("Årets status: 140 nye elever.")
    page.get_by_role("button", name="Indsend rapporten").click()
    page.wait_for_load_state()
    item = meeting.items.get()
    assert item.kind == "orientation" and "140 nye elever" in item.case_text
    assert "på dagsordenen" in page.locator("#reports").inner_text()


def test_member_claims_mileage_and_the_secretariat_approves(page, council, personas):
    year = timezone.localdate().year
    MileageRate.objects.create(
        year=year, high_rate=Decimal("3.81"), low_rate=Decimal("2.25"), high_limit_km=20000
    )
    meeting = Meeting.objects.create(
        council=council,
        starts_at=timezone.now() - datetime.timedelta(days=3),
        status=Meeting.Status.HELD,
        agenda_published_at=timezone.now() - datetime.timedelta(days=10),
    )
    seat = Seat.objects.get(council=council, number=3)
    Attendance.objects.create(meeting=meeting, seat=seat, status="present", attendee=seat.holder)
    log_in(page, personas["member"])
    visit(page, "/okonomi/godtgoerelse/")
    page.locator("#id_meeting").select_option(f"m{meeting.pk}")
    page.locator("#id_transport").select_option("car")
    page.locator("#id_distance_km").fill("42")
    page.get_by_role("button", name="Send kravet").click()
    page.wait_for_load_state()
    shoot(page, "economy-claim-sent")
    assert Claim.objects.get().status == "submitted"
    page.context.clear_cookies()
    log_in(page, staff(personas["secretariat"]))
    visit(page, "/okonomi/godtgoerelse/behandling/", "economy-claims-review")
    page.get_by_role("button", name="Godkend").click()
    page.wait_for_load_state()
    claim = Claim.objects.get()
    assert claim.status == "approved" and claim.amount == Decimal("160.02")
