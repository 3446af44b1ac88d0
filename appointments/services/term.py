"""The term change: a new council for a term, its mayors, the parties' deadline and reminders,
and taking office (docs/rules.md §1; KL "Valg og konstituering af KKR"). Composition, seats, the
constituent meeting and the chair election are the existing services; this module adds the
steps between them."""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.messaging import queue_notice
from accounts.roles import RoleKind
from accounts.selectors import users_with_role
from core.errors import refuse
from core.time import today as current_day
from register.models import Municipality, Party, Politician, Region

from .. import rules
from ..models import Council, Seat, TermChange
from ..selectors import members_missing, previous_council
from .base import _lock_council
from .council import _close, seat_fill


@transaction.atomic
def council_create(*, region: Region, election_year: int, term_start: datetime.date, user=None) -> Council:
    """A new council for the term after ``election_year`` (a page, not the admin)."""
    if Council.objects.filter(region=region, election_year=election_year).exists():
        refuse(
            _("%(r)s already has a council for the election of %(y)s.") % {"r": region, "y": election_year}
        )
    if not datetime.date(election_year, 11, 1) < term_start <= rules.constituent_deadline(election_year):
        refuse(
            _("The new council takes office after the election and no later than %(d)s.")
            % {"d": rules.constituent_deadline(election_year).strftime("%d.%m.%Y")},
            field="term_start",
        )
    if Council.objects.filter(region=region, term_start__gte=term_start).exists():
        refuse(_("A later council of the region exists."), field="term_start")
    council = Council.objects.create(region=region, election_year=election_year, term_start=term_start)
    TermChange.objects.create(
        council=council, members_due=rules.members_report_due(election_year), created_by=user
    )
    return council


def term_change_of(council: Council) -> TermChange:
    """The council's term change (made for councils created before the workflow existed)."""
    change, _created = TermChange.objects.get_or_create(
        council=council, defaults={"members_due": rules.members_report_due(council.election_year)}
    )
    return change


def _refuse_when_in_office(council: Council) -> None:
    if TermChange.objects.filter(council=council, took_office_at__isnull=False).exists():
        refuse(_("The council has already taken office."))


@transaction.atomic
def members_due_set(*, council: Council, due: datetime.date) -> TermChange:
    _refuse_when_in_office(council)
    change = term_change_of(council)
    if due > rules.constituent_deadline(council.election_year):
        refuse(_("The parties must report before the constituent meeting's deadline."), field="due")
    change.members_due = due
    change.save(update_fields=["members_due"])
    return change


# --- Mayors and deputy mayors -------------------------------------------------------------

MAYORS_CSV_HEADER = [
    "municipality_code",
    "mayor",
    "mayor_list",
    "mayor_birth_date",
    "mayor_since",
    "deputy",
    "deputy_list",
    "deputy_birth_date",
]


@dataclass(frozen=True)
class Person:
    name: str
    letter: str
    birth_date: datetime.date


@dataclass(frozen=True)
class MayorRow:
    municipality_code: str
    mayor: Person
    deputy: Person
    mayor_since: datetime.date | None = None


def _date(value: str, where: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        refuse(_("%(w)s: not a date YYYY-MM-DD: %(v)r") % {"w": where, "v": value})


def parse_mayors_csv(text: str) -> list[MayorRow]:
    """One row per municipality: mayor and 1st deputy mayor; errors name the row and column."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip() for h in next(reader, [])]
    if header != MAYORS_CSV_HEADER:
        refuse(_("Line 1: the header must be %(h)s.") % {"h": ",".join(MAYORS_CSV_HEADER)})
    rows = []
    for number, row in enumerate(reader, start=2):
        if not any(v.strip() for v in row):
            continue
        if len(row) != len(header):
            refuse(
                _("Line %(n)s: expected %(c)s columns, found %(f)s.")
                % {"n": number, "c": len(header), "f": len(row)}
            )
        v = dict(zip(header, (c.strip() for c in row), strict=True))
        for column in ("municipality_code", "mayor", "mayor_list", "deputy", "deputy_list"):
            if not v[column]:
                refuse(_("Line %(n)s, column %(c)s: missing.") % {"n": number, "c": column})
        rows.append(
            MayorRow(
                municipality_code=v["municipality_code"],
                mayor=Person(
                    v["mayor"],
                    v["mayor_list"],
                    _date(v["mayor_birth_date"], f"line {number}, mayor_birth_date"),
                ),
                deputy=Person(
                    v["deputy"],
                    v["deputy_list"],
                    _date(v["deputy_birth_date"], f"line {number}, deputy_birth_date"),
                ),
                mayor_since=_date(v["mayor_since"], f"line {number}, mayor_since")
                if v["mayor_since"]
                else None,
            )
        )
    if not rows:
        refuse(_("The file has no municipalities."))
    return rows


def _office_holder(
    municipality: Municipality, person: Person, office: str, council_from: datetime.date, parties
):
    """The register's politician for ``person`` now holding ``office`` (the previous holder loses it)."""
    if person.letter not in parties:
        refuse(_("%(m)s: there is no list %(l)s.") % {"m": municipality.name, "l": person.letter})
    politician = Politician.objects.filter(
        municipality=municipality, name=person.name, birth_date=person.birth_date
    ).first()
    Politician.objects.filter(municipality=municipality, office=office, council_to__isnull=True).exclude(
        pk=getattr(politician, "pk", None)
    ).update(office="")
    if politician is None:
        politician = Politician.objects.create(
            name=person.name,
            birth_date=person.birth_date,
            municipality=municipality,
            party=parties[person.letter],
            council_from=council_from,
            office=office,
        )
    else:
        politician.office, politician.party, politician.council_to = office, parties[person.letter], None
        politician.save(update_fields=["office", "party", "council_to"])
    return politician


@transaction.atomic
def mayors_record(*, council: Council, rows: list[MayorRow]) -> int:
    """Record each municipality's mayor and 1st deputy mayor of the new term and give the mayor
    the municipality's seat in the new council with the deputy as personal substitute (Bilag 1
    1.1). Recording a municipality again replaces its mayor seat. All or nothing."""
    council = _lock_council(council)
    _refuse_when_in_office(council)
    municipalities = {m.code: m for m in Municipality.objects.filter(region=council.region)}
    parties = {p.letter: p for p in Party.objects.all()}
    council_from = datetime.date(council.election_year + 1, 1, 1)
    seen = set()
    for index, row in enumerate(rows, start=1):
        municipality = municipalities.get(row.municipality_code)
        if municipality is None:
            refuse(
                _("Row %(n)s: %(c)s is not a municipality of %(r)s.")
                % {"n": index, "c": row.municipality_code, "r": council.region}
            )
        if row.municipality_code in seen:
            refuse(_("Row %(n)s: %(m)s appears twice.") % {"n": index, "m": municipality.name})
        seen.add(row.municipality_code)
        if row.mayor.name == row.deputy.name and row.mayor.birth_date == row.deputy.birth_date:
            refuse(_("Row %(n)s: the mayor cannot be their own deputy.") % {"n": index})
        mayor = _office_holder(municipality, row.mayor, Politician.Office.MAYOR, council_from, parties)
        deputy = _office_holder(municipality, row.deputy, Politician.Office.DEPUTY_1, council_from, parties)
        if row.mayor_since or mayor.mayor_since is None:
            mayor.mayor_since = row.mayor_since or council_from
            mayor.save(update_fields=["mayor_since"])
        seat = Seat.objects.filter(
            council=council, kind=Seat.Kind.MAYOR, municipality=municipality, valid_to__isnull=True
        ).first()
        if seat and (seat.holder_id, seat.substitute_id, seat.party_id) == (
            mayor.pk,
            deputy.pk,
            mayor.party_id,
        ):
            continue
        number = None
        if seat:
            _close(seat, council.term_start, _("Mayor recorded again"))
            number = seat.number
        seat_fill(
            council=council,
            kind=Seat.Kind.MAYOR,
            party=mayor.party,
            municipality=municipality,
            holder=mayor,
            substitute=deputy,
            valid_from=council.term_start,
            number=number,
        )
    return len(rows)


# --- Supplementary members: who is missing, reminders -------------------------------------


def members_reminders_queue(
    *, council: Council, today: datetime.date | None = None, force: bool = False
) -> int:
    """Remind the secretariat which lists have not reported their members yet, from five days
    before the deadline (or at once with ``force``); one notice per person, council and day."""
    today = today or current_day()
    change = term_change_of(council)
    if change.took_office_at or not (force or rules.members_reminder_due(change.members_due, today)):
        return 0
    missing = members_missing(council)
    if not missing:
        return 0
    context = {"council": council, "due": change.members_due, "missing": missing}
    url = reverse("appointments:term_change", args=[council.pk])
    queued = 0
    for user in users_with_role(RoleKind.SECRETARIAT, region_id=council.region_id):
        queue_notice(
            key=f"appointments:term-members:{council.pk}:{today.isoformat()}:{user.email}",
            to_email=user.email,
            template="appointments/notices/term_members",
            context=context,
            user=user,
            url=url,
        )
        queued += 1
    return queued


def members_reminders_due_queue(*, today: datetime.date) -> int:
    """The daily run: every council in a term change that has not taken office yet."""
    return sum(
        members_reminders_queue(council=change.council, today=today)
        for change in TermChange.objects.filter(took_office_at__isnull=True).select_related("council__region")
    )


# --- Taking office --------------------------------------------------------------------------


@transaction.atomic
def council_take_office(*, council: Council, today: datetime.date | None = None) -> Council | None:
    """The new council takes office on its first day: the previous council's term and its open
    seats end the day before. Appointments of the old electoral period end by their own rules
    (AppointmentQuerySet.current) once the new council is in office. Returns the previous council."""
    today = today or current_day()
    council = _lock_council(council)
    _refuse_when_in_office(council)
    change = term_change_of(council)
    if council.chair_id is None or council.vice_chair_id is None:
        refuse(_("Elect the chair and vice-chair at the constituent meeting first."))
    if today < council.term_start:
        refuse(
            _("The council takes office on %(d)s, not before.")
            % {"d": council.term_start.strftime("%d.%m.%Y")}
        )
    previous = previous_council(council)
    if previous is not None:
        previous = _lock_council(previous)
        last_day = rules.previous_term_end(council.term_start)
        if previous.term_end is None or previous.term_end > last_day:
            previous.term_end = last_day
            previous.save(update_fields=["term_end"])
        for seat in Seat.objects.filter(council=previous, valid_to__isnull=True):
            _close(seat, council.term_start, _("The new council took office"))
    change.took_office_at = timezone.now()
    change.save(update_fields=["took_office_at"])
    return previous
