"""Allocation of seats by d'Hondt (kommunal- og regionalvalgloven § 81): pure functions, no ORM."""

from collections.abc import Mapping


def dhondt(votes: Mapping[str, int], seats: int) -> dict[str, int]:
    """Seats per list for ``seats`` seats; equal quotients go to the list named first.

    (The appointments module adds alliances and drawing of lots on top of this.)
    """
    if seats < 0:
        raise ValueError("seats must not be negative")
    result = dict.fromkeys(votes, 0)
    order = {name: i for i, name in enumerate(votes)}
    for _ in range(seats):
        # Compare quotients v/(s+1) exactly with cross-multiplication, never with floats.
        best = None
        for name, v in votes.items():
            if v <= 0:
                continue
            if best is None:
                best = name
                continue
            lhs = v * (result[best] + 1)
            rhs = votes[best] * (result[name] + 1)
            if lhs > rhs or (lhs == rhs and order[name] < order[best]):
                best = name
        if best is None:
            break
        result[best] += 1
    return result
