"""Opening a survey and reaching its audience: who is invited (from the register), the personal
links, opening, and the reminders."""

import datetime
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.messaging import queue_notice
from appointments.models import Appointment, Council, Seat
from core.errors import Refused, refuse
from register.models import Politician

from .. import rules
from ..models import Affiliation, Invitation, Question, Reminder, Survey


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
        raise Refused(_("A template has no respondents."))
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey.pk)
        if survey.closed:
            raise Refused(_("This survey takes no new respondents."), code="closed")
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
        raise Refused(_("Open the survey before sending the links."))
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
            raise Refused(_("A template cannot be opened; copy it first."))
        if survey.opened:
            return survey
        if not survey.opens_on or not survey.closes_on:
            raise Refused(_("Set the opening and closing dates first."))
        if survey.closes_on < today:
            raise Refused(_("The closing date has passed."))
        if not Question.objects.filter(section__survey=survey).exists():
            raise Refused(_("The survey has no questions."))
        if not survey.invitations.exists():
            raise Refused(_("Invite the respondents first."))
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
