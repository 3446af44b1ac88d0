"""Write paths of appointments: one function per use case, each in one transaction.

Every function validates first and raises ``ServiceError`` (a ``ValidationError``) with a clear
message before writing anything, so a refused request changes nothing.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from register.models import ElectionResult, Party, Politician

from . import rules
from .allocation import AllocationError, allocate_with_alliances, majority_round
from .composition import Composition, ListResult, compose
from .models import (
    Appointment,
    Body,
    Council,
    Election,
    ElectionRound,
    ElectoralAlliance,
    ListCooperation,
    Post,
    Seat,
    StandIn,
)


class ServiceError(ValidationError):
    pass


def _refuse(message: str):
    raise ServiceError(message)


def _lock_council(council: Council) -> Council:
    # Serialise changes to one council's seats: the "no member is a substitute" rule spans
    # two columns and rows, so it is checked under this lock rather than by a constraint.
    return Council.objects.select_for_update().get(pk=council.pk)


# --- composition ---------------------------------------------------------------------------


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
    mayor_seats = Seat.objects.filter(council=council, kind=Seat.Kind.MAYOR, valid_from=council.term_start)
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


@transaction.atomic
def cooperation_declare(*, council: Council, name: str, parties: list[Party]) -> ListCooperation:
    """Lists forming a list cooperation (listesamarbejde) count as one list (Bilag 1 1.0)."""
    council = _lock_council(council)
    name = name.strip()
    if not name:
        _refuse(_("Give the list cooperation a name."))
    if len(parties) < 2:
        _refuse(_("A list cooperation joins at least two lists."))
    taken = set(cooperation_map(council)) & {p.letter for p in parties}
    if taken:
        _refuse(_("List %(l)s is already in a list cooperation.") % {"l": sorted(taken)[0]})
    if ListCooperation.objects.filter(council=council, name=name).exists():
        _refuse(_("A list cooperation with this name exists."))
    cooperation = ListCooperation.objects.create(council=council, name=name)
    cooperation.parties.set(parties)
    return cooperation


def named_members(council: Council) -> dict[str, int]:
    """Party-elected members each list (or list cooperation) has named so far (current seats)."""
    coops = cooperation_map(council)
    named: dict[str, int] = {}
    letters = (
        Seat.objects.current()
        .filter(council=council, kind=Seat.Kind.ELECTED)
        .values_list("party__letter", flat=True)
    )
    for letter in letters:
        unit = coops.get(letter, letter)
        named[unit] = named.get(unit, 0) + 1
    return named


# --- seats and substitutes -----------------------------------------------------------------


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
    try:
        rules.check_substitute_choice(
            chosen_id=substitute.pk,
            rule=rule,
            same_municipality=substitute.municipality_id == municipality.pk,
        )
    except rules.RuleError as exc:
        _refuse(str(exc))


def _check_people(council, *, kind, municipality, holder, substitute, on, seat_number=None):
    if substitute is None:
        _refuse(_("Every seat has exactly one personal substitute (Bilag 1 1.1)."))
    for person, what in ((holder, _("The member")), (substitute, _("The substitute"))):
        if person.municipality.region_id != council.region_id or not person.is_council_member_on(on):
            _refuse(
                _("%(what)s, %(name)s, is not a council member of a municipality in the region.")
                % {"what": what, "name": person.name}
            )
    if kind == Seat.Kind.MAYOR:
        if holder.municipality_id != municipality.pk or holder.office != Politician.Office.MAYOR:
            _refuse(_("%(name)s is not the mayor of %(m)s.") % {"name": holder.name, "m": municipality.name})
        _check_mayor_substitute(council, municipality, substitute, on)
    try:
        rules.check_seat_people(
            holder_id=holder.pk,
            substitute_id=substitute.pk,
            holdings=_holdings(council, on, [holder.pk, substitute.pk]),
            seat_number=seat_number,
        )
    except rules.RuleError as exc:
        _refuse(str(exc))


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
        _refuse(_("Seat %(n)s is not vacant.") % {"n": number})
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
    if on < seat.valid_from:
        _refuse(
            _("The change cannot take effect before the seat's period began (%(d)s).")
            % {"d": seat.valid_from}
        )
    seat.valid_to = on - datetime.timedelta(days=1) if on > seat.valid_from else on
    seat.end_reason = reason
    seat.save(update_fields=["valid_to", "end_reason"])


@transaction.atomic
def seat_change_substitute(*, seat: Seat, substitute: Politician, on: datetime.date) -> Seat:
    """Name a new personal substitute from ``on``; the old row stays as history."""
    _lock_council(seat.council)
    seat = Seat.objects.select_for_update().get(pk=seat.pk)
    if seat.valid_to is not None:
        _refuse(_("This seat period has ended; change the current one."))
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
        _refuse(_("This seat period has ended; change the current one."))
    if not reason.strip():
        _refuse(_("Say why the member leaves the seat."))
    party = seat.party
    if seat.kind == Seat.Kind.ELECTED and not _same_list(seat.council, seat.party, holder.party):
        _refuse(
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
        _refuse(_("The seat has no substitute to step in."))
    try:
        rules.check_long_absence(
            starts_on=starts_on,
            ends_on=ends_on,
            decided_on=decided_on,
            needs_decision=seat.kind == Seat.Kind.ELECTED,
        )
    except rules.RuleError as exc:
        _refuse(str(exc))
    overlapping = StandIn.objects.filter(council=seat.council, seat_number=seat.number).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=starts_on)
    )
    if ends_on is not None:
        overlapping = overlapping.filter(starts_on__lte=ends_on)
    if overlapping.exists():
        _refuse(_("Someone already steps in for this seat in that period."))
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
        _refuse(_("The period cannot end before it began."))
    stand_in.ends_on = on
    stand_in.save(update_fields=["ends_on"])
    return stand_in


# --- constituent meeting and chair election -----------------------------------------------


def region_mayors(council: Council) -> list[rules.MayorInfo]:
    seats = Seat.objects.filter(council=council, kind=Seat.Kind.MAYOR, valid_from=council.term_start)
    if seats.exists():
        people = Politician.objects.filter(pk__in=seats.values("holder_id"))
    else:
        people = Politician.objects.filter(
            municipality__region=council.region, office=Politician.Office.MAYOR, council_to__isnull=True
        )
    return [rules.MayorInfo(p.pk, p.name, p.mayor_since, p.birth_date) for p in people]


@transaction.atomic
def council_constituent_meeting_set(*, council: Council, meeting_at: datetime.datetime) -> Council:
    """Record when the constituent meeting starts and who convenes it (Bilag 1 1.2)."""
    council = _lock_council(council)
    if meeting_at.date() > rules.constituent_deadline(council.election_year):
        _refuse(
            _("The constituent meeting must be held no later than %(d)s (Bilag 1 1.2).")
            % {"d": rules.constituent_deadline(council.election_year).strftime("%d.%m.%Y")}
        )
    chosen = rules.convener(region_mayors(council))
    council.constituent_meeting_at = meeting_at
    council.convener_id = chosen.politician_id if chosen else None
    council.save(update_fields=["constituent_meeting_at", "convener"])
    return council


def council_lists(council: Council) -> dict[str, str]:
    """The lists represented in the council: party letter -> unit (the list cooperation, or itself)."""
    coops = cooperation_map(council)
    letters = (
        Seat.objects.current().filter(council=council).values_list("party__letter", flat=True).distinct()
    )
    return {letter: coops.get(letter, letter) for letter in sorted(set(letters))}


@transaction.atomic
def alliance_declare(
    *, council: Council, name: str, parties: list[Party], declared_at: datetime.datetime | None = None
) -> ElectoralAlliance:
    """Bilag 1 1.3: a valgforbund is declared to the meeting leader by the start of the meeting."""
    council = _lock_council(council)
    declared_at = declared_at or timezone.now()
    name = name.strip()
    if not name:
        _refuse(_("Give the alliance a name."))
    if council.constituent_meeting_at and declared_at > council.constituent_meeting_at:
        _refuse(_("Electoral alliances must be declared no later than the start of the constituent meeting."))
    if Election.objects.filter(council=council, kind=Election.Kind.CHAIR).exists():
        _refuse(_("The chair election has been held; no more alliances can be declared."))
    if len(parties) < 2:
        _refuse(_("An alliance joins at least two lists."))
    represented = council_lists(council)
    for party in parties:
        if party.letter not in represented:
            _refuse(_("List %(l)s is not represented in the KKR.") % {"l": party.letter})
    taken = set(
        ElectoralAlliance.objects.filter(council=council, parties__in=parties).values_list(
            "parties__letter", flat=True
        )
    ) & {p.letter for p in parties}
    if taken:
        _refuse(_("List %(l)s is already in an alliance.") % {"l": sorted(taken)[0]})
    if ElectoralAlliance.objects.filter(council=council, name=name).exists():
        _refuse(_("An alliance with this name exists."))
    alliance = ElectoralAlliance.objects.create(council=council, name=name, declared_at=declared_at)
    alliance.parties.set(parties)
    return alliance


def chair_votes(council: Council) -> tuple[dict[str, int], dict[str, str], dict[str, list[str]]]:
    """Votes per unit (list or list cooperation), the units' alliances, and the units' parties."""
    lists = council_lists(council)
    votes_by_party = dict(
        ElectionResult.objects.filter(
            year=council.election_year, municipality__region=council.region, party__letter__in=list(lists)
        )
        .values("party__letter")
        .annotate(v=Sum("votes"))
        .values_list("party__letter", "v")
    )
    votes: dict[str, int] = {}
    units: dict[str, list[str]] = {}
    for letter, unit in lists.items():
        votes[unit] = votes.get(unit, 0) + (votes_by_party.get(letter) or 0)
        units.setdefault(unit, []).append(letter)
    alliance_of_party = dict(
        ElectoralAlliance.objects.filter(council=council).values_list("parties__letter", "name")
    )
    alliances: dict[str, str] = {}
    for unit, letters in units.items():
        names = {alliance_of_party.get(letter) for letter in letters}
        if len(names) > 1:
            _refuse(_("The lists of cooperation %(u)s are in different alliances.") % {"u": unit})
        name = names.pop()
        if name:
            alliances[unit] = name
    return votes, alliances, units


@transaction.atomic
def chair_election_run(*, council: Council, user=None, seed: int | None = None) -> Election:
    """Bilag 1 1.3 (**Decision**): d'Hondt for two seats over the alliances' summed votes;
    the first seat takes the chair, the second the vice-chair."""
    council = _lock_council(council)
    if Election.objects.filter(council=council, kind=Election.Kind.CHAIR).exists():
        _refuse(_("The chair election has already been held."))
    votes, alliances, units = chair_votes(council)
    try:
        outcome = allocate_with_alliances(votes, 2, alliances, seed=seed)
    except AllocationError as exc:
        _refuse(str(exc))
    result = outcome.as_dict() | {"units": units, "winners": list(outcome.groups.order)}
    return Election.objects.create(
        council=council,
        kind=Election.Kind.CHAIR,
        seats=2,
        seed=outcome.seed,
        result=result,
        held_at=timezone.now(),
        created_by=user,
    )


def chair_candidates(election: Election, place: int) -> list[Politician]:
    """The council's members from the group that won seat ``place`` (1 chair, 2 vice-chair)."""
    group = election.result["winners"][place - 1]
    units = election.result["members"][group]
    letters = [letter for unit in units for letter in election.result["units"][unit]]
    return list(
        Politician.objects.filter(
            seats_held__in=Seat.objects.current().filter(council=election.council, party__letter__in=letters)
        ).order_by("name")
    )


@transaction.atomic
def chair_election_name(*, election: Election, chair: Politician, vice_chair: Politician) -> Council:
    """The winning groups name the chair and the vice-chair among the members."""
    council = _lock_council(election.council)
    if election.kind != Election.Kind.CHAIR:
        _refuse(_("This is not a chair election."))
    if chair.pk == vice_chair.pk:
        _refuse(_("The chair and the vice-chair must be two different members."))
    if chair not in chair_candidates(election, 1):
        _refuse(_("%(name)s is not a member from the group that won the chair.") % {"name": chair.name})
    if vice_chair not in chair_candidates(election, 2):
        _refuse(
            _("%(name)s is not a member from the group that won the vice-chair.") % {"name": vice_chair.name}
        )
    council.chair, council.vice_chair = chair, vice_chair
    council.save(update_fields=["chair", "vice_chair"])
    election.elected_name = f"{chair.name} / {vice_chair.name}"
    election.save(update_fields=["elected_name"])
    return council


@transaction.atomic
def chair_replace(*, council: Council, place: int, politician: Politician) -> Council:
    """Bilag 1 1.9-1.10: a chair or vice-chair who leaves (or is away for 3 months or more) is
    replaced by an election in the group that elected them."""
    council = _lock_council(council)
    election = Election.objects.filter(council=council, kind=Election.Kind.CHAIR).order_by("-held_at").first()
    if election is None:
        _refuse(_("The chair election has not been held."))
    if place not in (1, 2):
        _refuse(_("Choose the chair or the vice-chair."))
    other = council.vice_chair_id if place == 1 else council.chair_id
    if politician.pk == other:
        _refuse(_("The chair and the vice-chair must be two different members."))
    if politician not in chair_candidates(election, place):
        _refuse(
            _("%(name)s is not a member of the group that elected the %(post)s (Bilag 1 1.9).")
            % {"name": politician.name, "post": _("chair") if place == 1 else _("vice-chair")}
        )
    if place == 1:
        council.chair = politician
    else:
        council.vice_chair = politician
    council.save(update_fields=["chair" if place == 1 else "vice_chair"])
    return council


# --- regional bodies and appointments ---------------------------------------------------------


@transaction.atomic
def body_create(
    *,
    region,
    name: str,
    term_start: datetime.date,
    term_end: datetime.date | None,
    description: str = "",
    posts: Iterable[tuple[str, int]] = (),
) -> Body:
    if term_end is not None and term_end <= term_start:
        _refuse(_("The term must end after it starts."))
    if Body.objects.filter(region=region, name=name, term_start=term_start).exists():
        _refuse(_("This body exists for that term."))
    body = Body.objects.create(
        region=region, name=name, description=description, term_start=term_start, term_end=term_end
    )
    for post_name, seats in posts:
        post_create(body=body, name=post_name, seats=seats)
    return body


def post_create(*, body: Body, name: str, seats: int, term_end: datetime.date | None = None) -> Post:
    if seats < 1:
        _refuse(_("A post has at least one seat."))
    if Post.objects.filter(body=body, name=name).exists():
        _refuse(_("The body already has a post with this name."))
    return Post.objects.create(body=body, name=name, seats=seats, term_end=term_end)


def check_appointable(post: Post, politician: Politician, on: datetime.date) -> None:
    try:
        rules.check_appointable(
            municipality_region_id=politician.municipality.region_id,
            region_id=post.body.region_id,
            is_council_member=politician.is_council_member_on(on),
            name=politician.name,
        )
    except rules.RuleError as exc:
        _refuse(str(exc))


def _council_for(post: Post, on: datetime.date) -> Council:
    council = Council.objects.current(on).filter(region_id=post.body.region_id).first()
    if council is None:
        _refuse(_("The region has no sitting KKR to hold the election."))
    return council


@transaction.atomic
def appointment_create(
    *,
    post: Post,
    politician: Politician,
    on: datetime.date,
    election: Election | None = None,
    group: str = "",
) -> Appointment:
    """Appoint a politician to a post; FO 3.8 eligibility; never more appointees than seats."""
    post = Post.objects.select_for_update().select_related("body").get(pk=post.pk)
    check_appointable(post, politician, on)
    current = Appointment.objects.current(on).filter(post=post)
    if current.filter(politician=politician).exists():
        _refuse(_("%(name)s is already appointed to this post.") % {"name": politician.name})
    if current.count() >= post.seats:
        _refuse(_("All %(n)s seats of the post are filled.") % {"n": post.seats})
    if election is not None and election.kind == Election.Kind.PROPORTIONAL:
        won = election.result.get("seats", {}).get(group)
        if won is None:
            _refuse(_("%(g)s is not a group of this election.") % {"g": group})
        if current.filter(election=election, group=group).count() >= won:
            _refuse(_("Group %(g)s has named all its %(n)s appointees.") % {"g": group, "n": won})
    return Appointment.objects.create(
        post=post, politician=politician, election=election, group=group, valid_from=on
    )


@transaction.atomic
def appointment_end(*, appointment: Appointment, on: datetime.date, reason: str) -> Appointment:
    """End an appointment; the seat goes back to the group that held it (SPEC 3)."""
    if on < appointment.valid_from:
        _refuse(_("The appointment cannot end before it began."))
    if appointment.valid_to is not None:
        _refuse(_("The appointment has already ended."))
    appointment.valid_to = on
    appointment.end_reason = reason
    appointment.save(update_fields=["valid_to", "end_reason"])
    return appointment


@transaction.atomic
def majority_round_record(
    *,
    post: Post,
    present: int,
    ballots: Mapping[Politician, int],
    user=None,
    seed: int | None = None,
    on: datetime.date | None = None,
) -> Election:
    """Record one round of a majority election to a one-seat post; appoint when decided."""
    on = on or timezone.localdate()
    post = Post.objects.select_for_update().select_related("body").get(pk=post.pk)
    if not post.is_majority:
        _refuse(_("A post with several seats is filled by proportional election."))
    council = _council_for(post, on)
    election = (
        Election.objects.select_for_update()
        .filter(post=post, kind=Election.Kind.MAJORITY, elected_name="")
        .order_by("-held_at")
        .first()
    )
    if election is None:
        if Appointment.objects.current(on).filter(post=post).exists():
            _refuse(_("The post is filled; end the appointment before electing a new representative."))
        election = Election.objects.create(
            council=council,
            post=post,
            kind=Election.Kind.MAJORITY,
            seats=1,
            held_at=timezone.now(),
            created_by=user,
        )
    previous = list(election.rounds.order_by("number"))
    number = len(previous) + 1
    for politician in ballots:
        check_appointable(post, politician, on)
    names = {str(p.pk): p for p in ballots}
    runoff = tuple(previous[-1].result.get("runoff", ())) if previous else ()
    if runoff:
        stray = [p for key, p in names.items() if key not in runoff and ballots[p]]
        if stray:
            _refuse(
                _("Only the two candidates of the run-off can receive votes, not %(name)s.")
                % {"name": stray[0].name}
            )
    try:
        outcome = majority_round(
            number, {str(p.pk): v for p, v in ballots.items()}, present, runoff=runoff, seed=seed
        )
    except AllocationError as exc:
        message = str(exc)
        for key, p in names.items():
            message = message.replace(f"candidate {key}:", f"{p.name}:")
        _refuse(message)
    ElectionRound.objects.create(
        election=election,
        number=number,
        present=present,
        ballots={str(p.pk): v for p, v in ballots.items()},
        result=outcome.as_dict() | {"names": {k: p.name for k, p in names.items()}},
    )
    election.present = present
    if outcome.seed is not None:
        election.seed = outcome.seed
    if outcome.elected:
        winner = names[outcome.elected]
        election.elected_name = winner.name
        election.result = {"elected": outcome.elected, "name": winner.name, "rounds": number}
        election.save(update_fields=["present", "seed", "elected_name", "result"])
        appointment_create(post=post, politician=winner, on=on, election=election)
    else:
        election.save(update_fields=["present", "seed"])
    return election


def parse_groups(text: str) -> list[tuple[str, int, str]]:
    """Lines ``group;members present[;alliance]``; raises ServiceError naming the bad line."""
    groups: list[tuple[str, int, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(",", ";").split(";")]
        if len(parts) not in (2, 3) or not parts[0]:
            _refuse(_("Line %(n)s: write group;members present[;alliance].") % {"n": number})
        if parts[0] in seen:
            _refuse(_("Line %(n)s: group %(g)s appears twice.") % {"n": number, "g": parts[0]})
        try:
            size = int(parts[1])
        except ValueError:
            _refuse(_("Line %(n)s: the number of members must be a whole number.") % {"n": number})
        if size < 1:
            _refuse(_("Line %(n)s: a group has at least one member present.") % {"n": number})
        seen.add(parts[0])
        groups.append((parts[0], size, parts[2] if len(parts) == 3 else ""))
    if not groups:
        _refuse(_("Declare at least one group."))
    return groups


@transaction.atomic
def proportional_election_run(
    *,
    post: Post,
    present: int,
    groups: list[tuple[str, int, str]],
    user=None,
    seed: int | None = None,
    on: datetime.date | None = None,
) -> Election:
    """SPEC 3 (**Decision**): d'Hondt over the declared groups' sizes among the members present,
    alliances split again by d'Hondt; lots with a recorded seed. Groups then name appointees."""
    on = on or timezone.localdate()
    post = Post.objects.select_for_update().select_related("body").get(pk=post.pk)
    if post.is_majority:
        _refuse(_("A post with one seat is filled by majority election."))
    council = _council_for(post, on)
    if present < 1:
        _refuse(_("At least one member must be present."))
    total = sum(size for _n, size, _a in groups)
    if total > present:
        _refuse(
            _("The groups have %(t)s members but only %(p)s members are present.")
            % {"t": total, "p": present}
        )
    filled = Appointment.objects.current(on).filter(post=post).count()
    seats = post.seats - filled
    if seats < 1:
        _refuse(_("All %(n)s seats of the post are filled.") % {"n": post.seats})
    try:
        outcome = allocate_with_alliances(
            {name: size for name, size, _a in groups}, seats, {name: a for name, _s, a in groups}, seed=seed
        )
    except AllocationError as exc:
        _refuse(str(exc))
    return Election.objects.create(
        council=council,
        post=post,
        kind=Election.Kind.PROPORTIONAL,
        seats=seats,
        present=present,
        seed=outcome.seed,
        result=outcome.as_dict(),
        held_at=timezone.now(),
        created_by=user,
    )


# --- records and reminders (called by tasks) -------------------------------------------------


def election_record_render(*, election_id: int) -> bool:
    """Render the PDF record of an election with its quotient table; safe to run twice."""
    from django.core.files.base import ContentFile

    from kkr_portal.pdf import render_pdf

    from .records import election_view

    election = Election.objects.select_related("council__region", "post__body").filter(pk=election_id).first()
    if election is None:
        return False
    rounds = list(election.rounds.order_by("number"))
    pdf = render_pdf(
        "appointments/pdf/election_record.html",
        {"election": election, "view": election_view(election, rounds), "rounds": rounds},
    )
    if election.record_pdf:
        election.record_pdf.delete(save=False)
    election.record_pdf.save(f"valg-{election.pk}.pdf", ContentFile(pdf), save=False)
    Election.objects.filter(pk=election.pk).update(record_pdf=election.record_pdf.name)
    return True


def _secretariat_users(region_id: int):
    from accounts.models import Role, User

    return User.objects.filter(
        is_active=True, roles__kind=Role.Kind.SECRETARIAT, roles__region_id=region_id
    ).distinct()


def constituent_reminders_queue(*, today: datetime.date) -> int:
    """From 1 December of the election year until 31 January: remind the convener and the
    secretariat of a council whose constituent meeting is not yet set. One notice per person
    and council (the notice key makes it exactly once)."""
    from django.urls import reverse

    from accounts.messaging import queue_notice

    queued = 0
    for council in Council.objects.filter(constituent_meeting_at__isnull=True).select_related("region"):
        if not rules.constituent_reminder_due(
            council.election_year, today, constituted=council.is_constituted(today)
        ):
            continue
        chosen = rules.convener(region_mayors(council))
        recipients = list(_secretariat_users(council.region_id))
        if chosen is not None:
            convener = Politician.objects.filter(pk=chosen.politician_id).select_related("user").first()
            user = getattr(convener, "user", None)
            if user is not None:
                recipients.append(user)
            elif convener and convener.email:
                recipients.append(convener)
        context = {
            "council": council,
            "deadline": rules.constituent_deadline(council.election_year),
            "convener": chosen.name if chosen else "",
        }
        url = reverse("appointments:constituent", args=[council.pk])
        for person in recipients:
            email = person.email
            queue_notice(
                key=f"appointments:constituent:{council.pk}:{email}",
                to_email=email,
                template="appointments/notices/constituent",
                context=context,
                user=person if hasattr(person, "roles") else None,
                url=url,
            )
            queued += 1
    return queued


def term_warnings_queue(*, today: datetime.date, days: int = 60) -> int:
    """Warn the secretariat 60 days before a post's term ends (once per post and end date)."""
    from django.urls import reverse

    from accounts.messaging import queue_notice

    horizon = today + datetime.timedelta(days=days)
    posts = (
        Post.objects.select_related("body")
        .filter(
            Q(term_end__range=(today, horizon))
            | Q(term_end__isnull=True, body__term_end__range=(today, horizon))
        )
        .order_by("body__region_id", "body__name")
    )
    queued = 0
    for post in posts:
        if not rules.term_warning_due(post.ends_on, today, days):
            continue
        appointees = list(
            Appointment.objects.current(today).filter(post=post).values_list("politician__name", flat=True)
        )
        for user in _secretariat_users(post.body.region_id):
            queue_notice(
                key=f"appointments:term:{post.pk}:{post.ends_on.isoformat()}:{user.pk}",
                to_email=user.email,
                template="appointments/notices/term_ends",
                context={"post": post, "ends_on": post.ends_on, "appointees": appointees},
                user=user,
                url=reverse("appointments:post_detail", args=[post.pk]),
            )
            queued += 1
    return queued
