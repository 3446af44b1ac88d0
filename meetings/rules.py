"""The rules of procedure for meetings (docs/rules.md §2, FO 3) as pure functions on plain values.

No ORM and no I/O here, so each rule can be read beside docs/rules.md and property-tested.
"""

import datetime
import math
from enum import StrEnum

from core.calendar import working_days_before

# FO 3.3: the agenda of an ordinary meeting is sent no later than one week before the meeting.
AGENDA_NOTICE_DAYS = 7
# Deadline reminders go out this many working days before the agenda deadline.
REMINDER_WORKING_DAYS = 3


# --- The 7-day rule (FO 3.3) ---------------------------------------------------------------


def agenda_deadline(meeting_date: datetime.date) -> datetime.date:
    """The last day on which the agenda of an ordinary meeting may be published on time."""
    return meeting_date - datetime.timedelta(days=AGENDA_NOTICE_DAYS)


def is_late(published: datetime.date, meeting_date: datetime.date, *, extraordinary: bool = False) -> bool:
    """Whether publishing on `published` breaks the 7-day rule. Extraordinary meetings have no
    deadline (docs/rules.md Decision)."""
    if extraordinary:
        return False
    return published > agenda_deadline(meeting_date)


def late_reason_missing(
    published: datetime.date, meeting_date: datetime.date, reason: str, *, extraordinary: bool = False
) -> bool:
    """A late agenda needs a recorded reason (docs/rules.md Decision on FO 3.3)."""
    return is_late(published, meeting_date, extraordinary=extraordinary) and not reason.strip()


def move_reason_missing(
    today: datetime.date,
    old_date: datetime.date,
    new_date: datetime.date,
    reason: str,
    *,
    published: bool,
    extraordinary: bool = False,
) -> bool:
    """Moving a meeting whose agenda is out to another day less than 7 days away needs a recorded
    reason, as publishing late does (FO 3.3). Our Decision: an unpublished meeting is checked
    when its agenda is published; a new hour or place on the same day keeps the members' notice
    of the day, so it needs no reason; extraordinary meetings have no deadline."""
    if not published or new_date == old_date:
        return False
    return late_reason_missing(today, new_date, reason, extraordinary=extraordinary)


# --- The meeting day (issue 13.2) ---------------------------------------------------------------


def meeting_started(now: datetime.datetime, starts_at: datetime.datetime) -> bool:
    """Whether the meeting has begun: nothing of the meeting day (attendance, guests, votes,
    minutes, their approval and publication) is recorded before it starts. Both are aware
    datetimes, so the start is the meeting's own day and time in Europe/Copenhagen."""
    return now >= starts_at


def absence_withdrawable(now: datetime.datetime, starts_at: datetime.datetime) -> bool:
    """A member may report absence, and withdraw the report, until the meeting starts (FO 3.9)."""
    return not meeting_started(now, starts_at)


def attachment_removal_reason_missing(*, agenda_published: bool, reason: str) -> bool:
    """An attachment may be removed freely until the agenda is published; afterwards members and
    the public may have read it, so the removal needs a recorded reason (our Decision)."""
    return agenda_published and not reason.strip()


# --- Working days, for the deadline reminders (the calendar is core.calendar) ---------------------


def reminder_day(meeting_date: datetime.date) -> datetime.date:
    """The day the secretariat and chair are reminded of an unpublished agenda."""
    return working_days_before(agenda_deadline(meeting_date), REMINDER_WORKING_DAYS)


class DeadlineNotice(StrEnum):
    REMINDER = "reminder"
    DEADLINE_DAY = "deadline-day"


def due_deadline_notice(
    today: datetime.date, meeting_date: datetime.date, *, published: bool, extraordinary: bool = False
) -> DeadlineNotice | None:
    """Which deadline notice is due today for a meeting, if any.

    The reminder is due from the reminder day until the day before the deadline; the deadline-day
    notice from the deadline day until the meeting (so a missed beat run catches up).
    """
    if published or extraordinary or today >= meeting_date:
        return None
    deadline = agenda_deadline(meeting_date)
    if today >= deadline:
        return DeadlineNotice.DEADLINE_DAY
    if today >= reminder_day(meeting_date):
        return DeadlineNotice.REMINDER
    return None


# --- Quorum (FO 3.7) ---------------------------------------------------------------------------


def is_quorate(seats: int, present_seats: int) -> bool:
    """At least half of the seats present; a substitute attending counts for their member's seat
    (the caller counts seats, not people). docs/rules.md Decision: present × 2 ≥ seats."""
    if seats <= 0:
        return False
    if not 0 <= present_seats <= seats:
        raise ValueError("present seats must be between 0 and the number of seats")
    return present_seats * 2 >= seats


def seats_needed_for_quorum(seats: int) -> int:
    return math.ceil(seats / 2)


# --- Meeting leader and votes (FO 3.5, 3.7) ------------------------------------------------------


class Leader(StrEnum):
    CHAIR = "chair"
    VICE_CHAIR = "vice_chair"


def meeting_leader(*, chair_present: bool, vice_chair_present: bool) -> Leader | None:
    """The chair leads; in the chair's absence the vice-chair (FO 3.5)."""
    if chair_present:
        return Leader.CHAIR
    if vice_chair_present:
        return Leader.VICE_CHAIR
    return None


def may_approve_agenda(*, is_chair: bool, is_vice_chair: bool, chair_unavailable: bool) -> bool:
    """The chair approves the agenda (docs/rules.md §0, FO 3.2); the vice-chair does when the chair is
    unavailable, as the vice-chair leads in the chair's absence (FO 3.5)."""
    return is_chair or (is_vice_chair and chair_unavailable)


class Choice(StrEnum):
    YES = "yes"
    NO = "no"
    ABSTAIN = "abstain"


def vote_passes(yes: int, no: int, leader_vote: Choice | str | None) -> bool:
    """Simple majority; abstentions do not count; on a tie the meeting leader's side wins.

    docs/rules.md Decision: yes > no passes. On yes = no the proposal passes only if the meeting leader
    voted yes. When the leader abstained or there is no leader, a tie does not pass
    (our Decision: nothing is adopted without a majority or the casting vote).
    """
    if yes < 0 or no < 0:
        raise ValueError("vote counts must not be negative")
    if yes != no:
        return yes > no
    return leader_vote == Choice.YES


def vote_problem(
    yes: int, no: int, abstain: int, present_seats: int, leader_vote: Choice | str | None = None
) -> str | None:
    """Why a count cannot be right, or None: negative counts, no votes at all, more votes than
    seats present, or a meeting leader's vote that the counts do not include."""
    if min(yes, no, abstain) < 0:
        return "negative"
    if yes + no + abstain == 0:
        return "empty"
    if yes + no + abstain > present_seats:
        return "too_many"
    if leader_vote and {Choice.YES: yes, Choice.NO: no, Choice.ABSTAIN: abstain}[Choice(leader_vote)] == 0:
        return "leader_not_counted"
    return None


# --- Extraordinary meetings (FO 3.1) ------------------------------------------------------------


def extraordinary_threshold(seats: int) -> int:
    """FO 3.1: "mindst en tredjedel af medlemmerne": at least one third, so round up
    (54 seats → 18, 55 seats → 19)."""
    if seats <= 0:
        raise ValueError("a council has seats")
    return -(-seats // 3)


def extraordinary_reached(seats: int, requests: int) -> bool:
    return requests >= extraordinary_threshold(seats)


# --- The attendance register (FO 3.9, Bilag 1 1.5-1.7) --------------------------------------

PRESENT, ABSENT, SUBSTITUTE = "present", "absent", "substitute"


class AttendanceProblem(StrEnum):
    NO_SUBSTITUTE = "no_substitute"  # "substitute attending" on a seat without one
    STAND_IN = "stand_in"  # "present" for a member replaced by a stand-in for the period
    UNKNOWN = "unknown"


def attendance_options(*, has_substitute: bool, stand_in: bool) -> list[str]:
    """What a seat may be registered as: present in person unless a stand-in replaces the member
    during a long absence (Bilag 1 1.5-1.6: whoever attends for the seat is the stand-in, and the
    minutes list the member as absent, FO 3.9); substitute attending only where the seat has a
    personal substitute; absent always."""
    return [
        status
        for status, allowed in ((PRESENT, not stand_in), (ABSENT, True), (SUBSTITUTE, has_substitute))
        if allowed
    ]


def attendance_problem(status: str, *, has_substitute: bool, stand_in: bool) -> AttendanceProblem | None:
    """Why a seat cannot be registered with this status, or None."""
    if status in attendance_options(has_substitute=has_substitute, stand_in=stand_in):
        return None
    if status == SUBSTITUTE:
        return AttendanceProblem.NO_SUBSTITUTE
    return AttendanceProblem.STAND_IN if status == PRESENT else AttendanceProblem.UNKNOWN


def attendance_prefill(
    *,
    registered: str | None,
    reported_absent: bool,
    substitute_absent: bool,
    has_substitute: bool,
    stand_in: bool,
    all_present: bool = False,
) -> str | None:
    """The status a register row starts from: what is registered; else an absence the member
    reported (their personal substitute is called in, Bilag 1 1.7, unless the substitute cannot
    attend either or a stand-in reported it); else, when the secretariat starts from "all
    present", whoever acts for the seat (the member, or the stand-in during a long absence)."""
    if registered:
        return registered
    if reported_absent:
        return SUBSTITUTE if has_substitute and not stand_in and not substitute_absent else ABSENT
    if not all_present:
        return None
    if stand_in:
        return SUBSTITUTE if has_substitute else ABSENT
    return PRESENT
