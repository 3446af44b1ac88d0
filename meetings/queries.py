"""Reads that several views, tasks and services share: the seats of a meeting, its quorum,
its agenda as one audience may see it, and who should hear about it."""

from dataclasses import dataclass

from django.db.models import F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce

from accounts.models import RoleKind, User
from appointments.models import Seat, StandIn

from . import rules
from .models import AbsenceReport, AgendaItem, Attachment, Attendance, Decision, Guest, Meeting


def meeting_seats(meeting: Meeting):
    """The seats of the meeting's council on the meeting day."""
    return Seat.objects.current(meeting.date).filter(council_id=meeting.council_id)


def acting_seats(meeting: Meeting):
    """The seats of the meeting with `stand_in_id` (who steps in for the holder during a long
    absence that covers the meeting day, Bilag 1 1.5-1.6, else None) and `acting_id` (the stand-in,
    else the holder): the one who receives the meeting's notices and acts for the seat."""
    day = meeting.date
    stand_in = (
        StandIn.objects.filter(
            council_id=OuterRef("council_id"),
            seat_number=OuterRef("number"),
            member_id=OuterRef("holder_id"),
            starts_on__lte=day,
        )
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=day))
        .order_by("-starts_on")
        .values("stand_in_id")[:1]
    )
    return (
        meeting_seats(meeting)
        .annotate(stand_in_id=Subquery(stand_in, output_field=IntegerField()))
        .annotate(acting_id=Coalesce(F("stand_in_id"), F("holder_id"), output_field=IntegerField()))
    )


@dataclass(frozen=True)
class QuorumState:
    seats: int
    present: int
    needed: int
    quorate: bool


def quorum_state(meeting: Meeting) -> QuorumState:
    seats = meeting_seats(meeting).count()
    present = (
        Attendance.objects.filter(meeting=meeting, seat__in=meeting_seats(meeting))
        .exclude(status=Attendance.Status.ABSENT)
        .count()
    )
    return QuorumState(
        seats=seats,
        present=present,
        needed=rules.seats_needed_for_quorum(seats),
        quorate=rules.is_quorate(seats, present) if seats else False,
    )


def agenda_items(meeting: Meeting, *, include_closed: bool):
    """The items in their order, with attachments and vote, for one audience."""
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("vote", "proposal")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.only("id", "item_id", "name", "size"))
        )
        .order_by("order")
    )
    if not include_closed:
        items = items.filter(closed=False)
    return items


def decisions_of(minutes, version: int) -> dict[int, str]:
    return dict(Decision.objects.filter(minutes=minutes, version=version).values_list("item_id", "text"))


def attendance_rows(meeting: Meeting) -> list[dict]:
    """One row per seat: the seat (with `stand_in_id`, see acting_seats), its register entry and
    whether absence was reported."""
    seats = list(acting_seats(meeting).select_related("holder", "substitute", "party", "municipality"))
    register = {a.seat_id: a for a in Attendance.objects.filter(meeting=meeting).select_related("attendee")}
    reported = set(AbsenceReport.objects.filter(meeting=meeting).values_list("seat_id", flat=True))
    return [
        {"seat": seat, "attendance": register.get(seat.id), "reported_absent": seat.id in reported}
        for seat in seats
    ]


def secretariat_and_chair_users(council) -> list[User]:
    chairs = [p for p in (council.chair_id, council.vice_chair_id) if p]
    return list(
        User.objects.filter(is_active=True)
        .filter(
            Q(roles__kind=RoleKind.SECRETARIAT, roles__region_id=council.region_id)
            | Q(politician_id__in=chairs[:1])
        )
        .distinct()
        .order_by("id")
    )


def agenda_approvers(meeting: Meeting, today) -> list[User]:
    """Who is asked to approve the agenda: the chair's users, or the vice-chair's when the chair
    is unavailable (the same rule as access.perms_for)."""
    council = meeting.council
    approver = council.vice_chair_id if chair_unavailable(meeting, today) else council.chair_id
    if approver is None:
        return []
    return list(User.objects.filter(is_active=True, politician_id=approver).order_by("id"))


def chair_unavailable(meeting: Meeting, today) -> bool:
    """Whether the vice-chair approves the agenda in the chair's place (our Decision, see
    docs/meetings.md): no chair, the chair has no active portal user, is away for a long absence
    today (a stand-in steps in), or has reported absence from this meeting."""
    council = meeting.council
    if council.chair_id is None:
        return True
    if not User.objects.filter(politician_id=council.chair_id, is_active=True).exists():
        return True
    away = StandIn.objects.filter(
        council_id=council.pk, member_id=council.chair_id, starts_on__lte=today
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    return (
        away.exists()
        or AbsenceReport.objects.filter(meeting=meeting, seat__holder_id=council.chair_id).exists()
    )


def members_and_called_in_users(meeting: Meeting) -> list[User]:
    """Users of the members acting for the seats on the meeting day (the stand-in, not the
    holder, during a long absence), plus the substitutes of members who reported absence."""
    seats = acting_seats(meeting)
    acting = seats.values_list("acting_id", flat=True)
    called_in = seats.filter(
        id__in=AbsenceReport.objects.filter(meeting=meeting).values("seat_id")
    ).values_list("substitute_id", flat=True)
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(politician_id__in=acting) | Q(politician_id__in=called_in))
        .order_by("id")
    )


@dataclass(frozen=True)
class AttendanceSummary:
    present: list[dict]
    substitutes: list[dict]
    absent: list[dict]  # every member not there in person, with or without a substitute (FO 3.9)
    guests: list  # attending without a vote (Bilag 1 1.4); never counted for quorum or votes


def attendance_summary(meeting: Meeting) -> AttendanceSummary:
    rows = attendance_rows(meeting)
    status = lambda r: r["attendance"].status if r["attendance"] else None  # noqa: E731
    return AttendanceSummary(
        present=[r for r in rows if status(r) == Attendance.Status.PRESENT],
        substitutes=[r for r in rows if status(r) == Attendance.Status.SUBSTITUTE],
        absent=[r for r in rows if status(r) != Attendance.Status.PRESENT],
        guests=list(Guest.objects.filter(meeting=meeting)),
    )


def meeting_seat_of(meeting: Meeting, politician_id: int | None) -> Seat | None:
    """The seat the politician acts for at this meeting: their own seat, unless a stand-in
    replaces them on the meeting day; or the seat they stand in for (Bilag 1 1.5-1.6)."""
    if politician_id is None:
        return None
    return (
        acting_seats(meeting)
        .filter(acting_id=politician_id)
        .select_related("holder", "substitute__user")
        .first()
    )
