"""The KKR's economy (docs/rules.md §9): political events with fees (FO 4.2), joint initiatives
financed by the municipalities (FO 4.3) and members' remuneration claims (FO 4.4)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from appointments.models import Appointment
from meetings.models import AgendaItem, Meeting
from register.models import Municipality, Politician, Region

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


# --- Political events (FO 4.2) -------------------------------------------------------------------


class Event(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("title"), max_length=200)
    programme = models.TextField(_("programme"))
    place = models.CharField(_("place"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("places"), validators=[MinValueValidator(1)])
    registration_deadline = models.DateTimeField(_("registration deadline"))
    cancellation_deadline = models.DateTimeField(_("free cancellation until"))
    fee_member = models.DecimalField(_("fee for KKR members and substitutes"), **MONEY)
    fee_politician = models.DecimalField(_("fee for other council members"), **MONEY)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_at"]
        verbose_name = _("political event")
        verbose_name_plural = _("political events")
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=F("starts_at")), name="event_ends_after_start"),
            models.CheckConstraint(
                condition=Q(registration_deadline__lte=F("starts_at"))
                & Q(cancellation_deadline__lte=F("starts_at")),
                name="event_deadlines_before_start",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_has_places"),
        ]

    def __str__(self):
        return self.title


class Registration(models.Model):
    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("Registered for the event")
        WAITING = "waiting", _("On the waiting list")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        MEMBER = "member", _("KKR member or substitute")
        POLITICIAN = "politician", _("Council member")

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    politician = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("participant kind"), max_length=10, choices=Kind.choices)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    fee = models.DecimalField(_("fee"), **MONEY)
    registered_at = models.DateTimeField(default=timezone.now)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    promoted_at = models.DateTimeField(_("moved up from the waiting list"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    fee_stands = models.BooleanField(_("fee stands after cancellation"), default=False)
    attended = models.BooleanField(_("attended"), null=True, blank=True)

    class Meta:
        ordering = ["event", "registered_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "politician"], name="registered_once_per_event"),
        ]

    def __str__(self):
        return f"{self.politician} – {self.event}"

    @property
    def billed(self) -> Decimal:
        """What the participant's municipality pays: the fee of a place held (attended or not) or
        cancelled too late; nothing for the waiting list or a free cancellation."""
        if self.status == self.Status.CONFIRMED or (self.status == self.Status.CANCELLED and self.fee_stands):
            return self.fee
        return Decimal("0.00")


# --- Joint initiatives (FO 4.3) -----------------------------------------------------------------


class Initiative(models.Model):
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(_("title"), max_length=200)
    purpose = models.TextField(_("purpose"))
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("owner")
    )
    host = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="+", verbose_name=_("host municipality")
    )
    institutions = models.TextField(_("participating institutions"), blank=True)
    starts_on = models.DateField(_("from"))
    ends_on = models.DateField(_("until"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("joint initiative")
        verbose_name_plural = _("joint initiatives")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")), name="initiative_period_ordered"
            ),
        ]

    def __str__(self):
        return self.title


class InitiativeBudget(models.Model):
    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="budgets")
    year = models.PositiveSmallIntegerField(_("year"))
    amount = models.DecimalField(_("municipal share of the budget (DKK)"), **MONEY)

    class Meta:
        ordering = ["initiative", "year"]
        constraints = [models.UniqueConstraint(fields=["initiative", "year"], name="one_budget_per_year")]

    def __str__(self):
        return f"{self.initiative} {self.year}"


class Participant(models.Model):
    """A municipality taking part in (and paying for) an initiative, with its recorded consent."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="participants")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="+")
    consent_on = models.DateField(_("consent given on"), null=True, blank=True)
    consent_reference = models.CharField(_("consent (case or decision)"), max_length=200, blank=True)

    class Meta:
        ordering = ["initiative", "municipality__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "municipality"], name="participates_once"),
            models.CheckConstraint(
                condition=Q(consent_on__isnull=True) | ~Q(consent_reference=""), name="consent_has_reference"
            ),
        ]

    def __str__(self):
        return f"{self.municipality} – {self.initiative}"


class ProgressReport(models.Model):
    class Kind(models.TextChoices):
        HALF_YEARLY = "half_yearly", _("Half-yearly report to the officials' committee")
        YEARLY = "yearly", _("Yearly report to the KKR")
        EVALUATION = "evaluation", _("Evaluation")

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="reports")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    due_on = models.DateField(_("due"))
    text = models.TextField(_("report"), blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    agenda_item = models.OneToOneField(
        AgendaItem, on_delete=models.SET_NULL, null=True, blank=True, related_name="initiative_report"
    )

    class Meta:
        ordering = ["initiative", "due_on"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "kind", "due_on"], name="one_report_per_due_day"),
        ]

    # --- Remuneration (FO 4.4) ----------------------------------------------------------------------

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on}"


class MileageRate(models.Model):
    """The state's mileage rates for a year: the high rate up to a yearly distance, the low after."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    high_rate = models.DecimalField(_("high rate (DKK per km)"), max_digits=5, decimal_places=2)
    low_rate = models.DecimalField(_("low rate (DKK per km)"), max_digits=5, decimal_places=2)
    high_limit_km = models.PositiveIntegerField(_("high rate up to (km a year)"))

    class Meta:
        ordering = ["-year"]

    def __str__(self):
        return str(self.year)


class PayrollExport(models.Model):
    """One month's export of approved claims to payroll. A claim is in at most one export."""

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["-month"]
        constraints = [models.UniqueConstraint(fields=["region", "month"], name="one_payroll_export_a_month")]

    def __str__(self):
        return f"{self.region} {self.month:%Y-%m}"


class Claim(models.Model):
    class Kind(models.TextChoices):
        KKR_MEETING = "kkr", _("KKR meeting")
        BODY_MEETING = "body", _("Meeting of a body I am appointed to")

    class Transport(models.TextChoices):
        CAR = "car", _("Own car")
        PUBLIC = "public", _("Public transport")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        RETURNED = "returned", _("Returned")
        PAID = "paid", _("Sent to payroll")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="+")
    claimant = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="+")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("meeting"), max_length=4, choices=Kind.choices)
    meeting = models.ForeignKey(Meeting, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    appointment = models.ForeignKey(
        Appointment, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    meeting_on = models.DateField(_("meeting date"))
    description = models.CharField(_("meeting of the body"), max_length=200, blank=True)
    transport = models.CharField(_("means of transport"), max_length=6, choices=Transport.choices)
    distance_km = models.DecimalField(_("distance there and back (km)"), max_digits=6, decimal_places=1)
    expense = models.DecimalField(_("ticket expense (DKK)"), max_digits=8, decimal_places=2, default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField(default=timezone.now)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField(_("reason"), blank=True)
    high_km = models.DecimalField(max_digits=6, decimal_places=1, default=0)
    low_km = models.DecimalField(max_digits=6, decimal_places=1, default=0)
    amount = models.DecimalField(_("amount (DKK)"), max_digits=10, decimal_places=2, default=0)
    export = models.ForeignKey(
        PayrollExport, on_delete=models.PROTECT, null=True, blank=True, related_name="claims"
    )

    class Meta:
        ordering = ["-meeting_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="kkr", meeting__isnull=False, appointment__isnull=True))
                | Q(kind="body", meeting__isnull=True, appointment__isnull=False),
                name="claim_names_its_meeting",
            ),
            models.UniqueConstraint(
                fields=["claimant", "meeting"],
                condition=Q(meeting__isnull=False) & ~Q(status="returned"),
                name="one_claim_per_kkr_meeting",
            ),
            models.UniqueConstraint(
                fields=["claimant", "appointment", "meeting_on"],
                condition=Q(appointment__isnull=False) & ~Q(status="returned"),
                name="one_claim_per_body_meeting",
            ),
            models.CheckConstraint(
                condition=Q(export__isnull=True) | Q(status="paid"), name="exported_claims_are_paid"
            ),
        ]

    def __str__(self):
        return f"{self.claimant} {self.meeting_on}"
