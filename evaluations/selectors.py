"""Reads of evaluations: the survey report (for the page, the PDF and the XLSX), who was invited
and where their link is, and the questions a respondent is shown. A fixed number of queries
whatever the number of questions and responses (aggregates, never a query per row).

A closed survey's report never changes (its answers and questions are final), so it is computed
once and kept in the cache (``stored_report``), keyed on what it depends on: the survey, the
earlier survey it is compared with, the language, and ``REPORT_VERSION``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime as DateTime

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from accounts.models import Notice
from core.charts import Bar, bar_chart, paired_bar_chart

from . import rules
from .models import Affiliation, Answer, Invitation, Option, Question, Response, Survey


@dataclass(frozen=True)
class InviteeRow:
    invitation: Invitation
    link: str  # rules.link_state
    sent_at: DateTime | None
    due_at: DateTime | None


def invitee_rows(survey: Survey) -> list[InviteeRow]:
    """Each invitee with where their personal link is (queued, sent when, failed), read from the
    notice outbox: two queries whatever the number of invitees."""
    invitations = list(survey.invitations.order_by("affiliation", "name"))
    keys = {f"evaluations:invite:{i.pk}": i.pk for i in invitations}
    notices = {
        keys[key]: (status, sent_at, due_at)
        for key, status, sent_at, due_at in Notice.objects.filter(key__in=keys).values_list(
            "key", "status", "sent_at", "due_at"
        )
    }
    rows = []
    for invitation in invitations:
        status, sent_at, due_at = notices.get(invitation.pk, (None, None, None))
        rows.append(InviteeRow(invitation, rules.link_state(invitation.sent, status), sent_at, due_at))
    return rows


def questions_for(survey: Survey, affiliation: str):
    """The questions a respondent of this affiliation is shown (their sections only)."""
    return Question.objects.filter(section__survey=survey).filter(
        Q(section__audience="") | Q(section__audience=affiliation)
    )


# --- the report ------------------------------------------------------------------------------------


@dataclass
class Breakdown:
    groups: list[tuple[str, int]]  # (affiliation label, respondents) of the groups shown
    rows: list[tuple[str, list[int]]]  # option label, count per shown group
    hidden: list[str]  # labels of suppressed groups


@dataclass
class Comparison:
    title: str  # the earlier survey
    n: int
    stats: rules.QuestionStats
    chart: str  # both periods' shares per answer
    rows: list[tuple[str, rules.OptionCount | None, rules.OptionCount | None]]  # label, before, now


@dataclass
class QuestionReport:
    question: Question
    number: str
    n: int
    stats: rules.QuestionStats | None = None
    chart: str = ""
    texts: list[str] = field(default_factory=list)
    other_texts: list[str] = field(default_factory=list)
    follow_up_of: str = ""
    breakdown: Breakdown | None = None
    comparison: Comparison | None = None
    withheld: str = ""  # why nothing of the results is shown (rules.withheld), translated


@dataclass
class SectionReport:
    title: str
    audience: str
    n: int | None  # respondents who were shown the section; None when withheld
    questions: list[QuestionReport]
    withheld: str = ""  # why the section's results are not shown (rules.withheld), translated


@dataclass
class Report:
    survey: Survey
    status: str
    responses: int
    complete: int
    invited: int
    completed_invitations: int
    groups: list[tuple[str, int]]
    hidden_groups: list[str]
    sections: list[SectionReport]
    earlier: Survey | None
    results_shown: bool
    key: str = ""  # where a closed survey's report (and its page's HTML) is stored; "" when not


def earlier_survey(survey: Survey) -> Survey | None:
    """The latest earlier survey of the same region made from the same template."""
    if not survey.template_id or not survey.period_start:
        return None
    return (
        Survey.objects.filter(
            template_id=survey.template_id,
            region_id=survey.region_id,
            is_template=False,
            period_start__lt=survey.period_start,
            closed=True,
        )
        .order_by("-period_start")
        .first()
    )


@dataclass
class _Tally:
    counts: dict  # question_id -> {(option_id, affiliation): count}
    n: dict  # question_id -> {affiliation: respondents who answered}
    texts: dict  # question_id -> [(option_id, text)]


def _tally(survey: Survey, questions: list[Question]) -> _Tally:
    """Every count the report needs from one grouped pass over the survey's answers (question,
    option, affiliation and text), plus, for multiple-choice questions only, how many respondents
    answered them (one answer row per chosen option, so rows are not respondents there)."""
    answers = Answer.objects.filter(response__survey=survey)
    multiple = [q.pk for q in questions if q.kind == Question.Kind.MULTIPLE]
    counts: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    n: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    texts: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for qid, oid, affiliation, text, c in (
        answers.values_list("question_id", "option_id", "response__affiliation", "text")
        .annotate(c=Count("id"))
        .order_by()
    ):
        if oid is not None:
            counts[qid][(oid, affiliation)] += c
        if text:
            texts[qid].extend([(oid, text)] * c)
        if qid not in multiple:  # a single choice or a free text is one row per respondent
            n[qid][affiliation] += c
    if multiple:
        for qid, affiliation, c in (
            answers.filter(question_id__in=multiple)
            .values_list("question_id", "response__affiliation")
            .annotate(c=Count("response_id", distinct=True))
            .order_by()
        ):
            n[qid][affiliation] = c
    for rows in texts.values():
        rows.sort(key=lambda row: row[1])
    return _Tally(counts, n, texts)


def _group_sizes(survey: Survey) -> dict[str, int]:
    return dict(
        Response.objects.filter(survey=survey)
        .values("affiliation")
        .annotate(c=Count("id"))
        .values_list("affiliation", "c")
    )


def question_withheld(question: Question, sizes: dict[str, int], answered: int, chosen: dict) -> str:
    """rules.withheld for one question (msgid, "" when its results may be shown); ``chosen`` is
    the count per option, used when the question asks for the respondent's group. The report,
    the PDF, the charts and both XLSX sheets all ask this one function."""
    return rules.withheld(
        question.section.audience,
        sizes,
        answered,
        follow_up=question.parent_id is not None,
        optional=not question.required,
        chosen=chosen if question.key in rules.GROUP_KEYS else None,
    )


def _withheld(question: Question, sizes: dict[str, int], tally: _Tally) -> str:
    chosen: dict = defaultdict(int)
    for (oid, _affiliation), c in tally.counts.get(question.pk, {}).items():
        chosen[oid] += c
    return question_withheld(question, sizes, sum(tally.n.get(question.pk, {}).values()), chosen)


def _stats(question: Question, options: list[Option], tally: _Tally, groups=None):
    """n and statistics of one question, over all respondents or only the given affiliations."""
    n = sum(v for a, v in tally.n.get(question.pk, {}).items() if groups is None or a in groups)
    counts = defaultdict(int)
    labels = {o.pk: o.label for o in options}
    for (oid, affiliation), c in tally.counts.get(question.pk, {}).items():
        if groups is None or affiliation in groups:
            counts[labels[oid]] += c
    scored = bool(question.scale) and rules.SCALES[question.scale].scored
    return n, rules.question_stats([(o.label, o.dont_know) for o in options], counts, n, scored=scored)


def _breakdown(question: Question, options: list[Option], tally: _Tally, stats, labels) -> Breakdown | None:
    """Counts per affiliation for one question; a group that fewer than 5 answered is hidden
    here too (with the second-smallest when it is the only one), whatever its overall size."""
    answered = tally.n.get(question.pk, {})
    hidden = rules.suppressed_groups(answered)
    groups = [a for a in Affiliation.values if answered.get(a) and a not in hidden]
    if not groups:
        return None
    per_group = [_stats(question, options, tally, groups={a}) for a in groups]
    return Breakdown(
        groups=[(str(labels[a]), n) for a, (n, _s) in zip(groups, per_group, strict=True)],
        rows=[(o.label, [s.options[i].count for _n, s in per_group]) for i, o in enumerate(stats.options)],
        hidden=[str(labels[a]) for a in Affiliation.values if a in hidden],
    )


def _chart(title: str, stats: rules.QuestionStats) -> str:
    return bar_chart(
        title, [Bar(o.label, o.count, muted=o.dont_know) for o in stats.options], label_width=300
    )


def _questions(survey: Survey):
    questions = list(
        Question.objects.filter(section__survey=survey)
        .select_related("section", "shown_for")
        .order_by("section__position", "position")
    )
    options: dict[int, list[Option]] = defaultdict(list)
    for option in Option.objects.filter(question__section__survey=survey).order_by("question_id", "position"):
        options[option.question_id].append(option)
    return questions, options


def _summary(survey: Survey, today: datetime.date) -> tuple[Report, dict[str, int]]:
    """The counts every report shows, running or closed, and the respondents per affiliation."""
    by_group: dict[str, int] = defaultdict(int)
    complete = 0
    for row in (
        Response.objects.filter(survey=survey).values("affiliation", "complete").annotate(c=Count("id"))
    ):
        by_group[row["affiliation"]] += row["c"]
        complete += row["c"] if row["complete"] else 0
    # Submitted responses still waiting for their batch count too (nothing else of them shows).
    held = 0 if survey.closed else survey.held.count()
    invitations = survey.invitations.aggregate(
        invited=Count("id"), completed=Count("id", filter=Q(completed=True))
    )
    labels = dict(Affiliation.choices)
    hidden = rules.suppressed_groups(by_group)
    report = Report(
        survey=survey,
        status=survey.status(today),
        responses=sum(by_group.values()) + held,
        complete=complete + held,
        invited=invitations["invited"],
        completed_invitations=invitations["completed"],
        groups=[
            (str(labels[a]), by_group[a]) for a in Affiliation.values if by_group.get(a) and a not in hidden
        ],
        hidden_groups=[str(labels[a]) for a in Affiliation.values if a in hidden],
        sections=[],
        earlier=None,
        # While a survey runs only the count is shown: watching results move as people complete
        # would tell who answered what. survey_close sets `closed` once every held response is in.
        results_shown=survey.closed,
    )
    return report, by_group


def _earlier_stats(earlier: Survey) -> dict[str, tuple[int, rules.QuestionStats]]:
    """n and statistics per question key of the earlier survey, where they may be shown: the
    earlier period follows the same rule, a small group's answers stay hidden there too."""
    questions, options = _questions(earlier)
    tally = _tally(earlier, questions)
    sizes = _group_sizes(earlier)
    return {
        q.key: _stats(q, options[q.pk], tally)
        for q in questions
        if q.kind != Question.Kind.TEXT and not _withheld(q, sizes, tally)
    }


def _section_report(section, by_group: dict[str, int]) -> SectionReport:
    withheld = rules.withheld(section.audience, by_group)
    return SectionReport(
        title=section.title,
        audience=str(dict(Affiliation.choices)[section.audience]) if section.audience else "",
        n=None if withheld else sum(v for a, v in by_group.items() if section.is_for(a)),
        questions=[],
        withheld=_(withheld) if withheld else "",
    )


def build_report(
    survey: Survey,
    *,
    today: datetime.date,
    compare: bool = True,
    breakdown: bool = True,
    earlier: Survey | None = None,
) -> Report:
    """The report of a survey; ``earlier`` is the survey compared with when the caller has looked
    it up already (``compare`` looks it up otherwise)."""
    report, by_group = _summary(survey, today)
    if not report.results_shown:
        return report
    questions, options = _questions(survey)
    tally = _tally(survey, questions)
    report.earlier = earlier or (earlier_survey(survey) if compare else None)
    before = _earlier_stats(report.earlier) if report.earlier else {}
    sections: dict[int, SectionReport] = {}
    counters: dict[int, int] = defaultdict(int)
    for q in questions:
        if q.section_id not in sections:
            sections[q.section_id] = _section_report(q.section, by_group)
        if not q.parent_id:
            counters[q.section_id] += 1
        item = QuestionReport(
            question=q,
            number="" if q.parent_id else str(counters[q.section_id]),
            n=0,
            follow_up_of=q.shown_for.label if q.parent_id and q.shown_for_id else "",
        )
        _fill(item, options[q.pk], tally, by_group, breakdown=breakdown and bool(report.groups))
        if item.stats is not None and q.key in before:
            item.comparison = _compare(report.earlier, *before[q.key], survey, item.n, item.stats)
        sections[q.section_id].questions.append(item)
    report.sections = list(sections.values())
    return report


def _fill(item: QuestionReport, options: list[Option], tally: _Tally, by_group, *, breakdown: bool) -> None:
    """One question's results: withheld, its free texts, or its counts, chart and breakdown."""
    q = item.question
    texts = [t for _o, t in tally.texts.get(q.pk, [])]
    withheld = _withheld(q, by_group, tally)
    if withheld:
        # A section for one affiliation shows that group's answers: when the breakdown would
        # hide the group, nothing of them is shown (no n, counts, chart, texts or comparison).
        item.withheld = _(withheld)
    elif q.kind == Question.Kind.TEXT:
        item.texts = texts
        item.n = len(texts)
    else:
        item.n, item.stats = _stats(q, options, tally)
        prefix = f"{item.number}) " if item.number else ""
        item.chart = _chart(f"{prefix}{q.text} (n={item.n})", item.stats)
        item.other_texts = texts
        if breakdown:
            item.breakdown = _breakdown(q, options, tally, item.stats, dict(Affiliation.choices))


# Raise when the stored report's shape or content changes, so stored reports are made again.
REPORT_VERSION = 3


def stored_report(survey: Survey, *, today: datetime.date) -> Report:
    """The report of a survey; a closed survey's is computed once and kept (its answers never
    change), keyed on the survey, the earlier survey it is compared with (a survey of an earlier
    period may close later), the language of its texts and ``REPORT_VERSION``; the page keeps
    the results' HTML under the same key (``report.key``). A running survey's report (counts
    only) is computed each time."""
    if not survey.closed:
        return build_report(survey, today=today)
    earlier = earlier_survey(survey)
    key = f"evaluations:report:{REPORT_VERSION}:{survey.pk}:{earlier.pk if earlier else 0}:{get_language()}"
    report = cache.get(key)
    if report is None:
        report = build_report(survey, today=today, earlier=earlier, compare=earlier is not None)
        report.key = key
        cache.set(key, report, timeout=None)
    return report


def _compare(earlier: Survey, earlier_n: int, earlier_stats, survey: Survey, n: int, stats) -> Comparison:
    """The earlier period beside this one: one chart of both periods' shares (n differs between
    periods) per answer, in this period's order, and the rows of counts and shares. An answer
    one period did not have reads "–" in the chart as in the table, never 0 %."""
    now = {o.label: o for o in stats.options}
    then = {o.label: o for o in earlier_stats.options}
    order = [o.label for o in stats.options] + [label for label in then if label not in now]

    def shares(by_label) -> list[int | None]:
        return [round(by_label[label].percent) if label in by_label else None for label in order]

    return Comparison(
        title=earlier.title,
        n=earlier_n,
        stats=earlier_stats,
        chart=paired_bar_chart(
            _("Share of answers, %(before)s (n=%(n_before)s) and %(now)s (n=%(n_now)s)")
            % {"before": earlier.period, "n_before": earlier_n, "now": survey.period, "n_now": n},
            order,
            [(f"{earlier.period} (n={earlier_n})", shares(then)), (f"{survey.period} (n={n})", shares(now))],
            unit=" %",
            label_width=260,
            muted=frozenset(label for label in order if (now.get(label) or then.get(label)).dont_know),
        ),
        rows=[(label, then.get(label), now.get(label)) for label in order],
    )
