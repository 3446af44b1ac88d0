"""Storing official municipal election results in the register (all-or-nothing, idempotent)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from core.errors import refuse
from register.models import ElectionList, ElectionResult, Municipality, Party
from register.rules import national_party

from ..valgdata import CouncilResult, read_dir
from .base import rule_refusal


@dataclass(frozen=True)
class Stored:
    council: CouncilResult
    changed: bool

    def line(self) -> str:
        c = self.council
        counts = f", {c.counts} counts" if c.counts else ""
        state = "stored" if self.changed else "unchanged"
        return f"{c.name} ({c.code}) {c.year}: {c.seats} seats, {len(c.lists)} lists, {c.votes} votes{counts}: {state}"


def _rows(council: CouncilResult) -> list[tuple]:
    return sorted(
        (
            f.letter,
            f.name,
            national_party(f.letter, f.name),
            f.alliance,
            f.votes,
            f.seats,
            f.candidates,
            f.source_id,
        )
        for f in council.lists
    )


def _existing(municipality: Municipality, year: int) -> list[tuple]:
    return sorted(
        ElectionList.objects.filter(municipality=municipality, year=year).values_list(
            "letter", "name", "party__letter", "alliance", "votes", "seats", "candidates", "source_id"
        )
    )


@transaction.atomic
def results_store(councils: list[CouncilResult]) -> list[Stored]:
    """Store the lists of each council (replacing that council's lists of that year); nothing
    is stored when any council is refused. Storing the same results again changes nothing."""
    municipalities = {m.code: m for m in Municipality.objects.filter(code__in=[c.code for c in councils])}
    for council in councils:
        if council.code not in municipalities:
            refuse(f"{council.source}: no municipality with the code {council.code}")
    parties = {p.letter: p for p in Party.objects.all()}
    stored = []
    for council in councils:
        municipality = municipalities[council.code]
        rows = _rows(council)
        for row in rows:
            if row[2] not in parties:
                refuse(f"{council.source}: the register has no party {row[2]}")
        if rows == _existing(municipality, council.year):
            stored.append(Stored(council, changed=False))
            continue
        ElectionList.objects.filter(municipality=municipality, year=council.year).delete()
        ElectionList.objects.bulk_create(
            ElectionList(
                year=council.year,
                municipality=municipality,
                letter=letter,
                name=name,
                party=parties[party],
                alliance=alliance,
                votes=votes,
                seats=seats,
                candidates=candidates,
                source_id=source_id,
            )
            for letter, name, party, alliance, votes, seats, candidates, source_id in rows
        )
        _refresh_party_totals(municipality, council.year)
        stored.append(Stored(council, changed=True))
    return stored


def _refresh_party_totals(municipality: Municipality, year: int) -> None:
    """ElectionResult: the votes and seats per national party (local lists together under L)."""
    totals: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for party_id, votes, seats in ElectionList.objects.filter(
        municipality=municipality, year=year
    ).values_list("party_id", "votes", "seats"):
        totals[party_id][0] += votes
        totals[party_id][1] += seats
    ElectionResult.objects.filter(municipality=municipality, year=year).delete()
    ElectionResult.objects.bulk_create(
        ElectionResult(year=year, municipality=municipality, party_id=party_id, votes=v, seats=s)
        for party_id, (v, s) in totals.items()
    )


def election_import(directory: Path) -> list[Stored]:
    """Read a directory of valg.dk files and store every council in it, or refuse naming the file."""
    with rule_refusal():
        councils = read_dir(directory)
    return results_store(councils)
