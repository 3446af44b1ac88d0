"""Reads that several views, tasks and services share: the seats of a meeting, its quorum,
its agenda as one audience may see it, and who should hear about it."""

import hashlib
from dataclasses import asdict, dataclass

from django.db.models import F, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from accounts.models import RoleKind, User
from accounts.selectors import politician_users, users_with_role
from appointments.models import Seat, StandIn

from . import rules
from .models import (
    AbsenceReport,
    AgendaItem,
    Attachment,
    Attendance,
    Decision,
    Guest,
    Meeting,
    Minutes,
    MinutesVersion,
)


def meeting_seats(meeting: Meeting):
    """The seats of the meeting's council on the meeting day."""
    return Seat.objects.current(meeting.date).filter(council_id=meeting.council_id)


def acting_seats(meeting: Meeting):
    """The seats of the meeting with `stand_in_id` (who steps in for the holder during a long
    absence that covers the meeting day, Bilag 1 1.5-1.6, else None) and `acting_id` (the stand-in,
    else the holder): the one who receives the meeting's notices and acts for the seat."""
    day = meeting.date
    stand_in = (
        StandIn.objects.in_effect(day)
        .filter(
            council_id=OuterRef("council_id"),
            seat_number=OuterRef("number"),
            member_id=OuterRef("holder_id"),
        )
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
    """Counted by seat number: a register row keeps counting for its seat when a later change of
    holder (dated on or before the meeting day) gives the seat a new row (issue 13.3)."""
    seats = meeting_seats(meeting).count()
    present = (
        Attendance.objects.filter(meeting=meeting, seat__number__in=meeting_seats(meeting).values("number"))
        .exclude(status=Attendance.Status.ABSENT)
        .count()
    )
    return _quorum(seats, present)


def _quorum(seats: int, present: int) -> QuorumState:
    return QuorumState(
        seats=seats,
        present=present,
        needed=rules.seats_needed_for_quorum(seats),
        quorate=rules.is_quorate(seats, present) if seats else False,
    )


def quorum_of_rows(rows: list[dict]) -> QuorumState:
    """quorum_state counted from attendance_rows the caller has already (no further query):
    one row per seat of the meeting day, present when its register entry is not absent."""
    present = sum(1 for r in rows if r["attendance"] and r["attendance"].status != Attendance.Status.ABSENT)
    return _quorum(len(rows), present)


def agenda_version(meeting: Meeting) -> str:
    """A short fingerprint of the agenda's items as a reader sees them (place, title, kind, texts,
    open/closed): compared on submit so the chair approves the agenda they read (issue 13.10)."""
    rows = AgendaItem.objects.filter(meeting=meeting).order_by("order", "pk")
    values = rows.values_list("pk", "order", "title", "kind", "recommendation", "case_text", "closed")
    return hashlib.sha256(repr(list(values)).encode()).hexdigest()[:16]


def agenda_items(meeting: Meeting, *, include_closed: bool):
    """The items in their order, with attachments and vote, for one audience."""
    items = (
        AgendaItem.objects.filter(meeting=meeting)
        .select_related("vote", "proposal")
        .prefetch_related(
            Prefetch(
                "attachments",
                queryset=Attachment.objects.only(
                    "id", "item_id", "name", "size", "public_id", "removed_at", "removal_reason"
                ),
            )
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
    whether absence was reported. Four queries; a seat's holder and substitute are read once
    (the register and the minutes show only names, issue 15)."""
    seats = list(acting_seats(meeting).select_related("holder", "substitute"))
    register = {
        a.seat_number: a
        for a in Attendance.objects.filter(meeting=meeting)
        .annotate(seat_number=F("seat__number"))
        .select_related("attendee")
    }
    reported = dict(
        AbsenceReport.objects.filter(meeting=meeting).values_list("seat__number", "substitute_absent_at")
    )
    current = {seat.pk for seat in seats}
    # The seat changed holder after it was registered (issue 13.3): the register names who held
    # the seat when it was recorded, so the row shows that seat period (rare: one more query).
    earlier = [a.seat_id for a in register.values() if a.seat_id not in current]
    earlier = Seat.objects.select_related("holder", "substitute").in_bulk(earlier) if earlier else {}
    rows = []
    for seat in seats:
        entry = register.get(seat.number)
        if entry is not None and entry.seat_id != seat.id:
            period = earlier[entry.seat_id]
            period.stand_in_id, period.acting_id = seat.stand_in_id, seat.acting_id
            seat = period
        if entry is not None:
            entry.seat = seat
        rows.append(
            {
                "seat": seat,
                "attendance": entry,
                "reported_absent": seat.number in reported,
                "substitute_absent": reported.get(seat.number) is not None,
            }
        )
    return rows


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


def secretariat_users(council) -> list[User]:
    """The active users of the secretariat of the council's region."""
    return list(users_with_role(RoleKind.SECRETARIAT, region_id=council.region_id).order_by("id"))


def minutes_approvers(council) -> list[User]:
    """Who is told that minutes wait for approval: the chair's users, or the vice-chair's when
    the chair has no active user."""
    for politician_id in (council.chair_id, council.vice_chair_id):
        users = list(politician_users(politician_id).order_by("id"))
        if politician_id and users:
            return users
    return []


def agenda_approvers(meeting: Meeting, today) -> list[User]:
    """Who is asked to approve the agenda: the chair's users, or the vice-chair's when the chair
    is unavailable (the same rule as access.perms_for)."""
    council = meeting.council
    approver = council.vice_chair_id if chair_unavailable(meeting, today) else council.chair_id
    if approver is None:
        return []
    return list(politician_users(approver).order_by("id"))


def chair_unavailable(meeting: Meeting, today) -> bool:
    """Whether the vice-chair approves the agenda in the chair's place (our Decision, see
    docs/meetings.md): no chair, the chair has no active portal user, is away for a long absence
    today (a stand-in steps in), or has reported absence from this meeting."""
    council = meeting.council
    if council.chair_id is None:
        return True
    if not politician_users(council.chair_id).exists():
        return True
    away = StandIn.objects.in_effect(today).filter(council_id=council.pk, member_id=council.chair_id)
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


def attendance_summary(meeting: Meeting, rows: list[dict] | None = None) -> AttendanceSummary:
    rows = attendance_rows(meeting) if rows is None else rows
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


def started(meeting: Meeting) -> bool:
    return rules.meeting_started(timezone.now(), meeting.starts_at)


def register_open(meeting: Meeting) -> bool:
    """Whether attendance and guests can be recorded now (services.attendance._register_open): from the
    meeting's start until its minutes are approved."""
    return (
        meeting.status != Meeting.Status.CANCELLED
        and started(meeting)
        and not Minutes.objects.filter(meeting=meeting).exclude(status=Minutes.Status.DRAFT).exists()
    )


def minutes_record(meeting: Meeting, minutes, version: int | None = None, items=None) -> dict:
    """What the current version of the minutes shows, as plain values: the attendance (who held
    or stood in for each seat), guests, quorum, meeting leader, and per item its vote and
    decision. Frozen into `MinutesVersion.record` when the version is approved (issue 13.1)."""
    rows = attendance_rows(meeting)
    summary = attendance_summary(meeting, rows)
    decisions = decisions_of(minutes, version or minutes.version)
    # `items`: every agenda item (closed too) when the caller has them already; the record needs
    # no attachments, so none are fetched for it.
    if items is None:
        items = agenda_items(meeting, include_closed=True).prefetch_related(None)
    entries = []
    for item in items:
        vote = getattr(item, "vote", None)
        entries.append(
            {
                "pk": item.pk,
                "order": item.order,
                "title": item.title,
                "closed": item.closed,
                "decision_text": decisions.get(item.pk, ""),
                "vote": {
                    f: getattr(vote, f) for f in ("yes", "no", "abstain", "leader_vote", "passed", "by_name")
                }
                if vote
                else None,
            }
        )
    holder = lambda r: {"name": r["seat"].holder.name, "seat": r["seat"].number}  # noqa: E731
    return {
        "leader": meeting.leader.name if meeting.leader_id else "",
        "quorum": asdict(quorum_of_rows(rows)),
        "attendance": {
            "present": [holder(r) for r in summary.present],
            "substitutes": [
                {
                    "name": r["attendance"].attendee.name,
                    "for": r["seat"].holder.name,
                    "seat": r["seat"].number,
                }
                for r in summary.substitutes
            ],
            "absent": [holder(r) for r in summary.absent],
            "guests": [{"name": g.name, "role": g.role} for g in summary.guests],
        },
        "items": entries,
    }


def minutes_shown(meeting: Meeting, minutes, version: int, versions=None, items=None) -> dict:
    """The record a version of the minutes shows: the one frozen at its approval, or (a draft,
    or a version approved before records were kept) the current rows. `versions`: the
    MinutesVersion rows, `items`: every agenda item, when the caller has them already."""
    if versions is not None:
        frozen = next((v.record for v in versions if v.number == version), None)
    else:
        frozen = (
            MinutesVersion.objects.filter(minutes=minutes, number=version, record__isnull=False)
            .values_list("record", flat=True)
            .first()
        )
    return frozen if frozen is not None else minutes_record(meeting, minutes, version, items)


def with_minutes(items, record: dict) -> list:
    """The agenda items with the decision and vote of a minutes record (`decision_text`,
    `minutes_vote`); items the record does not hold show none."""
    shown = {i["pk"]: i for i in record["items"]}
    for item in items:
        entry = shown.get(item.pk, {})
        item.decision_text, item.minutes_vote = entry.get("decision_text", ""), entry.get("vote")
    return items


def called_in_report(meeting: Meeting, politician_id: int | None):
    """The absence report by which this politician is called in as personal substitute (on a
    seat of the meeting day, not replaced by a stand-in who is the politician), or None."""
    if politician_id is None:
        return None
    return (
        AbsenceReport.objects.filter(
            meeting=meeting,
            seat__in=acting_seats(meeting).filter(substitute_id=politician_id),
        )
        .select_related("seat__holder__party", "seat__holder__municipality")
        .first()
    )
