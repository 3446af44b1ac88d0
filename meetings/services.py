"""Every write path of meetings: one function per use case, each in a transaction.

Rules come from rules.py; side effects (notices, PDF rendering) are queued to run after commit.
"""

import datetime

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notice, User
from accounts.roles import compute_roles
from appointments.models import Seat
from core.errors import Refused, refuse
from core.files import save_with_file

from . import rules, signals
from .attachments import MAX_ATTACHMENT_BYTES, MAX_ATTACHMENT_UNPACKED, sniff
from .documents import AGENDA_KINDS, MINUTES_KINDS, documents_request
from .models import (
    AbsenceReport,
    AgendaItem,
    Attachment,
    Attendance,
    Ballot,
    CalendarToken,
    Decision,
    ExtraordinaryRequest,
    Guest,
    ItemProposal,
    Meeting,
    Minutes,
    MinutesVersion,
    Vote,
    new_token,
)
from .notices import notify
from .selectors import (
    acting_seats,
    agenda_approvers,
    agenda_version,
    members_and_called_in_users,
    minutes_approvers,
    minutes_record,
    quorum_state,
    secretariat_and_chair_users,
    secretariat_users,
)

# --- Meeting plan -----------------------------------------------------------------------------


@transaction.atomic
def meeting_plan(
    *, council, starts_at: datetime.datetime, location: str = "", kind: str = Meeting.Kind.ORDINARY
) -> Meeting:
    return Meeting.objects.create(council=council, starts_at=starts_at, location=location, kind=kind)


@transaction.atomic
def meeting_call_extraordinary(*, council, starts_at: datetime.datetime, location: str = "") -> Meeting:
    """The chair calls an extraordinary meeting (FO 3.1); open requests are answered by it."""
    meeting = Meeting.objects.create(
        council=council, starts_at=starts_at, location=location, kind=Meeting.Kind.EXTRAORDINARY
    )
    ExtraordinaryRequest.objects.filter(council=council, meeting__isnull=True).update(meeting=meeting)
    return meeting


@transaction.atomic
def meeting_move(
    *,
    meeting: Meeting,
    starts_at: datetime.datetime,
    location: str = "",
    reason: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Change the time or place of a coming meeting; the calendar feeds follow (same UID).

    Moving a published ordinary meeting to another day less than 7 days away needs a recorded
    reason, shown on the agenda (FO 3.3, rules.move_reason_missing). The members who had the
    agenda are told of a change of time or place."""
    meeting = Meeting.objects.select_for_update().select_related("council").get(pk=meeting.pk)
    _editable(meeting)
    now = now or timezone.now()
    today = timezone.localdate(now)
    old_date, new_date = meeting.date, timezone.localdate(starts_at)
    published = meeting.status == Meeting.Status.PUBLISHED
    if rules.move_reason_missing(
        today, old_date, new_date, reason, published=published, extraordinary=meeting.is_extraordinary
    ):
        raise Refused(
            {
                "reason": _(
                    "The meeting moves to less than 7 days away: give the reason, it is shown on the agenda."
                )
            }
        )
    changed = starts_at != meeting.starts_at or location != meeting.location
    if new_date != old_date:
        late = published and rules.is_late(today, new_date, extraordinary=meeting.is_extraordinary)
        meeting.move_reason = reason.strip() if late else ""
    meeting.starts_at, meeting.location = starts_at, location
    if changed:
        meeting.moved_at = now
    meeting.save(update_fields=["starts_at", "location", "move_reason", "moved_at"])
    if published and changed:
        _tell_members(
            meeting,
            key=f"meetings:moved:{meeting.pk}:{now:%Y%m%d%H%M%S%f}",
            template="meetings/mail/meeting_moved",
        )
    _agenda_changed(meeting)
    return meeting


@transaction.atomic
def meeting_cancel(*, meeting: Meeting) -> Meeting:
    """Cancel a meeting that has not been held; members who had its agenda are told."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status in {Meeting.Status.HELD, Meeting.Status.CANCELLED}:
        raise Refused(_("Only a coming meeting can be cancelled."))
    was_published = meeting.status == Meeting.Status.PUBLISHED
    meeting.status = Meeting.Status.CANCELLED
    meeting.save(update_fields=["status"])
    if was_published:
        _tell_members(
            meeting, key=f"meetings:cancelled:{meeting.pk}", template="meetings/mail/meeting_cancelled"
        )
    return meeting


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


# --- Agenda -------------------------------------------------------------------------------------


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


# --- Proposals (FO 3.2) ------------------------------------------------------------------------


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


# --- Absence and attendance (FO 3.9, Bilag 1 1.7) ----------------------------------------------


@transaction.atomic
def absence_report(*, meeting: Meeting, seat: Seat, by, note: str = "") -> AbsenceReport:
    """Record that a member cannot attend and tell their personal substitute."""
    if (
        meeting.status in {Meeting.Status.HELD, Meeting.Status.CANCELLED}
        or meeting.starts_at <= timezone.now()
    ):
        raise Refused(_("Absence is reported before the meeting."))
    report, created = AbsenceReport.objects.get_or_create(
        meeting=meeting, seat=seat, defaults={"reported_by": by, "note": note}
    )
    # During a long absence the substitute already sits in the seat (Bilag 1 1.5-1.6): when the
    # stand-in reports absence there is nobody further to call in.
    stand_in_id = acting_seats(meeting).filter(pk=seat.pk).values_list("stand_in_id", flat=True).first()
    calls_in = seat.substitute_id is not None and seat.substitute_id != stand_in_id
    substitute_user = getattr(seat.substitute, "user", None) if calls_in else None
    if substitute_user is not None and substitute_user.is_active:
        notify(
            [substitute_user],
            key=f"meetings:called-in:{meeting.pk}:{seat.pk}",
            template="meetings/mail/substitute_called_in",
            url=reverse("meetings:detail", args=[meeting.pk]),
            meeting=meeting,
            member=seat.holder,
        )
    return report


@transaction.atomic
def absence_withdraw(*, meeting: Meeting, seat: Seat, now: datetime.datetime | None = None) -> None:
    """The member takes back an absence report until the meeting starts; a substitute who was
    called in is told they are not (issue 13.10)."""
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    now = now or timezone.now()
    if not rules.absence_withdrawable(now, meeting.starts_at):
        refuse(_("The meeting has started: an absence report can no longer be withdrawn."))
    report = (
        AbsenceReport.objects.filter(meeting=meeting, seat=seat).select_related("seat__substitute").first()
    )
    if report is None:
        return
    report.delete()
    called = Notice.objects.filter(key__startswith=f"meetings:called-in:{meeting.pk}:{seat.pk}:")
    users = User.objects.filter(pk__in=called.values("user_id"), is_active=True)
    notify(
        users,
        key=f"meetings:called-off:{meeting.pk}:{seat.pk}:{now:%Y%m%d%H%M%S%f}",
        template="meetings/mail/substitute_called_off",
        url=reverse("meetings:detail", args=[meeting.pk]),
        meeting=meeting,
        member=seat.holder,
    )


@transaction.atomic
def substitute_absence_report(
    *, report: AbsenceReport, by, note: str = "", now: datetime.datetime | None = None
) -> AbsenceReport:
    """The personal substitute called in by a member's absence report cannot attend either: the
    secretariat sees it on the meeting and attendance pages (issue 13.10)."""
    report = AbsenceReport.objects.select_for_update().select_related("meeting", "seat").get(pk=report.pk)
    if rules.meeting_started(now or timezone.now(), report.meeting.starts_at):
        refuse(_("Absence is reported before the meeting."))
    if report.seat.substitute_id is None or by.politician_id != report.seat.substitute_id:
        refuse(_("Only the personal substitute called in can report this."))
    report.substitute_absent_at, report.substitute_note = now or timezone.now(), note.strip()
    report.save(update_fields=["substitute_absent_at", "substitute_note"])
    return report


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


def _require_quorum(meeting: Meeting):
    state = quorum_state(meeting)
    if not state.quorate:
        raise Refused(
            _("The meeting is not quorate (%(present)s of %(seats)s seats present, %(needed)s needed).")
            % {"present": state.present, "seats": state.seats, "needed": state.needed}
        )
    return state


# --- Votes (FO 3.7) -------------------------------------------------------------------------------


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


# --- Minutes (FO 3.4, 3.9) ----------------------------------------------------------------------


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


# --- Extraordinary meetings (FO 3.1) ------------------------------------------------------------


@transaction.atomic
def extraordinary_request(*, council, politician, topic: str) -> ExtraordinaryRequest:
    """A member asks for an extraordinary meeting; when a third of the seats have asked, the
    chair and secretariat are told (once per round of requests)."""
    if ExtraordinaryRequest.objects.filter(
        council=council, politician=politician, meeting__isnull=True
    ).exists():
        raise Refused(_("You have already asked for an extraordinary meeting."))
    request = ExtraordinaryRequest.objects.create(council=council, politician=politician, topic=topic)
    open_requests = ExtraordinaryRequest.objects.filter(council=council, meeting__isnull=True)
    seats = Seat.objects.current().filter(council=council).count()
    if rules.extraordinary_reached(seats, open_requests.count()):
        first = open_requests.order_by("created_at", "id").first()
        notify(
            secretariat_and_chair_users(council),
            key=f"meetings:extraordinary:{council.pk}:{first.pk}",
            template="meetings/mail/extraordinary_reached",
            url=reverse("meetings:plan", args=[council.pk]),
            council=council,
            count=open_requests.count(),
            seats=seats,
        )
    return request


@transaction.atomic
def calendar_token_reset(*, user):
    token, created = CalendarToken.objects.get_or_create(user=user)
    if not created:
        token.token = new_token()
        token.created_at = timezone.now()
        token.save(update_fields=["token", "created_at"])
    return token
