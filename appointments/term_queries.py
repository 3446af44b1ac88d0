"""Reads of the term change: the steps' state, and the bodies to re-staff."""

from __future__ import annotations

import datetime

from register.models import ElectionList

from . import rules
from .models import Appointment, Council, Seat, TermChange
from .services.term import members_missing, previous_council


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
