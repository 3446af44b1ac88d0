"""Councils (a KKR for one electoral term) and their seats with personal substitutes.

Council.chair / Council.vice_chair name the meeting leaders (Bilag 1 1.3), set by the chair
election (services.chair_election_name); Council.leaders() returns them. Elections keep their
full quotient table; regional bodies have posts to which politicians are appointed.
"""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

import core.time
from register.models import Municipality, Party, Politician, Region


class CouncilQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or core.time.today()
        return self.filter(term_start__lte=on).filter(Q(term_end__isnull=True) | Q(term_end__gte=on))


class Council(models.Model):
    """The KKR of one region for one electoral term."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="councils")
    term_start = models.DateField(_("took office"))
    term_end = models.DateField(_("left office"), null=True, blank=True)
    election_year = models.PositiveSmallIntegerField(_("municipal election year"))
    chair = models.ForeignKey(
        Politician, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("chair")
    )
    vice_chair = models.ForeignKey(
        Politician,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("vice-chair"),
    )

    constituent_meeting_at = models.DateTimeField(_("constituent meeting starts"), null=True, blank=True)
    convener = models.ForeignKey(
        Politician,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("convener"),
    )

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["region__code", "-term_start"]
        verbose_name = _("council")
        verbose_name_plural = _("councils")
        constraints = [
            models.UniqueConstraint(fields=["region", "term_start"], name="one_council_per_region_and_term"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=models.F("term_start")),
                name="council_term_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        # The electoral term's label (2022-2025), also after the council left office in January.
        return f"KKR {self.region.short_name} {self.term_start.year}-{self.election_year + 4}"

    def is_constituted(self, today: datetime.date) -> bool:
        """The KKR takes office at its constituent meeting (Bilag 1 1.2)."""
        return self.constituent_meeting_at is not None or self.term_start <= today

    def leaders(self) -> list[Politician]:
        """The chair and vice-chair, in that order (the meeting leader is the first present)."""
        return [p for p in (self.chair, self.vice_chair) if p is not None]


class SeatQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        on = on or core.time.today()
        return self.filter(valid_from__lte=on, superseded=False).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )

    def in_effect(self):
        """Every row that was ever in effect (the history without rows superseded on their first day)."""
        return self.filter(superseded=False)


class Seat(models.Model):
    """One seat of a council held by one politician for a period, with one personal substitute.

    A change of holder closes the row (valid_to) and opens a new one with the same number,
    so the rows are the full history of who held which seat when. A change dated on a row's
    own first day supersedes it: the row is kept (``superseded``, ``valid_to = valid_from``) but
    was never in effect, so exactly one row of a seat number is current on any day.
    """

    class Kind(models.TextChoices):
        MAYOR = "mayor", _("Mayor")
        ELECTED = "elected", _("Party-elected member")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="seats")
    number = models.PositiveSmallIntegerField(_("seat number"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    party = models.ForeignKey(
        Party, on_delete=models.PROTECT, related_name="kkr_seats", verbose_name=_("list")
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="kkr_seats", verbose_name=_("municipality")
    )
    holder = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="seats_held")
    substitute = models.ForeignKey(
        Politician, on_delete=models.PROTECT, null=True, blank=True, related_name="seats_substituted"
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why the period ended"), max_length=200, blank=True)
    superseded = models.BooleanField(
        _("superseded on its first day"),
        default=False,
        help_text=_("A change took effect on the day this period began: it was never in effect."),
    )

    objects = SeatQuerySet.as_manager()

    class Meta:
        ordering = ["council", "number", "valid_from"]
        verbose_name = _("seat")
        verbose_name_plural = _("seats")
        constraints = [
            models.UniqueConstraint(
                fields=["council", "number"], condition=Q(valid_to__isnull=True), name="one_open_row_per_seat"
            ),
            models.UniqueConstraint(
                fields=["council", "holder"],
                condition=Q(valid_to__isnull=True),
                name="holder_has_one_open_seat",
            ),
            models.UniqueConstraint(
                fields=["council", "substitute"],
                condition=Q(valid_to__isnull=True),
                name="substitute_for_at_most_one_seat",
            ),
            models.CheckConstraint(
                condition=~Q(holder=models.F("substitute")), name="holder_is_not_own_substitute"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="seat_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(superseded=False) | Q(valid_to=models.F("valid_from")),
                name="superseded_seat_row_is_closed",
            ),
        ]

    def __str__(self):
        return f"{self.council} #{self.number}: {self.holder}"


class ListCooperation(models.Model):
    """Parties forming a list cooperation (listesamarbejde): counted as one list (Bilag 1 1.0)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="cooperations")
    name = models.CharField(_("name"), max_length=100)
    parties = models.ManyToManyField(Party, related_name="+", verbose_name=_("lists"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("list cooperation")
        verbose_name_plural = _("list cooperations")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="cooperation_name_once")]

    def __str__(self):
        return self.name


class ElectoralAlliance(models.Model):
    """A valgforbund for the chair election, declared to the meeting leader (Bilag 1 1.3)."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="alliances")
    name = models.CharField(_("name"), max_length=100)
    parties = models.ManyToManyField(Party, related_name="+", verbose_name=_("lists"))
    declared_at = models.DateTimeField(_("declared at"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("electoral alliance")
        verbose_name_plural = _("electoral alliances")
        constraints = [models.UniqueConstraint(fields=["council", "name"], name="alliance_name_once")]

    def __str__(self):
        return self.name


class StandInQuerySet(models.QuerySet):
    """The one way to ask which stand-in periods apply on a day (docs/rules.md: Bilag 1 1.5-1.6)."""

    def not_ended(self, on: datetime.date):
        """Periods that have not ended before ``on`` (running or still to come)."""
        return self.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))

    def in_effect(self, on: datetime.date):
        """Periods in effect on ``on``: begun and not ended."""
        return self.not_ended(on).filter(starts_on__lte=on)


class StandIn(models.Model):
    """Long absence (Bilag 1 1.5-1.6): someone steps in for a member for a period.

    A mayor is replaced by the deputy mayor; a party-elected member by their personal substitute
    after the KKR has decided that the conditions are met.
    """

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="stand_ins")
    seat_number = models.PositiveSmallIntegerField(_("seat number"))
    member = models.ForeignKey(
        Politician, on_delete=models.PROTECT, related_name="+", verbose_name=_("member")
    )
    stand_in = models.ForeignKey(
        Politician, on_delete=models.PROTECT, related_name="stand_ins", verbose_name=_("steps in")
    )
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    decided_on = models.DateField(_("KKR decision"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = StandInQuerySet.as_manager()

    class Meta:
        ordering = ["council", "seat_number", "starts_on"]
        verbose_name = _("stand-in")
        verbose_name_plural = _("stand-ins")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="stand_in_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(starts_on__gte=models.F("decided_on")),
                name="stand_in_after_decision",
            ),
            models.CheckConstraint(
                condition=~Q(member=models.F("stand_in")), name="stand_in_is_someone_else"
            ),
        ]

    def __str__(self):
        return f"{self.stand_in} for {self.member}"


class BodyQuerySet(models.QuerySet):
    def latest_terms(self):
        """Each body's latest term only (a new term is a new row with the same name)."""
        later = Body.objects.filter(
            region_id=OuterRef("region_id"), name=OuterRef("name"), term_start__gt=OuterRef("term_start")
        )
        return self.exclude(Exists(later))


class Body(models.Model):
    """A regional body to which the KKR appoints municipal representatives (FO 2.2).

    A new term of the body is a new row with the same region and name (``terms()``), so an
    earlier term keeps its posts' appointments and elections as they were."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="bodies")
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    term_start = models.DateField(_("term starts"))
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    objects = BodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("regional body")
        verbose_name_plural = _("regional bodies")
        constraints = [
            models.UniqueConstraint(fields=["region", "name", "term_start"], name="body_once_per_term"),
            models.CheckConstraint(
                condition=Q(term_end__isnull=True) | Q(term_end__gt=models.F("term_start")),
                name="body_term_ordered",
            ),
        ]

    def __str__(self):
        return self.name

    def terms(self):
        """Every term of this body, the earliest first (a new term is a new row, docs/rules.md §3)."""
        return Body.objects.filter(region_id=self.region_id, name=self.name).order_by("term_start")


class Post(models.Model):
    """A post (hverv) in a body with a number of seats; one seat means a majority election."""

    body = models.ForeignKey(Body, on_delete=models.CASCADE, related_name="posts")
    name = models.CharField(_("post"), max_length=200)
    seats = models.PositiveSmallIntegerField(_("seats"))
    term_end = models.DateField(_("term ends"), null=True, blank=True, help_text=_("if not the body's"))

    class Meta:
        ordering = ["body__name", "name"]
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        constraints = [
            models.UniqueConstraint(fields=["body", "name"], name="post_name_once_per_body"),
            models.CheckConstraint(condition=Q(seats__gte=1), name="post_has_a_seat"),
        ]

    def __str__(self):
        return f"{self.body.name}: {self.name}"

    @property
    def ends_on(self):
        return self.term_end or self.body.term_end

    @property
    def is_majority(self) -> bool:
        return self.seats == 1


class Election(models.Model):
    """An election held by a council: chair/vice-chair, or to a post (majority or proportional).

    ``result`` holds the engine's output with the full quotient table and the seed of any lot.
    """

    class Kind(models.TextChoices):
        CHAIR = "chair", _("Chair and vice-chair")
        MAJORITY = "majority", _("Majority election")
        PROPORTIONAL = "proportional", _("Proportional election")

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="elections")
    post = models.ForeignKey(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="elections")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    seats = models.PositiveSmallIntegerField(_("seats"))
    present = models.PositiveSmallIntegerField(_("members present"), null=True, blank=True)
    seed = models.BigIntegerField(_("seed of the lot"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict)
    elected_name = models.CharField(_("elected"), max_length=200, blank=True)
    held_at = models.DateTimeField(_("held at"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    record_pdf = models.FileField(_("record (PDF)"), upload_to="elections/", blank=True)
    # An abandoned proportional election voided before any appointment (rules.void_reason).
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    void_reason = models.TextField(_("reason for voiding"), blank=True)

    class Meta:
        ordering = ["-held_at"]
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind="chair", post__isnull=True) | (~Q(kind="chair") & Q(post__isnull=False)),
                name="election_post_matches_kind",
            ),
            models.CheckConstraint(condition=Q(seats__gte=1), name="election_has_a_seat"),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | (Q(kind="proportional") & ~Q(void_reason="")),
                name="voided_election_is_proportional_with_reason",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.held_at:%Y-%m-%d}"

    @property
    def decided(self) -> bool:
        if self.kind == self.Kind.MAJORITY:
            return bool(self.elected_name)
        return bool(self.result.get("seats"))


class ElectionRound(models.Model):
    """The ballots of one round of a majority election (§ 24 stk. 1)."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveSmallIntegerField(_("round"))
    present = models.PositiveSmallIntegerField(_("members present"))
    ballots = models.JSONField(_("ballots"))  # {politician_id: votes}
    result = models.JSONField(_("result"), default=dict)

    class Meta:
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_once"),
            models.CheckConstraint(
                condition=Q(number__gte=1) & Q(number__lte=3), name="at_most_three_rounds"
            ),
        ]

    def __str__(self):
        return f"{self.election} round {self.number}"


def _electoral_period_over(on: datetime.date):
    """Councils of the appointment's region that end its electoral period before ``on``: one took
    office after the appointment began, or the one in office then has left office (docs/rules.md §1, 3).
    The SQL twin of ``rules.electoral_period_end`` (recorded ends only)."""
    began = OuterRef("valid_from")
    return Council.objects.filter(region_id=OuterRef("post__body__region_id")).filter(
        Q(term_start__gt=began, term_start__lte=on)
        | Q(term_start__lte=began, term_end__gte=began, term_end__lt=on)
    )


class AppointmentQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Appointments in effect on ``on``: begun, not ended, and within their term (docs/rules.md §3):
        the post's term end, else the body's, else (the body sets none) the electoral period
        of the council that was in office when the appointment began."""
        on = on or core.time.today()
        no_term_end = Q(post__term_end__isnull=True, post__body__term_end__isnull=True)
        return (
            self.filter(valid_from__lte=on)
            .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
            .filter(
                Q(post__term_end__gte=on)
                | Q(post__term_end__isnull=True, post__body__term_end__gte=on)
                | (no_term_end & ~Exists(_electoral_period_over(on)))
            )
        )


class Appointment(models.Model):
    """A politician appointed by the KKR to a post in a regional body, for a period."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="appointments")
    politician = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="appointments")
    election = models.ForeignKey(
        Election, on_delete=models.SET_NULL, null=True, blank=True, related_name="appointments"
    )
    group = models.CharField(_("group"), max_length=100, blank=True)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("until"), null=True, blank=True)
    end_reason = models.CharField(_("why the period ended"), max_length=200, blank=True)

    objects = AppointmentQuerySet.as_manager()

    class Meta:
        ordering = ["post", "valid_from"]
        verbose_name = _("appointment")
        verbose_name_plural = _("appointments")
        constraints = [
            models.UniqueConstraint(
                fields=["post", "politician"],
                condition=Q(valid_to__isnull=True),
                name="appointed_once_per_post",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="appointment_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.politician} – {self.post}"


class TermChange(models.Model):
    """The guided change to a new council: the parties' deadline and when it took office."""

    council = models.OneToOneField(Council, on_delete=models.CASCADE, related_name="term_change")
    members_due = models.DateField(_("parties report their members by"))
    took_office_at = models.DateTimeField(_("took office (recorded)"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("term change")
        verbose_name_plural = _("term changes")

    def __str__(self):
        return f"{self.council}"
