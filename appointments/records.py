"""Presenting elections: the quotient table as rows for the page and the PDF record."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from .models import Appointment, Election

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
