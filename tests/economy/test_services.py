"""The economy's services: registrations and the waiting list, invoice bases, initiatives and
their reports on the agenda, claims and payroll (docs/rules.md §9)."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.models import Notice
from appointments.models import Seat
from economy import selectors, services
from economy.models import Claim, Initiative, ProgressReport, Registration
from meetings.models import Meeting
from register.models import Municipality, Party, Politician
from tests.conftest import make_politician

pytestmark = pytest.mark.django_db


def _politicians(council, n):
    kbh = Municipality.objects.get(code="101")
    return [make_politician(kbh, Party.objects.get(letter="V"), f"Politiker {i}") for i in range(n)]


def test_full_event_puts_the_next_on_the_waiting_list_and_moves_them_up(event, council, personas):
    a, b, c = _politicians(council, 3)
    by = personas["secretariat"]
    assert services.register(event=event, politician=a, by=by).status == "confirmed"
    assert services.register(event=event, politician=b, by=by).status == "confirmed"  # exactly full
    waiting = services.register(event=event, politician=c, by=by)
    assert waiting.status == "waiting"
    services.cancel(registration=Registration.objects.get(politician=a), by=by)
    waiting.refresh_from_db()
    assert waiting.status == "confirmed" and waiting.promoted_at is not None
    assert Notice.objects.filter(key=f"economy:promoted:{waiting.pk}").count() == 1


def test_members_pay_the_members_fee(event, council, personas):
    member = Seat.objects.get(council=council, number=3).holder
    registration = services.register(event=event, politician=member, by=personas["member"])
    assert registration.kind == "member" and registration.fee == Decimal("450.00")


def test_cancellation_after_the_deadline_keeps_the_fee(event, council, personas):
    (a,) = _politicians(council, 1)
    registration = services.register(event=event, politician=a, by=personas["secretariat"])
    late = event.cancellation_deadline + datetime.timedelta(minutes=1)
    services.cancel(registration=registration, by=personas["secretariat"], now=late)
    registration.refresh_from_db()
    assert registration.fee_stands and registration.billed == Decimal("650.50")


def test_cancellation_in_the_deadlines_last_minute_is_free(event, council, personas):
    (a,) = _politicians(council, 1)
    registration = services.register(event=event, politician=a, by=personas["secretariat"])
    services.cancel(registration=registration, by=personas["secretariat"], now=event.cancellation_deadline)
    registration.refresh_from_db()
    assert not registration.fee_stands and registration.billed == 0


def test_registration_refused_after_the_deadline_and_from_another_region(event, other_council, personas):
    (a,) = _politicians(other_council, 1)
    with pytest.raises(ValidationError):
        services.register(
            event=event,
            politician=a,
            by=personas["secretariat"],
            now=event.registration_deadline + datetime.timedelta(minutes=1),
        )
    roskilde = Seat.objects.get(council=other_council, number=1).holder
    with pytest.raises(ValidationError, match="region"):
        services.register(event=event, politician=roskilde, by=personas["secretariat"])
    assert not Registration.objects.exists()


def test_registering_twice_is_refused(event, council, personas):
    (a,) = _politicians(council, 1)
    services.register(event=event, politician=a, by=personas["secretariat"])
    with pytest.raises(ValidationError, match="already"):
        services.register(event=event, politician=a, by=personas["secretariat"])


def test_invoice_basis_per_municipality_sums_to_the_oere(event, council, personas):
    kbh_member = Seat.objects.get(council=council, number=3).holder  # København, member fee
    frb_member = Seat.objects.get(council=council, number=4).holder  # Frederiksberg
    event.capacity = 5
    event.save()
    for p in (kbh_member, frb_member, *_politicians(council, 1)):
        services.register(event=event, politician=p, by=personas["secretariat"])
    bases = {b.municipality.code: b for b in selectors.invoice_bases(event)}
    assert bases["101"].total == Decimal("1100.50")
    assert bases["147"].total == Decimal("450.00")
    assert selectors.invoice_bases(event, {Municipality.objects.get(code="147").pk})[0].total == Decimal(
        "450.00"
    )


def test_attendance_not_before_the_day(event, council, personas):
    with pytest.raises(ValidationError):
        services.attendance_check(event=event, present=set())


def test_notices_never_twice(event, council, personas):
    (a,) = _politicians(council, 1)
    services.register(event=event, politician=a, by=personas["secretariat"])
    now = event.cancellation_deadline - datetime.timedelta(days=1)
    assert services.cancellation_reminders_queue(now=now) == 1
    services.cancellation_reminders_queue(now=now)
    assert Notice.objects.filter(key__startswith="economy:deadline:").count() == 1


def _initiative(hovedstaden, owner):
    return services.initiative_create(
        region=hovedstaden,
        by=owner,
        title="Uddannelses- og rekrutteringstaskforce",
        purpose="Rekruttering til SOSU-området",
        owner=owner,
        host=Municipality.objects.get(code="101"),
        institutions="",
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )


def test_initiative_shares_are_provisional_until_every_consent(hovedstaden, personas):
    initiative = _initiative(hovedstaden, personas["secretariat"])
    services.budget_set(initiative=initiative, year=2023, amount=Decimal("1000000.00"))
    frb = Municipality.objects.get(code="147")
    services.participant_set(initiative=initiative, municipality=frb)
    table = selectors.share_table(initiative)
    assert not table.final and sum(s[0] for _m, s in table.rows) == Decimal("1000000.00")
    for p in initiative.participants.all():
        services.participant_set(
            initiative=initiative,
            municipality=p.municipality,
            consent_on=datetime.date(2022, 1, 5),
            consent_reference="KB 12/2021",
        )
    assert selectors.share_table(initiative).final


def test_consent_without_reference_and_budget_outside_period_are_refused(hovedstaden, personas):
    initiative = _initiative(hovedstaden, personas["secretariat"])
    with pytest.raises(ValidationError):
        services.participant_set(
            initiative=initiative, municipality=initiative.host, consent_on=datetime.date(2022, 1, 1)
        )
    with pytest.raises(ValidationError):
        services.budget_set(initiative=initiative, year=2026, amount=Decimal("1"))


def test_yearly_report_lands_on_the_next_agenda(hovedstaden, council, personas):
    initiative = _initiative(hovedstaden, personas["secretariat"])
    assert [r.kind for r in initiative.reports.all()].count("yearly") == 3
    meeting = Meeting.objects.create(council=council, starts_at=timezone.now() + datetime.timedelta(days=20))
    report = initiative.reports.filter(kind=ProgressReport.Kind.YEARLY).first()
    services.report_submit(report=report, text="Status: 120 nye elever.", by=personas["secretariat"])
    report.refresh_from_db()
    assert report.agenda_item.meeting == meeting and report.agenda_item.kind == "orientation"
    assert report.agenda_item.case_text == "Status: 120 nye elever."
    with pytest.raises(ValidationError):
        services.report_submit(report=report, text="changed", by=personas["secretariat"])


def test_report_reminder_once(hovedstaden, personas):
    initiative = _initiative(hovedstaden, personas["secretariat"])
    report = initiative.reports.first()
    assert services.report_reminders_queue(today=report.due_on - datetime.timedelta(days=3)) == 1
    services.report_reminders_queue(today=report.due_on - datetime.timedelta(days=2))
    assert Notice.objects.filter(key=f"economy:report-due:{report.pk}").count() == 1


def _claim(politician, personas, meeting, km):
    return services.claim_submit(
        politician=politician,
        by=personas["member"],
        meeting=meeting,
        transport="car",
        distance_km=Decimal(km),
    )


def test_claim_only_for_a_meeting_attended(held_meeting, council, personas, rates):
    present = Seat.objects.get(council=council, number=3).holder
    absent = Seat.objects.get(council=council, number=4).holder
    claim = _claim(present, personas, held_meeting, "42")
    assert claim.region == council.region
    with pytest.raises(ValidationError, match="attended"):
        _claim(absent, personas, held_meeting, "42")
    with pytest.raises(ValidationError, match="already"):
        _claim(present, personas, held_meeting, "42")
    assert Claim.objects.count() == 1


def test_distance_above_the_bound_is_refused(held_meeting, council, personas, rates):
    present = Seat.objects.get(council=council, number=3).holder
    with pytest.raises(ValidationError) as info:
        _claim(present, personas, held_meeting, "600.1")
    assert "distance_km" in info.value.message_dict
    assert not Claim.objects.exists()


def test_approval_splits_the_year_at_the_high_rate_limit(held_meeting, council, personas, rates):
    present = Seat.objects.get(council=council, number=3).holder
    earlier = Claim.objects.create(
        region=council.region,
        claimant=present,
        submitted_by=personas["member"],
        kind="kkr",
        meeting=Meeting.objects.create(
            council=council, starts_at=held_meeting.starts_at - datetime.timedelta(days=1)
        ),
        meeting_on=timezone.localtime(held_meeting.starts_at).date(),
        transport="car",
        distance_km=Decimal("550"),
        status=Claim.Status.APPROVED,
    )
    Claim.objects.filter(pk=earlier.pk).update(distance_km=Decimal("19980"))  # the year so far, as data
    claim = _claim(present, personas, held_meeting, "50")
    claim = services.claim_approve(claim=claim, by=personas["secretariat"])
    assert (claim.high_km, claim.low_km) == (Decimal("20"), Decimal("30"))
    assert claim.amount == Decimal("143.10")  # 20 × 3.81 + 30 × 2.23


def test_payroll_export_never_pays_twice(held_meeting, council, personas, rates):
    present = Seat.objects.get(council=council, number=3).holder
    claim = _claim(present, personas, held_meeting, "42")
    services.claim_approve(claim=claim, by=personas["secretariat"])
    month = timezone.localdate()
    first = services.payroll_export(region=council.region, month=month, by=personas["secretariat"])
    again = services.payroll_export(region=council.region, month=month, by=personas["secretariat"])
    assert first == again and first.claims.count() == 1
    nxt = services.payroll_export(
        region=council.region, month=month + datetime.timedelta(days=32), by=personas["secretariat"]
    )
    assert nxt.claims.count() == 0


def test_returned_claim_needs_a_reason(held_meeting, council, personas, rates):
    present = Seat.objects.get(council=council, number=3).holder
    claim = _claim(present, personas, held_meeting, "42")
    with pytest.raises(ValidationError):
        services.claim_return(claim=claim, by=personas["secretariat"], reason=" ")
    services.claim_return(claim=claim, by=personas["secretariat"], reason="Forkert afstand")
    # a returned claim can be sent again, corrected
    _claim(present, personas, held_meeting, "40")
    assert Claim.objects.filter(status="submitted").count() == 1


def test_no_politician_model_changes():
    assert Politician and Initiative  # the app adds no columns to the register
