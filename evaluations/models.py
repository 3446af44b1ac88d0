"""Evaluation surveys: templates and surveys, sections and questions, invitations and
anonymous responses (docs/rules.md §6).

Anonymity (docs/rules.md §6 decision, LimeSurvey's anonymised mode): Response and Answer have no
column that points at an invitation, a person or a token, and no time at all; their primary
keys are random UUIDs, so not even the order of the rows tells who answered when. The
invitation records only *that* it was completed. A half-way draft is kept under a key derived
from the respondent's link (rules.draft_key), which the database does not hold.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from appointments.models import Council
from register.models import Politician, Region


class Affiliation(models.TextChoices):
    """How a respondent is tied to the KKR; taken from the register when inviting."""

    MEMBER = "member", _("KKR member")
    SUBSTITUTE = "substitute", _("Substitute")
    APPOINTEE = "appointee", _("KKR appointee")
    COUNCIL_MEMBER = "council_member", _("Council member in the region")


class SurveyQuerySet(models.QuerySet):
    def templates(self):
        return self.filter(is_template=True)

    def surveys(self):
        return self.filter(is_template=False)


class Survey(models.Model):
    """A survey of one region's KKR for one electoral period, or a template to copy from."""

    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    is_template = models.BooleanField(_("template"), default=False)
    region = models.ForeignKey(
        Region,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("region"),
    )
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="surveys",
        verbose_name=_("KKR"),
    )
    period_start = models.PositiveSmallIntegerField(_("period from (year)"), null=True, blank=True)
    period_end = models.PositiveSmallIntegerField(_("period to (year)"), null=True, blank=True)
    template = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="copies",
        limit_choices_to={"is_template": True},
        verbose_name=_("copied from template"),
    )
    opens_on = models.DateField(_("opens"), null=True, blank=True)
    closes_on = models.DateField(_("closes"), null=True, blank=True)
    one_section_per_page = models.BooleanField(
        _("one section per page"),
        default=False,
        help_text=_("Respondents answer one section at a time, with Next and Previous; each step saves."),
    )
    opened = models.BooleanField(_("opened (frozen)"), default=False)
    closed = models.BooleanField(_("closed"), default=False)
    closed_early_on = models.DateField(
        _("closed early on"),
        null=True,
        blank=True,
        help_text=_("The day the secretariat closed the survey before its closing date (“Close now”)."),
    )

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-period_start", "title"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_template=True) | Q(region__isnull=False), name="survey_has_region"
            ),
            models.CheckConstraint(
                condition=Q(is_template=False) | Q(opened=False), name="template_never_opens"
            ),
            models.CheckConstraint(
                condition=Q(opened=False) | (Q(opens_on__isnull=False) & Q(closes_on__isnull=False)),
                name="open_survey_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(closes_on__isnull=True)
                | Q(opens_on__isnull=True)
                | Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(period_end__isnull=True)
                | Q(period_start__isnull=True)
                | Q(period_end__gt=models.F("period_start")),
                name="survey_period_ordered",
            ),
            models.CheckConstraint(
                condition=Q(closed=False) | Q(opened=True), name="survey_closed_after_open"
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def period(self) -> str:
        if self.period_start and self.period_end:
            return f"{self.period_start}-{self.period_end}"
        return ""

    @property
    def frozen(self) -> bool:
        """Questions cannot change once the survey has opened (answers must mean one thing)."""
        return self.opened

    def accepts_answers(self, today) -> bool:
        return self.opened and not self.closed and self.opens_on <= today <= self.closes_on

    def status(self, today) -> str:
        if self.is_template:
            return "template"
        if not self.opened:
            return "draft"
        if self.closed or today > self.closes_on:
            return "closed"
        if today < self.opens_on:
            return "scheduled"
        return "running"


class Section(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="sections")
    position = models.PositiveSmallIntegerField(_("position"))
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    audience = models.CharField(
        _("only for"),
        max_length=20,
        choices=Affiliation.choices,
        blank=True,
        help_text=_("Leave empty for everyone; e.g. KKR members only."),
    )

    class Meta:
        ordering = ["survey", "position"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [models.UniqueConstraint(fields=["survey", "position"], name="section_position_once")]

    def __str__(self):
        return self.title

    def is_for(self, affiliation: str) -> bool:
        return not self.audience or self.audience == affiliation


class Question(models.Model):
    class Kind(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice (several answers allowed)")
        TEXT = "text", _("Free text")

    class Scale(models.TextChoices):
        NONE = "", _("Own options")
        DEGREE = "degree", _("I meget høj grad … Slet ikke, Ved ikke")
        QUALITY = "quality", _("Meget godt … Meget dårligt, Ved ikke")
        AMOUNT = "amount", _("For mange / Passende / For få / Ved ikke")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.SlugField(
        _("key"), max_length=80, help_text=_("Stays the same in copies, so surveys can be compared.")
    )
    text = models.TextField(_("question"))
    help_text = models.CharField(_("help text"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    scale = models.CharField(_("scale"), max_length=10, choices=Scale.choices, blank=True)
    required = models.BooleanField(_("required"), default=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="follow_ups",
        verbose_name=_("follow-up to"),
    )
    shown_for = models.ForeignKey(
        "Option",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("shown only for the answer"),
    )

    class Meta:
        ordering = ["section__position", "position"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["section", "position"], name="question_position_once"),
            models.CheckConstraint(
                condition=Q(shown_for__isnull=True) | Q(parent__isnull=False), name="shown_for_needs_parent"
            ),
            models.CheckConstraint(condition=Q(kind="single") | Q(scale=""), name="scales_are_single_choice"),
        ]

    def __str__(self):
        return self.text

    @property
    def has_options(self) -> bool:
        return self.kind != self.Kind.TEXT


class Option(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("position"))
    label = models.CharField(_("answer"), max_length=200)
    asks_text = models.BooleanField(_("asks for text ('Andet - uddyb')"), default=False)
    dont_know = models.BooleanField(_("'Ved ikke' (never in an average)"), default=False)

    class Meta:
        ordering = ["question", "position"]
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        constraints = [
            models.UniqueConstraint(fields=["question", "position"], name="option_position_once"),
            models.UniqueConstraint(fields=["question", "label"], name="option_label_once"),
        ]

    def __str__(self):
        return self.label


class Reminder(models.Model):
    """A chosen date on which those who have not completed get their link again."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="reminders")
    send_on = models.DateField(_("send on"))
    sent = models.BooleanField(default=False)

    class Meta:
        ordering = ["survey", "send_on"]
        constraints = [models.UniqueConstraint(fields=["survey", "send_on"], name="reminder_once_a_day")]

    def __str__(self):
        return f"{self.survey}: {self.send_on}"


class Invitation(models.Model):
    """Who was asked and whether they completed: never when, and nothing that leads to the answers.

    The link token is HMAC(SURVEY_LINK_KEY, nonce); only its hash is stored for lookup.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    politician = models.ForeignKey(Politician, on_delete=models.PROTECT, related_name="survey_invitations")
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"))
    affiliation = models.CharField(_("affiliation"), max_length=20, choices=Affiliation.choices)
    nonce = models.CharField(max_length=32, unique=True)
    token_hash = models.CharField(max_length=64, unique=True)
    sent = models.BooleanField(_("link queued"), default=False)  # the outbox says whether it went
    completed = models.BooleanField(_("completed"), default=False)

    class Meta:
        ordering = ["survey", "name"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "politician"], name="invited_once_per_survey"),
        ]

    def __str__(self):
        return f"{self.survey}: {self.name}"


class Response(models.Model):
    """One respondent's answers; anonymous by construction (see the module docstring).

    ``complete`` is False only for the imported 2018-2022 responses of people who stopped
    part-way (as the printed report counts them); the portal never makes one: a draft that was
    not submitted is discarded at closing and enters no result (issue 12, point 3).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.PROTECT, related_name="responses")
    affiliation = models.CharField(_("affiliation"), max_length=20, choices=Affiliation.choices)
    complete = models.BooleanField(_("complete"), default=True)

    class Meta:
        ordering = ["id"]  # random: never the order in which people answered
        verbose_name = _("response")
        verbose_name_plural = _("responses")

    def __str__(self):
        return str(self.id)


class Answer(models.Model):
    """One answer: a chosen option (one row per option for multiple choice), possibly with text
    ("Andet - uddyb"), or a free text."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    option = models.ForeignKey(
        Option, on_delete=models.PROTECT, null=True, blank=True, related_name="answers"
    )
    text = models.TextField(blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(option__isnull=False) | ~Q(text=""), name="answer_has_option_or_text"
            ),
            models.UniqueConstraint(
                fields=["response", "question", "option"], name="option_chosen_once_per_response"
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(option__isnull=True),
                name="one_free_text_per_question",
            ),
        ]

    def __str__(self):
        return f"{self.question_id}: {self.option_id or self.text[:40]}"


class HeldResponse(models.Model):
    """A submitted response waiting for its batch: written in the submitting transaction (with the
    invitation's "completed" mark), it is moved into Response and Answer by
    ``services.responses_release`` (a periodic task) in shuffled batches of at least 5 of one
    affiliation, in a transaction of its own, and deleted. It holds nothing that points at a
    person, and no time; it never reaches a report or an export."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="held")
    affiliation = models.CharField(max_length=20, choices=Affiliation.choices)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return f"held {self.pk}"


class Draft(models.Model):
    """Answers saved half-way, under a key only the respondent's link can produce."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="drafts")
    key = models.CharField(max_length=64, unique=True)
    affiliation = models.CharField(max_length=20, choices=Affiliation.choices)
    data = models.JSONField(default=dict)

    def __str__(self):
        return f"draft {self.pk}"


class ReportPdf(models.Model):
    """The last PDF of a survey's report (made by the render_survey_report task)."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="report_pdf")
    file = models.FileField(upload_to="evaluations/reports/")
    responses = models.PositiveIntegerField(default=0)
    made_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"{self.survey}: PDF"
