"""The survey report as plain data for the page, the PDF and the export: a fixed number of
queries whatever the number of questions and responses (aggregates, never a query per row)."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from core.charts import Bar, bar_chart

from . import rules
from .models import Affiliation, Answer, Option, Question, Response, Survey


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
    chart_before: str
    chart_now: str
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


def _tally(survey: Survey) -> _Tally:
    answers = Answer.objects.filter(response__survey=survey)
    counts: dict[int, dict] = defaultdict(dict)
    for row in (
        answers.filter(option__isnull=False)
        .values("question_id", "option_id", "response__affiliation")
        .annotate(c=Count("id"))
    ):
        counts[row["question_id"]][(row["option_id"], row["response__affiliation"])] = row["c"]
    n: dict[int, dict] = defaultdict(dict)
    for row in answers.values("question_id", "response__affiliation").annotate(
        n=Count("response_id", distinct=True)
    ):
        n[row["question_id"]][row["response__affiliation"]] = row["n"]
    texts: dict[int, list[tuple[int | None, str]]] = defaultdict(list)
    for qid, oid, text in (
        answers.exclude(text="").order_by("text").values_list("question_id", "option_id", "text")
    ):
        texts[qid].append((oid, text))
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


def build_report(
    survey: Survey, *, today: datetime.date, compare: bool = True, breakdown: bool = True
) -> Report:
    status = survey.status(today)
    by_group = defaultdict(int)
    complete = 0
    for row in (
        Response.objects.filter(survey=survey).values("affiliation", "complete").annotate(c=Count("id"))
    ):
        by_group[row["affiliation"]] += row["c"]
        complete += row["c"] if row["complete"] else 0
    # Submitted responses still waiting for their batch count too (nothing else of them shows).
    held = 0 if survey.closed else survey.held.count()
    complete += held
    invitations = survey.invitations.aggregate(
        invited=Count("id"), completed=Count("id", filter=Q(completed=True))
    )
    labels = dict(Affiliation.choices)
    hidden = rules.suppressed_groups(by_group)
    shown_groups = [a for a in Affiliation.values if by_group.get(a) and a not in hidden]
    # While a survey runs only the count is shown: watching results move as people complete
    # would tell who answered what.
    results_shown = survey.closed  # set by survey_close, once every held response is released
    report = Report(
        survey=survey,
        status=status,
        responses=sum(by_group.values()) + held,
        complete=complete,
        invited=invitations["invited"],
        completed_invitations=invitations["completed"],
        groups=[(str(labels[a]), by_group[a]) for a in shown_groups],
        hidden_groups=[str(labels[a]) for a in Affiliation.values if a in hidden],
        sections=[],
        earlier=None,
        results_shown=results_shown,
    )
    if not results_shown:
        return report

    questions, options = _questions(survey)
    tally = _tally(survey)
    earlier = earlier_survey(survey) if compare else None
    report.earlier = earlier
    before = {}
    if earlier is not None:
        earlier_questions, earlier_options = _questions(earlier)
        earlier_tally = _tally(earlier)
        earlier_sizes = _group_sizes(earlier)
        for q in earlier_questions:
            # The earlier period follows the same rule: a small group's answers stay hidden there too.
            if q.kind != Question.Kind.TEXT and not _withheld(q, earlier_sizes, earlier_tally):
                before[q.key] = _stats(q, earlier_options[q.pk], earlier_tally)

    sections: dict[int, SectionReport] = {}
    numbers: dict[int, str] = {}
    counters: dict[int, int] = defaultdict(int)
    for q in questions:
        section = sections.get(q.section_id)
        if section is None:
            audience = q.section.audience
            section_withheld = rules.withheld(audience, by_group)
            section = SectionReport(
                title=q.section.title,
                audience=str(labels[audience]) if audience else "",
                n=None if section_withheld else sum(v for a, v in by_group.items() if q.section.is_for(a)),
                questions=[],
                withheld=_(section_withheld) if section_withheld else "",
            )
            sections[q.section_id] = section
        if q.parent_id:
            number = ""
        else:
            counters[q.section_id] += 1
            number = str(counters[q.section_id])
        numbers[q.pk] = number
        item = QuestionReport(question=q, number=number, n=0)
        if q.parent_id:
            item.follow_up_of = q.shown_for.label if q.shown_for_id else ""
        texts = tally.texts.get(q.pk, [])
        withheld = _withheld(q, by_group, tally)
        if withheld:
            # A section for one affiliation shows that group's answers: when the breakdown would
            # hide the group, nothing of them is shown (no n, counts, chart, texts or comparison).
            item.withheld = _(withheld)
        elif q.kind == Question.Kind.TEXT:
            item.texts = [t for _o, t in texts]
            item.n = len(item.texts)
        else:
            item.n, item.stats = _stats(q, options[q.pk], tally)
            title = f"{number}) {q.text} (n={item.n})" if number else f"{q.text} (n={item.n})"
            item.chart = _chart(title, item.stats)
            item.other_texts = [t for _o, t in texts]
            if breakdown and shown_groups:
                item.breakdown = _breakdown(q, options[q.pk], tally, item.stats, labels)
            if q.key in before and earlier is not None:
                earlier_n, earlier_stats = before[q.key]
                item.comparison = _compare(earlier, earlier_n, earlier_stats, survey, item.n, item.stats)
        section.questions.append(item)
    report.sections = list(sections.values())
    return report


def _compare(earlier: Survey, earlier_n: int, earlier_stats, survey: Survey, n: int, stats) -> Comparison:
    """The earlier period beside this one: two bar charts of shares (n differs between periods)
    over the same answers in the same order, and the rows of counts and shares."""
    now = {o.label: o for o in stats.options}
    then = {o.label: o for o in earlier_stats.options}
    order = [o.label for o in stats.options] + [label for label in then if label not in now]
    muted = {label for label in order if (now.get(label) or then.get(label)).dont_know}
    top = max([o.percent for o in stats.options] + [o.percent for o in earlier_stats.options] + [1])

    def chart(period: str, count: int, by_label) -> str:
        bars = [
            Bar(label, round(by_label[label].percent) if label in by_label else 0, muted=label in muted)
            for label in order
        ]
        title = _("%(period)s (n=%(n)s), share of answers") % {"period": period, "n": count}
        return bar_chart(title, bars, unit=" %", width=520, label_width=230, maximum=round(top))

    return Comparison(
        title=earlier.title,
        n=earlier_n,
        stats=earlier_stats,
        chart_before=chart(earlier.period, earlier_n, then),
        chart_now=chart(survey.period, n, now),
        rows=[(label, then.get(label), now.get(label)) for label in order],
    )
