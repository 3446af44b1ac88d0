"""Approval and publication of the agenda (docs/rules.md §0, FO 3.2-3.3)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused, refuse

from .. import rules, signals
from ..documents import AGENDA_KINDS, documents_request
from ..models import AgendaItem, Meeting
from ..notices import notify
from ..selectors import agenda_approvers, agenda_version
from ._common import _tell_members, _tell_secretariat


@transaction.atomic
def agenda_approval_request(*, meeting: Meeting, by, now: datetime.datetime | None = None) -> Meeting:
    """The secretariat asks the chair (the vice-chair when the chair is unavailable) to approve
    the agenda draft: one notice per approver. Asking again before the items change adds nothing;
    a change to the items withdraws the request with the approval (`_items_changed`)."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PLANNED:
        raise Refused(_("Only the agenda of a planned meeting is approved before publication."))
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise Refused(_("The agenda has no items yet."))
    if meeting.agenda_approved or meeting.agenda_approval_requested_at:
        return meeting
    now = now or timezone.now()
    approvers = agenda_approvers(meeting, timezone.localdate(now))
    if not approvers:
        raise Refused(_("Neither the chair nor the vice-chair has a portal user to approve the agenda."))
    meeting.agenda_approval_requested_at = now
    meeting.save(update_fields=["agenda_approval_requested_at"])
    notify(
        approvers,
        key=f"meetings:agenda-approval:{meeting.pk}:{now:%Y%m%d%H%M%S}",
        template="meetings/mail/agenda_approval",
        url=reverse("meetings:detail", args=[meeting.pk]),
        meeting=meeting,
    )
    return meeting


@transaction.atomic
def agenda_approve(
    *, meeting: Meeting, by, version: str | None = None, now: datetime.datetime | None = None
) -> Meeting:
    """The chair approves the agenda draft (docs/rules.md §0, FO 3.2); access.perms_for decides who may
    (the chair, or the vice-chair when the chair is unavailable). A change to the items
    afterwards withdraws the approval (`_items_changed`). `version` is the agenda the chair read
    (selectors.agenda_version when the page loaded): approving a changed agenda is refused."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PLANNED:
        raise Refused(_("Only the agenda of a planned meeting is approved before publication."))
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise Refused(_("The agenda has no items yet."))
    if version is not None and version != agenda_version(meeting):
        refuse(_("The agenda changed after you opened the page: read it again before you approve it."))
    if meeting.agenda_approved:
        return meeting
    meeting.agenda_approved_by, meeting.agenda_approved_at = by, now or timezone.now()
    meeting.save(update_fields=["agenda_approved_by", "agenda_approved_at"])
    _tell_secretariat(
        meeting,
        key=f"meetings:agenda-approved:{meeting.pk}:{meeting.agenda_approved_at:%Y%m%d%H%M%S%f}",
        template="meetings/mail/agenda_approved",
    )
    return meeting


@transaction.atomic
def agenda_publish(
    *, meeting: Meeting, by, reason: str = "", now: datetime.datetime | None = None
) -> Meeting:
    """Publish the agenda to the members (FO 3.3) once the chair has approved it. Later than 7 days
    before an ordinary meeting needs a recorded reason. Members and called-in substitutes are
    notified."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status != Meeting.Status.PLANNED:
        raise Refused(_("The agenda has already been published."))
    if not AgendaItem.objects.filter(meeting=meeting).exists():
        raise Refused(_("The agenda has no items yet."))
    if not meeting.agenda_approved:
        raise Refused(_("The chair has not approved the agenda yet; it is published after the approval."))
    unconfirmed = [i.order for i in AgendaItem.objects.filter(meeting=meeting) if i.closed_unconfirmed]
    if unconfirmed:
        refuse(
            _("Confirm first whether item %(items)s is open or closed: the chair changed it.")
            % {"items": ", ".join(map(str, unconfirmed))}
        )
    now = now or timezone.now()
    today = timezone.localdate(now)
    if rules.late_reason_missing(today, meeting.date, reason, extraordinary=meeting.is_extraordinary):
        raise Refused(
            {
                "reason": _(
                    "The agenda is published less than 7 days before the meeting: give the reason, it is shown on the agenda."
                )
            }
        )
    meeting.status = Meeting.Status.PUBLISHED
    meeting.agenda_published_at = now
    meeting.late_reason = (
        reason.strip() if rules.is_late(today, meeting.date, extraordinary=meeting.is_extraordinary) else ""
    )
    meeting.save(update_fields=["status", "agenda_published_at", "late_reason"])
    _tell_members(
        meeting, key=f"meetings:agenda-published:{meeting.pk}", template="meetings/mail/agenda_published"
    )
    documents_request(meeting=meeting, kinds=list(AGENDA_KINDS))
    signals.published_content_changed.send(sender=Meeting, meeting=meeting)
    return meeting
