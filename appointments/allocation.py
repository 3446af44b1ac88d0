"""Allocation of seats: pure functions on plain values, no ORM, no I/O.

- d'Hondt (kommunal- og regionalvalgloven § 81): each list's votes are divided by 1, 2, 3 ...
  and the seats go to the largest quotients. Quotients are compared exactly (fractions).
- Electoral alliances (valgforbund, § 83): an alliance competes with its lists' summed votes;
  the seats it wins are split among its lists by d'Hondt again.
- Equal quotients where the order matters (the last seat, or which seat comes first) are
  decided by drawing lots with a recorded seed, so every result can be reproduced and audited.
- Too few candidates (as in Lolland 2025): a list cannot win more seats than it has
  candidates; its quotients beyond that number drop out, so the seat passes to the next highest
  quotient — inside an alliance first (the alliance keeps the seat while another of its lists has
  candidates left), to the other groups only when the whole alliance is out of candidates.
  ``candidates`` maps a list to its number of candidates; a list not named has enough.
- Majority election (kommunestyrelsesloven § 24 stk. 1): rounds helper.

Every function returns the full quotient table so the UI and the PDF record can answer
"why did list X get the 7th seat".
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction


class AllocationError(ValueError):
    """Bad input to an allocation: the message says what is wrong."""


def dhondt(votes: Mapping[str, int], seats: int) -> dict[str, int]:
    """Seats per list for ``seats`` seats, equal quotients to the list named first.

    Deterministic without a seed; used for sample data. Elections use :func:`allocate`.
    """
    if seats < 0:
        raise AllocationError("seats must not be negative")
    ranked = _ranked_quotients(votes, seats, rng=None)
    result = dict.fromkeys(votes, 0)
    for q in ranked[:seats]:
        result[q.list] += 1
    return result


def seat_order(votes: Mapping[str, int], seats: int) -> list[str]:
    """The list that wins seat 1, 2, ... ``seats`` (equal quotients in input order)."""
    return [q.list for q in _ranked_quotients(votes, seats, rng=None)[:seats]]


@dataclass(frozen=True)
class Quotient:
    list: str
    votes: int
    divisor: int
    seat: int | None = None  # the seat number (1-based) this quotient won, if any

    @property
    def value(self) -> Fraction:
        return Fraction(self.votes, self.divisor)

    def as_dict(self) -> dict:
        return {"list": self.list, "votes": self.votes, "divisor": self.divisor, "seat": self.seat}


@dataclass(frozen=True)
class Draw:
    """Lots drawn among lists with equal quotients: who won the places at stake, and in which order."""

    votes: int
    divisor: int
    candidates: tuple[str, ...]
    order: tuple[str, ...]  # the drawn order of the candidates
    places: int  # how many of them got a seat

    @property
    def winners(self) -> tuple[str, ...]:
        return self.order[: self.places]

    def as_dict(self) -> dict:
        return {
            "votes": self.votes,
            "divisor": self.divisor,
            "candidates": list(self.candidates),
            "order": list(self.order),
            "places": self.places,
        }


@dataclass(frozen=True)
class Allocation:
    seats: dict[str, int]  # per list, in input order
    order: tuple[str, ...]  # the list that won seat 1, seat 2, ...
    table: tuple[tuple[Quotient, ...], ...]  # per list (input order): quotients for divisors 1..N
    draws: tuple[Draw, ...]
    seed: int | None  # the seed the lots were drawn with (None when no lot was needed)
    votes: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return len(self.order)

    def as_dict(self) -> dict:
        return {
            "votes": self.votes,
            "seats": self.seats,
            "order": list(self.order),
            "table": [[q.as_dict() for q in row] for row in self.table],
            "draws": [d.as_dict() for d in self.draws],
            "seed": self.seed,
        }


def validate_votes(votes: Mapping[str, int], seats: int) -> None:
    if isinstance(seats, bool) or not isinstance(seats, int) or seats < 1:
        raise AllocationError(f"the number of seats must be a whole number of at least 1, not {seats!r}")
    if not votes:
        raise AllocationError("there are no lists")
    for name, v in votes.items():
        if not str(name).strip():
            raise AllocationError("a list has no name")
        if isinstance(v, bool) or not isinstance(v, int):
            raise AllocationError(f"list {name}: votes must be a whole number, not {v!r}")
        if v < 0:
            raise AllocationError(f"list {name}: votes must not be negative ({v})")
    if not any(votes.values()):
        raise AllocationError("no list has any votes")


def new_seed() -> int:
    return secrets.randbelow(2**31)


def validate_candidates(votes: Mapping[str, int], seats: int, candidates: Mapping[str, int] | None) -> None:
    """Candidate counts are whole numbers ≥ 0 of known lists, enough for all the seats."""
    if not candidates:
        return
    for name, n in candidates.items():
        if name not in votes:
            raise AllocationError(f"list {name} is not among the lists")
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            raise AllocationError(f"list {name}: candidates must be a whole number ≥ 0, not {n!r}")
    if all(name in candidates for name, v in votes.items() if v > 0):
        available = sum(candidates[name] for name, v in votes.items() if v > 0)
        if available < seats:
            raise AllocationError(f"only {available} candidates for {seats} seats")


def _ranked_quotients(
    votes: Mapping[str, int],
    seats: int,
    rng,
    draws: list | None = None,
    limits: Mapping[str, int] | None = None,
) -> list[Quotient]:
    """All quotients for divisors 1..seats, best first; ties broken by ``rng`` (or input order).

    A list with a limit (its number of candidates) has quotients only for divisors up to it.
    """
    order = {name: i for i, name in enumerate(votes)}
    limits = limits or {}
    quotients = [
        Quotient(name, v, d)
        for name, v in votes.items()
        if v > 0
        for d in range(1, min(seats, limits.get(name, seats)) + 1)
    ]
    # Group by exact value, best first; within a group input order (then the lot, if any).
    quotients.sort(key=lambda q: (-q.value, order[q.list], q.divisor))
    ranked: list[Quotient] = []
    i = 0
    while i < len(quotients):
        j = i
        while j < len(quotients) and quotients[j].value == quotients[i].value:
            j += 1
        group = quotients[i:j]
        # A list appears at most once per value (its quotients strictly decrease).
        if len(group) > 1 and i < seats and rng is not None:
            names = [q.list for q in group]
            drawn = names[:]
            rng.shuffle(drawn)
            by_name = {q.list: q for q in group}
            group = [by_name[n] for n in drawn]
            if draws is not None:
                draws.append(
                    Draw(
                        votes=group[0].votes,
                        divisor=group[0].divisor,
                        candidates=tuple(names),
                        order=tuple(drawn),
                        places=min(len(group), seats - i),
                    )
                )
        ranked.extend(group)
        i = j
    return ranked


def _has_ties(votes: Mapping[str, int], seats: int, limits: Mapping[str, int] | None = None) -> bool:
    ranked = _ranked_quotients(votes, seats, rng=None, limits=limits)
    top = ranked[: seats + 1]
    return len({q.value for q in top}) < len(top)


def allocate(
    votes: Mapping[str, int],
    seats: int,
    *,
    seed: int | None = None,
    candidates: Mapping[str, int] | None = None,
) -> Allocation:
    """d'Hondt for ``seats`` seats with the full quotient table; lots drawn with ``seed``.

    When equal quotients decide a seat (or which seat comes first) and no seed is given, a
    fresh seed is drawn and returned in the result, so the draw can be reproduced. A list wins
    at most its ``candidates``; the seat it cannot take passes to the next highest quotient.
    """
    validate_votes(votes, seats)
    validate_candidates(votes, seats, candidates)
    if seed is None and _has_ties(votes, seats, candidates):
        seed = new_seed()
    rng = random.Random(seed) if seed is not None else None
    return _allocate(votes, seats, rng, seed, candidates)


def _allocate(
    votes: Mapping[str, int], seats: int, rng, seed, limits: Mapping[str, int] | None = None
) -> Allocation:
    draws: list[Draw] = []
    ranked = _ranked_quotients(votes, seats, rng, draws, limits)
    winners = ranked[:seats]
    seat_of = {(q.list, q.divisor): n for n, q in enumerate(winners, start=1)}
    result = dict.fromkeys(votes, 0)
    for q in winners:
        result[q.list] += 1
    table = tuple(
        tuple(Quotient(name, v, d, seat_of.get((name, d))) for d in range(1, seats + 1))
        for name, v in votes.items()
    )
    return Allocation(
        seats=result,
        order=tuple(q.list for q in winners),
        table=table,
        draws=tuple(draws),
        seed=seed if draws else None,
        votes=dict(votes),
    )


@dataclass(frozen=True)
class AllianceAllocation:
    seats: dict[str, int]  # per list, input order
    groups: Allocation  # the contest between alliances (and lists outside any alliance)
    splits: dict[str, Allocation]  # per alliance with seats: the split among its lists
    members: dict[str, tuple[str, ...]]  # group name -> its lists
    seed: int | None

    @property
    def group_of(self) -> dict[str, str]:
        return {name: group for group, names in self.members.items() for name in names}

    def as_dict(self) -> dict:
        return {
            "seats": self.seats,
            "groups": self.groups.as_dict(),
            "splits": {k: v.as_dict() for k, v in self.splits.items()},
            "members": {k: list(v) for k, v in self.members.items()},
            "seed": self.seed,
        }


def group_lists(names: Sequence[str], alliances: Mapping[str, str | None]) -> dict[str, tuple[str, ...]]:
    """Group name -> lists, in input order. A list outside every alliance is its own group."""
    groups: dict[str, list[str]] = {}
    for name in names:
        alliance = (alliances.get(name) or "").strip()
        if alliance and alliance in names and alliance != name:
            raise AllocationError(f"alliance {alliance} has the same name as a list")
        groups.setdefault(alliance or name, []).append(name)
    return {group: tuple(lists) for group, lists in groups.items()}


def allocate_with_alliances(
    votes: Mapping[str, int],
    seats: int,
    alliances: Mapping[str, str | None] | None = None,
    *,
    seed: int | None = None,
    candidates: Mapping[str, int] | None = None,
) -> AllianceAllocation:
    """d'Hondt where alliances compete with summed votes, then split their seats by d'Hondt.

    With ``candidates``, an alliance can win at most its lists' candidates together, and inside
    it a list at most its own: a seat a list cannot take stays in its alliance when possible.
    """
    validate_votes(votes, seats)
    validate_candidates(votes, seats, candidates)
    members = group_lists(list(votes), alliances or {})
    group_votes = {group: sum(votes[n] for n in lists) for group, lists in members.items()}
    limits = dict(candidates or {})
    group_limits = {
        group: sum(limits.get(n, seats) for n in lists if votes[n] > 0)
        for group, lists in members.items()
        if any(n in limits for n in lists)
    }
    if seed is None:
        needs_lot = _has_ties(group_votes, seats, group_limits) or any(
            len(lists) > 1 and _has_ties({n: votes[n] for n in lists}, seats, limits)
            for lists in members.values()
        )
        seed = new_seed() if needs_lot else None
    rng = random.Random(seed) if seed is not None else None
    top = _allocate(group_votes, seats, rng, seed, group_limits)
    result = dict.fromkeys(votes, 0)
    splits: dict[str, Allocation] = {}
    for group, lists in members.items():
        won = top.seats[group]
        if len(lists) == 1:
            result[lists[0]] = won
        elif won:
            split = _allocate({n: votes[n] for n in lists}, won, rng, seed, limits)
            splits[group] = split
            result.update(split.seats)
    any_draw = bool(top.draws) or any(s.draws for s in splits.values())
    return AllianceAllocation(
        seats=result, groups=top, splits=splits, members=members, seed=seed if any_draw else None
    )


# --- Majority election (kommunestyrelsesloven § 24 stk. 1) ---------------------------------


@dataclass(frozen=True)
class RoundResult:
    round: int  # 1, 2 or 3 (the run-off)
    ballots: dict[str, int]
    present: int
    elected: str | None
    runoff: tuple[str, ...] = ()  # after round 2 without a result: the two in the run-off
    draw: Draw | None = None
    seed: int | None = None
    reason: str = ""

    def as_dict(self) -> dict:
        return {
            "round": self.round,
            "ballots": self.ballots,
            "present": self.present,
            "elected": self.elected,
            "runoff": list(self.runoff),
            "draw": self.draw.as_dict() if self.draw else None,
            "seed": self.seed,
            "reason": self.reason,
        }


def _majority(votes: int, present: int) -> bool:
    return 2 * votes > present


def majority_round(
    round_number: int,
    ballots: Mapping[str, int],
    present: int,
    *,
    runoff: Sequence[str] = (),
    seed: int | None = None,
) -> RoundResult:
    """Decide one round of a majority election.

    Round 1: elected with votes from a majority of the members present.
    Round 2: a majority of those present, or being the only candidate voted for, elects;
    otherwise the two with most votes go to a run-off (a tie for those places by lot).
    Round 3 (run-off between ``runoff``): most votes; a tie by lot.
    """
    if round_number not in (1, 2, 3):
        raise AllocationError("a majority election has at most three rounds")
    if isinstance(present, bool) or not isinstance(present, int) or present < 1:
        raise AllocationError("at least one member must be present")
    for name, v in ballots.items():
        if isinstance(v, bool) or not isinstance(v, int) or v < 0:
            raise AllocationError(f"candidate {name}: votes must be a whole number ≥ 0, not {v!r}")
    cast = sum(ballots.values())
    if cast > present:
        raise AllocationError(f"{cast} votes cast but only {present} members present")
    voted = {name: v for name, v in ballots.items() if v > 0}
    if round_number == 3:
        if len(runoff) != 2:
            raise AllocationError("the run-off is between exactly two candidates")
        stray = [n for n in voted if n not in runoff]
        if stray:
            raise AllocationError(f"only {runoff[0]} and {runoff[1]} stand in the run-off, not {stray[0]}")
    base = {"round": round_number, "ballots": dict(ballots), "present": present}
    if round_number in (1, 2):
        for name, v in voted.items():
            if _majority(v, present):
                return RoundResult(**base, elected=name, reason="majority of those present")
        if round_number == 1:
            return RoundResult(**base, elected=None, reason="no majority: a second round")
        if len(voted) == 1:
            return RoundResult(**base, elected=next(iter(voted)), reason="the only candidate voted for")
        if not voted:
            raise AllocationError("no votes were cast")
        top, draw, seed = _top_by_lot(voted, 2, seed)
        return RoundResult(
            **base, elected=None, runoff=top, draw=draw, seed=seed, reason="no majority: a run-off"
        )
    if not voted:
        raise AllocationError("no votes were cast")
    top, draw, seed = _top_by_lot({n: ballots.get(n, 0) for n in runoff}, 1, seed)
    return RoundResult(**base, elected=top[0], draw=draw, seed=seed, reason="most votes in the run-off")


def _top_by_lot(votes: Mapping[str, int], places: int, seed: int | None):
    """The ``places`` names with most votes; a tie across the cut is drawn by lot."""
    ranked = sorted(votes, key=lambda n: -votes[n])
    if len(ranked) <= places or votes[ranked[places - 1]] != votes[ranked[places]]:
        return tuple(ranked[:places]), None, None
    cut = votes[ranked[places - 1]]
    sure = [n for n in ranked if votes[n] > cut]
    tied = [n for n in ranked if votes[n] == cut]
    if seed is None:
        seed = new_seed()
    drawn = tied[:]
    random.Random(seed).shuffle(drawn)
    open_places = places - len(sure)
    draw = Draw(votes=cut, divisor=1, candidates=tuple(tied), order=tuple(drawn), places=open_places)
    return tuple(sure + drawn[:open_places]), draw, seed
