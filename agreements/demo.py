"""Demo data of agreements (seed_demo runs it; idempotent): a year of IV activity in Region
Hovedstaden, about 5,700 courses (IV 3.1), half at home, with the first quarter settled."""

import datetime
import random
from decimal import Decimal

from django.utils import timezone
from rest_framework.authtoken.models import Token

import core.time
from accounts.models import User
from register.models import Municipality

from . import tariffs
from .models import Agreement, Course, TariffTable
from .services import agreement_extend, settlement_run, statement_finalise, tariff_year_create

DEMO_PREFIX = "DEMO-"
COURSES_PER_YEAR = 5700
# Share of courses by treatment, and the typical length in days (most within the included days).
TREATMENT_MIX = [(tariffs.ANTIBIOTICS, 0.6), (tariffs.FLUIDS, 0.25), (tariffs.PUMP, 0.15)]
LENGTHS = {tariffs.ANTIBIOTICS: (1, 6, 14), tariffs.FLUIDS: (1, 3, 6), tariffs.PUMP: (1, 6, 12)}
INDEX = {2020: "1.0000", 2021: "1.0150", 2022: "1.0620", 2023: "1.1060", 2024: "1.1300", 2025: "1.1520"}
INDEX.update({2026: "1.1750", 2027: "1.2000"})


def course_rows(*args, **kwargs) -> list[Course]:
    """course_values as unsaved Course objects (for bulk_create)."""
    return [Course(**values) for values in course_values(*args, **kwargs)]


def course_values(
    rng: random.Random,
    municipalities: list[Municipality],
    first: datetime.date,
    last: datetime.date,
    count: int,
    *,
    prefix: str = DEMO_PREFIX,
    today: datetime.date | None = None,
):
    """count realistic courses referred between first and last, spread over the municipalities
    by population: the field values, one dict per course (the benchmark writes hundreds of
    thousands of them with COPY, without building model objects)."""
    today = today or core.time.today()
    weights = [m.population for m in municipalities]
    span = (last - first).days
    treatments = [t for t, _share in TREATMENT_MIX]
    shares = [share for _t, share in TREATMENT_MIX]
    now = timezone.now()
    for i in range(count):
        municipality = rng.choices(municipalities, weights)[0]
        treatment = rng.choices(treatments, shares)[0]
        referred = first + datetime.timedelta(days=rng.randint(0, span))
        declined = rng.random() < 0.08
        low, mode, high = LENGTHS[treatment]
        days = max(low, min(high, round(rng.triangular(low, high, mode))))
        start = None if declined else referred + datetime.timedelta(days=rng.choice([0, 0, 1, 1, 2]))
        end = None
        if start is not None:
            end = start + datetime.timedelta(days=days - 1)
            if end > today:
                end = None  # still ongoing
        yield {
            "municipality": municipality,
            "external_id": f"{prefix}{municipality.code}-{i:06d}",
            "treatment": treatment,
            "referred_on": referred,
            "decision": "declined" if declined else "accepted",
            "start_date": start,
            "end_date": end,
            "setting": "home" if rng.random() < 0.5 else "clinic",
            "visits_per_day": rng.choices([1, 2, 3, 4], [50, 25, 15, 10])[0],
            "minutes_per_visit": rng.choices([15, 20, 30, 45, 60], [10, 25, 35, 20, 10])[0],
            "created_at": now,
        }


def tariff_tables(years) -> None:
    existing = set(TariffTable.objects.values_list("year", flat=True))
    for year in sorted(set(years) - existing):
        tariff_year_create(year=year, index=Decimal(INDEX.get(year, "1.2000")))


def seed() -> list[str]:
    agreement = Agreement.objects.filter(region__code="1084").first()
    if agreement is None:
        return []
    today = core.time.today()
    first = today - datetime.timedelta(days=365)
    if agreement.ends_on < today:
        # The demo's courses are of the last year: the demo records that the parties extended the
        # agreement (IV 5.2 leaves the length open), as the region officer does on the agreement page.
        agreement_extend(
            agreement=agreement,
            ends_on=datetime.date(today.year + 1, 12, 31),
            decided_on=agreement.extension_decision_by,
            decision="Sundhedskoordinationsudvalget (demo)",
        )
        agreement.refresh_from_db()
    tariff_tables(range(first.year, today.year + 1))
    lines = []
    if not Course.objects.filter(external_id__startswith=DEMO_PREFIX).exists():
        municipalities = list(Municipality.objects.filter(region=agreement.region).order_by("code"))
        Course.objects.bulk_create(
            course_rows(random.Random(2021), municipalities, first, today, COURSES_PER_YEAR), batch_size=1000
        )
        # The first quarter of the demo year is settled; two statements are finalised.
        quarter_end = first + datetime.timedelta(days=91)
        run = settlement_run(agreement=agreement, as_of=quarter_end)
        if run is not None:
            for statement in run.statements.filter(municipality__code__in=["101", "147"]):
                statement_finalise(statement=statement)
    lines.append(
        f"IV agreement: {Course.objects.filter(external_id__startswith=DEMO_PREFIX).count()} demo courses"
    )
    clerk = User.objects.filter(email="klerk.kbh@demo.kkr.dk").first()
    if clerk:
        token, _created = Token.objects.get_or_create(user=clerk)
        lines.append(f"  API token of klerk.kbh@demo.kkr.dk: {token.key} (POST /api/iv/courses/)")
    return lines
