"""The constituent meeting, electoral alliances and the chair election (Bilag 1 1.2-1.3, 1.9-1.10)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import refuse
from register.models import ElectionResult, Party, Politician

from .. import rules
from ..allocation import allocate_with_alliances
from ..models import Council, Election, ElectoralAlliance, Seat
from ..selectors import cooperation_map
from .base import _lock_council, rule_refusal


def region_mayors(council: Council) -> list[rules.MayorInfo]:
    seats = Seat.objects.in_effect().filter(
        council=council, kind=Seat.Kind.MAYOR, valid_from=council.term_start
    )
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
        refuse(
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
        refuse(_("Give the alliance a name."))
    if council.constituent_meeting_at and declared_at > council.constituent_meeting_at:
        refuse(_("Electoral alliances must be declared no later than the start of the constituent meeting."))
    if Election.objects.filter(council=council, kind=Election.Kind.CHAIR).exists():
        refuse(_("The chair election has been held; no more alliances can be declared."))
    if len(parties) < 2:
        refuse(_("An alliance joins at least two lists."))
    represented = council_lists(council)
    for party in parties:
        if party.letter not in represented:
            refuse(_("List %(l)s is not represented in the KKR.") % {"l": party.letter})
    taken = set(
        ElectoralAlliance.objects.filter(council=council, parties__in=parties).values_list(
            "parties__letter", flat=True
        )
    ) & {p.letter for p in parties}
    if taken:
        refuse(_("List %(l)s is already in an alliance.") % {"l": sorted(taken)[0]})
    if ElectoralAlliance.objects.filter(council=council, name=name).exists():
        refuse(_("An alliance with this name exists."))
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
            refuse(_("The lists of cooperation %(u)s are in different alliances.") % {"u": unit})
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
        refuse(_("The chair election has already been held."))
    votes, alliances, units = chair_votes(council)
    if not any(votes.values()):
        refuse(_("No election results are registered for this council's election."))
    with rule_refusal():
        outcome = allocate_with_alliances(votes, 2, alliances, seed=seed)
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
        )
        .select_related("party", "municipality")
        .order_by("name")
    )


@transaction.atomic
def chair_election_name(*, election: Election, chair: Politician, vice_chair: Politician) -> Council:
    """The winning groups name the chair and the vice-chair among the members."""
    council = _lock_council(election.council)
    if election.kind != Election.Kind.CHAIR:
        refuse(_("This is not a chair election."))
    if chair.pk == vice_chair.pk:
        refuse(_("The chair and the vice-chair must be two different members."))
    if chair not in chair_candidates(election, 1):
        refuse(_("%(name)s is not a member from the group that won the chair.") % {"name": chair.name})
    if vice_chair not in chair_candidates(election, 2):
        refuse(
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
        refuse(_("The chair election has not been held."))
    if place not in (1, 2):
        refuse(_("Choose the chair or the vice-chair."))
    other = council.vice_chair_id if place == 1 else council.chair_id
    if politician.pk == other:
        refuse(_("The chair and the vice-chair must be two different members."))
    if politician not in chair_candidates(election, place):
        refuse(
            _("%(name)s is not a member of the group that elected the %(post)s (Bilag 1 1.9).")
            % {"name": politician.name, "post": _("chair") if place == 1 else _("vice-chair")}
        )
    if place == 1:
        council.chair = politician
    else:
        council.vice_chair = politician
    council.save(update_fields=["chair" if place == 1 else "vice_chair"])
    return council
