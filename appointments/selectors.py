"""Reads of appointments: the computed composition of a council and what its lists have named,
the term change's state and the bodies to re-staff, and elections presented as rows (the quotient
table for the page and the PDF record). Services import these; nothing here writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Sum
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from register.models import ElectionList, ElectionResult, Politician

from . import rules
from .composition import Composition, ListResult, compose
from .models import Appointment, Council, Election, ListCooperation, Seat, TermChange

# Texts the pure modules return in English and the templates translate.
RULE_TEXTS = (
    gettext_noop("below the threshold of 2 percent of the region's votes"),
    gettext_noop("no council seat"),
    gettext_noop("1st deputy mayor"),
    gettext_noop("2nd deputy mayor"),
    gettext_noop("chosen by the municipal council"),
    gettext_noop("majority of those present"),
    gettext_noop("no majority: a second round"),
    gettext_noop("the only candidate voted for"),
    gettext_noop("no majority: a run-off"),
    gettext_noop("most votes in the run-off"),
)


@dataclass
class Cell:
    value: float
    seat: int | None


@dataclass
class TableRow:
    name: str
    members: list[str]
    votes: int
    cells: list[Cell]
    seats: int


@dataclass
class Table:
    title: str
    divisors: list[int]
    rows: list[TableRow]
    order: list[str]
    draws: list[dict]


def table(title, allocation: dict, members: dict | None = None) -> Table:
    rows = []
    for quotients in allocation["table"]:
        name = quotients[0]["list"]
        rows.append(
            TableRow(
                name=name,
                members=(members or {}).get(name, []),
                votes=allocation["votes"][name],
                cells=[Cell(q["votes"] / q["divisor"], q["seat"]) for q in quotients],
                seats=allocation["seats"][name],
            )
        )
    width = len(allocation["table"][0]) if allocation["table"] else 0
    return Table(title, list(range(1, width + 1)), rows, allocation["order"], allocation["draws"])


def election_view(election: Election, rounds=()) -> dict:
    """The tables of an election: the contest between groups, then each alliance's split."""
    result = election.result or {}
    if election.kind == Election.Kind.MAJORITY:
        names = {}
        for r in rounds:
            names.update(r.result.get("names", {}))
        return {
            "rounds": [
                {
                    "number": r.number,
                    "present": r.present,
                    "ballots": sorted(
                        ((names.get(k, k), v) for k, v in r.ballots.items()), key=lambda item: -item[1]
                    ),
                    "elected": names.get(r.result.get("elected") or "", ""),
                    "runoff": [names.get(k, k) for k in r.result.get("runoff", [])],
                    "reason": r.result.get("reason", ""),
                    "draw": r.result.get("draw"),
                }
                for r in rounds
            ]
        }
    if "groups" not in result:
        return {}
    members = {k: v for k, v in result.get("members", {}).items() if len(v) > 1}
    tables = [table(_("Groups and alliances"), result["groups"], members)]
    for name, split in result.get("splits", {}).items():
        tables.append(table(_("Split within %(name)s") % {"name": name}, split))
    winners = result.get("winners", [])
    return {
        "tables": tables,
        "winners": winners,
        "seed": result.get("seed"),
        "seats": result.get("seats", {}),
    }


def open_groups(election: Election, today) -> list[str]:
    """Groups of a proportional election that have seats left to name appointees to."""
    seats = election.result.get("seats", {})
    named: dict[str, int] = {}
    for group in Appointment.objects.current(today).filter(election=election).values_list("group", flat=True):
        named[group] = named.get(group, 0) + 1
    return [g for g, n in seats.items() if n > named.get(g, 0)]


@dataclass(frozen=True)
class PostElections:
    """What the post page shows and acts on: the latest proportional election still in force and
    its groups with seats to name, or the majority election still running with its rounds."""

    today: datetime.date
    latest: Election | None
    open_groups: list
    pending: Election | None
    pending_rounds: list
    runoff: list


def post_elections(post, today: datetime.date) -> PostElections:
    latest = (
        None
        if post.is_majority
        else Election.objects.filter(post=post, kind=Election.Kind.PROPORTIONAL, voided_at=None)
        .order_by("-held_at")
        .first()
    )
    pending = (
        Election.objects.filter(post=post, kind=Election.Kind.MAJORITY, elected_name="")
        .order_by("-held_at")
        .first()
        if post.is_majority
        else None
    )
    pending_rounds = list(pending.rounds.order_by("number")) if pending else []
    return PostElections(
        today=today,
        latest=latest,
        open_groups=open_groups(latest, today) if latest else [],
        pending=pending,
        pending_rounds=pending_rounds,
        runoff=pending_rounds[-1].result.get("runoff", []) if pending_rounds else [],
    )


# --- The council's composition -------------------------------------------------------------------


def cooperation_map(council: Council) -> dict[str, str]:
    """Party letter -> name of its list cooperation in this council."""
    return {
        letter: name
        for name, letter in ListCooperation.objects.filter(council=council).values_list(
            "name", "parties__letter"
        )
        if letter
    }


def regional_results(council: Council) -> list[ListResult]:
    """The region's votes, council seats and mayors per party at the council's election."""
    rows = (
        ElectionResult.objects.filter(year=council.election_year, municipality__region=council.region)
        .values("party__letter")
        .annotate(votes=Sum("votes"), seats=Sum("seats"))
        .order_by("-votes", "party__letter")
    )
    mayors: dict[str, int] = {}
    mayor_seats = Seat.objects.in_effect().filter(
        council=council, kind=Seat.Kind.MAYOR, valid_from=council.term_start
    )
    if mayor_seats.exists():
        letters = mayor_seats.values_list("party__letter", flat=True)
    else:
        letters = Politician.objects.filter(
            municipality__region=council.region, office=Politician.Office.MAYOR, council_to__isnull=True
        ).values_list("party__letter", flat=True)
    for letter in letters:
        mayors[letter] = mayors.get(letter, 0) + 1
    results = [
        ListResult(r["party__letter"], r["votes"], r["seats"], mayors.get(r["party__letter"], 0))
        for r in rows
    ]
    known = {r.name for r in results}
    results += [ListResult(letter, 0, 0, n) for letter, n in mayors.items() if letter and letter not in known]
    return results


def council_composition(council: Council) -> Composition | None:
    results = regional_results(council)
    if not results or not sum(r.votes for r in results):
        return None
    municipalities = council.region.municipalities.count()
    return compose(results, municipalities, cooperation_map(council), seed=council.pk)


def named_members(council: Council, on: datetime.date | None = None) -> dict[str, int]:
    """Party-elected members each list (or list cooperation) has named so far (current seats)."""
    coops = cooperation_map(council)
    named: dict[str, int] = {}
    letters = (
        Seat.objects.current(on)
        .filter(council=council, kind=Seat.Kind.ELECTED)
        .values_list("party__letter", flat=True)
    )
    for letter in letters:
        unit = coops.get(letter, letter)
        named[unit] = named.get(unit, 0) + 1
    return named


# --- The term change ------------------------------------------------------------------------------


def members_missing(council: Council) -> list[tuple[str, int, int]]:
    """(list, party-elected members it elects, named so far) for each list still short."""
    composition = council_composition(council)
    if composition is None:
        return []
    named = named_members(council, council.term_start)
    return [
        (row.name, row.extra_members, named.get(row.name, 0))
        for row in composition.rows
        if named.get(row.name, 0) < row.extra_members
    ]


def previous_council(council: Council) -> Council | None:
    return (
        Council.objects.filter(region=council.region, term_start__lt=council.term_start)
        .order_by("-term_start")
        .first()
    )


def term_facts(council: Council, composition) -> rules.TermFacts:
    municipalities = council.region.municipalities.count()
    with_results = (
        ElectionList.objects.filter(year=council.election_year, municipality__region=council.region)
        .values("municipality")
        .distinct()
        .count()
    )
    mayor_seats = (
        Seat.objects.current(council.term_start)
        .filter(council=council, kind=Seat.Kind.MAYOR)
        .values("municipality")
        .distinct()
        .count()
    )
    change = TermChange.objects.filter(council=council).first()
    due = composition.extra_members if composition else 0
    missing = sum(extra - named for _name, extra, named in members_missing(council)) if composition else 0
    return rules.TermFacts(
        municipalities=municipalities,
        with_results=with_results,
        with_mayor_seat=mayor_seats,
        members_due=due,
        members_named=due - missing,
        meeting_set=council.constituent_meeting_at is not None,
        leaders_elected=council.chair_id is not None and council.vice_chair_id is not None,
        took_office=bool(change and change.took_office_at),
    )


def bodies_to_restaff(council: Council) -> list[tuple[str, str, int]]:
    """(body, post) of the appointments the electoral period ends when this council takes office:
    in effect the day before it, no longer on its first day. One row per post, with the count."""
    previous = previous_council(council)
    if previous is None:
        return []
    before = council.term_start - datetime.timedelta(days=1)
    ending = (
        Appointment.objects.current(before)
        .filter(post__body__region=council.region)
        .exclude(pk__in=Appointment.objects.current(council.term_start).values("pk"))
        .values_list("post__body__name", "post__name")
        .order_by("post__body__name", "post__name")
    )
    counts: dict[tuple[str, str], int] = {}
    for body, post in ending:
        counts[(body, post)] = counts.get((body, post), 0) + 1
    return [(body, post, n) for (body, post), n in counts.items()]
