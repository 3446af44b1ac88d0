"""Members' proposals for agenda items (FO 3.2)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused

from ..models import AgendaItem, ItemProposal, Meeting
from ..notices import notify
from ._common import _editable
from .agenda import item_add


@transaction.atomic
def proposal_submit(*, meeting: Meeting, politician, user, title: str, description: str) -> ItemProposal:
    _editable(meeting)
    return ItemProposal.objects.create(
        meeting=meeting, proposer=politician, submitted_by=user, title=title, description=description
    )


class ProposalAction:
    ACCEPT = "accept"
    PLACE = "place"
    DECLINE = "decline"
    ALL = (ACCEPT, PLACE, DECLINE)


@transaction.atomic
def proposal_decide(*, proposal: ItemProposal, action: str, by, reason: str = "") -> ItemProposal:
    """Accept (for a later meeting), place on this meeting's agenda, or decline with a reason;
    the proposer is told either way."""
    proposal = ItemProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status not in {ItemProposal.Status.PENDING, ItemProposal.Status.ACCEPTED}:
        raise Refused(_("This proposal has already been decided."))
    if action not in ProposalAction.ALL:
        raise Refused(_("Unknown decision."))
    if action == ProposalAction.DECLINE and not reason.strip():
        raise Refused({"reason": _("Give the reason for declining; the proposer sees it.")})
    if action == ProposalAction.PLACE:
        proposal.item = item_add(
            meeting=proposal.meeting,
            title=proposal.title,
            kind=AgendaItem.Kind.DISCUSSION,
            case_text=proposal.description,
        )
        proposal.status = ItemProposal.Status.PLACED
    elif action == ProposalAction.ACCEPT:
        # Accepted for a later meeting: the proposal moves to the council's next meeting, where
        # the chair or secretariat places it.
        later = (
            Meeting.objects.filter(
                council_id=proposal.meeting.council_id,
                status=Meeting.Status.PLANNED,
                starts_at__gt=proposal.meeting.starts_at,
            )
            .order_by("starts_at")
            .first()
        )
        if later is None:
            raise Refused(_("Plan the next meeting first: an accepted proposal moves to it."))
        proposal.meeting = later
        proposal.status = ItemProposal.Status.ACCEPTED
    else:
        proposal.status = ItemProposal.Status.DECLINED
    proposal.reason = reason.strip()
    proposal.decided_by = by
    proposal.decided_at = timezone.now()
    proposal.save(update_fields=["meeting", "item", "status", "reason", "decided_by", "decided_at"])
    notify(
        [proposal.submitted_by],
        key=f"meetings:proposal:{proposal.pk}:{proposal.status}",
        template="meetings/mail/proposal_decided",
        url=reverse("meetings:detail", args=[proposal.meeting_id]),
        proposal=proposal,
    )
    return proposal
