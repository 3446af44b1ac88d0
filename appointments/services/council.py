"""Composition of a council, its seats, substitutes and stand-ins (Bilag 1 1.0-1.8)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from core.errors import refuse
from register.models import Party, Politician

from .. import rules
from ..models import Council, ListCooperation, Seat, StandIn
from ..selectors import cooperation_map, council_composition, named_members
from .base import _lock_council, rule_refusal


@transaction.atomic
def cooperation_declare(*, council: Council, name: str, parties: list[Party]) -> ListCooperation:
    """Lists forming a list cooperation (listesamarbejde) count as one list (Bilag 1 1.0)."""
    council = _lock_council(council)
    name = name.strip()
    if not name:
        refuse(_("Give the list cooperation a name."))
    if len(parties) < 2:
        refuse(_("A list cooperation joins at least two lists."))
    taken = set(cooperation_map(council)) & {p.letter for p in parties}
    if taken:
        refuse(_("List %(l)s is already in a list cooperation.") % {"l": sorted(taken)[0]})
    if ListCooperation.objects.filter(council=council, name=name).exists():
        refuse(_("A list cooperation with this name exists."))
    cooperation = ListCooperation.objects.create(council=council, name=name)
    cooperation.parties.set(parties)
    return cooperation


def seat_warnings(council: Council, seats: Iterable[Seat], today: datetime.date) -> dict[int, list[str]]:
    """Seat pk -> register warnings (Bilag 1 1.8) for rows loaded with ``holder__party``,
    ``substitute`` and ``party``; one query (the list cooperations)."""
    coops = cooperation_map(council)
    warnings = {}
    for seat in seats:
        holder = seat.holder
        found = rules.seat_holder_warnings(
            elected=seat.kind == Seat.Kind.ELECTED,
            seat_list_unit=coops.get(seat.party.letter, seat.party.letter),
            holder_unit=coops.get(holder.party.letter, holder.party.letter) if holder.party else None,
            holder_council_to=holder.council_to,
            substitute_council_to=seat.substitute.council_to if seat.substitute else None,
            today=today,
        )
        if found:
            warnings[seat.pk] = found
    return warnings


def _holdings(council: Council, on: datetime.date, people: Iterable[int]) -> dict[int, list[rules.Holding]]:
    people = [p for p in people if p is not None]
    holdings: dict[int, list[rules.Holding]] = {}
    seats = (
        Seat.objects.current(on)
        .filter(council=council)
        .filter(Q(holder_id__in=people) | Q(substitute_id__in=people))
        .values_list("number", "holder_id", "substitute_id")
    )
    for number, holder, substitute in seats:
        if holder in people:
            holdings.setdefault(holder, []).append(rules.Holding(number, True))
        if substitute in people:
            holdings.setdefault(substitute, []).append(rules.Holding(number, False))
    return holdings


def _check_mayor_substitute(
    council: Council, municipality, substitute: Politician, on: datetime.date
) -> None:
    deputies = dict(
        Politician.objects.filter(
            municipality=municipality,
            office__in=[Politician.Office.DEPUTY_1, Politician.Office.DEPUTY_2],
            council_to__isnull=True,
        ).values_list("office", "id")
    )
    elected = set(
        Seat.objects.current(on)
        .filter(council=council, kind=Seat.Kind.ELECTED)
        .values_list("holder_id", flat=True)
    )
    rule = rules.mayor_substitute(
        deputies.get(Politician.Office.DEPUTY_1), deputies.get(Politician.Office.DEPUTY_2), elected
    )
    with rule_refusal():
        rules.check_substitute_choice(
            chosen_id=substitute.pk,
            rule=rule,
            same_municipality=substitute.municipality_id == municipality.pk,
        )


def _check_people(council, *, kind, municipality, holder, substitute, on, seat_number=None):
    if substitute is None:
        refuse(_("Every seat has exactly one personal substitute (Bilag 1 1.1)."))
    for person, what in ((holder, _("The member")), (substitute, _("The substitute"))):
        if person.municipality.region_id != council.region_id or not person.is_council_member_on(on):
            refuse(
                _("%(what)s, %(name)s, is not a council member of a municipality in the region.")
                % {"what": what, "name": person.name}
            )
    if kind == Seat.Kind.MAYOR:
        if holder.municipality_id != municipality.pk or holder.office != Politician.Office.MAYOR:
            refuse(_("%(name)s is not the mayor of %(m)s.") % {"name": holder.name, "m": municipality.name})
        _check_mayor_substitute(council, municipality, substitute, on)
    with rule_refusal():
        rules.check_seat_people(
            holder_id=holder.pk,
            substitute_id=substitute.pk,
            holdings=_holdings(council, on, [holder.pk, substitute.pk]),
            seat_number=seat_number,
        )


def _check_party_seat(council: Council, party: Party, holder: Politician, on: datetime.date) -> None:
    """Bilag 1 1.0: the holder belongs to the list (or its list cooperation), and the list has
    party-elected seats left in the computed composition. Without election results the
    composition is unknown and only the first check applies."""
    coops = cooperation_map(council)
    unit = coops.get(party.letter, party.letter)
    holder_unit = coops.get(holder.party.letter, holder.party.letter) if holder.party else None
    with rule_refusal(field="holder"):
        rules.check_list_member(list_unit=unit, holder_unit=holder_unit, name=holder.name)
    composition = council_composition(council)
    if composition is None:
        return
    extra = next((row.extra_members for row in composition.rows if row.name == unit), 0)
    with rule_refusal(field="party"):
        rules.check_extra_members(list_unit=unit, named=named_members(council, on).get(unit, 0), extra=extra)


@transaction.atomic
def seat_fill(
    *,
    council: Council,
    kind: str,
    party: Party,
    municipality,
    holder: Politician,
    substitute: Politician | None,
    valid_from: datetime.date,
    number: int | None = None,
) -> Seat:
    """Give a new seat (or a vacant one) to a member with their personal substitute."""
    council = _lock_council(council)
    if number is None:
        number = (
            Seat.objects.filter(council=council).order_by("-number").values_list("number", flat=True).first()
            or 0
        ) + 1
    elif Seat.objects.filter(council=council, number=number, valid_to__isnull=True).exists():
        refuse(_("Seat %(n)s is not vacant.") % {"n": number})
    if kind == Seat.Kind.ELECTED:
        _check_party_seat(council, party, holder, valid_from)
    _check_people(
        council, kind=kind, municipality=municipality, holder=holder, substitute=substitute, on=valid_from
    )
    return Seat.objects.create(
        council=council,
        number=number,
        kind=kind,
        party=party,
        municipality=municipality,
        holder=holder,
        substitute=substitute,
        valid_from=valid_from,
    )


def _close(seat: Seat, on: datetime.date, reason: str) -> None:
    """End the row the day before ``on``; a change on the row's own first day supersedes it
    (kept as history, never current), so exactly one row of the seat is current on ``on``."""
    with rule_refusal():
        seat.valid_to, seat.superseded = rules.seat_period_close(seat.valid_from, on)
    seat.end_reason = reason
    seat.save(update_fields=["valid_to", "superseded", "end_reason"])


def _stand_ins_from(seat: Seat, day: datetime.date):
    """The seat number's stand-in periods that have not ended before ``day``."""
    return StandIn.objects.not_ended(day).filter(council_id=seat.council_id, seat_number=seat.number)


@transaction.atomic
def seat_change_substitute(*, seat: Seat, substitute: Politician, on: datetime.date) -> Seat:
    """Name a new personal substitute from ``on``; the old row stays as history."""
    _lock_council(seat.council)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.valid_to is not None:
        refuse(_("This seat period has ended; change the current one."))
    # The stand-in of a long absence is the substitute named then (Bilag 1 1.5-1.6): a new
    # substitute during the period would leave the seat with two people acting for it.
    if _stand_ins_from(seat, on).filter(member_id=seat.holder_id).exists():
        refuse(
            _(
                "The substitute stands in for a long absence of this member; end that period before naming a new substitute."
            ),
            field="substitute",
        )
    _check_people(
        seat.council,
        kind=seat.kind,
        municipality=seat.municipality,
        holder=seat.holder,
        substitute=substitute,
        on=on,
        seat_number=seat.number,
    )
    _close(seat, on, _("new substitute"))
    return Seat.objects.create(
        council=seat.council,
        number=seat.number,
        kind=seat.kind,
        party=seat.party,
        municipality=seat.municipality,
        holder=seat.holder,
        substitute=substitute,
        valid_from=on,
    )


def _same_list(council: Council, seat_party: Party, party: Party | None) -> bool:
    if party is None:
        return False
    if party.pk == seat_party.pk:
        return True
    coops = cooperation_map(council)
    return coops.get(party.letter) is not None and coops.get(party.letter) == coops.get(seat_party.letter)


@transaction.atomic
def seat_replace(
    *, seat: Seat, holder: Politician, substitute: Politician, on: datetime.date, reason: str
) -> Seat:
    """Bilag 1 1.8: a member who leaves is replaced; the list that holds the seat fills it.

    For a mayor's seat the new mayor of the municipality takes it.
    """
    _lock_council(seat.council)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.valid_to is not None:
        refuse(_("This seat period has ended; change the current one."))
    if not reason.strip():
        refuse(_("Say why the member leaves the seat."))
    party = seat.party
    if seat.kind == Seat.Kind.ELECTED and not _same_list(seat.council, seat.party, holder.party):
        refuse(
            _("Seat %(n)s belongs to list %(list)s; only that list can fill it.")
            % {"n": seat.number, "list": seat.party.letter}
        )
    if seat.kind == Seat.Kind.MAYOR:
        party = holder.party or seat.party
    _check_people(
        seat.council,
        kind=seat.kind,
        municipality=seat.municipality,
        holder=holder,
        substitute=substitute,
        on=on,
        seat_number=seat.number,
    )
    _close(seat, on, reason)
    return Seat.objects.create(
        council=seat.council,
        number=seat.number,
        kind=seat.kind,
        party=party,
        municipality=holder.municipality if seat.kind == Seat.Kind.ELECTED else seat.municipality,
        holder=holder,
        substitute=substitute,
        valid_from=on,
    )


@transaction.atomic
def stand_in_create(
    *,
    seat: Seat,
    starts_on: datetime.date,
    ends_on: datetime.date | None,
    decided_on: datetime.date | None,
    reason: str = "",
) -> StandIn:
    """Bilag 1 1.5-1.6: for an absence of at least 3 months the substitute steps in.

    A mayor's deputy steps in for the period of the exemption; a party-elected member's
    substitute only after the KKR has decided that the conditions are met.
    """
    _lock_council(seat.council)
    if seat.substitute_id is None:
        refuse(_("The seat has no substitute to step in."))
    with rule_refusal():
        rules.check_long_absence(
            starts_on=starts_on,
            ends_on=ends_on,
            decided_on=decided_on,
            needs_decision=seat.kind == Seat.Kind.ELECTED,
        )
    overlapping = _stand_ins_from(seat, starts_on)
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        refuse(_("Someone already steps in for this seat in that period."))
    return StandIn.objects.create(
        council=seat.council,
        seat_number=seat.number,
        member=seat.holder,
        stand_in=seat.substitute,
        starts_on=starts_on,
        ends_on=ends_on,
        decided_on=decided_on,
        reason=reason,
    )


@transaction.atomic
def stand_in_end(*, stand_in: StandIn, on: datetime.date) -> StandIn:
    """The member can serve again: the substitute leaves the KKR (Bilag 1 1.6)."""
    if on < stand_in.starts_on:
        refuse(_("The period cannot end before it began."))
    stand_in.ends_on = on
    stand_in.save(update_fields=["ends_on"])
    return stand_in
