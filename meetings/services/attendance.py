"""The attendance register and guests on the meeting day (FO 3.5, 3.9, Bilag 1 1.4)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Seat
from core.errors import Refused

from .. import rules
from ..models import Attendance, Guest, Meeting, Minutes
from ..selectors import acting_seats
from ._common import _require_started


@transaction.atomic
def attendance_record(*, meeting: Meeting, seat: Seat, status: str) -> Attendance:
    """Register a seat as present, absent or represented by its substitute; the meeting leader
    follows (chair, else vice-chair; FO 3.5)."""
    if seat.council_id != meeting.council_id:
        raise Refused(_("The seat does not belong to this KKR."))
    _register_open(meeting)
    stand_in = acting_seats(meeting).filter(pk=seat.pk, stand_in_id__isnull=False).exists()
    problem = _attendance_problem(seat, status, stand_in=stand_in)
    if problem:
        raise Refused(problem)
    row = _attendance_write(meeting, seat, status)
    _set_leader(meeting)
    return row


@transaction.atomic
def attendance_register(*, meeting: Meeting, statuses: dict[int, str]) -> int:
    """The whole register in one save (issue 16): `statuses` maps seat numbers to a status, each
    row on the seat of the meeting day with that number. Every row is checked first; when one is
    refused nothing is stored, and the refusal names each person and why (on the row's field,
    `seat-<number>`). Rows that did not change keep their record. Returns the rows written."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _register_open(meeting)
    seats = {s.number: s for s in acting_seats(meeting).select_related("holder", "substitute")}
    problems = {}
    for number, status in sorted(statuses.items()):
        seat = seats.get(number)
        if seat is None:
            problems[f"seat-{number}"] = [_("Seat %(n)s is not a seat of this meeting.") % {"n": number}]
            continue
        problem = _attendance_problem(seat, status, stand_in=seat.stand_in_id is not None)
        if problem:
            problems[f"seat-{number}"] = [
                _("Seat %(number)s, %(name)s: %(problem)s")
                % {"number": number, "name": seat.holder.name, "problem": problem}
            ]
    if problems:
        raise Refused(problems)
    registered = {
        number: (seat_id, status)
        for number, seat_id, status in Attendance.objects.filter(meeting=meeting).values_list(
            "seat__number", "seat_id", "status"
        )
    }
    written = 0
    for number, status in sorted(statuses.items()):
        if registered.get(number) != (seats[number].pk, status):
            _attendance_write(meeting, seats[number], status)
            written += 1
    if written:
        _set_leader(meeting)
    return written


def _attendance_problem(seat: Seat, status: str, *, stand_in: bool) -> str | None:
    """Why the seat cannot be registered with the status (rules.attendance_problem), in words."""
    problem = rules.attendance_problem(status, has_substitute=bool(seat.substitute_id), stand_in=stand_in)
    if problem == rules.AttendanceProblem.NO_SUBSTITUTE:
        return _("This seat has no personal substitute.")
    if problem == rules.AttendanceProblem.STAND_IN:
        # The member is replaced for the period (Bilag 1 1.5-1.6): whoever attends for the seat
        # is the stand-in, and the minutes list the member as absent (FO 3.9).
        return _(
            "%(member)s is replaced by a stand-in during a long absence: register the seat as substitute attending."
        ) % {"member": seat.holder.name}
    return _("Choose present, absent or substitute attending.") if problem else None


def _attendance_write(meeting: Meeting, seat: Seat, status: str) -> Attendance:
    attendee = {
        Attendance.Status.PRESENT: seat.holder_id,
        Attendance.Status.SUBSTITUTE: seat.substitute_id,
        Attendance.Status.ABSENT: None,
    }[status]
    # One register row per seat number: registering again after a change of holder dated on or
    # before the meeting day replaces the row of the earlier period (issue 13.3).
    Attendance.objects.filter(meeting=meeting, seat__number=seat.number).exclude(seat=seat).delete()
    row, _created = Attendance.objects.update_or_create(
        meeting=meeting,
        seat=seat,
        defaults={"status": status, "attendee_id": attendee, "recorded_at": timezone.now()},
    )
    return row


def _register_open(meeting: Meeting) -> None:
    """Attendance and guests are recorded from the meeting's start until its minutes are approved;
    a correction afterwards goes through a new minutes version (issue 13.1)."""
    _require_started(meeting)
    if Minutes.objects.filter(meeting=meeting).exclude(status=Minutes.Status.DRAFT).exists():
        raise Refused(
            _("The minutes are approved; make a new version of the minutes to change who attended.")
        )


@transaction.atomic
def guest_add(*, meeting: Meeting, name: str, role: str) -> Guest:
    """Record a member of KL's board or committees from the region attending without a vote
    (Bilag 1 1.4). Guests hold no seat: quorum and votes count seats only."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _register_open(meeting)
    name, role = name.strip(), role.strip()
    if not name:
        raise Refused({"name": _("Give the guest's name.")})
    if not role:
        raise Refused({"role": _("Give the guest's role, e.g. member of KL's board.")})
    if Guest.objects.filter(meeting=meeting, name=name).exists():
        raise Refused({"name": _("%(name)s is already recorded as a guest.") % {"name": name}})
    return Guest.objects.create(meeting=meeting, name=name, role=role)


@transaction.atomic
def guest_remove(*, guest: Guest) -> None:
    meeting = Meeting.objects.select_for_update().get(pk=guest.meeting_id)
    _register_open(meeting)
    guest.delete()


def _set_leader(meeting: Meeting) -> None:
    council = meeting.council
    present = set(
        Attendance.objects.filter(meeting=meeting, status=Attendance.Status.PRESENT).values_list(
            "attendee_id", flat=True
        )
    )
    leader = rules.meeting_leader(
        chair_present=council.chair_id in present, vice_chair_present=council.vice_chair_id in present
    )
    leader_id = {rules.Leader.CHAIR: council.chair_id, rules.Leader.VICE_CHAIR: council.vice_chair_id}.get(
        leader
    )
    if meeting.leader_id != leader_id:
        meeting.leader_id = leader_id
        meeting.save(update_fields=["leader"])
