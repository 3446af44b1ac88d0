"""Survey authoring: creating and copying surveys, their sections, questions and answers, and
their dates. A survey's questions are fixed once it opens (``_editable``); every refusal is a
``core.errors.Refused`` (code "frozen" when the survey has opened)."""

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F, Max
from django.utils.translation import gettext as _

from appointments.models import Council
from core.errors import Refused
from core.time import today as core_today

from .. import rules
from ..models import Option, Question, Reminder, Section, Survey


def _editable(survey: Survey) -> None:
    if survey.frozen:
        raise Refused(_("The survey has opened; its questions can no longer change."), code="frozen")


def survey_create(
    *,
    title: str,
    region=None,
    council: Council | None = None,
    period_start: int | None = None,
    period_end: int | None = None,
    is_template: bool = False,
    intro: str = "",
) -> Survey:
    with transaction.atomic():
        return Survey.objects.create(
            title=title,
            intro=intro,
            region=region if region is not None else (council.region if council else None),
            council=council,
            period_start=period_start,
            period_end=period_end,
            is_template=is_template,
        )


def survey_update(
    *, survey: Survey, title: str, intro: str = "", one_section_per_page: bool = False
) -> Survey:
    """The title and introduction the respondents see, and whether they answer one section per
    page; fixed once the survey opens."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _editable(survey)
        survey.title, survey.intro, survey.one_section_per_page = title, intro, one_section_per_page
        survey.save(update_fields=["title", "intro", "one_section_per_page"])
        return survey


def section_add(*, survey: Survey, title: str, audience: str = "", intro: str = "") -> Section:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        _editable(survey)
        position = (survey.sections.aggregate(m=Max("position"))["m"] or 0) + 1
        return Section.objects.create(
            survey=survey, position=position, title=title, audience=audience, intro=intro
        )


@dataclass(frozen=True)
class OptionInput:
    label: str
    asks_text: bool = False
    dont_know: bool = False


def options_for(scale: str, labels: Sequence[str] = (), other: bool = False) -> list[OptionInput]:
    """The options of a new question: a ready-made scale, or the labels given, plus 'Andet - uddyb'."""
    if scale:
        result = [OptionInput(label, dont_know=dk) for label, dk in rules.scale_options(scale)]
    else:
        result = [OptionInput(label, dont_know=label == rules.DONT_KNOW) for label in labels if label.strip()]
    if other and not any(o.label == rules.OTHER for o in result):
        result.append(OptionInput(rules.OTHER, asks_text=True))
    return result


def question_add(
    *,
    section: Section,
    text: str,
    kind: str,
    scale: str = "",
    options: Sequence[OptionInput] = (),
    required: bool = False,
    help_text: str = "",
    parent: Question | None = None,
    shown_for: Option | None = None,
    key: str = "",
) -> Question:
    """Add a question at the end of its section (a follow-up goes right after its parent's
    other follow-ups when the view passes the parent)."""
    if kind == Question.Kind.TEXT and options:
        raise Refused(_("A free-text question has no answer options."))
    if kind != Question.Kind.TEXT and not options:
        raise Refused(_("A choice question needs answer options."))
    if shown_for is not None and (parent is None or shown_for.question_id != parent.pk):
        raise Refused(_("A follow-up is shown for one of its parent question's answers."))
    if parent is not None and parent.section_id != section.pk:
        raise Refused(_("A follow-up goes in the same section as its question."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=section.survey_id)
        _editable(survey)
        position = (section.questions.aggregate(m=Max("position"))["m"] or 0) + 1
        question = Question.objects.create(
            section=section,
            position=position,
            key=key or f"q{secrets.token_hex(4)}",
            text=text,
            help_text=help_text,
            kind=kind,
            scale=scale if kind == Question.Kind.SINGLE else "",
            required=required,
            parent=parent,
            shown_for=shown_for,
        )
        Option.objects.bulk_create(
            Option(question=question, position=i, label=o.label, asks_text=o.asks_text, dont_know=o.dont_know)
            for i, o in enumerate(options, start=1)
        )
        return question


def option_add(*, question: Question, label: str, asks_text: bool = False, dont_know: bool = False) -> Option:
    """Add an answer to a choice question, before "Ved ikke" and "Andet" (which stay last)."""
    if question.kind == Question.Kind.TEXT:
        raise Refused(_("A free-text question has no answer options."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.section.survey_id)
        _editable(survey)
        if question.options.filter(label=label).exists():
            raise Refused(_("Each answer only once."))
        options = list(question.options.order_by("position"))
        kept = [o for o in options if not (o.dont_know or o.asks_text)]
        last = [o for o in options if o.dont_know or o.asks_text]
        top = max((o.position for o in options), default=0)
        # Renumber through free positions, since (question, position) is unique.
        for offset, option in enumerate(last, start=1):
            Option.objects.filter(pk=option.pk).update(position=top + offset)
        place = len(kept) + 1
        for offset, option in enumerate(last, start=1):
            Option.objects.filter(pk=option.pk).update(position=place + offset)
        return Option.objects.create(
            question=question, position=place, label=label, asks_text=asks_text, dont_know=dont_know
        )


def question_update(
    *, question: Question, text: str, help_text: str = "", required: bool = False
) -> Question:
    """Change the wording, help text or required flag (kind, scale and answers stay: delete and add
    the question to change those)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.section.survey_id)
        _editable(survey)
        question.text, question.help_text, question.required = text, help_text, required
        question.save(update_fields=["text", "help_text", "required"])
        return question


def question_delete(*, question: Question) -> None:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.section.survey_id)
        _editable(survey)
        question.delete()


def _renumber(rows, ids: Sequence[int]) -> None:
    """Give ``rows`` (one section's questions, or one survey's sections) the positions 1..n in
    the order of ``ids``; through free positions, since positions are unique."""
    current = dict(rows.values_list("pk", "position"))
    changed = [pk for place, pk in enumerate(ids, start=1) if current[pk] != place]
    top = max(current.values(), default=0) + len(ids)
    for offset, pk in enumerate(changed, start=1):
        rows.filter(pk=pk).update(position=top + offset)
    for pk in changed:
        rows.filter(pk=pk).update(position=ids.index(pk) + 1)


def question_move(*, question: Question, up: bool) -> None:
    """Move a question up or down in its section, with its follow-ups (``rules.moved``)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.section.survey_id)
        _editable(survey)
        siblings = Question.objects.filter(section_id=question.section_id)
        order = list(siblings.order_by("position").values_list("pk", "parent_id"))
        _renumber(siblings, rules.moved(order, question.pk, up))


def section_move(*, section: Section, up: bool) -> None:
    """Swap a section with the one before or after it (at either end nothing moves)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=section.survey_id)
        _editable(survey)
        sections = Section.objects.filter(survey=survey)
        ids = list(sections.order_by("position").values_list("pk", flat=True))
        i = ids.index(section.pk)
        other = i - 1 if up else i + 1
        if 0 <= other < len(ids):
            ids[i], ids[other] = ids[other], ids[i]
            _renumber(sections, ids)


def question_change_kind(
    *, question: Question, kind: str, scale: str = "", options: Sequence[OptionInput] = ()
) -> Question:
    """Change a question's kind, scale and answers in place while the survey is a draft.

    Refused once the survey has responses (or drafts, or has opened): the answers given would
    no longer mean what they meant. Answers whose label stays are kept (a follow-up shown for
    one of them stays too); one that goes while a follow-up is shown for it is refused, naming
    both. A question whose kind or answers change gets a new key, so the report never sets it
    beside the earlier period's different question.
    """
    if kind == Question.Kind.TEXT and options:
        raise Refused(_("A free-text question has no answer options."))
    if kind != Question.Kind.TEXT and not options:
        raise Refused(_("A choice question needs answer options."))
    if scale and kind != Question.Kind.SINGLE:
        raise Refused(_("The ready-made scales are single choice."))
    labels = [o.label for o in options]
    if len(set(labels)) != len(labels):
        raise Refused(_("Each answer only once."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.section.survey_id)
        if survey.responses.exists() or survey.held.exists() or survey.drafts.exists():
            raise Refused(
                _("The survey has responses: a question's kind and answers can no longer change."),
                code="frozen",
            )
        _editable(survey)
        question = Question.objects.select_for_update().get(pk=question.pk)
        existing = {o.label: o for o in question.options.order_by("position")}
        gone = [o for label, o in existing.items() if label not in labels]
        tied = Question.objects.filter(shown_for__in=gone).select_related("shown_for").first()
        if tied is not None:
            raise Refused(
                _(
                    "The follow-up “%(follow_up)s” is shown for the answer “%(answer)s”, which the "
                    "question would no longer have. Delete the follow-up or keep that answer."
                )
                % {"follow_up": tied.text, "answer": tied.shown_for.label}
            )
        before = (question.kind, question.scale, list(existing))
        Option.objects.filter(pk__in=[o.pk for o in gone]).delete()
        kept = question.options.all()
        top = (kept.aggregate(m=Max("position"))["m"] or 0) + len(options)
        kept.update(position=F("position") + top)
        for place, o in enumerate(options, start=1):
            if o.label in existing:
                Option.objects.filter(pk=existing[o.label].pk).update(
                    position=place, asks_text=o.asks_text, dont_know=o.dont_know
                )
            else:
                Option.objects.create(
                    question=question,
                    position=place,
                    label=o.label,
                    asks_text=o.asks_text,
                    dont_know=o.dont_know,
                )
        question.kind, question.scale = kind, scale if kind == Question.Kind.SINGLE else ""
        if (question.kind, question.scale, labels) != before:
            question.key = f"q{secrets.token_hex(4)}"
        question.save(update_fields=["kind", "scale", "key"])
        return question


def section_delete(*, section: Section) -> None:
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=section.survey_id)
        _editable(survey)
        section.delete()


def survey_set_dates(
    *,
    survey: Survey,
    opens_on: datetime.date,
    closes_on: datetime.date,
    reminders: Sequence[datetime.date] = (),
    today: datetime.date | None = None,
) -> Survey:
    """Opening and closing dates and reminder dates (``rules.date_errors``): the closing date may
    be today, never in the past; reminders fall between the two."""
    errors = rules.date_errors(opens_on, closes_on, reminders, today or core_today())
    if errors:
        raise Refused({field: [_(message)] for field, message in errors.items()})
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed:
            raise Refused(_("The survey has closed."), code="frozen")
        if survey.opened and opens_on != survey.opens_on:
            raise Refused(_("The survey has opened; its opening date can no longer change."), code="frozen")
        survey.opens_on, survey.closes_on = opens_on, closes_on
        survey.save(update_fields=["opens_on", "closes_on"])
        survey.reminders.filter(sent=False).exclude(send_on__in=reminders).delete()
        for day in sorted(set(reminders)):
            Reminder.objects.get_or_create(survey=survey, send_on=day)
        return survey


def _copies(model, rows, fields: Sequence[str], **parents) -> dict:
    """Copy ``rows`` with the same ``fields`` and new parents (``parent=lambda row: new parent``)
    in one INSERT; returns old pk -> copy."""
    rows = list(rows)
    copies = model.objects.bulk_create(
        model(**{f: getattr(row, f) for f in fields}, **{name: get(row) for name, get in parents.items()})
        for row in rows
    )
    return {old.pk: new for old, new in zip(rows, copies, strict=True)}


def survey_copy_from_template(
    *,
    template: Survey,
    council: Council | None = None,
    region=None,
    period_start: int,
    period_end: int,
    title: str = "",
) -> Survey:
    """A new survey with the template's sections, questions, scales, options and follow-ups.

    Question keys are kept, so the report can set the copy beside earlier copies.
    """
    if not template.is_template:
        raise Refused(_("Only a template can be copied."))
    if council is None and region is None:
        raise Refused(_("Choose the KKR the survey is for."))
    with transaction.atomic():
        survey = Survey.objects.create(
            title=title or f"{template.title} {period_start}-{period_end}",
            intro=template.intro,
            region=council.region if council else region,
            council=council,
            period_start=period_start,
            period_end=period_end,
            template=template,
        )
        section_map = _copies(
            Section,
            template.sections.order_by("position"),
            ("position", "title", "intro", "audience"),
            survey=lambda s: survey,
        )
        questions = list(
            Question.objects.filter(section__survey=template).order_by("section__position", "position")
        )
        question_map = _copies(
            Question,
            questions,
            ("position", "key", "text", "help_text", "kind", "scale", "required"),
            section=lambda q: section_map[q.section_id],
        )
        option_map = _copies(
            Option,
            Option.objects.filter(question__section__survey=template).order_by("question", "position"),
            ("position", "label", "asks_text", "dont_know"),
            question=lambda o: question_map[o.question_id],
        )
        follow_ups = []
        for old in questions:
            if old.parent_id:
                copy = question_map[old.pk]
                copy.parent = question_map[old.parent_id]
                copy.shown_for = option_map.get(old.shown_for_id)
                follow_ups.append(copy)
        Question.objects.bulk_update(follow_ups, ["parent", "shown_for"])
        return survey
