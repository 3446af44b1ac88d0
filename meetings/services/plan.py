"""The meeting plan: planning, moving and cancelling meetings, extraordinary meetings (FO 3.1),
and the calendar feed's token."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Seat
from core.errors import Refused

from .. import rules
from ..models import CalendarToken, ExtraordinaryRequest, Meeting, new_token
from ..notices import notify
from ..selectors import secretariat_and_chair_users
from ._common import _editable, _tell_members
from .agenda import _agenda_changed


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
