"""Write paths of evaluations: building and copying surveys, opening them, invitations and
reminders, drafts and submissions, closing. Each use case is one function in a transaction."""

import datetime
import random
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Max, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.messaging import queue_notice
from appointments.models import Appointment, Council, Seat
from core.errors import Refused, refuse
from core.time import today as core_today
from register.models import Politician

from . import rules
from .models import (
    Affiliation,
    Answer,
    Draft,
    HeldResponse,
    Invitation,
    Option,
    Question,
    Reminder,
    Response,
    Section,
    Survey,
)


class SurveyFrozen(ValidationError):
    """The survey has opened: its questions can no longer change."""


class SurveyClosed(Exception):
    """The link's survey does not take answers (not open yet, or closed)."""


class AlreadyAnswered(Exception):
    """The invitation has already been used to submit."""


class UnknownLink(Exception):
    """No invitation has this link."""


class AnswerErrors(ValidationError):
    def __init__(self, errors: dict[int, str]):
        super().__init__(list(errors.values()))
        self.by_question = errors


def _editable(survey: Survey) -> None:
    if survey.frozen:
        raise SurveyFrozen(_("The survey has opened; its questions can no longer change."))


# --- building ------------------------------------------------------------------------------------


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
        raise ValidationError(_("A free-text question has no answer options."))
    if kind != Question.Kind.TEXT and not options:
        raise ValidationError(_("A choice question needs answer options."))
    if shown_for is not None and (parent is None or shown_for.question_id != parent.pk):
        raise ValidationError(_("A follow-up is shown for one of its parent question's answers."))
    if parent is not None and parent.section_id != section.pk:
        raise ValidationError(_("A follow-up goes in the same section as its question."))
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
        raise ValidationError(_("A free-text question has no answer options."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.section.survey_id)
        _editable(survey)
        if question.options.filter(label=label).exists():
            raise ValidationError(_("Each answer only once."))
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
        raise ValidationError(_("A free-text question has no answer options."))
    if kind != Question.Kind.TEXT and not options:
        raise ValidationError(_("A choice question needs answer options."))
    if scale and kind != Question.Kind.SINGLE:
        raise ValidationError(_("The ready-made scales are single choice."))
    labels = [o.label for o in options]
    if len(set(labels)) != len(labels):
        raise ValidationError(_("Each answer only once."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=question.section.survey_id)
        if survey.responses.exists() or survey.held.exists() or survey.drafts.exists():
            raise SurveyFrozen(
                _("The survey has responses: a question's kind and answers can no longer change.")
            )
        _editable(survey)
        question = Question.objects.select_for_update().get(pk=question.pk)
        existing = {o.label: o for o in question.options.order_by("position")}
        gone = [o for label, o in existing.items() if label not in labels]
        tied = Question.objects.filter(shown_for__in=gone).select_related("shown_for").first()
        if tied is not None:
            raise ValidationError(
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
            raise SurveyFrozen(_("The survey has closed."))
        if survey.opened and opens_on != survey.opens_on:
            raise SurveyFrozen(_("The survey has opened; its opening date can no longer change."))
        survey.opens_on, survey.closes_on = opens_on, closes_on
        survey.save(update_fields=["opens_on", "closes_on"])
        survey.reminders.filter(sent=False).exclude(send_on__in=reminders).delete()
        for day in sorted(set(reminders)):
            Reminder.objects.get_or_create(survey=survey, send_on=day)
        return survey


def survey_close_now(*, survey: Survey, today: datetime.date) -> Survey:
    """Close a running survey today, before its closing date (issue 13 point 7): the planned
    closing date stays and ``closed_early_on`` records the day it really closed; reminders not
    yet sent are dropped, and the survey closes as on its closing date (``survey_close``)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        refusal = rules.close_now_error(
            opened=survey.opened, closed=survey.closed, opens_on=survey.opens_on, today=today
        )
        if refusal:
            refuse(_(refusal))
        if survey.closes_on > today:
            survey.closed_early_on = today
            survey.save(update_fields=["closed_early_on"])
        survey.reminders.filter(sent=False).delete()
        survey_close(survey=survey)
        survey.refresh_from_db()
        return survey


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
        raise ValidationError(_("Only a template can be copied."))
    if council is None and region is None:
        raise ValidationError(_("Choose the KKR the survey is for."))
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
        sections = list(template.sections.order_by("position"))
        new_sections = Section.objects.bulk_create(
            Section(survey=survey, position=s.position, title=s.title, intro=s.intro, audience=s.audience)
            for s in sections
        )
        section_map = {old.pk: new for old, new in zip(sections, new_sections, strict=True)}
        questions = list(
            Question.objects.filter(section__survey=template).order_by("section__position", "position")
        )
        copies = Question.objects.bulk_create(
            Question(
                section=section_map[q.section_id],
                position=q.position,
                key=q.key,
                text=q.text,
                help_text=q.help_text,
                kind=q.kind,
                scale=q.scale,
                required=q.required,
            )
            for q in questions
        )
        question_map = {old.pk: new for old, new in zip(questions, copies, strict=True)}
        options = list(
            Option.objects.filter(question__section__survey=template).order_by("question", "position")
        )
        option_copies = Option.objects.bulk_create(
            Option(
                question=question_map[o.question_id],
                position=o.position,
                label=o.label,
                asks_text=o.asks_text,
                dont_know=o.dont_know,
            )
            for o in options
        )
        option_map = {old.pk: new for old, new in zip(options, option_copies, strict=True)}
        follow_ups = []
        for old in questions:
            if old.parent_id:
                copy = question_map[old.pk]
                copy.parent = question_map[old.parent_id]
                copy.shown_for = option_map.get(old.shown_for_id)
                follow_ups.append(copy)
        Question.objects.bulk_update(follow_ups, ["parent", "shown_for"])
        return survey


# --- audience and invitations ----------------------------------------------------------------------


def _council_of(survey: Survey, today: datetime.date) -> Council | None:
    if survey.council_id:
        return survey.council
    return Council.objects.current(today).filter(region_id=survey.region_id).first()


def _as_of(survey: Survey, today: datetime.date) -> datetime.date:
    """The day the audience is taken on: today, or the last day in office of the council the
    survey evaluates when it has left office (the end-of-period survey of docs/rules.md §6 still reaches
    those who served)."""
    council = survey.council
    if council is None:
        return today
    last = council.term_end
    if last is None:
        following = (
            Council.objects.filter(region_id=council.region_id, term_start__gt=council.term_start)
            .order_by("term_start")
            .values_list("term_start", flat=True)
            .first()
        )
        last = following - datetime.timedelta(days=1) if following else None
    return min(today, last) if last else today


def _appointees(survey: Survey, today: datetime.date) -> set[int]:
    """Politicians the KKR has appointed to the region's regional bodies, on the day."""
    return set(
        Appointment.objects.current(today)
        .filter(post__body__region_id=survey.region_id)
        .values_list("politician_id", flat=True)
    )


def audience(survey: Survey, today: datetime.date) -> dict[int, str]:
    """Politician id -> affiliation: the KKR's members and substitutes, its appointees and the
    council members of the region's municipalities, each once with their strongest tie."""
    found: dict[int, set[str]] = {}
    council = _council_of(survey, today)
    day = _as_of(survey, today)
    if council is not None:
        for holder, substitute in (
            Seat.objects.current(day).filter(council=council).values_list("holder_id", "substitute_id")
        ):
            found.setdefault(holder, set()).add(Affiliation.MEMBER)
            if substitute:
                found.setdefault(substitute, set()).add(Affiliation.SUBSTITUTE)
    for politician in _appointees(survey, day):
        found.setdefault(politician, set()).add(Affiliation.APPOINTEE)
    for politician in (
        Politician.objects.filter(municipality__region_id=survey.region_id, council_from__lte=day)
        .filter(Q(council_to__isnull=True) | Q(council_to__gte=day))
        .values_list("id", flat=True)
    ):
        found.setdefault(politician, set()).add(Affiliation.COUNCIL_MEMBER)
    return {pid: rules.strongest_affiliation(ties) for pid, ties in found.items()}


@dataclass(frozen=True)
class InvitationResult:
    created: int
    without_email: list[str]


def invitations_create(
    *, survey: Survey, today: datetime.date, affiliations: Sequence[str] | None = None
) -> InvitationResult:
    """Invite the audience from the register (optionally only some affiliations); running it
    again adds only people not yet invited."""
    if survey.is_template:
        raise ValidationError(_("A template has no respondents."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed:
            raise SurveyClosed
        wanted = {
            pid: aff
            for pid, aff in audience(survey, today).items()
            if not affiliations or aff in affiliations
        }
        already = set(survey.invitations.values_list("politician_id", flat=True))
        people = Politician.objects.filter(pk__in=set(wanted) - already).only("id", "name", "email")
        new, without_email = [], []
        for person in people:
            if not person.email:
                without_email.append(person.name)
                continue
            nonce = secrets.token_hex(16)
            new.append(
                Invitation(
                    survey=survey,
                    politician_id=person.pk,
                    name=person.name,
                    email=person.email,
                    affiliation=wanted[person.pk],
                    nonce=nonce,
                    token_hash=rules.token_hash(rules.link_token(settings.SURVEY_LINK_KEY, nonce)),
                )
            )
        Invitation.objects.bulk_create(new)
        return InvitationResult(created=len(new), without_email=sorted(without_email))


def invitation_link(invitation: Invitation) -> str:
    token = rules.link_token(settings.SURVEY_LINK_KEY, invitation.nonce)
    return settings.SITE_URL + reverse("evaluations:respond", args=[token])


def _mail(invitation: Invitation, survey: Survey, key: str, template: str, due_at=None) -> None:
    """Queue the link; a respondent with a login also finds it among their messages."""
    link = invitation_link(invitation)
    queue_notice(
        key=key,
        to_email=invitation.email,
        template=template,
        context={"survey": survey, "name": invitation.name, "link": link},
        user=getattr(invitation.politician, "user", None),
        url=link,
        due_at=due_at,
        personal_link=True,
    )


def invitations_send(*, survey: Survey) -> int:
    """Queue the personal link of every invitation not yet sent (each exactly once: the notice
    key is the invitation's); the links are mailed from the opening day."""
    if not survey.opened:
        raise ValidationError(_("Open the survey before sending the links."))
    with transaction.atomic():
        pending = list(
            survey.invitations.filter(sent=False)
            .select_for_update(of=("self",))
            .select_related("politician__user")
        )
        opens = datetime.datetime.combine(survey.opens_on, datetime.time(7), tzinfo=datetime.UTC)
        for invitation in pending:
            _mail(
                invitation,
                survey,
                f"evaluations:invite:{invitation.pk}",
                "evaluations/mail/invitation",
                opens,
            )
        Invitation.objects.filter(pk__in=[i.pk for i in pending]).update(sent=True)
        return len(pending)


def survey_open(*, survey: Survey, today: datetime.date) -> Survey:
    """Freeze the survey and send the links (sent on the opening day)."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.is_template:
            raise ValidationError(_("A template cannot be opened; copy it first."))
        if survey.opened:
            return survey
        if not survey.opens_on or not survey.closes_on:
            raise ValidationError(_("Set the opening and closing dates first."))
        if survey.closes_on < today:
            raise ValidationError(_("The closing date has passed."))
        if not Question.objects.filter(section__survey=survey).exists():
            raise ValidationError(_("The survey has no questions."))
        if not survey.invitations.exists():
            raise ValidationError(_("Invite the respondents first."))
        _check_group_question(survey)
        survey.opened = True
        survey.save(update_fields=["opened"])
        invitations_send(survey=survey)
        return survey


def _check_group_question(survey: Survey) -> None:
    """Refuse to open while a required question asking for the respondent's group has no answer
    for one of the invited groups (rules.groups_left_out)."""
    labels = dict(Affiliation.choices)
    invited = set(survey.invitations.values_list("affiliation", flat=True))
    for question in Question.objects.filter(
        section__survey=survey, key__in=rules.GROUP_KEYS, required=True
    ).prefetch_related("options"):
        options = list(question.options.all())
        left_out = rules.groups_left_out(
            [o.label for o in options], invited, other=any(o.asks_text for o in options)
        )
        if left_out:
            refuse(
                _(
                    "The required question “%(question)s” has no answer for: %(groups)s. Add one before opening."
                )
                % {"question": question.text, "groups": ", ".join(str(labels[a]) for a in left_out)}
            )


def reminders_send_due(*, today: datetime.date) -> int:
    """Send each due reminder once, to those who have not completed; return notices queued."""
    queued = 0
    due = Reminder.objects.filter(sent=False, send_on__lte=today, survey__opened=True, survey__closed=False)
    for reminder_id in list(due.values_list("id", flat=True)):
        with transaction.atomic():
            if not Reminder.objects.filter(pk=reminder_id, sent=False).update(sent=True):
                continue  # another worker took it
            reminder = Reminder.objects.select_related("survey").get(pk=reminder_id)
            survey = reminder.survey
            if not survey.accepts_answers(today):
                continue
            for invitation in survey.invitations.filter(completed=False, sent=True).select_related(
                "politician__user"
            ):
                _mail(
                    invitation,
                    survey,
                    f"evaluations:reminder:{reminder.pk}:{invitation.pk}",
                    "evaluations/mail/reminder",
                )
                queued += 1
    return queued


def survey_close(*, survey: Survey) -> int:
    """Close: release every held response, rewrite the survey's responses in one shuffled
    transaction, and discard the drafts (a draft that was never submitted enters no result,
    issue 12 point 3). Returns the number of drafts discarded."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed or not survey.opened:
            return 0
        _release(survey, closing=True)
        _rewrite_shuffled(survey)
        discarded, _by_model = survey.drafts.all().delete()
        survey.closed = True
        survey.save(update_fields=["closed"])
        _report_pdf_request(survey)
        return discarded


_shuffle = random.SystemRandom().shuffle


def _release(survey: Survey, *, closing: bool) -> int:
    """Move the held responses of the affiliations ``rules.released`` names into the results, in
    shuffled order; the caller holds the survey's row lock and the transaction."""
    held = list(survey.held.select_for_update())
    counts: dict[str, int] = {}
    for row in held:
        counts[row.affiliation] = counts.get(row.affiliation, 0) + 1
    going = rules.released(counts, closing=closing)
    batch = [row for row in held if row.affiliation in going]
    _shuffle(batch)
    for row in batch:
        _store_response(survey, row.affiliation, _from_json(row.data))
    HeldResponse.objects.filter(pk__in=[row.pk for row in batch]).delete()
    return len(batch)


def _rewrite_shuffled(survey: Survey) -> None:
    """Write the survey's responses and answers again, in random order, in this one transaction:
    afterwards every row carries the same transaction id (PostgreSQL's xmin) and a random place
    (ctid, SQLite's rowid), so neither the batches nor the order of submission can be read back."""
    responses = list(Response.objects.filter(survey=survey))
    answers = list(Answer.objects.filter(response__survey=survey))
    by_response: dict = {}
    for answer in answers:
        by_response.setdefault(answer.response_id, []).append(answer)
    Answer.objects.filter(response__survey=survey).delete()
    Response.objects.filter(survey=survey).delete()
    _shuffle(responses)
    Response.objects.bulk_create(responses)
    rows = []
    for response in responses:
        rows.extend(by_response.get(response.pk, []))
    Answer.objects.bulk_create(rows)


def responses_release() -> int:
    """The periodic task's work: for each running survey, release the held responses of every
    affiliation of which at least 5 wait (``rules.released``), each survey in its own
    transaction. Returns how many responses were released."""
    released = 0
    for survey_id in list(
        HeldResponse.objects.filter(survey__closed=False).values_list("survey_id", flat=True).distinct()
    ):
        with transaction.atomic():
            survey = Survey.objects.select_for_update().get(pk=survey_id)
            if not survey.closed:
                released += _release(survey, closing=False)
    return released


def _report_pdf_request(survey: Survey) -> None:
    """The results are final once the survey closes: the pdf worker renders the report ahead."""
    from core.tasks import enqueue_on_commit

    from .tasks import render_survey_report

    enqueue_on_commit(render_survey_report, survey.pk)


def surveys_close_due(*, today: datetime.date) -> int:
    """Close every survey whose closing date has passed; return how many were closed."""
    due = list(Survey.objects.filter(opened=True, closed=False, closes_on__lt=today))
    for survey in due:
        survey_close(survey=survey)
    return len(due)


# --- answering -------------------------------------------------------------------------------------


def _specs(survey: Survey) -> list[rules.QuestionSpec]:
    options: dict[int, list[tuple[int, bool]]] = {}
    for oid, qid, asks_text in Option.objects.filter(question__section__survey=survey).values_list(
        "id", "question_id", "asks_text"
    ):
        options.setdefault(qid, []).append((oid, asks_text))
    return [
        rules.QuestionSpec(
            id=q.pk,
            kind=q.kind,
            required=q.required,
            options=frozenset(o for o, _a in options.get(q.pk, [])),
            text_option=next((o for o, asks in options.get(q.pk, []) if asks), None),
            parent=q.parent_id,
            shown_for=q.shown_for_id,
        )
        for q in Question.objects.filter(section__survey=survey).order_by("section__position", "position")
    ]


def questions_for(survey: Survey, affiliation: str):
    """The questions a respondent of this affiliation is shown (their sections only)."""
    return Question.objects.filter(section__survey=survey).filter(
        Q(section__audience="") | Q(section__audience=affiliation)
    )


def _visible_only(
    survey: Survey, affiliation: str, answers: Mapping[int, rules.Given]
) -> dict[int, rules.Given]:
    visible = set(questions_for(survey, affiliation).values_list("id", flat=True))
    return {qid: given for qid, given in answers.items() if qid in visible}


def _to_json(answers: Mapping[int, rules.Given]) -> dict:
    return {str(qid): {"o": given.options, "t": given.text} for qid, given in answers.items()}


def _from_json(data: Mapping) -> dict[int, rules.Given]:
    return {
        int(qid): rules.Given(options=list(v.get("o", [])), text=v.get("t", "")) for qid, v in data.items()
    }


def invitation_for_link(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_related("survey").filter(token_hash=rules.token_hash(token)).first()
    )
    if invitation is None:
        raise UnknownLink
    return invitation


def draft_load(*, token: str) -> dict[int, rules.Given]:
    draft = Draft.objects.filter(key=rules.draft_key(token)).first()
    return _from_json(draft.data) if draft else {}


def _check_answerable(invitation: Invitation, today: datetime.date) -> None:
    if invitation.completed:
        raise AlreadyAnswered
    if not invitation.survey.accepts_answers(today):
        raise SurveyClosed


def response_save_draft(
    *,
    token: str,
    answers: Mapping[int, rules.Given],
    today: datetime.date,
    page: Sequence[int] | None = None,
) -> Draft:
    """Keep the answers so far under the link's draft key (no validation of required answers).

    With ``page`` (the ids of the questions on one page of a survey answered a section per
    page), the answers replace only those questions' answers in the draft; the rest is kept.
    """
    with transaction.atomic():
        invitation = invitation_for_link(token)
        invitation = Invitation.objects.select_for_update().select_related("survey").get(pk=invitation.pk)
        _check_answerable(invitation, today)
        survey = invitation.survey
        if page is not None:
            answers = rules.merge_page(draft_load(token=token), answers, page)
        cleaned = rules.clean_answers(_specs(survey), answers)
        cleaned = _visible_only(survey, invitation.affiliation, cleaned)
        draft, _created = Draft.objects.update_or_create(
            key=rules.draft_key(token),
            defaults={"survey": survey, "affiliation": invitation.affiliation, "data": _to_json(cleaned)},
        )
        return draft


def draft_errors(*, token: str, affiliation: str, survey: Survey) -> dict[int, str]:
    """What is still missing or wrong in a saved draft, per question id (msgids)."""
    visible = set(questions_for(survey, affiliation).values_list("id", flat=True))
    return rules.answer_errors([s for s in _specs(survey) if s.id in visible], draft_load(token=token))


def _store_response(survey: Survey, affiliation: str, answers: Mapping[int, rules.Given]) -> Response:
    response = Response.objects.create(survey=survey, affiliation=affiliation)
    rows = []
    questions = {q.pk: q.kind for q in Question.objects.filter(pk__in=answers.keys())}
    text_options = set(
        Option.objects.filter(question_id__in=answers.keys(), asks_text=True).values_list("id", flat=True)
    )
    for qid, given in answers.items():
        if questions[qid] == Question.Kind.TEXT:
            rows.append(Answer(response=response, question_id=qid, text=given.text))
            continue
        for oid in given.options:
            rows.append(
                Answer(
                    response=response,
                    question_id=qid,
                    option_id=oid,
                    text=given.text if oid in text_options else "",
                )
            )
    Answer.objects.bulk_create(rows)
    return response


def response_submit(*, token: str, answers: Mapping[int, rules.Given], today: datetime.date) -> HeldResponse:
    """Submit once: the answers wait in the holding table for their batch (``responses_release``),
    the invitation is marked completed (not when), and the draft is deleted. Raises
    AnswerErrors, SurveyClosed or AlreadyAnswered."""
    with transaction.atomic():
        invitation = invitation_for_link(token)
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        # The survey's row lock orders a submission against closing (and a batch's release):
        # a response is never held for a survey that has closed meanwhile.
        invitation.survey = Survey.objects.select_for_update().get(pk=invitation.survey_id)
        _check_answerable(invitation, today)
        survey = invitation.survey
        specs = _specs(survey)
        visible = set(questions_for(survey, invitation.affiliation).values_list("id", flat=True))
        specs = [s for s in specs if s.id in visible]
        errors = rules.answer_errors(specs, answers)
        if errors:
            raise AnswerErrors(errors)
        cleaned = rules.clean_answers(specs, answers)
        held = HeldResponse.objects.create(
            survey=survey, affiliation=invitation.affiliation, data=_to_json(cleaned)
        )
        updated = Invitation.objects.filter(pk=invitation.pk, completed=False).update(completed=True)
        if not updated:
            raise AlreadyAnswered
        Draft.objects.filter(key=rules.draft_key(token)).delete()
        return held
