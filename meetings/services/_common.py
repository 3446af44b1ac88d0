"""Helpers shared by the meetings services: notices to members and the secretariat, and the
checks that a meeting still takes changes, has started, and is quorate."""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused, refuse

from .. import rules
from ..models import Meeting
from ..notices import notify
from ..selectors import members_and_called_in_users, quorum_state, secretariat_users


def _tell_members(meeting: Meeting, *, key: str, template: str, page: str = "meetings:detail") -> None:
    """A notice about the meeting to those acting for its seats and the called-in substitutes."""
    notify(
        members_and_called_in_users(meeting),
        key=key,
        template=template,
        url=reverse(page, args=[meeting.pk]),
        meeting=meeting,
    )


def _tell_secretariat(meeting: Meeting, *, key: str, template: str, page: str = "meetings:detail") -> None:
    """A notice to the secretariat of the meeting's region, linking to the page."""
    notify(
        secretariat_users(meeting.council),
        key=key,
        template=template,
        url=reverse(page, args=[meeting.pk]),
        meeting=meeting,
    )


def _editable(meeting: Meeting) -> None:
    if meeting.status in {Meeting.Status.HELD, Meeting.Status.CANCELLED}:
        raise Refused(_("The meeting is over; its agenda can no longer change."))


def _require_started(meeting: Meeting, now: datetime.datetime | None = None) -> None:
    """Nothing of the meeting day is recorded before the meeting starts (rules.meeting_started)."""
    if meeting.status == Meeting.Status.CANCELLED:
        refuse(_("The meeting is cancelled."))
    if not rules.meeting_started(now or timezone.now(), meeting.starts_at):
        refuse(
            _(
                "The meeting has not started yet (%(when)s): attendance, votes and minutes are recorded from its start."
            )
            % {"when": timezone.localtime(meeting.starts_at).strftime("%d.%m.%Y %H:%M")}
        )


def _require_quorum(meeting: Meeting):
    state = quorum_state(meeting)
    if not state.quorate:
        raise Refused(
            _("The meeting is not quorate (%(present)s of %(seats)s seats present, %(needed)s needed).")
            % {"present": state.present, "seats": state.seats, "needed": state.needed}
        )
    return state
