"""The agenda draft: items, their order and attachments; a change withdraws the chair's approval
and re-renders a published agenda."""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.roles import compute_roles
from core.errors import Refused, refuse
from core.files import save_with_file

from .. import rules, signals
from ..attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_UNPACKED, sniff
from ..documents import AGENDA_KINDS, documents_request
from ..models import AgendaItem, Attachment, ItemProposal, Meeting
from ._common import _editable


@transaction.atomic
def item_add(
    *,
    meeting: Meeting,
    title: str,
    kind: str = AgendaItem.Kind.DECISION,
    recommendation: str = "",
    case_text: str = "",
    closed: bool = False,
) -> AgendaItem:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _editable(meeting)
    last = AgendaItem.objects.filter(meeting=meeting).aggregate(m=Max("order"))["m"] or 0
    item = AgendaItem.objects.create(
        meeting=meeting,
        order=last + 1,
        title=title,
        kind=kind,
        recommendation=recommendation,
        case_text=case_text,
        closed=closed,
    )
    _items_changed(meeting)
    return item


@transaction.atomic
def item_update(*, item: AgendaItem, by=None, **fields) -> AgendaItem:
    """Change an item of a coming meeting. A change of `closed` is recorded (who, when); made by
    anyone but the secretariat it waits for the secretariat's confirmation before the agenda is
    published, and on a published agenda only the secretariat changes it (issue 12.11)."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=item.meeting_id)
    _editable(meeting)
    allowed = {"title", "kind", "recommendation", "case_text", "closed"}
    if set(fields) - allowed:
        raise ValueError(f"unknown fields {set(fields) - allowed}")
    # Compared with the stored row: a bound ModelForm has already set the values on `item`.
    stored = AgendaItem.objects.get(pk=item.pk)
    changed = {name: value for name, value in fields.items() if getattr(stored, name) != value}
    for name, value in fields.items():
        setattr(item, name, value)
    if "closed" in changed:
        secretariat = _is_secretariat(by, meeting)
        if meeting.status != Meeting.Status.PLANNED and not secretariat:
            refuse(
                _("The agenda is published: only the secretariat changes whether an item is closed."),
                field="closed",
            )
        now = timezone.now()
        item.closed_changed_by, item.closed_changed_at = by, now
        item.closed_confirmed_by, item.closed_confirmed_at = (by, now) if secretariat else (None, None)
        changed.update(
            closed_changed_by=by, closed_changed_at=now, closed_confirmed_by=None, closed_confirmed_at=None
        )
    if changed:
        item.save(update_fields=list(changed))
        _items_changed(meeting)
    return item


def _is_secretariat(user, meeting: Meeting) -> bool:
    return user is not None and meeting.council.region_id in compute_roles(user).secretariat_regions


@transaction.atomic
def item_closed_confirm(*, item: AgendaItem, by, now: datetime.datetime | None = None) -> AgendaItem:
    """The secretariat confirms a change of `closed` made by the chair (issue 12.11)."""
    Meeting.objects.select_for_update().filter(pk=item.meeting_id).first()
    item = AgendaItem.objects.get(pk=item.pk)
    if not item.closed_unconfirmed:
        return item
    item.closed_confirmed_by, item.closed_confirmed_at = by, now or timezone.now()
    item.save(update_fields=["closed_confirmed_by", "closed_confirmed_at"])
    return item


@transaction.atomic
def item_remove(*, item: AgendaItem) -> None:
    """Take an item off a coming meeting's agenda; the items after it move up one place. An item
    placed from a proposal sends the proposal back to awaiting a decision."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _editable(meeting)
    order = item.order
    ItemProposal.objects.filter(item=item).update(status=ItemProposal.Status.PENDING, item=None)
    item.delete()
    # One by one in ascending order, so the unique (meeting, order) holds at every step.
    for pk in (
        AgendaItem.objects.filter(meeting=meeting, order__gt=order)
        .order_by("order")
        .values_list("pk", flat=True)
    ):
        AgendaItem.objects.filter(pk=pk).update(order=F("order") - 1)
    _items_changed(meeting)


@transaction.atomic
def item_move(*, item: AgendaItem, step: int) -> AgendaItem:
    """Move an item one place up (-1) or down (+1): the chair decides the order (FO 3.6)."""
    meeting = Meeting.objects.select_for_update().get(pk=item.meeting_id)
    _editable(meeting)
    item = AgendaItem.objects.get(pk=item.pk)
    neighbours = AgendaItem.objects.filter(meeting=meeting)
    other = (
        neighbours.filter(order__lt=item.order).order_by("-order").first()
        if step < 0
        else neighbours.filter(order__gt=item.order).order_by("order").first()
    )
    if other is None:
        return item
    # Swap through 0 (never a real place) so the unique (meeting, order) holds at every step.
    mine, theirs = item.order, other.order
    AgendaItem.objects.filter(pk=item.pk).update(order=0)
    AgendaItem.objects.filter(pk=other.pk).update(order=mine)
    AgendaItem.objects.filter(pk=item.pk).update(order=theirs)
    item.order = theirs
    _items_changed(meeting)
    return item


@transaction.atomic
def attachment_add(*, item: AgendaItem, upload, by) -> Attachment:
    """Store an uploaded file if its content is a PDF or office document within the size limit."""
    _editable(item.meeting)
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise Refused(_("The file is larger than %(mb)s MB.") % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)})
    upload.seek(0)
    data = upload.read()
    verdict = sniff(upload.name, data)
    if verdict.problem:
        raise Refused(
            {
                "empty": _("The file is empty."),
                "too_large": _("The file is larger than %(mb)s MB.")
                % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
                "type_not_allowed": _(
                    "Only PDF and office documents (Word, Excel, PowerPoint, ODF) can be attached."
                ),
                "content_mismatch": _("The file's content does not match its name; it was not attached."),
                "too_large_unpacked": _(
                    "The document would unpack to more than %(mb)s MB; it was not attached."
                )
                % {"mb": MAX_ATTACHMENT_UNPACKED // (1024 * 1024)},
            }[verdict.problem]
        )
    attachment = Attachment(
        item=item,
        name=upload.name[-200:],
        content_type=verdict.content_type,
        size=len(data),
        uploaded_by=by,
    )
    save_with_file(attachment, "file", "upload", ContentFile(data))
    signals.attachment_added.send(sender=Attachment, attachment=attachment)
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by, reason: str = "") -> None:
    """Take an attachment off an item. Before the agenda is published it is simply deleted; after,
    members and the public may have read it, so a reason is required and the row is kept (name,
    who, when, why; shown on the agenda) while the file itself is deleted (issue 13.10)."""
    meeting = Meeting.objects.select_for_update().get(pk=attachment.item.meeting_id)
    attachment = Attachment.objects.select_for_update().get(pk=attachment.pk)
    if attachment.removed_at is not None:
        return
    published = meeting.agenda_published_at is not None
    if rules.attachment_removal_reason_missing(agenda_published=published, reason=reason):
        refuse(
            _(
                "The agenda is published: give the reason for removing the attachment; it is shown on the agenda."
            ),
            field="reason",
        )
    storage, name = attachment.file.storage, attachment.file.name
    if published:
        attachment.removed_at, attachment.removed_by, attachment.removal_reason = (
            timezone.now(),
            by,
            reason.strip(),
        )
        attachment.file = ""
        attachment.save(update_fields=["removed_at", "removed_by", "removal_reason", "file"])
    else:
        attachment.delete()
    transaction.on_commit(lambda: storage.delete(name))
    _agenda_changed(meeting)


def _items_changed(meeting: Meeting) -> None:
    """A change to the items of an agenda draft withdraws the chair's approval; a published
    agenda keeps the approval it was published with."""
    Meeting.objects.filter(pk=meeting.pk, status=Meeting.Status.PLANNED).exclude(
        agenda_approved_at__isnull=True, agenda_approval_requested_at__isnull=True
    ).update(agenda_approved_by=None, agenda_approved_at=None, agenda_approval_requested_at=None)
    _agenda_changed(meeting)


def _agenda_changed(meeting: Meeting) -> None:
    """A change to a published agenda renders its PDFs again."""
    if meeting.status == Meeting.Status.PUBLISHED:
        documents_request(meeting=meeting, kinds=list(AGENDA_KINDS))
        signals.published_content_changed.send(sender=Meeting, meeting=meeting)
