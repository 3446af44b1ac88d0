"""Votes on agenda items (FO 3.7)."""

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import Refused

from .. import rules
from ..models import AgendaItem, Attendance, Ballot, Meeting, Minutes, Vote
from ._common import _require_quorum, _require_started


@transaction.atomic
def vote_record(
    *,
    item: AgendaItem,
    by,
    yes: int = 0,
    no: int = 0,
    abstain: int = 0,
    leader_vote: str = "",
    ballots: dict[int, str] | None = None,
) -> Vote:
    """Record a vote by count, or by name (`ballots`: seat id → choice, counts follow from them).
    Refused when the meeting is not quorate or the minutes are frozen."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=item.meeting_id)
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes and minutes.frozen:
        raise Refused(_("The minutes are approved; votes can no longer change."))
    _require_started(meeting)
    state = _require_quorum(meeting)
    by_name = ballots is not None
    if by_name:
        present = dict(
            Attendance.objects.filter(meeting=meeting)
            .exclude(status=Attendance.Status.ABSENT)
            .values_list("seat_id", "attendee_id")
        )
        if set(ballots) - set(present):
            raise Refused(_("Only seats registered as present can vote."))
        choices = list(ballots.values())
        yes, no, abstain = (choices.count(c) for c in rules.Choice)
        leader_seat = next((s for s, who in present.items() if who == meeting.leader_id), None)
        leader_vote = ballots.get(leader_seat, "") if leader_seat else ""
    problem = rules.vote_problem(yes, no, abstain, state.present, leader_vote or None)
    if problem:
        raise Refused(
            {
                "negative": _("Vote counts cannot be negative."),
                "empty": _("Enter the votes: no votes were cast."),
                "too_many": _("%(votes)s votes cannot be cast by %(present)s seats present.")
                % {"votes": yes + no + abstain, "present": state.present},
                "leader_not_counted": _("The meeting leader's vote is not in the counts."),
            }[problem]
        )
    Vote.objects.filter(item=item).delete()
    vote = Vote.objects.create(
        item=item,
        yes=yes,
        no=no,
        abstain=abstain,
        by_name=by_name,
        leader_vote=leader_vote,
        passed=rules.vote_passes(yes, no, leader_vote or None),
        present_seats=state.present,
        recorded_by=by,
    )
    if by_name:
        Ballot.objects.bulk_create(
            Ballot(vote=vote, seat_id=seat_id, voter_id=present[seat_id], choice=choice)
            for seat_id, choice in ballots.items()
        )
    return vote
