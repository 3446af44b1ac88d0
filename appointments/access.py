"""Who may see and do what with councils and seats, and the roles that follow from the register
(registered with accounts.roles in AppointmentsConfig.ready())."""

import dataclasses
import datetime

from django.db.models import Exists, OuterRef, Q, Value
from django.shortcuts import get_object_or_404

from accounts.roles import roles_of

from .models import Appointment, Body, Council, Election, Post, Seat, StandIn


@dataclasses.dataclass(frozen=True)
class PoliticianRoles:
    """The scopes of accounts.roles.UserRoles that follow from the register."""

    member_councils: frozenset[int]
    substitute_councils: frozenset[int]
    chair_councils: frozenset[int]
    appointee: bool


def politician_roles(politician_id: int, today: datetime.date) -> PoliticianRoles:
    """The roles a politician holds through the register on a day (two queries; accounts.roles
    caches them per user, day and version)."""
    # A substitute who steps in for a long absence (Bilag 1 1.5-1.6) is a member for the period.
    standing_in = StandIn.objects.in_effect(today).filter(
        council_id=OuterRef("council_id"),
        seat_number=OuterRef("number"),
        member_id=OuterRef("holder_id"),  # only while the member it replaces still holds the seat
        stand_in_id=politician_id,
    )
    seats = list(
        Seat.objects.current(today)
        .filter(Q(holder_id=politician_id) | Q(substitute_id=politician_id))
        .annotate(standing_in=Exists(standing_in))
        .values_list("council_id", "holder_id", "standing_in")
    )
    members = frozenset(c for c, holder, standing in seats if holder == politician_id or standing)
    substitutes = frozenset(c for c, holder, standing in seats if holder != politician_id and not standing)
    chaired = (
        Council.objects.current(today)
        .filter(Q(chair_id=politician_id) | Q(vice_chair_id=politician_id))
        .annotate(tag=Value("chair"))
        .values_list("id", "tag")
        .order_by()
    )
    appointed = (
        Appointment.objects.current(today)
        .filter(politician_id=politician_id)
        .annotate(tag=Value("appointee"))
        .values_list("post_id", "tag")
        .order_by()
    )
    tagged = list(chaired.union(appointed, all=True))
    chairs = frozenset(pk for pk, tag in tagged if tag == "chair")
    appointee = any(tag == "appointee" for _pk, tag in tagged)
    return PoliticianRoles(members, substitutes, chairs, appointee=appointee)


def register_roles(politician_id: int, today: datetime.date) -> dict[str, object]:
    """The role source AppointmentsConfig.ready() registers with accounts.roles."""
    return dataclasses.asdict(politician_roles(politician_id, today))


def councils_for_user(roles):
    """The councils a user may see: their secretariat's region, or the councils they sit in."""
    return Council.objects.filter(
        Q(region_id__in=roles.secretariat_regions)
        | Q(id__in=roles.member_councils | roles.substitute_councils | roles.chair_councils)
    ).select_related("region")


def get_council_for_user(request, pk: int, write: bool = False, related: tuple[str, ...] = ()) -> Council:
    """The council the user may see (or, with write, manage), with the ``related`` rows it names
    read in the same query."""
    roles = roles_of(request)
    if write:
        councils = Council.objects.filter(region_id__in=roles.secretariat_regions)
    else:
        councils = councils_for_user(roles)
    return get_object_or_404(councils.select_related(*related), pk=pk)


def get_seat_for_user(request, council_pk: int, number: int, write: bool = False) -> Seat:
    """The current row of a seat of a council the user may see (or, with write, manage)."""
    council = get_council_for_user(request, council_pk, write=write)
    return get_object_or_404(
        Seat.objects.current().select_related(
            "council__region", "holder__party", "substitute", "party", "municipality"
        ),
        council=council,
        number=number,
    )


def bodies_for_user(roles):
    """Regional bodies: the secretariat sees those of its regions."""
    return Body.objects.filter(region_id__in=roles.secretariat_regions)


def get_body_for_user(request, pk: int, write: bool = False):
    return get_object_or_404(bodies_for_user(roles_of(request)).select_related("region"), pk=pk)


def get_post_for_user(request, pk: int, write: bool = False):
    roles = roles_of(request)
    return get_object_or_404(
        Post.objects.select_related("body__region").filter(body__region_id__in=roles.secretariat_regions),
        pk=pk,
    )


def get_election_for_user(request, pk: int, write: bool = False):
    """Chair elections: readers of the council; elections to posts: the secretariat."""
    roles = roles_of(request)
    visible = Q(council__region_id__in=roles.secretariat_regions)
    if not write:
        visible |= Q(kind=Election.Kind.CHAIR, council__in=councils_for_user(roles))
    return get_object_or_404(
        Election.objects.filter(visible).select_related("council__region", "post__body"), pk=pk
    )


def appointments_for_user(roles):
    """Every appointment in the secretariat's regions."""
    return Appointment.objects.filter(post__body__region_id__in=roles.secretariat_regions)
