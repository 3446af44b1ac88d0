"""Absence reports before a meeting and the personal substitute called in (Bilag 1 1.7)."""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Notice, User
from appointments.models import Seat
from core.errors import Refused, refuse

from .. import rules
from ..models import AbsenceReport, Meeting
from ..notices import notify
from ..selectors import acting_seats


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
