"""Reads of the economy: what a user may see, and the figures pages and exports show."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.roles import RoleKind
from agreements.rules import largest_remainder
from appointments.models import Appointment, Seat
from meetings.models import Attendance
from register.models import Municipality

from . import rules
from .models import Claim, Event, Initiative, Registration


def politician_region_id(user) -> int | None:
    politician = getattr(user, "politician", None)
    return politician.municipality.region_id if politician else None


def staff_regions(roles) -> set[int]:
    """The regions a user works for: the secretariat's, and the regions of a clerk's municipalities
    (who see their municipality's invoice bases and shares)."""
    regions = set(roles.secretariat_regions)
    if roles.clerk_municipalities:
        regions |= set(
            Municipality.objects.filter(pk__in=roles.clerk_municipalities).values_list("region_id", flat=True)
        )
    return regions


def event_regions(user, roles) -> set[int]:
    regions = staff_regions(roles)
    own = politician_region_id(user)
    if own:
        regions.add(own)
    return regions


def events_for(user, roles) -> QuerySet[Event]:
    return Event.objects.filter(region_id__in=event_regions(user, roles)).annotate(
        confirmed=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED)),
        waiting=Count("registrations", filter=Q(registrations__status=Registration.Status.WAITING)),
    )


def get_event(request, roles, pk: int, *, manage: bool = False) -> Event:
    event = get_object_or_404(events_for(request.user, roles), pk=pk)
    if manage and event.region_id not in roles.secretariat_regions:
        raise PermissionDenied
    return event


def registrations(event: Event) -> list[Registration]:
    return list(
        event.registrations.select_related("politician__municipality", "politician__party").order_by(
            "status", "registered_at", "id"
        )
    )


def own_registration(event: Event, user) -> Registration | None:
    if not user.politician_id:
        return None
    return event.registrations.filter(politician_id=user.politician_id).first()


def participant_kind(politician_id: int, on: datetime.date) -> str:
    """A KKR member or substitute pays the members' fee; any other council member the other."""
    seated = Seat.objects.current(on).filter(Q(holder_id=politician_id) | Q(substitute_id=politician_id))
    return Registration.Kind.MEMBER if seated.exists() else Registration.Kind.POLITICIAN


@dataclass
class InvoiceBasis:
    municipality: object
    lines: list[Registration]
    total: Decimal


def invoice_bases(event: Event, municipality_ids: set[int] | None = None) -> list[InvoiceBasis]:
    """One invoice basis per municipality: its participants who owe a fee, summed to the øre."""
    grouped: dict[int, list[Registration]] = defaultdict(list)
    municipalities = {}
    for registration in registrations(event):
        if registration.billed <= 0:
            continue
        municipality = registration.politician.municipality
        if municipality_ids is not None and municipality.pk not in municipality_ids:
            continue
        municipalities[municipality.pk] = municipality
        grouped[municipality.pk].append(registration)
    return [
        InvoiceBasis(municipalities[pk], lines, rules.invoice_total(r.billed for r in lines))
        for pk, lines in sorted(grouped.items(), key=lambda kv: municipalities[kv[0]].name)
    ]


def invoice_municipalities(roles, event: Event) -> set[int] | None:
    """The secretariat sees every municipality's basis; a clerk only their own."""
    if event.region_id in roles.secretariat_regions:
        return None
    if roles.has(RoleKind.CLERK):
        return set(roles.clerk_municipalities)
    return set()


# --- Initiatives --------------------------------------------------------------------------------


def initiatives_for(user, roles) -> QuerySet[Initiative]:
    return Initiative.objects.filter(Q(region_id__in=staff_regions(roles)) | Q(owner=user)).distinct()


@dataclass
class ShareTable:
    years: list[int]
    rows: list[tuple[object, list[Decimal]]]  # (municipality, share per year)
    totals: list[Decimal]
    final: bool
    missing_consent: list[object]


def share_table(initiative: Initiative) -> ShareTable:
    """The municipalities' shares of each year's budget by population, largest remainder to the
    øre (docs/rules.md §5), provisional until every participant has consented."""
    participants = list(initiative.participants.select_related("municipality"))
    budgets = list(initiative.budgets.all())
    years = [b.year for b in budgets]
    per_year = []
    if participants:
        weights = {p.municipality: p.municipality.population for p in participants}
        per_year = [largest_remainder(b.amount, weights) for b in budgets]
    rows = [(p.municipality, [shares[p.municipality] for shares in per_year]) for p in participants]
    return ShareTable(
        years=years,
        rows=rows,
        totals=[b.amount for b in budgets],
        final=rules.shares_are_final([p.consent_on is not None for p in participants]),
        missing_consent=[p.municipality for p in participants if p.consent_on is None],
    )


# --- Claims -------------------------------------------------------------------------------------


def claimable_meetings(politician_id: int):
    """The KKR meetings the politician attended (in person or as the substitute called in)."""
    return (
        Attendance.objects.filter(attendee_id=politician_id)
        .exclude(status=Attendance.Status.ABSENT)
        .select_related("meeting__council__region")
        .order_by("-meeting__starts_at")
    )


def claimable_appointments(politician_id: int):
    return Appointment.objects.filter(politician_id=politician_id).select_related("post__body")


def claims_of(politician_id: int) -> QuerySet[Claim]:
    return Claim.objects.filter(claimant_id=politician_id).select_related(
        "meeting", "appointment__post__body"
    )


def claims_to_decide(regions) -> QuerySet[Claim]:
    return (
        Claim.objects.filter(region_id__in=regions, status=Claim.Status.SUBMITTED)
        .select_related("claimant__municipality", "meeting", "appointment__post__body")
        .order_by("submitted_at")
    )
