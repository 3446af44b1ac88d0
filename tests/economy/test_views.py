"""The economy's pages: who sees what (deny by default), the flows through HTTP, bounded queries."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from appointments.models import Seat
from economy import services
from economy.models import Claim, Initiative, Registration
from meetings.models import Meeting
from register.models import Municipality, Party
from tests.conftest import make_politician

pytestmark = pytest.mark.django_db


def test_a_politician_registers_and_cancels_through_the_page(client, login, event, personas):
    login(personas["member"])
    page = client.get(reverse("economy:event_detail", args=[event.pk]))
    assert page.status_code == 200 and "Tivoli Hotel" in page.content.decode()
    response = client.post(reverse("economy:event_register", args=[event.pk]))
    assert response.status_code == 302
    registration = Registration.objects.get(politician=personas["member"].politician)
    assert registration.status == "confirmed"
    client.post(reverse("economy:registration_cancel", args=[registration.pk]))
    registration.refresh_from_db()
    assert registration.status == "cancelled" and not registration.fee_stands


def test_another_regions_politician_cannot_see_the_event(client, login, event, personas):
    login(personas["member_other"])
    assert client.get(reverse("economy:event_detail", args=[event.pk])).status_code == 404
    assert client.post(reverse("economy:event_register", args=[event.pk])).status_code == 404


def test_a_member_cannot_cancel_someone_elses_registration(client, login, event, council, personas):
    other = Seat.objects.get(council=council, number=4).holder
    registration = services.register(event=event, politician=other, by=personas["secretariat"])
    login(personas["member"])
    assert client.post(reverse("economy:registration_cancel", args=[registration.pk])).status_code == 403
    registration.refresh_from_db()
    assert registration.status == "confirmed"


def test_secretariat_of_another_region_cannot_manage(client, login, event, personas):
    login(personas["secretariat_other"])
    assert client.get(reverse("economy:event_detail", args=[event.pk])).status_code == 404
    assert client.get(reverse("economy:invoice_xlsx", args=[event.pk])).status_code == 404


def test_clerk_sees_only_their_municipalitys_invoice_basis(client, login, event, council, personas):
    event.capacity = 5
    event.save()
    for number in (3, 4):
        services.register(
            event=event,
            politician=Seat.objects.get(council=council, number=number).holder,
            by=personas["secretariat"],
        )
    login(personas["clerk_a"])  # København
    response = client.get(reverse("economy:invoice_xlsx", args=[event.pk]))
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert {r[0] for r in rows[1:]} == {"København"}


def test_event_page_queries_are_bounded(
    client, login, event, council, personas, django_assert_max_num_queries
):
    event.capacity = 50
    event.save()

    kbh, v = Municipality.objects.get(code="101"), Party.objects.get(letter="V")
    for i in range(30):
        services.register(
            event=event, politician=make_politician(kbh, v, f"P {i}"), by=personas["secretariat"]
        )
    login(personas["secretariat"])
    with django_assert_max_num_queries(20):
        assert client.get(reverse("economy:event_detail", args=[event.pk])).status_code == 200


def test_claim_and_approval_through_the_pages(client, login, held_meeting, council, personas, rates):
    login(personas["member"])
    page = client.get(reverse("economy:claims"))
    assert page.status_code == 200 and str(held_meeting) in page.content.decode()
    response = client.post(
        reverse("economy:claims"),
        {"meeting": f"m{held_meeting.pk}", "transport": "car", "distance_km": "42.0"},
    )
    assert response.status_code == 302
    claim = Claim.objects.get()
    login(personas["secretariat"])
    client.post(reverse("economy:claim_approve", args=[claim.pk]))
    claim.refresh_from_db()
    assert claim.status == "approved" and claim.amount == Decimal("160.02")
    response = client.post(
        reverse("economy:payroll_create"), {"month": timezone.localdate().strftime("%Y-%m")}
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    claim.refresh_from_db()
    assert claim.status == "paid"


def test_a_refused_claim_shows_on_the_field(client, login, held_meeting, council, personas, rates):
    login(personas["member"])
    response = client.post(
        reverse("economy:claims"),
        {"meeting": f"m{held_meeting.pk}", "transport": "car", "distance_km": "900"},
    )
    assert response.status_code == 400 and not Claim.objects.exists()


def test_members_cannot_approve_claims_or_see_initiatives(client, login, personas):
    login(personas["member"])
    assert client.get(reverse("economy:claims_review")).status_code == 403
    assert client.get(reverse("economy:initiative_list")).status_code == 403


def test_initiative_report_lands_on_the_agenda_from_the_page(client, login, council, personas):
    meeting = Meeting.objects.create(council=council, starts_at=timezone.now() + datetime.timedelta(days=20))
    login(personas["secretariat"])
    response = client.post(
        reverse("economy:initiative_create"),
        {
            "title": "Taskforce",
            "purpose": "Rekruttering",
            "owner": personas["secretariat"].pk,
            "host": council.region.municipalities.get(code="101").pk,
            "starts_on": "2022-01-01",
            "ends_on": "2025-12-31",
        },
    )
    assert response.status_code == 302
    initiative = Initiative.objects.get()
    report = initiative.reports.filter(kind="yearly").first()
    client.post(reverse("economy:report_submit", args=[report.pk]), {"text": "Årsrapport"})
    report.refresh_from_db()
    assert report.agenda_item.meeting == meeting
    page = client.get(reverse("economy:initiative_detail", args=[initiative.pk]))
    assert "Årsrapport" in page.content.decode()
