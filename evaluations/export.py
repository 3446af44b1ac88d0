"""All answers of a survey as one sheet: one row per response, no identities.

Rows are in the responses' random order; the affiliation of a group smaller than 5 is left out
(the same suppression as the report's breakdown), or a lone appointee's row would be theirs.
The answers to a section limited to such a group are left out too, for every row, when the
report withholds them (``rules.withheld``): a row with answers there would tell the "—" rows
apart again. The column stays, empty, with the reason in its header.
"""

from collections import defaultdict

from django.db.models import Count
from django.utils.translation import gettext as _

from core.words import yes_no
from core.xlsx import Sheet

from . import rules
from .models import Affiliation, Answer, Question, Response, Survey
from .selectors import question_withheld


def answer_sheet(survey: Survey) -> Sheet:
    questions = list(
        Question.objects.filter(section__survey=survey)
        .select_related("section")
        .order_by("section__position", "position")
    )
    sizes = dict(
        Response.objects.filter(survey=survey)
        .values("affiliation")
        .annotate(c=Count("id"))
        .values_list("affiliation", "c")
    )
    hidden = rules.suppressed_groups(sizes)
    labels = dict(Affiliation.choices)
    cells: dict = defaultdict(lambda: defaultdict(list))
    for response_id, question_id, label, text in (
        Answer.objects.filter(response__survey=survey)
        .order_by("question_id", "option__position")
        .values_list("response_id", "question_id", "option__label", "text")
    ):
        if label and text:
            cells[response_id][question_id].append(f"{label}: {text}")
        else:
            cells[response_id][question_id].append(label or text)
    answered: dict[int, int] = defaultdict(int)
    chosen: dict[int, dict] = defaultdict(lambda: defaultdict(int))
    for answers in cells.values():
        for question_id, given in answers.items():
            answered[question_id] += 1
            for value in given:
                chosen[question_id][value] += 1
    withheld = {q.pk: question_withheld(q, sizes, answered[q.pk], chosen[q.pk]) for q in questions}
    header = [_("Response"), _("Affiliation"), _("Complete")] + [
        f"{q.section.position}.{q.position} {q.text}" + (f" [{_(withheld[q.pk])}]" if withheld[q.pk] else "")
        for q in questions
    ]
    rows = []
    for number, (response_id, affiliation, complete) in enumerate(
        Response.objects.filter(survey=survey).order_by("id").values_list("id", "affiliation", "complete"),
        start=1,
    ):
        answers = cells.get(response_id, {})
        rows.append(
            [
                number,
                "—" if affiliation in hidden else str(labels[affiliation]),
                yes_no(complete),
                *["" if withheld[q.pk] else "; ".join(answers.get(q.pk, [])) for q in questions],
            ]
        )
    return Sheet(_("Responses"), header, rows)


def summary_sheet(report) -> Sheet:
    """The report's numbers, one row per answer option: what the charts show, for further use."""
    rows = []
    for section in report.sections:
        for item in section.questions:
            if item.withheld:
                rows.append(
                    [section.title, item.number, item.question.text, None, item.withheld, None, None, None]
                )
                continue
            if item.stats is None:
                continue
            for option in item.stats.options:
                rows.append(
                    [
                        section.title,
                        item.number,
                        item.question.text,
                        item.n,
                        option.label,
                        option.count,
                        round(option.percent, 1),
                        round(item.stats.mean, 2) if item.stats.mean is not None else None,
                    ]
                )
    header = [
        _("Section"),
        _("No."),
        _("Question"),
        "n",
        _("Answer"),
        _("Count"),
        _("Share (%)"),
        _("Average"),
    ]
    return Sheet(_("Summary"), header, rows)
