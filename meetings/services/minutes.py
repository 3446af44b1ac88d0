"""Minutes: drafts, approval, publication and new versions (FO 3.4, 3.9)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import Refused

from .. import signals
from ..documents import MINUTES_KINDS, documents_request
from ..models import AgendaItem, Decision, Meeting, Minutes, MinutesVersion
from ..notices import notify
from ..selectors import minutes_approvers, minutes_record
from ._common import _require_quorum, _require_started, _tell_members, _tell_secretariat


@transaction.atomic
def minutes_start(*, meeting: Meeting, by) -> Minutes:
    _require_started(meeting)
    minutes, created = Minutes.objects.get_or_create(meeting=meeting)
    if created:
        MinutesVersion.objects.create(minutes=minutes, number=1, created_by=by)
    return minutes


@transaction.atomic
def minutes_save(*, meeting: Meeting, by, texts: dict[int, str]) -> Minutes:
    """Write the decision text of items in the current draft. A decision on a decision item
    needs a quorate meeting (FO 3.7)."""
    minutes = minutes_start(meeting=meeting, by=by)
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if minutes.frozen:
        raise Refused(_("Approved minutes are frozen: make a new version with a reason to change them."))
    items = {i.pk: i for i in AgendaItem.objects.filter(meeting=meeting, pk__in=texts)}
    if set(texts) - set(items):
        raise Refused(_("An item does not belong to this meeting."))
    if any(text.strip() and items[pk].kind == AgendaItem.Kind.DECISION for pk, text in texts.items()):
        _require_quorum(meeting)
    for pk, text in texts.items():
        if text.strip():
            Decision.objects.update_or_create(
                minutes=minutes, version=minutes.version, item_id=pk, defaults={"text": text.strip()}
            )
        else:
            Decision.objects.filter(minutes=minutes, version=minutes.version, item_id=pk).delete()
    if meeting.status == Meeting.Status.PUBLISHED:
        Meeting.objects.filter(pk=meeting.pk).update(status=Meeting.Status.HELD)
    if Decision.objects.filter(minutes=minutes, version=minutes.version).exists():
        # The draft waits for the chair's approval from its first decision on: one notice per
        # version (docs/meetings.md, Notices).
        notify(
            minutes_approvers(meeting.council),
            key=f"meetings:minutes-approval:{minutes.pk}:{minutes.version}",
            template="meetings/mail/minutes_approval",
            url=reverse("meetings:minutes", args=[meeting.pk]),
            meeting=meeting,
            version=minutes.version,
        )
    return minutes


@transaction.atomic
def minutes_approve(*, minutes: Minutes, by) -> Minutes:
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    _require_started(minutes.meeting)
    if minutes.status != Minutes.Status.DRAFT:
        raise Refused(_("Only draft minutes can be approved."))
    if not Decision.objects.filter(minutes=minutes, version=minutes.version).exists():
        raise Refused(_("The minutes record no decisions yet."))
    now = timezone.now()
    minutes.status, minutes.approved_by, minutes.approved_at = Minutes.Status.APPROVED, by, now
    minutes.save(update_fields=["status", "approved_by", "approved_at"])
    # The approved version keeps what it shows (issue 13.1): pages and PDFs read this record.
    record = minutes_record(minutes.meeting, minutes)
    MinutesVersion.objects.filter(minutes=minutes, number=minutes.version).update(
        approved_at=now, record=record
    )
    _tell_secretariat(
        minutes.meeting,
        key=f"meetings:minutes-approved:{minutes.pk}:{minutes.version}",
        template="meetings/mail/minutes_approved",
        page="meetings:minutes",
    )
    return minutes


@transaction.atomic
def minutes_publish(*, minutes: Minutes, by) -> Minutes:
    minutes = Minutes.objects.select_for_update().select_related("meeting").get(pk=minutes.pk)
    _require_started(minutes.meeting)
    if minutes.status != Minutes.Status.APPROVED:
        raise Refused(_("Only approved minutes can be published."))
    minutes.status, minutes.published_version, minutes.published_at = (
        Minutes.Status.PUBLISHED,
        minutes.version,
        timezone.now(),
    )
    minutes.save(update_fields=["status", "published_version", "published_at"])
    Meeting.objects.filter(pk=minutes.meeting_id).update(status=Meeting.Status.HELD)
    _tell_members(
        minutes.meeting,
        key=f"meetings:minutes-published:{minutes.pk}:{minutes.version}",
        template="meetings/mail/minutes_published",
        page="meetings:minutes",
    )
    documents_request(meeting=minutes.meeting, kinds=list(MINUTES_KINDS))
    signals.published_content_changed.send(sender=Meeting, meeting=minutes.meeting)
    return minutes


@transaction.atomic
def minutes_revise(*, minutes: Minutes, by, reason: str) -> Minutes:
    """Open a new draft version of frozen minutes; the earlier version stays as it was. The
    public keeps seeing the last published version until the new one is published."""
    minutes = Minutes.objects.select_for_update().get(pk=minutes.pk)
    if not minutes.frozen:
        raise Refused(_("The minutes are still a draft; change them directly."))
    if not reason.strip():
        raise Refused({"reason": _("Give the reason for the change; it is kept in the history.")})
    new = minutes.version + 1
    Decision.objects.bulk_create(
        Decision(minutes=minutes, version=new, item_id=d.item_id, text=d.text)
        for d in Decision.objects.filter(minutes=minutes, version=minutes.version)
    )
    MinutesVersion.objects.create(minutes=minutes, number=new, reason=reason.strip(), created_by=by)
    minutes.version, minutes.status = new, Minutes.Status.DRAFT
    minutes.save(update_fields=["version", "status"])
    return minutes
