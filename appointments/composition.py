"""Composition of a KKR (Bilag 1 1.0; docs/rules.md §1, **Decision**): pure functions, no ORM.

All mayors are members. Lists (parties; a list cooperation counts as one) with at least 2% of
the region's votes and at least one council seat take part in d'Hondt over their vote totals.
The d'Hondt size N is the smallest for which every taking-part list gets at least as many seats
as it has mayors, capped at 2 × the number of municipalities. A list's extra (party-elected)
members = its d'Hondt seats − its mayors, never negative. Mayors of lists below the threshold
sit as mayors only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from fractions import Fraction

from .allocation import Allocation, AllocationError, allocate, seat_order

THRESHOLD = Fraction(2, 100)


@dataclass(frozen=True)
class ListResult:
    """One list's regional totals: votes, council seats and mayors."""

    name: str
    votes: int
    council_seats: int
    mayors: int


@dataclass(frozen=True)
class CompositionRow:
    name: str
    members: tuple[str, ...]  # the parties of a list cooperation (or the list itself)
    votes: int
    share: Fraction
    council_seats: int
    mayors: int
    takes_part: bool
    reason: str  # why a list does not take part ("" when it does)
    dhondt_seats: int
    extra_members: int

    @property
    def members_total(self) -> int:
        return self.mayors + self.extra_members

    @property
    def share_percent(self) -> float:
        return float(self.share * 100)


@dataclass(frozen=True)
class Composition:
    rows: tuple[CompositionRow, ...]
    size: int  # N, the d'Hondt size
    cap: int
    capped: bool  # the cap bound: some list has fewer d'Hondt seats than mayors
    total_votes: int
    allocation: Allocation | None
    tried: tuple[tuple[int, tuple[str, ...]], ...]  # (N, lists short of their mayors) for each N tried

    @property
    def first_tried(self) -> int:
        """The size the search started from: one d'Hondt seat per mayor of the taking lists."""
        return self.tried[0][0] if self.tried else 0

    @property
    def last_short(self) -> tuple[str, ...]:
        """The lists still short of their mayors at the largest size that was too small: what
        decided the size (empty when the first size tried was enough)."""
        return self.tried[-2][1] if len(self.tried) > 1 else ()

    @property
    def mayors(self) -> int:
        return sum(r.mayors for r in self.rows)

    @property
    def extra_members(self) -> int:
        return sum(r.extra_members for r in self.rows)

    @property
    def members(self) -> int:
        return self.mayors + self.extra_members


def combine_cooperations(
    results: list[ListResult], cooperations: Mapping[str, str] | None = None
) -> list[tuple[str, tuple[str, ...], ListResult]]:
    """Count each list cooperation as one list: summed votes, council seats and mayors."""
    cooperations = cooperations or {}
    grouped: dict[str, list[ListResult]] = {}
    for r in results:
        grouped.setdefault(cooperations.get(r.name) or r.name, []).append(r)
    return [
        (
            name,
            tuple(r.name for r in members),
            ListResult(
                name,
                sum(r.votes for r in members),
                sum(r.council_seats for r in members),
                sum(r.mayors for r in members),
            ),
        )
        for name, members in grouped.items()
    ]


def compose(
    results: list[ListResult],
    municipalities: int,
    cooperations: Mapping[str, str] | None = None,
    *,
    seed: int | None = None,
) -> Composition:
    """The seats of a KKR from the region's election results and the mayors' lists."""
    if municipalities < 1:
        raise AllocationError("a region has at least one municipality")
    names = [r.name for r in results]
    if len(set(names)) != len(names):
        raise AllocationError("a list appears twice in the results")
    for r in results:
        if min(r.votes, r.council_seats, r.mayors) < 0:
            raise AllocationError(f"list {r.name}: negative numbers")
    lists = combine_cooperations(results, cooperations)
    total = sum(r.votes for _n, _m, r in lists)
    if total <= 0:
        raise AllocationError("no votes in the region")
    cap = 2 * municipalities

    def reason(r: ListResult) -> str:
        if Fraction(r.votes, total) < THRESHOLD:
            return "below the threshold of 2 percent of the region's votes"
        if r.council_seats < 1:
            return "no council seat"
        return ""

    taking_part = {name: r for name, _m, r in lists if not reason(r)}
    allocation = None
    tried: list[tuple[int, tuple[str, ...]]] = []
    size = 0
    capped = False
    if taking_part:
        votes = {name: r.votes for name, r in taking_part.items()}
        start = max(1, sum(r.mayors for r in taking_part.values()))
        # d'Hondt is house-monotone: the seats for N are the first N of one ranking, so each size
        # is tried by counting a prefix; the chosen size is then allocated in full (with lots).
        order = seat_order(votes, cap)
        counts = dict.fromkeys(votes, 0)
        for name in order[: min(start, cap) - 1]:
            counts[name] += 1
        n = min(start, cap)
        while True:
            if n - 1 < len(order):
                counts[order[n - 1]] += 1
            short = tuple(name for name, r in taking_part.items() if counts[name] < r.mayors)
            tried.append((n, short))
            if not short:
                allocation = allocate(votes, n, seed=seed)
                if all(allocation.seats[name] >= r.mayors for name, r in taking_part.items()) or n >= cap:
                    break
            elif n >= cap:
                allocation = allocate(votes, n, seed=seed)
                break
            n += 1
        size = n
        capped = any(allocation.seats[name] < r.mayors for name, r in taking_part.items())
    rows = []
    for name, members, r in lists:
        won = allocation.seats[name] if allocation and name in taking_part else 0
        rows.append(
            CompositionRow(
                name=name,
                members=members,
                votes=r.votes,
                share=Fraction(r.votes, total),
                council_seats=r.council_seats,
                mayors=r.mayors,
                takes_part=name in taking_part,
                reason=reason(r),
                dhondt_seats=won,
                extra_members=max(0, won - r.mayors),
            )
        )
    return Composition(
        rows=tuple(rows),
        size=size,
        cap=cap,
        capped=capped,
        total_votes=total,
        allocation=allocation,
        tried=tuple(tried),
    )
