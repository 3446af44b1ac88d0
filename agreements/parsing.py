"""One parser for an IV course, whoever submits it: the course form, the REST API and a row of an
upload all hand their values to parse_course(), which turns them into the course's values with
field-named problems; the rules of a course that may be saved are then checked once, by
CourseInput.problems() in the register service.

The form and the serializer have already turned their text into dates, numbers and choices (their
fields also draw the page and the API schema); an upload row arrives as text, in English or Danish
words and with dates as YYYY-MM-DD or DD-MM-YYYY. The parser accepts both, so each check is
written once. No ORM here: the municipality is resolved by the caller (its own permissions).
"""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

import core.time
from register.models import Municipality

from . import rules
from .rules import Problem

COURSE_FIELDS = (
    "treatment",
    "referred_on",
    "decision",
    "start_date",
    "end_date",
    "setting",
    "visits_per_day",
    "minutes_per_visit",
    "night_visits",
    "note",
)
# The values a submission must give (an accepted course's start date is a rule: rules.course_problems).
REQUIRED = (
    "external_id",
    "treatment",
    "referred_on",
    "decision",
    "setting",
    "visits_per_day",
    "minutes_per_visit",
)
DATES = ("referred_on", "start_date", "end_date")
WHOLE_NUMBERS = ("visits_per_day", "minutes_per_visit")
# The words a choice may be given in (English or Danish); the form and the API send the first.
WORDS = {
    "treatment": {
        "antibiotics": "antibiotics",
        "antibiotika": "antibiotics",
        "fluids": "fluids",
        "væske": "fluids",
        "vaeske": "fluids",
        "pump": "pump",
        "pumpe": "pump",
    },
    "decision": {
        "accepted": "accepted",
        "accepteret": "accepted",
        "declined": "declined",
        "afvist": "declined",
    },
    "setting": {"home": "home", "hjem": "home", "clinic": "clinic", "klinik": "clinic"},
}
# night_visits: an empty value (or none) means no visits between 23:00 and 07:00.
YES_NO = {
    "no": False,
    "nej": False,
    "0": False,
    "false": False,
    "yes": True,
    "ja": True,
    "1": True,
    "true": True,
}
DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y")


def parse_date(text: str) -> datetime.date:
    """A date written YYYY-MM-DD or DD-MM-YYYY. The ten-character shapes are read without strptime
    (an upload parses three dates a row); anything else is left to strptime, which decides."""
    if len(text) == 10 and text.isascii() and text.replace("-", "").isdigit():
        try:
            if text[4] == "-" and text[7] == "-":
                return datetime.date(int(text[:4]), int(text[5:7]), int(text[8:]))
            if text[2] == "-" and text[5] == "-":
                return datetime.date(int(text[6:]), int(text[3:5]), int(text[:2]))
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError


def _text(value) -> str:
    return "" if value is None else str(value).strip()


# Formatted only for a value that fails (an upload parses every row).
NOT_A_DATE = gettext_lazy("Not a date: %(value)s (use YYYY-MM-DD or DD-MM-YYYY).")
NOT_A_NUMBER = gettext_lazy("Not a whole number: %(value)s.")


def _typed(name: str, value, kind: type, convert, refusal, problems: list[Problem]):
    """A value the form or the API already typed as it is; text converted, or a problem."""
    if isinstance(value, kind) or value is None:
        return value
    text = _text(value)
    if not text:
        return None
    try:
        return convert(text)
    except ValueError:
        problems.append((name, refusal % {"value": text}))
        return None


def _word(name: str, value, problems: list[Problem]) -> str | None:
    text = _text(value)
    choices = WORDS[name]
    if text and text.lower() not in choices:
        problems.append(
            (
                name,
                _("Unknown value %(value)s; use one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(choices)},
            )
        )
    return choices.get(text.lower())


def _yes_no(value, problems: list[Problem]) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = _text(value).lower()
    if text and text not in YES_NO:
        problems.append(
            (
                "night_visits",
                _("Unknown value %(value)s; use one of: %(choices)s (empty means no).")
                % {"value": _text(value), "choices": ", ".join(YES_NO)},
            )
        )
    return YES_NO.get(text, False)


def parse_course(raw: Mapping[str, Any]) -> tuple[dict[str, Any], list[Problem]]:
    """The course's values (external_id, cpr and COURSE_FIELDS) from submitted ones, typed or text,
    and what is wrong with their form (a missing value, an unknown word, a date or number that is
    not one). An absent optional value is empty; absent night visits mean none."""
    problems: list[Problem] = []
    for name in REQUIRED:
        if raw.get(name) is None or (isinstance(raw.get(name), str) and not raw[name].strip()):
            problems.append((name, _("A value is required.")))
    values: dict[str, Any] = {"external_id": _text(raw.get("external_id")), "cpr": _text(raw.get("cpr"))}
    for name in WORDS:
        values[name] = _word(name, raw.get(name), problems)
    for name in DATES:
        values[name] = _typed(name, raw.get(name), datetime.date, parse_date, NOT_A_DATE, problems)
    for name in WHOLE_NUMBERS:
        values[name] = _typed(name, raw.get(name), int, int, NOT_A_NUMBER, problems)
    values["night_visits"] = _yes_no(raw.get("night_visits"), problems)
    values["note"] = raw.get("note") or ""
    return values, problems


@dataclass
class CourseInput:
    """A course as submitted by the form, an upload row or the API (values parsed by parse_course)."""

    municipality: Municipality
    external_id: str
    treatment: str
    referred_on: datetime.date
    decision: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    setting: str
    visits_per_day: int
    minutes_per_visit: int
    night_visits: bool = False
    note: str = ""
    cpr: str = ""
    # problems() by period: an upload checks each row while reading it, and courses_register checks
    # again, so the second check is a lookup (an input is not changed after it is built).
    _problems: dict = field(default_factory=dict, init=False, repr=False, compare=False)

    def problems(self, period: tuple[datetime.date, datetime.date] | None = None) -> list[Problem]:
        """The rules of a course that may be saved (rules.course_problems), with the case reference
        and the CPR number's shape. period: the (starts_on, ends_on) of the municipality's
        agreement, when known (its dates are formatted only for a course outside it)."""
        if period in self._problems:
            return list(self._problems[period])
        problems = rules.course_problems(
            decision=self.decision,
            referred_on=self.referred_on,
            start_date=self.start_date,
            end_date=self.end_date,
            visits_per_day=self.visits_per_day,
            minutes_per_visit=self.minutes_per_visit,
            night_visits=self.night_visits,
            period=period,
            texts={"external_id": self.external_id, "note": self.note or ""},
            today=core.time.today(),
        )
        if not self.external_id.strip():
            problems.append(("external_id", _("The case reference is required.")))
        if self.cpr:
            try:
                rules.cpr_birth_date(self.cpr)
            except ValueError:
                problems.append(("cpr", _("This is not a valid CPR number (DDMMYY-XXXX with a real date).")))
        self._problems[period] = tuple(problems)
        return problems

    def values(self) -> dict:
        values = {name: getattr(self, name) for name in COURSE_FIELDS}
        values["note"] = values["note"] or ""
        if self.cpr:
            values["cpr_hash"] = rules.cpr_hash(self.cpr, settings.CPR_HASH_KEY)
        return values
