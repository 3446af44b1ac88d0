"""Demo data of the economy: one political event with a waiting list, the 2022-2025 education and
recruitment taskforce with its reports, mileage rates and claims. Idempotent."""

import datetime
from decimal import Decimal

from django.utils import timezone

from accounts.models import RoleKind, User
from core.time import today as local_today
from register.models import Municipality, Politician, Region

from . import selectors, services
from .models import Event, Initiative, ProgressReport

# Illustrative rates (kr. per km; the high rate up to 20,000 km a year). Enter the year's official
# rates on the rates page: they are data, not code.
DEMO_RATES = {2025: ("3.79", "2.23"), 2026: ("3.81", "2.25"), 2027: ("3.81", "2.25")}


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def seed() -> list[str]:
    region = Region.objects.get(code="1084")
    secretariat = User.objects.filter(roles__kind=RoleKind.SECRETARIAT, roles__region=region).first()
    if secretariat is None:
        return ["economy: no secretariat user, nothing seeded"]
    if Event.objects.filter(region=region).exists():
        return ["economy: already seeded"]
    today = local_today()
    for year, (high, low) in DEMO_RATES.items():
        services.rate_set(year=year, high_rate=Decimal(high), low_rate=Decimal(low), high_limit_km=20000)

    day = today + datetime.timedelta(days=45)
    event = Event.objects.create(
        region=region,
        title="KKR-konference: Det nære sundhedsvæsen",
        programme=(
            "09.30 Ankomst og kaffe\n10.00 Velkomst ved formanden\n10.15 Oplæg: Sundhedsreformen i "
            "praksis\n12.00 Frokost\n13.00 Workshops i tre spor\n15.00 Opsamling og afslutning"
        ),
        place="Scandic Falkoner, Frederiksberg",
        starts_at=_at(day, 9),
        ends_at=_at(day, 15),
        capacity=4,
        registration_deadline=_at(day - datetime.timedelta(days=14), 12),
        cancellation_deadline=_at(day - datetime.timedelta(days=21), 12),
        fee_member=Decimal("450.00"),
        fee_politician=Decimal("650.00"),
    )
    politicians = list(
        Politician.objects.filter(municipality__region=region, council_to__isnull=True).order_by("id")[:5]
    )
    member = User.objects.filter(email="medlem@demo.kkr.dk").select_related("politician").first()
    for politician in politicians:
        if member and politician.pk == member.politician_id:
            continue
        services.register(event=event, politician=politician, by=secretariat)

    host = Municipality.objects.get(code="101")
    initiative = services.initiative_create(
        region=region,
        by=secretariat,
        title="Uddannelses- og rekrutteringstaskforce 2022-2025",
        purpose=(
            "Flere elever og færdiguddannede på social- og sundhedsområdet: fælles rekrutterings-"
            "kampagner, praktikpladser og fastholdelse på tværs af kommunerne i regionen."
        ),
        owner=secretariat,
        host=host,
        institutions="SOSU H, Professionshøjskolen Københavns, Region Hovedstaden",
        starts_on=datetime.date(2022, 1, 1),
        ends_on=datetime.date(2025, 12, 31),
    )
    for year in range(2022, 2026):
        services.budget_set(initiative=initiative, year=year, amount=Decimal("2400000.00"))
    for municipality in Municipality.objects.filter(region=region):
        services.participant_set(
            initiative=initiative,
            municipality=municipality,
            consent_on=datetime.date(2021, 12, 15),
            consent_reference="Byrådsbeslutning december 2021",
        )
    for report in initiative.reports.filter(due_on__lt=today - datetime.timedelta(days=60)):
        ProgressReport.objects.filter(pk=report.pk).update(
            text=f"{report.get_kind_display()}: status på rekruttering, praktikpladser og fastholdelse.",
            submitted_at=_at(report.due_on, 10),
            submitted_by=secretariat,
        )

    claims = 0
    if member and member.politician_id:
        for n, attendance in enumerate(selectors.claimable_meetings(member.politician_id)[:2]):
            claim = services.claim_submit(
                politician=member.politician,
                by=member,
                meeting=attendance.meeting,
                transport="car",
                distance_km=Decimal("38.4"),
            )
            if n == 1:
                services.claim_approve(claim=claim, by=secretariat)
            claims += 1
    return [
        f"economy: event '{event.title}' ({event.registrations.count()} registered), "
        f"initiative '{initiative.title}' ({Initiative.objects.count()}), {claims} claims"
    ]
