"""Regional bodies, their posts, elections to them and appointments (FO 2.2, 3.8; docs/rules.md §3)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

import core.time
from accounts.roles import roles_changed
from core.errors import refuse
from register.models import Politician

from .. import rules
from ..allocation import allocate_with_alliances, majority_round
from ..models import Appointment, Body, Council, Election, ElectionRound, Post
from ..selectors import open_groups
from .base import rule_refusal


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
        refuse(_("The term must end after it starts."))
    if Body.objects.filter(region=region, name=name, term_start=term_start).exists():
        refuse(_("This body exists for that term."))
    body = Body.objects.create(
        region=region, name=name, description=description, term_start=term_start, term_end=term_end
    )
    for post_name, seats in posts:
        post_create(body=body, name=post_name, seats=seats)
    return body


@transaction.atomic
def body_term_record(*, body: Body, term_start: datetime.date, term_end: datetime.date | None) -> Body:
    """Record a body's new term (docs/rules.md §3): a new row of the body with the same posts, so the
    earlier term keeps its appointments and elections as they were; the earlier term ends the day
    before the new one starts at the latest. Returns the new term."""
    body = Body.objects.select_for_update().get(pk=body.pk)
    if body.terms().filter(term_start__gt=body.term_start).exists():
        refuse(_("A later term of this body is already recorded; record the new term from the latest one."))
    with rule_refusal():
        last_day = rules.previous_term_last_day(
            previous_start=body.term_start, previous_end=body.term_end, start=term_start, end=term_end
        )
    if last_day != body.term_end:
        body.term_end = last_day
        body.save(update_fields=["term_end"])
    new = Body.objects.create(
        region=body.region,
        name=body.name,
        description=body.description,
        term_start=term_start,
        term_end=term_end,
    )
    Post.objects.bulk_create(
        Post(body=new, name=post.name, seats=post.seats) for post in body.posts.order_by("name")
    )
    return new


def post_create(*, body: Body, name: str, seats: int, term_end: datetime.date | None = None) -> Post:
    if seats < 1:
        refuse(_("A post has at least one seat."))
    if Post.objects.filter(body=body, name=name).exists():
        refuse(_("The body already has a post with this name."))
    return Post.objects.create(body=body, name=name, seats=seats, term_end=term_end)


def check_appointable(post: Post, politician: Politician, on: datetime.date) -> None:
    with rule_refusal():
        rules.check_appointable(
            municipality_region_id=politician.municipality.region_id,
            region_id=post.body.region_id,
            is_council_member=politician.is_council_member_on(on),
            name=politician.name,
        )


def council_terms(region_ids) -> dict[int, list[rules.CouncilTerm]]:
    """The councils' terms per region (one query)."""
    terms: dict[int, list[rules.CouncilTerm]] = {}
    for region_id, start, end, year in Council.objects.filter(region_id__in=set(region_ids)).values_list(
        "region_id", "term_start", "term_end", "election_year"
    ):
        terms.setdefault(region_id, []).append(rules.CouncilTerm(start, end, year))
    return terms


def appointment_end_dates(appointments) -> dict[int, datetime.date | None]:
    """The last day of each appointment (docs/rules.md §3), from rows with ``post__body`` loaded; one query."""
    appointments = list(appointments)
    terms = council_terms(a.post.body.region_id for a in appointments)
    return {
        a.pk: rules.appointment_ends_on(
            a.valid_to,
            a.post.ends_on,
            rules.electoral_period_end(terms.get(a.post.body.region_id, []), a.valid_from)[0],
        )
        for a in appointments
    }


def _close_lapsed(post: Post, politician: Politician, on: datetime.date) -> None:
    """An earlier appointment of the same person to the post whose term has run out is still an
    open row: close it on its last day so the person can be appointed again for the new term."""
    lapsed = list(
        Appointment.objects.filter(
            post=post, politician=politician, valid_to__isnull=True, valid_from__lte=on
        )
        .exclude(pk__in=Appointment.objects.current(on).values("pk"))
        .select_related("post__body")
    )
    starts = {a.pk: a.valid_from for a in lapsed}
    for appointment, last in appointment_end_dates(lapsed).items():
        Appointment.objects.filter(pk=appointment).update(
            valid_to=max(last or on - datetime.timedelta(days=1), starts[appointment]),
            end_reason=_("the term ended"),
        )
    if lapsed:
        roles_changed()  # a bulk update sends no signal


def _council_for(post: Post, on: datetime.date) -> Council:
    council = Council.objects.current(on).filter(region_id=post.body.region_id).first()
    if council is None:
        refuse(_("The region has no sitting KKR to hold the election."))
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
    if post.ends_on is not None and on > post.ends_on:
        refuse(
            _(
                "The post's term ended on %(date)s; record the body's new term on the body's page and appoint to it."
            )
            % {"date": post.ends_on.strftime("%d.%m.%Y")}
        )
    check_appointable(post, politician, on)
    current = Appointment.objects.current(on).filter(post=post)
    if current.filter(politician=politician).exists():
        refuse(_("%(name)s is already appointed to this post.") % {"name": politician.name})
    if current.count() >= post.seats:
        refuse(_("All %(n)s seats of the post are filled.") % {"n": post.seats})
    _close_lapsed(post, politician, on)
    if election is not None and election.voided_at is not None:
        refuse(_("The election was voided; it appoints nobody."))
    if election is not None and election.kind == Election.Kind.PROPORTIONAL:
        won = election.result.get("seats", {}).get(group)
        if won is None:
            refuse(_("%(g)s is not a group of this election.") % {"g": group})
        if current.filter(election=election, group=group).count() >= won:
            refuse(_("Group %(g)s has named all its %(n)s appointees.") % {"g": group, "n": won})
    if election is None and not post.is_majority:
        council = Council.objects.current(on).filter(region_id=post.body.region_id).first()
        if council is not None:
            _check_no_vacancy_of_a_group(post, council, on)
    return Appointment.objects.create(
        post=post, politician=politician, election=election, group=group, valid_from=on
    )


@transaction.atomic
def appointment_end(*, appointment: Appointment, on: datetime.date, reason: str) -> Appointment:
    """End an appointment; the seat goes back to the group that held it (docs/rules.md §3)."""
    if on < appointment.valid_from:
        refuse(_("The appointment cannot end before it began."))
    if appointment.valid_to is not None:
        refuse(_("The appointment has already ended."))
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
    on = on or core.time.today()
    post = Post.objects.select_for_update().select_related("body").get(pk=post.pk)
    if not post.is_majority:
        refuse(_("A post with several seats is filled by proportional election."))
    council = _council_for(post, on)
    election = (
        Election.objects.select_for_update()
        .filter(post=post, kind=Election.Kind.MAJORITY, elected_name="")
        .order_by("-held_at")
        .first()
    )
    if election is None:
        if Appointment.objects.current(on).filter(post=post).exists():
            refuse(_("The post is filled; end the appointment before electing a new representative."))
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
    cast = sum(ballots.values())
    if cast > present:
        refuse(
            _("%(cast)s votes were cast but only %(present)s members are present.")
            % {"cast": cast, "present": present}
        )
    if not cast:
        refuse(_("No votes were cast."))
    runoff = tuple(previous[-1].result.get("runoff", ())) if previous else ()
    if runoff:
        stray = [p for key, p in names.items() if key not in runoff and ballots[p]]
        if stray:
            refuse(
                _("Only the two candidates of the run-off can receive votes, not %(name)s.")
                % {"name": stray[0].name}
            )

    def named(message: str) -> str:  # the allocation speaks of candidate ids; users read names
        for key, p in names.items():
            message = message.replace(f"candidate {key}:", f"{p.name}:")
        return message

    with rule_refusal(wording=named):
        outcome = majority_round(
            number, {str(p.pk): v for p, v in ballots.items()}, present, runoff=runoff, seed=seed
        )
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
    """Lines ``group;members present[;alliance]``; raises Refused naming the bad line."""
    groups: list[tuple[str, int, str]] = []
    seen: set[str] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(",", ";").split(";")]
        if len(parts) not in (2, 3) or not parts[0]:
            refuse(_("Line %(n)s: write group;members present[;alliance].") % {"n": number})
        if parts[0] in seen:
            refuse(_("Line %(n)s: group %(g)s appears twice.") % {"n": number, "g": parts[0]})
        try:
            size = int(parts[1])
        except ValueError:
            refuse(_("Line %(n)s: the number of members must be a whole number.") % {"n": number})
        if size < 1:
            refuse(_("Line %(n)s: a group has at least one member present.") % {"n": number})
        seen.add(parts[0])
        groups.append((parts[0], size, parts[2] if len(parts) == 3 else ""))
    if not groups:
        refuse(_("Declare at least one group."))
    for name, _size, alliance in groups:
        if alliance and alliance != name and alliance in seen:
            refuse(_("Alliance %(a)s has the same name as a group.") % {"a": alliance})
    return groups


def parse_candidates(text: str, groups: list[tuple[str, int, str]]) -> dict[str, int]:
    """Lines ``group;candidates`` for the groups that name fewer candidates than they may win
    (docs/rules.md §3, as §8.3); a group not listed has enough. Raises Refused naming the bad line."""
    names = {name for name, _size, _alliance in groups}
    candidates: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in line.replace(",", ";").split(";")]
        if len(parts) != 2 or not parts[0]:
            refuse(_("Line %(n)s: write group;number of candidates.") % {"n": number}, field="candidates")
        if parts[0] not in names:
            refuse(
                _("Line %(n)s: %(g)s is not among the groups declared.") % {"n": number, "g": parts[0]},
                field="candidates",
            )
        if parts[0] in candidates:
            refuse(
                _("Line %(n)s: group %(g)s appears twice.") % {"n": number, "g": parts[0]}, field="candidates"
            )
        try:
            count = int(parts[1])
        except ValueError:
            count = -1
        if count < 0:
            refuse(
                _("Line %(n)s: the number of candidates must be a whole number, 0 or more.") % {"n": number},
                field="candidates",
            )
        candidates[parts[0]] = count
    return candidates


def _check_no_vacancy_of_a_group(post: Post, council: Council, on: datetime.date) -> None:
    """docs/rules.md §3: a seat that falls vacant goes back to the group that held it. While the term of
    this council's proportional election to the post runs, its groups name the successors; a new
    election would share the seat out afresh."""
    if post.ends_on is not None and post.ends_on < on:
        return
    previous = (
        Election.objects.filter(post=post, council=council, kind=Election.Kind.PROPORTIONAL, voided_at=None)
        .order_by("-held_at")
        .first()
    )
    if previous is None:
        return
    groups = open_groups(previous, on)
    if groups:
        refuse(
            _(
                "The post was filled by proportional election on %(d)s; a vacant seat goes back to the "
                "group that held it (docs/rules.md §3): %(groups)s names the appointee."
            )
            % {"d": previous.held_at.date().isoformat(), "groups": ", ".join(groups)}
        )


@transaction.atomic
def proportional_election_run(
    *,
    post: Post,
    present: int,
    groups: list[tuple[str, int, str]],
    user=None,
    seed: int | None = None,
    on: datetime.date | None = None,
    candidates: dict[str, int] | None = None,
) -> Election:
    """docs/rules.md §3 (**Decision**): d'Hondt over the declared groups' sizes among the members present,
    alliances split again by d'Hondt; lots with a recorded seed. Groups then name appointees.
    A group that names fewer ``candidates`` than it wins passes the seat on (allocation.py)."""
    on = on or core.time.today()
    post = Post.objects.select_for_update().select_related("body").get(pk=post.pk)
    if post.is_majority:
        refuse(_("A post with one seat is filled by majority election."))
    council = _council_for(post, on)
    if present < 1:
        refuse(_("At least one member must be present."))
    total = sum(size for _n, size, _a in groups)
    if total > present:
        refuse(
            _("The groups have %(t)s members but only %(p)s members are present.")
            % {"t": total, "p": present}
        )
    filled = Appointment.objects.current(on).filter(post=post).count()
    seats = post.seats - filled
    if seats < 1:
        refuse(_("All %(n)s seats of the post are filled.") % {"n": post.seats})
    _check_no_vacancy_of_a_group(post, council, on)
    with rule_refusal():
        outcome = allocate_with_alliances(
            {name: size for name, size, _a in groups},
            seats,
            {name: a for name, _s, a in groups},
            seed=seed,
            candidates=candidates,
        )
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


@transaction.atomic
def election_void(*, election: Election, reason: str, user=None) -> Election:
    """Void an abandoned proportional election (rules.void_reason); its record stays, marked void."""
    election = Election.objects.select_for_update().get(pk=election.pk)
    with rule_refusal(field="reason"):
        reason = rules.void_reason(
            proportional=election.kind == Election.Kind.PROPORTIONAL,
            voided=election.voided_at is not None,
            appointments=election.appointments.count(),
            reason=reason,
        )
    election.voided_at = timezone.now()
    election.voided_by = user
    election.void_reason = reason
    election.save(update_fields=["voided_at", "voided_by", "void_reason"])
    return election
