"""Other rules of the IV agreement as pure functions: eligibility (IV 1.5), CPR shape and
keyed hash (docs/rules.md §4.1), quarters, the staircase projection and cost sharing (docs/rules.md §5)."""

import datetime
import hashlib
import hmac
import math
import re
from decimal import ROUND_DOWN, Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from .tariffs import STEP_LIMITS

MAX_VISITS_PER_DAY = 4
MAX_MINUTES_PER_VISIT = 60

# The agreement's key dates (IV 5.2).
AGREEMENT_START = datetime.date(2021, 10, 4)
EXTENSION_DECISION_BY = datetime.date(2023, 9, 30)
AGREEMENT_END = datetime.date(2023, 10, 3)  # two years from 4 October 2021, the last day included


# Every rule here reports what is wrong as problems: (field, message) pairs, the field named as the
# form, the API and the upload name it. A service refuses them all at once with
# core.errors.Refused(by_field(problems)).
Problem = tuple[str, str]


def by_field(problems: list[Problem]) -> dict[str, list[str]]:
    """Problems grouped by field, in the order first named: the shape core.errors.Refused takes."""
    grouped: dict[str, list[str]] = {}
    for name, message in problems:
        grouped.setdefault(name, []).append(message)
    return grouped


def ineligibility_reasons(
    visits_per_day: int | None, minutes_per_visit: int | None, night_visits: bool = False
) -> list[Problem]:
    """Why a course stays in hospital care (IV 1.5), as (field, reason); empty when eligible.

    night_visits: the course needs a visit in the time from 23:00 to 07:00 ("i tidsrummet fra
    23.00-07.00"). The portal records no visit times, only this answer (docs/agreements.md)."""
    reasons = []
    if visits_per_day is not None and visits_per_day > MAX_VISITS_PER_DAY:
        reasons.append(
            (
                "visits_per_day",
                _(
                    "More than 4 visits a day: the course stays in hospital care (IV 1.5) and cannot be registered."
                ),
            )
        )
    if minutes_per_visit is not None and minutes_per_visit > MAX_MINUTES_PER_VISIT:
        reasons.append(
            (
                "minutes_per_visit",
                _(
                    "An infusion of more than 60 minutes: the course stays in hospital care (IV 1.5) and cannot be registered."
                ),
            )
        )
    if night_visits:
        reasons.append(
            (
                "night_visits",
                _(
                    "Visits between 23:00 and 07:00: the course stays in hospital care (IV 1.5) and cannot be registered."
                ),
            )
        )
    return reasons


def period_problems(
    *,
    referred_on: datetime.date | None,
    start_date: datetime.date | None,
    starts_on: datetime.date,
    ends_on: datetime.date,
) -> list[Problem]:
    """A course belongs to the agreement when its first municipal treatment (a declined course:
    its referral) falls within the agreement's period, both days included (IV 5.2). A course
    that starts within it may end after it: it is finished and billed under the agreement."""
    field, day = ("start_date", start_date) if start_date else ("referred_on", referred_on)
    if day is None:
        return []
    if starts_on <= day <= ends_on:
        return []  # the common case: no dates to format (an upload checks every row)
    values = {
        "first": date_format(starts_on, "SHORT_DATE_FORMAT"),
        "last": date_format(ends_on, "SHORT_DATE_FORMAT"),
    }
    if day < starts_on:
        return [
            (
                field,
                gettext("This is before the IV agreement is in force (from %(first)s to %(last)s, IV 5.2).")
                % values,
            )
        ]
    if day > ends_on:
        return [
            (
                field,
                gettext(
                    "This is after the IV agreement ends (in force from %(first)s to %(last)s, IV 5.2); the region records an extension of the agreement first."
                )
                % values,
            )
        ]
    return []


def in_force(starts_on: datetime.date, ends_on: datetime.date, day: datetime.date) -> bool:
    """Whether the agreement is in force on `day` (IV 5.2; both ends included)."""
    return starts_on <= day <= ends_on


def extension_decision_by(ends_on: datetime.date) -> datetime.date:
    """The day by which the parties decide on extending an agreement that ends on `ends_on`:
    as far ahead of the end as IV 5.2 sets it for the first period (30 September before
    3 October). **Decision**: the sources are silent on later periods; we keep the same lead."""
    return ends_on - (AGREEMENT_END - EXTENSION_DECISION_BY)


def extension_problems(
    *,
    ends_on_now: datetime.date,
    ends_on: datetime.date | None,
    decided_on: datetime.date | None,
    today: datetime.date,
) -> list[Problem]:
    """Why an extension of the agreement (IV 5.2) cannot be recorded, as (field, reason): the new
    end must come after the current one, and the decision must already have been taken."""
    problems = []
    if ends_on is not None and ends_on <= ends_on_now:
        problems.append(
            (
                "ends_on",
                gettext("An extension ends after the agreement's current end (%(end)s).")
                % {"end": date_format(ends_on_now, "SHORT_DATE_FORMAT")},
            )
        )
    if decided_on is not None and decided_on > today:
        problems.append(
            ("decided_on", gettext("Record a decision once it is taken: the date is in the future."))
        )
    return problems


CPR_SHAPE = re.compile(r"^(\d{2})(\d{2})(\d{2})-?(\d)(\d{3})$")


def cpr_birth_date(cpr: str) -> datetime.date:
    """The birth date of a CPR number by shape, date and century rule (no modulus 11: valid
    numbers without it exist since 2007). Raises ValueError when the number cannot exist."""
    match = CPR_SHAPE.match(cpr.strip())
    if not match:
        raise ValueError("a CPR number has 10 digits (DDMMYY-XXXX)")
    day, month, yy, digit7 = int(match[1]), int(match[2]), int(match[3]), int(match[4])
    if digit7 <= 3:
        century = 1900
    elif digit7 in (4, 9):
        century = 2000 if yy <= 36 else 1900
    else:  # 5-8
        century = 2000 if yy <= 57 else 1800
    return datetime.date(century + yy, month, day)  # ValueError for e.g. 31 Feb


# A CPR number inside free text: six digits, an optional dash, four digits, not part of a longer
# run of digits. It counts only when the first six are a real birth date under the century rule.
CPR_IN_TEXT = re.compile(r"(?<!\d)(\d{6})-?(\d{4})(?!\d)")
# A course's note; longer text belongs in the municipality's own case system.
NOTE_MAX_LENGTH = 2000


def contains_cpr(text: str) -> bool:
    """Whether free text holds something shaped like a CPR number: a valid date (DDMMYY, with the
    century from the 7th digit) and four more digits, with or without the dash. **Decision**: no
    modulus-11 check — numbers issued since 2007 may fail it, and a number that fails it is just
    as personal — so any ten digits starting with a real date are refused (a rare false alarm
    costs a clerk a retype; a CPR number in clear would be on pages, PDFs and exports)."""
    for match in CPR_IN_TEXT.finditer(text or ""):
        try:
            cpr_birth_date(f"{match[1]}-{match[2]}")
        except ValueError:
            continue
        return True
    return False


def free_text_problems(texts: dict[str, str]) -> list[Problem]:
    """What is wrong with a course's free-text fields ({field: text}): a CPR number in any of
    them, and a note longer than NOTE_MAX_LENGTH characters."""
    problems = []
    for name, text in texts.items():
        if contains_cpr(text):
            problems.append(
                (
                    name,
                    _(
                        "This looks like a CPR number. CPR numbers may not be written in free text; "
                        "give it in the CPR field, where only a keyed hash is kept."
                    ),
                )
            )
    note = texts.get("note") or ""
    if len(note) > NOTE_MAX_LENGTH:
        problems.append(
            (
                "note",
                gettext("The note is %(length)s characters long; at most %(max)s are allowed.")
                % {"length": len(note), "max": NOTE_MAX_LENGTH},
            )
        )
    return problems


def future_problems(
    *, start_date: datetime.date | None, referred_on: datetime.date | None, today: datetime.date
) -> list[Problem]:
    """**Decision** (issue 13): a course is registered once it has begun, so its first municipal
    treatment and its referral lie on or before today; a later date is refused. (A planned end
    date is accepted: a course is billed only once it has ended.)"""
    problems = []
    if start_date is not None and start_date > today:
        problems.append(
            (
                "start_date",
                _("The first municipal treatment is after today: register the course once it has begun."),
            )
        )
    if referred_on is not None and referred_on > today:
        problems.append(("referred_on", _("The referral date is after today.")))
    return problems


def cpr_hash(cpr: str, key: str) -> str:
    """The keyed hash kept instead of the number (HMAC-SHA256); raises ValueError for a bad CPR."""
    cpr_birth_date(cpr)
    digits = cpr.strip().replace("-", "")
    return hmac.new(key.encode(), digits.encode(), hashlib.sha256).hexdigest()


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    first = datetime.date(year, 3 * quarter - 2, 1)
    last_month = 3 * quarter
    last = (
        datetime.date(year + 1, 1, 1) if last_month == 12 else datetime.date(year, last_month + 1, 1)
    ) - datetime.timedelta(days=1)
    return first, last


def previous_quarter(day: datetime.date) -> tuple[int, int]:
    year, quarter = quarter_of(day)
    return (year - 1, 4) if quarter == 1 else (year, quarter - 1)


def staircase_projection(count: int, as_of: datetime.date) -> dict[int, datetime.date | None]:
    """When the year's count of courses reaches step 2 and step 3 at the pace so far.

    {step: date} with the day the first course of that step is expected; None when it is not
    expected within the year; as_of for a step already reached."""
    start = datetime.date(as_of.year, 1, 1)
    end = datetime.date(as_of.year, 12, 31)
    elapsed = (as_of - start).days + 1
    pace = count / elapsed  # courses per day
    result: dict[int, datetime.date | None] = {}
    for step_before, last in STEP_LIMITS:
        target = last + 1
        if count >= target:
            result[step_before + 1] = as_of
            continue
        if pace <= 0:
            result[step_before + 1] = None
            continue
        day = start + datetime.timedelta(days=math.ceil(target / pace) - 1)
        result[step_before + 1] = day if day <= end else None
    return result


def largest_remainder(total: Decimal, weights: dict, unit: Decimal = Decimal("0.01")) -> dict:
    """Split total among keys by weight (population) with the largest remainder method (Hare),
    to the unit (øre): shares add up exactly to the total. Ties go to the larger weight, then
    to the key order given."""
    if total < 0:
        raise ValueError("the amount to share cannot be negative")
    weight_sum = sum(weights.values())
    if weight_sum <= 0:
        raise ValueError("the weights must add up to more than zero")
    units = int((Decimal(total) / unit).to_integral_value(rounding=ROUND_DOWN))
    if Decimal(units) * unit != Decimal(total):
        raise ValueError("the amount has more decimals than the unit")
    floors, remainders = {}, []
    for order, (key, weight) in enumerate(weights.items()):
        exact = Decimal(units) * Decimal(weight) / Decimal(weight_sum)
        floor = int(exact.to_integral_value(rounding=ROUND_DOWN))
        floors[key] = floor
        remainders.append((exact - floor, weight, -order, key))
    left = units - sum(floors.values())
    for _rem, _w, _o, key in sorted(remainders, reverse=True)[:left]:
        floors[key] += 1
    return {key: Decimal(n) * unit for key, n in floors.items()}


def is_billable(
    *, decision: str, withdrawn: bool, end_date: datetime.date | None, as_of: datetime.date
) -> bool:
    """Only courses accepted and completed by as_of are billed (docs/rules.md §4.1); a withdrawn course never
    is. A course whose end date lies after as_of has not ended yet: it is billed by a later run.

    models.billable_q is this rule as a query; test_rules checks the two agree."""
    return decision == "accepted" and not withdrawn and end_date is not None and end_date <= as_of


def ends_after(
    *, decision: str, withdrawn: bool, end_date: datetime.date | None, as_of: datetime.date
) -> bool:
    """An accepted course whose end date lies after as_of: it will be billable once it has ended.
    A settled course changed so is left for the run after its end (nothing credited or debited
    meanwhile), as a new course would be."""
    return decision == "accepted" and not withdrawn and end_date is not None and end_date > as_of


def course_problems(
    *,
    decision: str,
    referred_on: datetime.date | None,
    start_date: datetime.date | None,
    end_date: datetime.date | None,
    visits_per_day: int | None,
    minutes_per_visit: int | None,
    night_visits: bool = False,
    period: tuple[datetime.date, datetime.date] | None = None,
    texts: dict[str, str] | None = None,
    today: datetime.date | None = None,
) -> list[Problem]:
    """Everything wrong with a course's values, as (field, message); empty when it may be saved.
    period: the agreement's (starts_on, ends_on), when known; texts: the free-text fields
    ({field: text}); today: the day against which future dates are refused, when known."""
    problems = list(ineligibility_reasons(visits_per_day, minutes_per_visit, night_visits))
    problems.extend(free_text_problems(texts or {}))
    if today is not None:
        problems.extend(future_problems(start_date=start_date, referred_on=referred_on, today=today))
    if visits_per_day is not None and visits_per_day < 1:
        problems.append(("visits_per_day", _("A course has at least one visit a day.")))
    if minutes_per_visit is not None and minutes_per_visit < 1:
        problems.append(("minutes_per_visit", _("A visit takes at least one minute.")))
    if decision == "accepted" and start_date is None:
        problems.append(
            ("start_date", _("An accepted course needs the date of the first municipal treatment."))
        )
    if end_date is not None and start_date is None:
        problems.append(("start_date", _("A course with an end date needs a start date.")))
    if start_date and end_date and end_date < start_date:
        problems.append(("end_date", _("The end date is before the start date.")))
    if referred_on and start_date and start_date < referred_on:
        problems.append(("start_date", _("The course cannot start before it was referred.")))
    if period is not None:
        problems.extend(
            period_problems(
                referred_on=referred_on, start_date=start_date, starts_on=period[0], ends_on=period[1]
            )
        )
    return problems
