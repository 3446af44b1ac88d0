"""Writes of the economy. Each refuses with core.errors.Refused and then stores nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.messaging import queue_notice
from core.errors import refuse
from core.time import today as local_today
from meetings import services as meeting_services
from meetings.models import AgendaItem, Attendance, Meeting
from register.models import Region

from . import rules, selectors
from .models import (
    Claim,
    Event,
    Initiative,
    MileageRate,
    Participant,
    PayrollExport,
    ProgressReport,
    Registration,
)

# --- Political events ---------------------------------------------------------------------------


def _notify_registration(registration: Registration, *, event_key: str, template: str) -> None:
    user = getattr(registration.politician, "user", None)
    email = user.email if user else registration.politician.email
    if not email:
        return
    url = reverse("economy:event_detail", args=[registration.event_id])
    queue_notice(
        key=f"economy:{event_key}:{registration.pk}",
        user=user,
        to_email=email,
        template=f"economy/mail/{template}",
        context={"registration": registration, "event": registration.event, "url": url},
        url=url,
    )


@transaction.atomic
def register(*, event: Event, politician, by, now: datetime.datetime | None = None) -> Registration:
    """Register a politician of the event's region: a free place, else the waiting list."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=event.pk)
    if politician.municipality.region_id != event.region_id:
        refuse(_("Only council members of the region can register."), "politician")
    problems = rules.registration_problems(
        now=now, deadline=event.registration_deadline, starts_at=event.starts_at
    )
    if problems:
        refuse(problems[0])
    existing = event.registrations.filter(politician=politician).first()
    if existing and existing.status != Registration.Status.CANCELLED:
        refuse(_("%(name)s is already registered.") % {"name": politician.name}, "politician")
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    kind = selectors.participant_kind(politician.pk, timezone.localtime(now).date())
    values = {
        "kind": kind,
        "status": rules.place_for(capacity=event.capacity, confirmed=confirmed),
        "fee": rules.fee_for(kind, fee_member=event.fee_member, fee_politician=event.fee_politician),
        "registered_at": now,
        "registered_by": by,
        "promoted_at": None,
        "cancelled_at": None,
        "fee_stands": False,
        "attended": None,
    }
    if existing:  # registering again after a cancellation: a new place in the queue
        for field, value in values.items():
            setattr(existing, field, value)
        existing.save()
        registration = existing
    else:
        registration = Registration.objects.create(event=event, politician=politician, **values)
    _notify_registration(
        registration,
        event_key=f"registered:{registration.registered_at.timestamp():.0f}",
        template="registered",
    )
    return registration


@transaction.atomic
def cancel(*, registration: Registration, by, now: datetime.datetime | None = None) -> Registration:
    """Cancel a place: free until the cancellation deadline, after it the fee stands; the first on
    the waiting list moves up into a place that becomes free."""
    now = now or timezone.now()
    event = Event.objects.select_for_update().get(pk=registration.event_id)
    registration = Registration.objects.select_for_update().get(pk=registration.pk)
    if registration.status == Registration.Status.CANCELLED:
        refuse(_("The registration is already cancelled."))
    if now >= event.starts_at:
        refuse(_("The event has started; a registration can no longer be cancelled."))
    held_place = registration.status == Registration.Status.CONFIRMED
    registration.fee_stands = held_place and not rules.cancellation_is_free(
        now=now, deadline=event.cancellation_deadline, promoted_at=registration.promoted_at
    )
    registration.status = Registration.Status.CANCELLED
    registration.cancelled_at = now
    registration.save(update_fields=["status", "cancelled_at", "fee_stands"])
    if held_place:
        _promote(event, now)
    return registration


def _promote(event: Event, now: datetime.datetime) -> None:
    confirmed = event.registrations.filter(status=Registration.Status.CONFIRMED).count()
    waiting = event.registrations.filter(status=Registration.Status.WAITING).order_by("registered_at", "id")
    for registration in waiting[: max(0, event.capacity - confirmed)]:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _notify_registration(registration, event_key="promoted", template="promoted")


@transaction.atomic
def attendance_check(*, event: Event, present: set[int], today: datetime.date | None = None) -> int:
    """Check off the attendance list on the day: every confirmed participant present or not."""
    today = today or local_today()
    if not rules.may_check_attendance(today=today, event_day=timezone.localtime(event.starts_at).date()):
        refuse(_("The attendance list is checked off on the day of the event."))
    confirmed = event.registrations.select_for_update().filter(status=Registration.Status.CONFIRMED)
    count = 0
    for registration in confirmed:
        registration.attended = registration.pk in present
        registration.save(update_fields=["attended"])
        count += registration.attended
    return count


def cancellation_reminders_queue(*, now: datetime.datetime | None = None) -> int:
    """Remind participants before the free cancellation ends (beat; keyed, so once each)."""
    now = now or timezone.now()
    horizon = now + datetime.timedelta(days=rules.CANCELLATION_REMINDER_DAYS)
    queued = 0
    regs = Registration.objects.filter(
        status=Registration.Status.CONFIRMED,
        event__cancellation_deadline__gt=now,
        event__cancellation_deadline__lte=horizon,
    ).select_related("event", "politician")
    for registration in regs:
        _notify_registration(registration, event_key="deadline", template="deadline_reminder")
        queued += 1
    return queued


# --- Initiatives --------------------------------------------------------------------------------


@transaction.atomic
def initiative_create(*, region, by, **fields) -> Initiative:
    if fields["ends_on"] < fields["starts_on"]:
        refuse(_("The initiative cannot end before it starts."), "ends_on")
    if fields["host"].region_id != region.pk:
        refuse(_("The host municipality must be in the region."), "host")
    initiative = Initiative.objects.create(region=region, **fields)
    ProgressReport.objects.bulk_create(
        ProgressReport(initiative=initiative, kind=due.kind, due_on=due.due_on)
        for due in rules.report_schedule(initiative.starts_on, initiative.ends_on)
    )
    Participant.objects.create(initiative=initiative, municipality=initiative.host)
    return initiative


@transaction.atomic
def budget_set(*, initiative: Initiative, year: int, amount: Decimal):
    if not initiative.starts_on.year <= year <= initiative.ends_on.year:
        refuse(_("The year must be within the initiative's period."), "year")
    budget, _created = initiative.budgets.update_or_create(year=year, defaults={"amount": amount})
    return budget


@transaction.atomic
def participant_set(*, initiative: Initiative, municipality, consent_on=None, consent_reference: str = ""):
    if municipality.region_id != initiative.region_id:
        refuse(_("Only municipalities of the region can take part."), "municipality")
    if consent_on and not consent_reference.strip():
        refuse(_("Say where the consent was given (case number or decision)."), "consent_reference")
    participant, _created = Participant.objects.update_or_create(
        initiative=initiative,
        municipality=municipality,
        defaults={"consent_on": consent_on, "consent_reference": consent_reference.strip()},
    )
    return participant


@transaction.atomic
def report_submit(*, report: ProgressReport, text: str, by) -> ProgressReport:
    """Keep a progress report; a yearly report goes on the next KKR agenda as an orientation item."""
    report = ProgressReport.objects.select_for_update().get(pk=report.pk)
    if report.submitted_at:
        refuse(_("The report is already submitted; it is kept as it was."))
    if not text.strip():
        refuse(_("Write the report."), "text")
    report.text = text.strip()
    report.submitted_at = timezone.now()
    report.submitted_by = by
    report.save(update_fields=["text", "submitted_at", "submitted_by"])
    if report.kind == ProgressReport.Kind.YEARLY:
        report_to_agenda(report=report)
    return report


def next_meeting(region_id: int) -> Meeting | None:
    return (
        Meeting.objects.filter(
            council__region_id=region_id, status=Meeting.Status.PLANNED, starts_at__gt=timezone.now()
        )
        .order_by("starts_at")
        .first()
    )


@transaction.atomic
def report_to_agenda(*, report: ProgressReport) -> AgendaItem | None:
    """Place a submitted yearly report on the next planned KKR meeting's agenda (once); None when
    no meeting is planned yet (the secretariat places it later from the initiative's page)."""
    report = ProgressReport.objects.select_for_update().select_related("initiative").get(pk=report.pk)
    if report.agenda_item_id:
        return report.agenda_item
    if not report.submitted_at or report.kind != ProgressReport.Kind.YEARLY:
        refuse(_("Only a submitted yearly report goes on the KKR's agenda."))
    meeting = next_meeting(report.initiative.region_id)
    if meeting is None:
        return None
    item = meeting_services.item_add(
        meeting=meeting,
        title=_("Orientation: yearly report of %(title)s") % {"title": report.initiative.title},
        kind=AgendaItem.Kind.ORIENTATION,
        recommendation=_("It is recommended that the KKR takes the report into account."),
        case_text=report.text,
    )
    report.agenda_item = item
    report.save(update_fields=["agenda_item"])
    return item


def report_reminders_queue(*, today: datetime.date | None = None) -> int:
    today = today or local_today()
    queued = 0
    due = ProgressReport.objects.filter(
        submitted_at__isnull=True,
        due_on__gte=today,
        due_on__lte=today + datetime.timedelta(days=rules.REPORT_REMINDER_DAYS),
    ).select_related("initiative__owner")
    for report in due:
        owner = report.initiative.owner
        url = reverse("economy:initiative_detail", args=[report.initiative_id])
        queue_notice(
            key=f"economy:report-due:{report.pk}",
            user=owner,
            to_email=owner.email,
            template="economy/mail/report_due",
            context={"report": report, "initiative": report.initiative, "url": url},
            url=url,
        )
        queued += 1
    return queued


# --- Claims -------------------------------------------------------------------------------------


@transaction.atomic
def claim_submit(
    *,
    politician,
    by,
    transport: str,
    distance_km: Decimal,
    meeting: Meeting | None = None,
    appointment=None,
    meeting_on: datetime.date | None = None,
    description: str = "",
    expense: Decimal = Decimal("0"),
) -> Claim:
    """Claim for a meeting the politician attended (KKR: the attendance register says so) or a
    meeting of a body they were appointed to on that day."""
    for problem in rules.distance_problems(distance_km):
        refuse(problem, "distance_km")
    if meeting is not None:
        attended = Attendance.objects.filter(meeting=meeting, attendee=politician).exclude(
            status=Attendance.Status.ABSENT
        )
        if not attended.exists():
            refuse(
                _("You can only claim for a KKR meeting the attendance register shows you attended."),
                "meeting",
            )
        kind, day, region_id = (
            Claim.Kind.KKR_MEETING,
            timezone.localtime(meeting.starts_at).date(),
            meeting.council.region_id,
        )
    elif appointment is not None:
        if appointment.politician_id != politician.pk:
            refuse(_("You can only claim for a body you are appointed to."), "appointment")
        if meeting_on is None:
            refuse(_("Give the date of the meeting."), "meeting_on")
        if meeting_on > local_today():
            refuse(_("You can claim for a meeting once it has been held."), "meeting_on")
        if not appointment.__class__.objects.current(meeting_on).filter(pk=appointment.pk).exists():
            refuse(_("You were not appointed to the body on that day."), "meeting_on")
        if not description.strip():
            refuse(_("Say which meeting of the body it was."), "description")
        kind, day, region_id = Claim.Kind.BODY_MEETING, meeting_on, appointment.post.body.region_id
    else:
        refuse(_("Choose the meeting you claim for."), "meeting")
    if transport == Claim.Transport.PUBLIC and expense <= 0:
        refuse(_("Give the ticket expense."), "expense")
    if not MileageRate.objects.filter(year=day.year).exists() and transport == Claim.Transport.CAR:
        refuse(_("The mileage rates of %(year)s are not entered yet.") % {"year": day.year})
    try:
        with transaction.atomic():
            return Claim.objects.create(
                region_id=region_id,
                claimant=politician,
                submitted_by=by,
                kind=kind,
                meeting=meeting,
                appointment=appointment,
                meeting_on=day,
                description=description.strip(),
                transport=transport,
                distance_km=distance_km,
                expense=expense if transport == Claim.Transport.PUBLIC else Decimal("0"),
            )
    except IntegrityError:
        refuse(_("You have already claimed for this meeting."), "meeting" if meeting else "meeting_on")


@transaction.atomic
def claim_approve(*, claim: Claim, by) -> Claim:
    """Approve and price a claim: kilometres at the high rate up to the year's limit, counted over
    the claimant's claims already approved that year, the rest at the low rate."""
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != Claim.Status.SUBMITTED:
        refuse(_("Only a claim awaiting approval can be approved."))
    if claim.transport == Claim.Transport.CAR:
        rate = MileageRate.objects.get(year=claim.meeting_on.year)
        before = Claim.objects.filter(
            claimant_id=claim.claimant_id,
            meeting_on__year=claim.meeting_on.year,
            status__in=[Claim.Status.APPROVED, Claim.Status.PAID],
            transport=Claim.Transport.CAR,
        ).aggregate(km=Sum("distance_km"))["km"] or Decimal("0")
        claim.high_km, claim.low_km = rules.split_km(
            before=before, km=claim.distance_km, limit=rate.high_limit_km
        )
        claim.amount = rules.mileage_amount(
            high_km=claim.high_km, low_km=claim.low_km, high_rate=rate.high_rate, low_rate=rate.low_rate
        )
    else:
        claim.amount = claim.expense
    claim.status = Claim.Status.APPROVED
    claim.decided_at = timezone.now()
    claim.decided_by = by
    claim.save()
    return claim


@transaction.atomic
def claim_return(*, claim: Claim, by, reason: str) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != Claim.Status.SUBMITTED:
        refuse(_("Only a claim awaiting approval can be returned."))
    if not reason.strip():
        refuse(_("Say why the claim is returned."), "reason")
    claim.status = Claim.Status.RETURNED
    claim.return_reason = reason.strip()
    claim.decided_at = timezone.now()
    claim.decided_by = by
    claim.save()
    return claim


@transaction.atomic
def payroll_export(*, region, month: datetime.date, by) -> PayrollExport:
    """Send every approved claim not yet exported to payroll, once: the month's export is made
    once (asking again returns it unchanged) and a claim is in at most one export."""
    month = month.replace(day=1)
    Region.objects.select_for_update().get(pk=region.pk)  # one export at a time per region
    existing = PayrollExport.objects.filter(region=region, month=month).first()
    if existing:
        return existing
    export = PayrollExport.objects.create(region=region, month=month, created_by=by)
    claims = Claim.objects.select_for_update().filter(
        region=region, status=Claim.Status.APPROVED, export=None
    )
    claims.update(export=export, status=Claim.Status.PAID)
    return export


def rate_set(*, year: int, high_rate: Decimal, low_rate: Decimal, high_limit_km: int) -> MileageRate:
    """Enter the state's mileage rates of a year (data, not code: they change every year)."""
    rate, _created = MileageRate.objects.update_or_create(
        year=year, defaults={"high_rate": high_rate, "low_rate": low_rate, "high_limit_km": high_limit_km}
    )
    return rate
