"""Meetings of a KKR: the plan, agenda items and proposals, attachments, attendance, votes,
minutes with frozen versions, rendered documents and requests for an extraordinary meeting."""

import datetime
import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Council, Seat
from register.models import Politician


class MeetingQuerySet(models.QuerySet):
    def agenda_published(self):
        return self.filter(agenda_published_at__isnull=False).exclude(status=Meeting.Status.CANCELLED)

    def upcoming(self, now=None):
        return self.filter(starts_at__gte=now or timezone.now()).exclude(status=Meeting.Status.CANCELLED)


class Meeting(models.Model):
    class Kind(models.TextChoices):
        ORDINARY = "ordinary", _("Ordinary meeting")
        EXTRAORDINARY = "extraordinary", _("Extraordinary meeting")

    class Status(models.TextChoices):
        PLANNED = "planned", _("Planned")
        PUBLISHED = "published", _("Agenda published")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="meetings")
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices, default=Kind.ORDINARY)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    location = models.CharField(_("location"), max_length=200, blank=True)
    agenda_published_at = models.DateTimeField(_("agenda published"), null=True, blank=True)
    late_reason = models.TextField(_("reason for late agenda"), blank=True)
    agenda_approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("agenda approved by"),
    )
    agenda_approved_at = models.DateTimeField(_("agenda approved"), null=True, blank=True)
    agenda_approval_requested_at = models.DateTimeField(
        _("chair asked to approve the agenda"), null=True, blank=True
    )
    moved_at = models.DateTimeField(_("last moved"), null=True, blank=True)
    move_reason = models.TextField(_("reason for moving the meeting at short notice"), blank=True)
    leader = models.ForeignKey(
        Politician,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("meeting leader"),
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at"]
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="planned") | Q(status="cancelled") | Q(agenda_published_at__isnull=False),
                name="published_meeting_has_publication_time",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(agenda_approved_by__isnull=True) | Q(agenda_approved_at__isnull=False),
                name="agenda_approval_has_time",
            ),
        ]
        indexes = [models.Index(fields=["council", "starts_at"])]

    def __str__(self):
        return f"{self.council.name} {timezone.localtime(self.starts_at):%d.%m.%Y}"

    @property
    def date(self) -> datetime.date:
        return timezone.localdate(self.starts_at)

    @property
    def is_extraordinary(self) -> bool:
        return self.kind == self.Kind.EXTRAORDINARY

    @property
    def agenda_approved(self) -> bool:
        return self.agenda_approved_at is not None

    @property
    def is_published(self) -> bool:
        return self.agenda_published_at is not None and self.status != self.Status.CANCELLED


class AgendaItem(models.Model):
    class Kind(models.TextChoices):
        DECISION = "decision", _("Decision")
        DISCUSSION = "discussion", _("Discussion")
        ORIENTATION = "orientation", _("Orientation")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="items")
    order = models.PositiveSmallIntegerField(_("order"))
    title = models.CharField(_("title"), max_length=250)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.DECISION)
    recommendation = models.TextField(_("proposed decision (indstilling)"), blank=True)
    case_text = models.TextField(_("case text"), blank=True)
    closed = models.BooleanField(
        _("closed item"), default=False, help_text=_("Closed items are never shown to the public.")
    )
    # Who last changed `closed` and when; a change by anyone but the secretariat waits for the
    # secretariat's confirmation before the agenda can be published (issue 12.11).
    closed_changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_changed_at = models.DateTimeField(_("open/closed changed"), null=True, blank=True)
    closed_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closed_confirmed_at = models.DateTimeField(_("open/closed confirmed"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "order"]
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "order"], name="one_item_per_place"),
        ]

    def __str__(self):
        return f"{self.order}. {self.title}"

    @property
    def closed_unconfirmed(self) -> bool:
        return self.closed_changed_at is not None and self.closed_confirmed_at is None


class ItemProposal(models.Model):
    """A member's proposal for an agenda item (FO 3.2), accepted, placed or declined."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Awaiting decision")
        ACCEPTED = "accepted", _("Accepted for a later meeting")
        PLACED = "placed", _("Placed on the agenda")
        DECLINED = "declined", _("Declined")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="proposals")
    proposer = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    title = models.CharField(_("title"), max_length=250)
    description = models.TextField(_("what the KKR should consider"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.TextField(_("reason"), blank=True)
    item = models.OneToOneField(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="proposal"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("item proposal")
        verbose_name_plural = _("item proposals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="declined") | ~Q(reason=""), name="declined_proposal_has_reason"
            ),
        ]

    def __str__(self):
        return self.title


def attachment_path(instance, filename):
    # A random name: the original name is kept in a field and never used as a path.
    return f"meetings/{instance.item.meeting_id}/{secrets.token_hex(16)}"


class Attachment(models.Model):
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=120)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)
    # The public URL's id: opaque, so public ids reveal nothing of closed items' attachments.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Removed after the agenda was published (before, the row is deleted): the file is gone,
    # the row stays as the record of what was removed, by whom, when and why.
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    removal_reason = models.CharField(_("reason for removing the attachment"), max_length=300, blank=True)

    class Meta:
        ordering = ["item", "uploaded_at", "id"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        constraints = [
            models.CheckConstraint(
                condition=Q(removed_at__isnull=True) | ~Q(removal_reason=""),
                name="removed_attachment_has_reason",
            )
        ]

    def __str__(self):
        return self.name


class AbsenceReport(models.Model):
    """A member tells the secretariat before the meeting that they cannot attend (FO 3.9)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="absences")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The personal substitute called in by this report cannot attend either (issue 13.10).
    substitute_absent_at = models.DateTimeField(_("substitute reported absence"), null=True, blank=True)
    substitute_note = models.CharField(_("substitute's note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("absence report")
        verbose_name_plural = _("absence reports")
        constraints = [models.UniqueConstraint(fields=["meeting", "seat"], name="one_absence_per_seat")]

    def __str__(self):
        return f"{self.meeting_id}: seat {self.seat_id} absent"


class Attendance(models.Model):
    """The register at the meeting: one row per seat."""

    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        ABSENT = "absent", _("Absent")
        SUBSTITUTE = "substitute", _("Substitute attending")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendance")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    attendee = models.ForeignKey(
        Politician, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seat"], name="one_attendance_per_seat"),
            models.CheckConstraint(
                condition=Q(status="absent", attendee__isnull=True)
                | (~Q(status="absent") & Q(attendee__isnull=False)),
                name="attendance_names_who_attended",
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id}: seat {self.seat_id} {self.status}"

    @property
    def counts_as_present(self) -> bool:
        return self.status != self.Status.ABSENT


class Guest(models.Model):
    """Someone attending without a vote: members of KL's board and committees from the region
    (Bilag 1 1.4). A guest holds no seat, so is never counted for quorum or votes."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="guests")
    name = models.CharField(_("name"), max_length=200)
    role = models.CharField(_("role"), max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["meeting", "name", "id"]
        verbose_name = _("guest without a vote")
        verbose_name_plural = _("guests without a vote")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "name"], name="guest_once_per_meeting"),
            models.CheckConstraint(condition=~Q(name=""), name="guest_has_name"),
        ]

    def __str__(self):
        return f"{self.name} ({self.role})"


class Vote(models.Model):
    """A vote on an agenda item: counts, the meeting leader's choice, and the outcome by rules."""

    class LeaderVote(models.TextChoices):
        YES = "yes", _("Yes")
        NO = "no", _("No")
        ABSTAIN = "abstain", _("Abstain")

    item = models.OneToOneField(AgendaItem, on_delete=models.CASCADE, related_name="vote")
    yes = models.PositiveSmallIntegerField(_("yes"))
    no = models.PositiveSmallIntegerField(_("no"))
    abstain = models.PositiveSmallIntegerField(_("abstain"))
    by_name = models.BooleanField(_("vote by name"), default=False)
    leader_vote = models.CharField(
        _("meeting leader voted"), max_length=7, choices=LeaderVote.choices, blank=True
    )
    passed = models.BooleanField()
    present_seats = models.PositiveSmallIntegerField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vote")
        verbose_name_plural = _("votes")
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    present_seats__gte=models.F("yes") + models.F("no") + models.F("abstain"),
                ),
                name="vote_fits_present_seats",
            ),
        ]

    def __str__(self):
        return f"{self.item_id}: {self.yes}-{self.no}-{self.abstain}"


class Ballot(models.Model):
    """One named vote, when the vote is by name."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    seat = models.ForeignKey(Seat, on_delete=models.PROTECT, related_name="+")
    voter = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="+")
    choice = models.CharField(max_length=7, choices=Vote.LeaderVote.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["vote", "seat"], name="one_ballot_per_seat")]

    def __str__(self):
        return f"{self.vote_id}: {self.voter_id} {self.choice}"


class Minutes(models.Model):
    """The minutes of a meeting (FO 3.4). Draft → approved (by the chair) → published.

    Approved minutes are frozen: a change makes a new version with a reason; the entries of
    every earlier version stay as they were.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        PUBLISHED = "published", _("Published")

    meeting = models.OneToOneField(Meeting, on_delete=models.CASCADE, related_name="minutes")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    version = models.PositiveSmallIntegerField(default=1)
    published_version = models.PositiveSmallIntegerField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")
        constraints = [
            models.CheckConstraint(
                condition=Q(published_version__isnull=True) | Q(published_version__lte=models.F("version")),
                name="published_version_exists",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_version=models.F("version")),
                name="published_minutes_name_their_version",
            ),
        ]

    def __str__(self):
        return f"{self.meeting_id}: v{self.version} {self.status}"

    @property
    def frozen(self) -> bool:
        return self.status != self.Status.DRAFT


class MinutesVersion(models.Model):
    """Why a version of the minutes exists (version 1: the first draft)."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField()
    reason = models.TextField(_("reason for the change"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    approved_at = models.DateTimeField(null=True, blank=True)
    # What the version showed when it was approved (selectors.minutes_record): attendance, guests,
    # quorum, leader, items, votes and decisions as plain values. The pages and PDFs of an
    # approved version read this, never a live join, so later changes cannot alter it.
    record = models.JSONField(_("approved record"), null=True, blank=True, editable=False)

    class Meta:
        ordering = ["minutes", "number"]
        constraints = [
            models.UniqueConstraint(fields=["minutes", "number"], name="one_row_per_minutes_version"),
            models.CheckConstraint(
                condition=Q(number=1) | ~Q(reason=""), name="later_minutes_version_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.minutes_id}: v{self.number}"


class Decision(models.Model):
    """The decision text of one item in one version of the minutes."""

    minutes = models.ForeignKey(Minutes, on_delete=models.CASCADE, related_name="decisions")
    version = models.PositiveSmallIntegerField()
    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="decisions")
    text = models.TextField(_("decision"))

    class Meta:
        ordering = ["item__order"]
        constraints = [
            models.UniqueConstraint(fields=["item", "version"], name="one_decision_per_item_and_version")
        ]

    def __str__(self):
        return f"{self.item_id} v{self.version}"


class Document(models.Model):
    """A rendered PDF of a meeting, with its rendering status."""

    class Kind(models.TextChoices):
        AGENDA = "agenda", _("Agenda")
        AGENDA_PUBLIC = "agenda_public", _("Agenda (public)")
        MINUTES = "minutes", _("Minutes")
        MINUTES_PUBLIC = "minutes_public", _("Minutes (public)")

    class Status(models.TextChoices):
        PENDING = "pending", _("Rendering")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Failed")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=15, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    # What the file shows: the agenda publication time or the minutes version it was made from.
    source = models.CharField(max_length=40, blank=True)
    file = models.FileField(upload_to="meetings/pdf/", max_length=200, blank=True)
    requested_at = models.DateTimeField(default=timezone.now)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "kind"], name="one_document_per_kind")]

    def __str__(self):
        return f"{self.meeting_id}: {self.kind} {self.status}"

    @property
    def is_public(self) -> bool:
        return self.kind in {self.Kind.AGENDA_PUBLIC, self.Kind.MINUTES_PUBLIC}


class ExtraordinaryRequest(models.Model):
    """A member asks for an extraordinary meeting (FO 3.1); open until a meeting is called."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="extraordinary_requests")
    politician = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="+")
    topic = models.CharField(_("topic"), max_length=250)
    created_at = models.DateTimeField(default=timezone.now)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.SET_NULL, null=True, blank=True, related_name="requests"
    )

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "politician"],
                condition=Q(meeting__isnull=True),
                name="one_open_request_per_member",
            )
        ]

    def __str__(self):
        return f"{self.council_id}: {self.politician_id}"


def new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarToken(models.Model):
    """The secret in a person's calendar feed URL; replacing it revokes the old URL."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return f"calendar of {self.user_id}"
