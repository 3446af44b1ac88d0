"""The economy's rules (docs/rules.md §9, FO 4.2-4.4) as pure functions: no ORM, no clock.

Each is tested at its boundaries in tests/economy/test_rules.py.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

ØRE = Decimal("0.01")
# A single trip longer than this is a typing error rather than a journey inside one region
# (the longest drive across Region Nordjylland and back is well under it).
MAX_TRIP_KM = Decimal("600")
# A reminder goes to the owner of an initiative this many days before a report is due.
REPORT_REMINDER_DAYS = 14
# An initiative's evaluation is due this many months after it ends (decision: the sources say only
# "an evaluation"; three months gives the owner the last figures of the period).
EVALUATION_MONTHS = 3
# Participants are reminded this many days before an event's cancellation deadline.
CANCELLATION_REMINDER_DAYS = 3


# --- Political events (FO 4.2) -----------------------------------------------------------------


def registration_problems(*, now: datetime.datetime, deadline: datetime.datetime, starts_at) -> list[str]:
    """Why a registration is refused now: after the registration deadline (its last minute still
    counts: a deadline of 12:00 accepts 12:00:59) or once the event has started."""
    if now >= starts_at:
        return [_("The event has started; registration is closed.")]
    if now.replace(second=0, microsecond=0) > deadline:
        return [_("The registration deadline has passed.")]
    return []


def place_for(*, capacity: int, confirmed: int) -> str:
    """A new registration is confirmed while places are free, else it goes on the waiting list."""
    return "confirmed" if confirmed < capacity else "waiting"


def cancellation_is_free(
    *, now: datetime.datetime, deadline: datetime.datetime, promoted_at: datetime.datetime | None = None
) -> bool:
    """Cancelling is free up to and including the deadline's last minute; after it the fee stands.
    Decision: someone moved up from the waiting list after the deadline did not choose to be late,
    so they may cancel free until the event starts."""
    if now.replace(second=0, microsecond=0) <= deadline:
        return True
    return promoted_at is not None and promoted_at > deadline


def fee_for(kind: str, *, fee_member: Decimal, fee_politician: Decimal) -> Decimal:
    """The fee by participant kind: KKR members and substitutes, or other council members."""
    return fee_member if kind == "member" else fee_politician


def may_check_attendance(*, today: datetime.date, event_day: datetime.date) -> bool:
    """The attendance list is checked off on the day of the event, or afterwards."""
    return today >= event_day


def invoice_total(amounts) -> Decimal:
    """Sum fees exactly to the øre (Decimal, never float)."""
    return sum((Decimal(a).quantize(ØRE) for a in amounts), Decimal("0.00"))


# --- Joint initiatives (FO 4.3) -----------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    return day + relativedelta(months=months)


@dataclass(frozen=True)
class DueReport:
    kind: str  # "half_yearly" (the officials' committee), "yearly" (the KKR), "evaluation"
    due_on: datetime.date


def report_schedule(starts_on: datetime.date, ends_on: datetime.date) -> list[DueReport]:
    """The reports an initiative owes: every six months from its start a report, the yearly ones
    (12, 24, … months) to the KKR and the others to the officials' committee, while it runs
    (a due day after the end is replaced by the evaluation), and an evaluation
    EVALUATION_MONTHS after it ends."""
    if ends_on < starts_on:
        raise ValueError("an initiative cannot end before it starts")
    due = []
    step = 1
    while True:
        day = add_months(starts_on, 6 * step)
        if day > ends_on:
            break
        due.append(DueReport("yearly" if step % 2 == 0 else "half_yearly", day))
        step += 1
    due.append(DueReport("evaluation", add_months(ends_on, EVALUATION_MONTHS)))
    return due


def report_reminder_due(*, today: datetime.date, due_on: datetime.date) -> bool:
    return due_on - datetime.timedelta(days=REPORT_REMINDER_DAYS) <= today <= due_on


def shares_are_final(participants: list[bool]) -> bool:
    """The municipalities finance an initiative with their consent "in the concrete case": the
    shares are provisional until every participating municipality's consent is recorded."""
    return bool(participants) and all(participants)


# --- Remuneration (FO 4.4) ---------------------------------------------------------------------


def distance_problems(km: Decimal) -> list[str]:
    if km <= 0:
        return [_("The distance must be more than 0 km.")]
    if km > MAX_TRIP_KM:
        return [
            _("A trip of more than %(max)s km is not plausible: check the distance.") % {"max": MAX_TRIP_KM}
        ]
    return []


def split_km(*, before: Decimal, km: Decimal, limit: int) -> tuple[Decimal, Decimal]:
    """Kilometres at the high and the low rate: the first `limit` km of a person's year are paid at
    the high rate, the rest at the low rate (the state's rates); a trip crossing the limit is split."""
    high = max(Decimal(0), min(km, Decimal(limit) - before))
    return high, km - high


def mileage_amount(*, high_km: Decimal, low_km: Decimal, high_rate: Decimal, low_rate: Decimal) -> Decimal:
    return (high_km * high_rate + low_km * low_rate).quantize(ØRE, rounding=ROUND_HALF_UP)
