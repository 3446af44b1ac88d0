"""The IV agreement (docs/rules.md §4): the agreement, courses, yearly tariff tables, settlement runs with
their frozen lines, and statements per municipality."""

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

import core.time
from register.models import Municipality, Region

from . import rules, tariffs


class Agreement(models.Model):
    """The IV agreement of a region: its parties are the region and its municipalities (IV 1.2)."""

    region = models.OneToOneField(Region, on_delete=models.PROTECT, related_name="iv_agreement")
    name = models.CharField(_("name"), max_length=200)
    starts_on = models.DateField(_("in force from"), default=rules.AGREEMENT_START)
    ends_on = models.DateField(_("in force until"))
    extension_decision_by = models.DateField(
        _("decision on extension no later than"), default=rules.EXTENSION_DECISION_BY
    )
    follow_up_months = models.PositiveSmallIntegerField(_("follow-up every (months)"), default=3)
    statement_counter = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name = _("IV agreement")
        verbose_name_plural = _("IV agreements")
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=F("starts_on")), name="agreement_ends_after_start")
        ]

    def __str__(self):
        return self.name

    def key_dates(self) -> list[tuple[str, datetime.date]]:
        return [
            (_("In force from"), self.starts_on),
            (_("Decision on extension no later than"), self.extension_decision_by),
            (_("In force until"), self.ends_on),
        ]


class Treatment(models.TextChoices):
    ANTIBIOTICS = tariffs.ANTIBIOTICS, _("IV antibiotics")
    FLUIDS = tariffs.FLUIDS, _("IV isotonic fluids")
    PUMP = tariffs.PUMP, _("IV pump")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Setting(models.TextChoices):
    HOME = "home", _("At home")
    CLINIC = "clinic", _("Municipal clinic")


def billable_q(as_of: datetime.date) -> Q:
    """rules.is_billable as a query: completed (by as_of), accepted, not withdrawn courses."""
    return Q(decision=Decision.ACCEPTED, withdrawn=False, end_date__isnull=False, end_date__lte=as_of)


class CourseQuerySet(models.QuerySet):
    def billable(self, as_of: datetime.date | None = None):
        return self.filter(billable_q(as_of or core.time.today()))

    def open(self):
        return self.filter(decision=Decision.ACCEPTED, withdrawn=False, end_date__isnull=True)

    def with_settlement(self):
        """Annotate settled_revision (Course.settled_revision reads it): the revision the course's
        lines price, None when it was never settled; a page listing courses asks for it once."""
        return self.annotate(settled_revision=settled_revision_expression())


def settled_exists() -> Exists:
    """The course has its course line: it is settled (the unique partial index on course lines,
    line_course_settled_once, answers this, so a run never rewrites a course row to mark it)."""
    return Exists(SettlementLine.objects.filter(course=OuterRef("pk"), kind=SettlementLine.Kind.COURSE))


def settled_revision_expression():
    """The revision the lines price: a correction records it on the course (priced_revision), a
    course line never corrected carries it itself (course_revision); None when never settled."""
    course_line = SettlementLine.objects.filter(course=OuterRef("pk"), kind=SettlementLine.Kind.COURSE)
    return Coalesce(F("priced_revision"), Subquery(course_line.order_by().values("course_revision")[:1]))


class Course(models.Model):
    """One IV course of a citizen, registered by the municipality. No CPR number is stored."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="iv_courses", verbose_name=_("municipality")
    )
    external_id = models.CharField(
        _("case reference"),
        max_length=64,
        help_text=_("The municipality's own reference for the course; sending it again updates the course."),
    )
    treatment = models.CharField(_("treatment"), max_length=12, choices=Treatment.choices)
    referred_on = models.DateField(_("referred on"))
    decision = models.CharField(_("assessment"), max_length=10, choices=Decision.choices)
    start_date = models.DateField(_("first municipal treatment"), null=True, blank=True)
    end_date = models.DateField(
        _("end date"), null=True, blank=True, help_text=_("Leave empty while the course is ongoing.")
    )
    setting = models.CharField(_("setting"), max_length=10, choices=Setting.choices)
    visits_per_day = models.PositiveSmallIntegerField(_("visits per day"))
    minutes_per_visit = models.PositiveSmallIntegerField(_("minutes per visit"))
    night_visits = models.BooleanField(
        _("visits between 23:00 and 07:00"),
        default=False,
        help_text=_("A course that needs a visit between 23:00 and 07:00 stays in hospital care (IV 1.5)."),
    )
    note = models.TextField(_("note"), blank=True)
    cpr_hash = models.CharField(max_length=64, blank=True, editable=False, db_index=True)
    withdrawn = models.BooleanField(_("withdrawn"), default=False)
    # Bumped on every change; a settlement line records the revision it priced, so a run finds
    # the settled courses that changed since (corrections) without touching the others.
    revision = models.PositiveIntegerField(default=1, editable=False)
    # The revision a correction priced (None: never corrected). A settled course that was never
    # corrected has it on its course line (course_revision), so settling a course writes no course
    # row; settled_revision_expression() reads the two as one.
    priced_revision = models.PositiveIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = CourseQuerySet.as_manager()

    class Meta:
        ordering = ["-referred_on", "-id"]
        verbose_name = _("IV course")
        verbose_name_plural = _("IV courses")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "external_id"], name="course_external_id_once"),
            models.CheckConstraint(
                condition=Q(visits_per_day__gte=1, visits_per_day__lte=rules.MAX_VISITS_PER_DAY),
                name="course_visits_eligible",
            ),
            models.CheckConstraint(
                condition=Q(minutes_per_visit__gte=1, minutes_per_visit__lte=rules.MAX_MINUTES_PER_VISIT),
                name="course_minutes_eligible",
            ),
            models.CheckConstraint(condition=Q(night_visits=False), name="course_no_night_visits"),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=False, end_date__gte=F("start_date")),
                name="course_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(decision="declined") | Q(start_date__isnull=False),
                name="course_accepted_has_start",
            ),
            models.CheckConstraint(
                condition=Q(treatment__in=tariffs.TREATMENTS), name="course_treatment_known"
            ),
            models.CheckConstraint(
                condition=Q(priced_revision__isnull=True) | Q(priced_revision__lte=F("revision")),
                name="course_priced_revision_not_ahead",
            ),
        ]
        indexes = [
            models.Index(fields=["municipality", "-referred_on"]),
            models.Index(fields=["-referred_on", "-id"], name="course_newest_first"),
            models.Index(fields=["start_date"]),
            # A municipality's open courses (the clerk's start page): a few hundred rows of the
            # region's hundreds of thousands, so the index holds only them.
            models.Index(
                fields=["municipality", "start_date"],
                condition=Q(decision="accepted", withdrawn=False, end_date__isnull=True),
                name="course_open",
            ),
            # The same open courses by start date alone: "the first five open courses" of a clerk
            # ordered by start date otherwise walks the full start_date index from the oldest
            # course (open courses are the newest), 311k rows at 114,000 courses a year (issue 15).
            models.Index(
                fields=["start_date"],
                condition=Q(decision="accepted", withdrawn=False, end_date__isnull=True),
                name="course_open_by_start",
            ),
            # The staircase counts a year's accepted courses by start month: read from this index
            # alone (an index-only scan; the count is COUNT(*)), not from the course rows (issue 15).
            models.Index(
                fields=["start_date", "municipality"],
                condition=Q(decision="accepted", withdrawn=False),
                name="course_started",
            ),
            # The courses changed since their first version: a settlement run looks for the
            # settled ones among them that changed since they were priced (the few it corrects).
            models.Index(fields=["municipality"], condition=Q(revision__gt=1), name="course_revised"),
        ]

    def __str__(self):
        return f"{self.external_id} ({self.municipality.code})"

    @property
    def days(self) -> int | None:
        if self.start_date and self.end_date:
            return tariffs.course_days(self.start_date, self.end_date)
        return None

    @property
    def year(self) -> int | None:
        return tariffs.course_year(self.start_date) if self.start_date else None

    @property
    def settled_revision(self) -> int | None:
        """The revision the course's lines price (None: not settled): annotated by
        Course.objects.with_settlement() on a list, otherwise read once for this course."""
        if "_settled_revision" not in self.__dict__:
            line = self.lines.filter(kind=SettlementLine.Kind.COURSE).values_list(
                "course_revision", flat=True
            )
            self._settled_revision = self.priced_revision or line.first()
        return self._settled_revision

    @settled_revision.setter
    def settled_revision(self, value) -> None:  # the annotation of with_settlement()
        self._settled_revision = value

    @property
    def is_settled(self) -> bool:
        return self.settled_revision is not None

    @property
    def changed_since_settled(self) -> bool:
        return self.settled_revision is not None and self.settled_revision != self.revision

    def is_billable(self, as_of: datetime.date | None = None) -> bool:
        return rules.is_billable(
            decision=self.decision,
            withdrawn=self.withdrawn,
            end_date=self.end_date,
            as_of=as_of or core.time.today(),
        )


class TariffTable(models.Model):
    """A year's tariffs: the 2020 base times the year's price index (docs/rules.md §4.1)."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    index = models.DecimalField(_("price index"), max_digits=8, decimal_places=4)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-year"]
        verbose_name = _("tariff table")
        verbose_name_plural = _("tariff tables")
        constraints = [models.CheckConstraint(condition=Q(index__gt=0), name="tariff_index_positive")]

    def __str__(self):
        return str(self.year)


class TariffRate(models.Model):
    table = models.ForeignKey(TariffTable, on_delete=models.CASCADE, related_name="rates")
    treatment = models.CharField(max_length=12, choices=Treatment.choices)
    step = models.PositiveSmallIntegerField()
    course_tariff = models.DecimalField(max_digits=10, decimal_places=2)
    day_tariff = models.DecimalField(max_digits=10, decimal_places=2)

    class Meta:
        ordering = ["table", "treatment", "step"]
        constraints = [
            models.UniqueConstraint(fields=["table", "treatment", "step"], name="tariff_rate_once"),
            models.CheckConstraint(condition=Q(step__in=tariffs.STEPS), name="tariff_rate_step_known"),
        ]

    def __str__(self):
        return f"{self.table.year} {self.treatment} {self.step}"


class SettlementRun(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="runs")
    number = models.PositiveIntegerField(_("run"))
    as_of = models.DateField(_("settled up to"))
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    course_count = models.PositiveIntegerField(default=0)
    correction_count = models.PositiveIntegerField(default=0)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("settlement run")
        verbose_name_plural = _("settlement runs")
        constraints = [models.UniqueConstraint(fields=["agreement", "number"], name="run_number_once")]

    def __str__(self):
        return f"{_('Run')} {self.number}"


class Statement(models.Model):
    """What one municipality is paid for one run: a draft until the region finalises it; then it
    is numbered and frozen. Corrections go on a later statement, never into a finalised one."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Finalised")

    run = models.ForeignKey(SettlementRun, on_delete=models.PROTECT, related_name="statements")
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="iv_statements")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    number = models.PositiveIntegerField(_("statement number"), null=True, blank=True, unique=True)
    total = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    line_count = models.PositiveIntegerField(default=0)
    finalised_at = models.DateTimeField(null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(upload_to="iv/statements/", blank=True)
    pdf_key = models.CharField(max_length=40, blank=True)
    # The state whose PDF was last asked for; differs from pdf_key while a render is owed (a worker
    # that died mid-render leaves it so, and a starting worker renders it again).
    pdf_requested_key = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["run", "municipality__code"]
        verbose_name = _("statement")
        verbose_name_plural = _("statements")
        constraints = [
            models.UniqueConstraint(fields=["run", "municipality"], name="statement_once_per_run"),
            models.CheckConstraint(
                condition=(Q(status="draft") & Q(number__isnull=True))
                | (Q(status="final") & Q(number__isnull=False)),
                name="statement_final_is_numbered",
            ),
        ]

    def __str__(self):
        return f"{self.municipality.name}, {self.run}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def file_stem(self) -> str:
        """The download name: a final statement's carries its number, a draft's says it is one."""
        code = self.municipality.code
        if self.is_final:
            return f"opgoerelse-{code}-nr-{self.number}"
        return f"opgoerelse-{code}-kladde-koersel-{self.run.number}"

    @property
    def render_key(self) -> str:
        """Changes when what the PDF shows changes (status and number)."""
        return f"{self.status}-{self.number or 0}-{self.line_count}"


class SettlementLine(models.Model):
    """A frozen line of a settlement: its ordinal, step, tariff year and tariffs are stored so a
    statement can be explained line by line years later."""

    class Kind(models.TextChoices):
        COURSE = "course", _("Course")
        CORRECTION = "correction", _("Correction")

    run = models.ForeignKey(SettlementRun, on_delete=models.PROTECT, related_name="lines")
    # The run's agreement, kept on the line so the database can hold "each ordinal of a year
    # once per agreement": every region has its own staircase (IV 3.2) and its own lock.
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="+")
    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="lines")
    course = models.ForeignKey(Course, on_delete=models.PROTECT, related_name="lines")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    original = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="corrections"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    ordinal = models.PositiveIntegerField(_("ordinal"))
    step = models.PositiveSmallIntegerField(_("step"))
    treatment = models.CharField(max_length=12, choices=Treatment.choices)
    days = models.PositiveIntegerField(_("days"))
    extra_days = models.PositiveIntegerField(_("extra days"))
    course_tariff = models.DecimalField(max_digits=10, decimal_places=2)
    day_tariff = models.DecimalField(max_digits=10, decimal_places=2)
    amount = models.DecimalField(_("amount"), max_digits=12, decimal_places=2)
    course_revision = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["run", "year", "ordinal", "id"]
        verbose_name = _("settlement line")
        verbose_name_plural = _("settlement lines")
        constraints = [
            # Every ordinal of an agreement's year is handed out once, and a course is settled
            # once; the last line of defence against two concurrent runs (which the lock on the
            # agreement row serialises).
            models.UniqueConstraint(
                fields=["agreement", "year", "ordinal"],
                condition=Q(kind="course"),
                name="line_ordinal_once_per_agreement_year",
            ),
            models.UniqueConstraint(
                fields=["course"], condition=Q(kind="course"), name="line_course_settled_once"
            ),
            models.CheckConstraint(
                condition=(Q(kind="course") & Q(original__isnull=True))
                | (Q(kind="correction") & Q(original__isnull=False)),
                name="line_correction_has_original",
            ),
            models.CheckConstraint(condition=Q(step__in=tariffs.STEPS), name="line_step_known"),
        ]
        indexes = [
            models.Index(fields=["course", "kind"]),
            # A statement's lines in the order the page shows them (agreements.documents.statement_lines).
            models.Index(fields=["statement", "kind", "year", "ordinal", "id"], name="line_statement_order"),
        ]

    def __str__(self):
        return f"{self.year}/{self.ordinal} {self.kind} {self.amount}"


class AgreementExtension(models.Model):
    """A recorded decision of the parties to extend the agreement (IV 5.2): the history behind
    Agreement.ends_on, newest first."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="extensions")
    previous_ends_on = models.DateField(_("in force until, before"))
    ends_on = models.DateField(_("in force until"))
    decided_on = models.DateField(_("decided on"))
    decision = models.CharField(_("decided by"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-ends_on", "-id"]
        verbose_name = _("extension of the IV agreement")
        verbose_name_plural = _("extensions of the IV agreement")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("previous_ends_on")), name="extension_moves_the_end_later"
            )
        ]

    def __str__(self):
        return f"{self.agreement}: {self.previous_ends_on} → {self.ends_on}"


class QuarterReport(models.Model):
    """The quarterly monitoring report (IV 4.2) as a stored PDF, re-rendered when the data changes."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="quarter_reports")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    pdf = models.FileField(upload_to="iv/quarters/", blank=True)
    data_key = models.CharField(max_length=80, blank=True)
    # The data whose PDF was last asked for (services.quarter_report_request); equal to the current
    # data's key and not to data_key while a render is owed, so the page says it is being made.
    requested_key = models.CharField(max_length=80, blank=True)
    rendered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-year", "-quarter"]
        verbose_name = _("quarterly report")
        verbose_name_plural = _("quarterly reports")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "year", "quarter"], name="quarter_report_once"),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4), name="quarter_report_quarter"
            ),
        ]

    def __str__(self):
        return f"{self.agreement} {self.year} Q{self.quarter}"


class SettlementJob(models.Model):
    """A settlement asked for on the page and run by the worker (a year of courses takes longer
    than a web request may). At most one is open (queued or running) per agreement: a second
    click joins the open one instead of starting another run."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting for the worker")
        RUNNING = "running", _("Settling")
        DONE = "done", _("Done")
        NOTHING = "nothing", _("Nothing to settle")
        FAILED = "failed", _("Failed")

    OPEN = (Status.QUEUED, Status.RUNNING)

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="settlement_jobs")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    run = models.ForeignKey(SettlementRun, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    message = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("settlement job")
        verbose_name_plural = _("settlement jobs")
        constraints = [
            models.UniqueConstraint(
                fields=["agreement"],
                condition=Q(status__in=["queued", "running"]),
                name="one_open_settlement_job",
            )
        ]

    def __str__(self):
        return f"{self.agreement_id}: {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN
