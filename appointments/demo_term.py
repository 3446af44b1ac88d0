"""Demo: KKR Hovedstaden 2026-2029 made by the term change workflow from the real results of
the municipal election of 18 November 2025 (register/fixtures/kv25_lists.csv and the official
files of Albertslund, Frederiksberg and Bornholm).

The votes and seats are official figures; every person is invented. A mayor's list is the
municipality's largest national list (not who really became mayor); a 2022-2025 mayor of that
list is re-elected, so the longest-serving mayor convenes. Every write goes through the services.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path

from register.models import ElectionList, Municipality, Party, Politician, Region

from . import services
from .demo import _name, seed_constituent_meeting
from .models import Council, Seat
from .services import term
from .services.results import election_import, results_store
from .valgdata import read_lists_csv

FIXTURES = Path(__file__).resolve().parent.parent / "register" / "fixtures"
ELECTION_YEAR = 2025
TERM_START = datetime.date(2026, 1, 22)
MEETING_AT = (2026, 1, 22, 10, 0)


def seed_results() -> list[str]:
    text = (FIXTURES / "kv25_lists.csv").read_text(encoding="utf-8")
    stored = results_store(read_lists_csv(text, ELECTION_YEAR, "kv25_lists.csv"))
    lines = [f"KV25 figures: {len(stored)} councils, {sum(s.changed for s in stored)} stored"]
    return lines + [s.line() for s in election_import(FIXTURES / "kv25")]


def _birth(rng) -> datetime.date:
    return datetime.date(rng.randint(1955, 1992), rng.randint(1, 12), rng.randint(1, 28))


def _mayor_rows(region: Region, rng, used: set[str]) -> list[term.MayorRow]:
    rows = []
    for municipality in Municipality.objects.filter(region=region).order_by("code"):
        lists = list(
            ElectionList.objects.filter(year=ELECTION_YEAR, municipality=municipality)
            .exclude(party__letter="L")
            .order_by("-seats", "-votes")
            .values_list("party__letter", flat=True)
        )
        letter, deputy_letter = lists[0], lists[1]
        previous = Politician.objects.filter(
            municipality=municipality, office=Politician.Office.MAYOR, party__letter=letter
        ).first()
        mayor = (
            term.Person(previous.name, letter, previous.birth_date)
            if previous
            else term.Person(_name(rng, used), letter, _birth(rng))
        )
        rows.append(
            term.MayorRow(municipality.code, mayor, term.Person(_name(rng, used), deputy_letter, _birth(rng)))
        )
    return rows


def _supplementary_members(council: Council, rng, used: set[str]) -> int:
    """The lists report their members: each from a municipality where the list won seats."""
    named = 0
    for letter, extra, have in term.members_missing(council):
        party = Party.objects.get(letter=letter)
        where = list(
            Municipality.objects.filter(
                election_lists__year=ELECTION_YEAR, election_lists__party=party, election_lists__seats__gt=0
            )
            .filter(region=council.region)
            .distinct()
            .order_by("code")
        )
        for _ in range(extra - have):
            municipality = rng.choice(where)
            people = [
                Politician.objects.create(
                    name=_name(rng, used),
                    email="",
                    birth_date=_birth(rng),
                    municipality=municipality if i == 0 else rng.choice(where),
                    party=party,
                    council_from=datetime.date(ELECTION_YEAR + 1, 1, 1),
                )
                for i in range(2)
            ]
            services.seat_fill(
                council=council,
                kind=Seat.Kind.ELECTED,
                party=party,
                municipality=municipality,
                holder=people[0],
                substitute=people[1],
                valid_from=TERM_START,
            )
            named += 1
    return named


def seed_term_change(region: Region) -> list[str]:
    existing = Council.objects.filter(region=region, election_year=ELECTION_YEAR).first()
    if existing:
        return [f"{existing.name} exists"]
    lines = seed_results()
    rng = random.Random("kkr-hovedstaden-2026")
    used: set[str] = set(Politician.objects.values_list("name", flat=True))
    council = term.council_create(region=region, election_year=ELECTION_YEAR, term_start=TERM_START)
    term.mayors_record(council=council, rows=_mayor_rows(region, rng, used))
    composition = services.council_composition(council)
    named = _supplementary_members(council, rng, used)
    lines.append(
        f"{council.name}: from the 2025 results N={composition.size} (cap {composition.cap}), "
        f"{composition.mayors} mayors + {named} supplementary members = {composition.members} members"
    )
    preferred = (
        Seat.objects.filter(council=council, kind=Seat.Kind.MAYOR, municipality__code="101").get().holder
    )
    lines += seed_constituent_meeting(council, preferred, MEETING_AT)
    previous = term.council_take_office(council=council, today=TERM_START)
    lines.append(f"{council.name} took office {TERM_START}; {previous.name} left office the day before")
    return lines
