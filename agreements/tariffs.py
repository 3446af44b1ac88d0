"""The tariff staircase of the IV agreement (docs/rules.md §4.1; IV 3.2, table 1) as pure functions.

No ORM here: everything works on plain values so it can be read beside docs/rules.md and
property-tested. Amounts are Decimal, never float.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ANTIBIOTICS, FLUIDS, PUMP = "antibiotics", "fluids", "pump"
TREATMENTS = (ANTIBIOTICS, FLUIDS, PUMP)
STEPS = (1, 2, 3)

# The first 1,500 courses of a year are step 1, courses 1,501-3,000 step 2, later ones step 3.
STEP_LIMITS = ((1, 1500), (2, 3000))

# Days covered by the course tariff; each day beyond adds the day tariff
# (antibiotics and pump from day 7, fluids from day 4).
INCLUDED_DAYS = {ANTIBIOTICS: 6, FLUIDS: 3, PUMP: 6}


@dataclass(frozen=True)
class Rate:
    course: Decimal
    day: Decimal


# Table 1 at 2020 prices, DKK: {treatment: {step: Rate(course tariff, day tariff)}}.
BASE_YEAR = 2020
BASE_TABLE: dict[str, dict[int, Rate]] = {
    ANTIBIOTICS: {
        1: Rate(Decimal(6915), Decimal(1485)),
        2: Rate(Decimal(6411), Decimal(1366)),
        3: Rate(Decimal(6159), Decimal(1306)),
    },
    FLUIDS: {
        1: Rate(Decimal(1343), Decimal(341)),
        2: Rate(Decimal(1274), Decimal(309)),
        3: Rate(Decimal(1240), Decimal(292)),
    },
    PUMP: {
        1: Rate(Decimal(2049), Decimal(341)),
        2: Rate(Decimal(1912), Decimal(309)),
        3: Rate(Decimal(1843), Decimal(292)),
    },
}

KRONE = Decimal(1)
ORE = Decimal("0.01")


def step_of(ordinal: int) -> int:
    """The step of the course with this region-wide position in its year (graduated, like tax
    brackets: reaching step 2 never re-prices the first 1,500)."""
    if ordinal < 1:
        raise ValueError("ordinals start at 1")
    for step, last in STEP_LIMITS:
        if ordinal <= last:
            return step
    return 3


def indexed(amount: Decimal, index: Decimal) -> Decimal:
    """A base tariff times a year's price index, rounded half up to whole kroner."""
    return (Decimal(amount) * Decimal(index)).quantize(KRONE, rounding=ROUND_HALF_UP)


def indexed_table(index: Decimal) -> dict[str, dict[int, Rate]]:
    """The year's table: the 2020 base times the index (an index of 1 gives the base)."""
    return {
        treatment: {step: Rate(indexed(r.course, index), indexed(r.day, index)) for step, r in steps.items()}
        for treatment, steps in BASE_TABLE.items()
    }


def course_year(start_date: datetime.date) -> int:
    """A course belongs to the calendar year of its start date, even if it ends after New Year."""
    return start_date.year


def course_days(start_date: datetime.date, end_date: datetime.date) -> int:
    """Length in days, counting both the start and the end date."""
    if end_date < start_date:
        raise ValueError("a course cannot end before it starts")
    return (end_date - start_date).days + 1


def extra_days(treatment: str, days: int) -> int:
    """Days billed at the day tariff: those beyond the included days."""
    return max(0, days - INCLUDED_DAYS[treatment])


def price(treatment: str, days: int, rate: Rate) -> Decimal:
    """Course tariff plus the day tariff for each day beyond the included days."""
    return (rate.course + rate.day * extra_days(treatment, days)).quantize(ORE)
