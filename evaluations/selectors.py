"""Reads of evaluations that pages need beyond the report (report.py): a fixed number of queries."""

from dataclasses import dataclass
from datetime import datetime

from accounts.models import Notice

from . import rules
from .models import Invitation, Survey


@dataclass(frozen=True)
class InviteeRow:
    invitation: Invitation
    link: str  # rules.link_state
    sent_at: datetime | None
    due_at: datetime | None


def invitee_rows(survey: Survey) -> list[InviteeRow]:
    """Each invitee with where their personal link is (queued, sent when, failed), read from the
    notice outbox: two queries whatever the number of invitees."""
    invitations = list(survey.invitations.order_by("affiliation", "name"))
    keys = {f"evaluations:invite:{i.pk}": i.pk for i in invitations}
    notices = {
        keys[key]: (status, sent_at, due_at)
        for key, status, sent_at, due_at in Notice.objects.filter(key__in=keys).values_list(
            "key", "status", "sent_at", "due_at"
        )
    }
    rows = []
    for invitation in invitations:
        status, sent_at, due_at = notices.get(invitation.pk, (None, None, None))
        rows.append(InviteeRow(invitation, rules.link_state(invitation.sent, status), sent_at, due_at))
    return rows
