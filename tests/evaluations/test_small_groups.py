"""docs/rules.md §6: no breakdown for a group of fewer than 5. A section limited to one affiliation shows
that group's answers, so the report, the PDF, the XLSX and the charts withhold it whenever the
breakdown would hide that group (rules.withheld)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from evaluations import rules, services
from evaluations.models import Answer, Option, Question, Response, Survey
from evaluations.selectors import build_report
from evaluations.tasks import render_survey_report

from .conftest import TODAY

pytestmark = pytest.mark.django_db

SECRET = "Only a member would write this"


def closed_survey(template, council, start=2022):
    survey = services.survey_copy_from_template(
        template=template, council=council, period_start=start, period_end=start + 4
    )
    part2 = survey.sections.get(audience="member")
    services.question_add(
        section=part2, text="Anything else, members?", kind=Question.Kind.TEXT, key="m-text"
    )
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=datetime.date(start + 4, 1, 1),
        closes_on=datetime.date(start + 4, 2, 1),
        opened=True,
        closed=True,
    )
    return Survey.objects.get(pk=survey.pk)


def respond(survey, affiliation, *, meetings=True, text=True):
    questions = {q.key: q for q in Question.objects.filter(section__survey=survey)}
    response = Response.objects.create(survey=survey, affiliation=affiliation)

    def option(key, label):
        return Option.objects.get(question=questions[key], label=label)

    Answer.objects.create(response=response, question=questions["overall"], option=option("overall", "Godt"))
    if affiliation == "member" and meetings:
        Answer.objects.create(
            response=response, question=questions["meetings"], option=option("meetings", "For få")
        )
    if affiliation == "member" and text:
        Answer.objects.create(response=response, question=questions["m-text"], text=SECRET)


def fill(survey, members, others, *, answered=None, other="council_member"):
    for i in range(members):
        respond(
            survey, "member", meetings=answered is None or i < answered, text=answered is None or i < answered
        )
    for _ in range(others):
        respond(survey, other)


def item_of(report, key):
    return next(i for s in report.sections for i in s.questions if i.question.key == key)


def xlsx(client, survey):
    response = client.get(reverse("evaluations:report_xlsx", args=[survey.pk]))
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return list(book["Responses"].iter_rows(values_only=True)), list(
        book["Summary"].iter_rows(values_only=True)
    )


def part2_columns(header):
    return [i for i, name in enumerate(header) if name and name.startswith("2.")]


@pytest.mark.parametrize(
    ("members", "others", "answered", "message"),
    [
        (4, 10, None, rules.WITHHELD_TOO_FEW),  # the group itself is under 5
        (6, 2, None, rules.WITHHELD_WORKED_OUT),  # 8 - 6 would give the 2 others away
        (8, 8, 4, rules.WITHHELD_TOO_FEW),  # the group is large, but only 4 of it answered
    ],
)
def test_a_small_groups_section_leaks_nowhere(
    client, login, personas, template, council, members, others, answered, message
):
    survey = closed_survey(template, council)
    fill(survey, members, others, answered=answered)
    report = build_report(survey, today=TODAY)
    for key in ("meetings", "m-text"):
        item = item_of(report, key)
        assert item.withheld and item.stats is None and item.chart == "" and not item.texts
        assert item.n == 0 and item.breakdown is None and item.comparison is None

    login(personas["secretariat"])
    page = client.get(reverse("evaluations:report", args=[survey.pk])).text
    assert "Number of meetings?" in page and message.split(",")[0] in page
    assert SECRET not in page and "For få" not in page  # no counts, chart, table or texts
    assert "Only for: KKR member (n=" not in page or answered is not None

    rows, summary = xlsx(client, survey)
    header, body = rows[0], rows[1:]
    columns = part2_columns(header)
    assert len(columns) == 2 and all("[" in header[i] for i in columns)
    assert all(row[i] in (None, "") for row in body for i in columns)
    assert not any(SECRET in str(cell) or "For få" in str(cell) for row in rows for cell in row)
    withheld_rows = [r for r in summary if r[2] in ("Number of meetings?", "Anything else, members?")]
    assert [r[4] for r in withheld_rows] == [message, message] and withheld_rows[0][3] is None
    assert not any(r[4] == "For få" for r in summary)


def test_the_pdf_withholds_the_section_too(template, council):
    survey = closed_survey(template, council)
    fill(survey, 4, 10)
    assert render_survey_report(survey.pk) > 0
    reader = PdfReader(io.BytesIO(survey.report_pdf.file.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    squeezed = text.replace(" ", "")  # the PDF's text layer may split a word at a kerning
    # The PDF is Danish throughout, its report's texts too ("Too few answers to show" in Danish).
    withheld = "Forfåsvartilatblivevist"
    assert withheld in squeezed and "Numberofmeetings?" in squeezed
    assert (
        "Forfå" not in squeezed.replace(withheld, "")
        and SECRET.replace(" ", "") not in squeezed
        and "(n=4)" not in squeezed
    )


@pytest.mark.parametrize(("members", "others", "answered"), [(5, 5, None), (8, 8, 5)])
def test_a_section_of_a_group_of_5_is_shown(
    client, login, personas, template, council, members, others, answered
):
    survey = closed_survey(template, council)
    fill(survey, members, others, answered=answered)
    shown = answered or members
    report = build_report(survey, today=TODAY)
    item = item_of(report, "meetings")
    assert not item.withheld and item.n == shown
    assert next(o.count for o in item.stats.options if o.label == "For få") == shown
    assert report.sections[1].n == members and not report.sections[1].withheld
    login(personas["secretariat"])
    page = client.get(reverse("evaluations:report", args=[survey.pk])).text
    assert f"Only for: KKR member (n={members})" in page and SECRET in page
    rows, _summary = xlsx(client, survey)
    columns = part2_columns(rows[0])
    assert sum(1 for row in rows[1:] if row[columns[0]] == "For få") == shown


def test_the_earlier_period_is_compared_only_where_it_was_shown(template, council):
    earlier = closed_survey(template, council, start=2018)
    fill(earlier, 4, 10)
    later = closed_survey(template, council, start=2022)
    fill(later, 10, 10)
    report = build_report(later, today=TODAY)
    assert report.earlier == earlier
    assert item_of(report, "overall").comparison is not None
    meetings = item_of(report, "meetings")
    assert not meetings.withheld and meetings.comparison is None  # 2018's 4 members stay hidden


@pytest.mark.parametrize(("followers", "shown"), [(3, False), (5, True)])
def test_a_follow_up_answered_by_a_small_group_is_withheld(template, council, followers, shown):
    """Those who answer a follow-up chose themselves by their first answer: fewer than 5 of them
    are a group too small to show (the template's follow-up only appointees see, for one)."""
    survey = closed_survey(template, council)
    fill(survey, 10, 0)
    follow_up = Question.objects.filter(section__survey=survey, parent__isnull=False)[0]
    option = follow_up.options.first()
    for response in Response.objects.filter(survey=survey)[:followers]:
        Answer.objects.create(
            response=response, question=follow_up, option=option, text="" if option else SECRET
        )
    item = item_of(build_report(survey, today=TODAY), follow_up.key)
    assert bool(item.withheld) is not shown
    assert (item.n == followers) is shown


def test_the_lone_appointee_is_singled_out_nowhere(client, login, personas, template, council):
    """Issue 12 point 2: the template's own "Angiv din tilknytning" and a question only one group
    answers (here optional, "how long have you been an appointee") showed n=1 on the report and
    in the XLSX, and the one appointee who completed is named on the invitee list."""
    survey = closed_survey(template, council)
    Survey.objects.filter(pk=survey.pk).update(opened=False, closed=False)  # to add two questions
    first = survey.sections.get(audience="")
    group_question = services.question_add(
        section=first,
        text="Angiv din tilknytning til KKR",
        kind=Question.Kind.SINGLE,
        options=services.options_for("", ["Medlem af KKR", "KKR-udpeget"]),
        required=True,
        key="tilknytning",
    )
    appointee_question = services.question_add(
        section=first,
        text="Hvor længe har du været KKR-udpeget?",
        kind=Question.Kind.SINGLE,
        options=services.options_for("", ["Hele valgperioden", "Noget af valgperioden"]),
        key="udpeget-laengde",
    )
    Survey.objects.filter(pk=survey.pk).update(opened=True, closed=True)
    fill(survey, 21, 1, other="appointee")
    for response in Response.objects.filter(survey=survey):
        label = "KKR-udpeget" if response.affiliation == "appointee" else "Medlem af KKR"
        Answer.objects.create(
            response=response, question=group_question, option=group_question.options.get(label=label)
        )
        if response.affiliation == "appointee":
            Answer.objects.create(
                response=response,
                question=appointee_question,
                option=appointee_question.options.get(label="Noget af valgperioden"),
            )
    report = build_report(survey, today=TODAY)
    assert item_of(report, "tilknytning").withheld and item_of(report, "tilknytning").stats is None
    assert item_of(report, "udpeget-laengde").withheld and item_of(report, "udpeget-laengde").chart == ""
    assert not item_of(report, "overall").withheld  # required and for everyone: n = 22, shown

    login(personas["secretariat"])
    page = client.get(reverse("evaluations:report", args=[survey.pk])).text
    assert "KKR-udpeget: 1" not in page and "Noget af valgperioden: 1" not in page
    rows, summary = xlsx(client, survey)
    header, body = rows[0], rows[1:]
    for key_text in ("Angiv din tilknytning til KKR", "Hvor længe har du været KKR-udpeget?"):
        column = next(i for i, name in enumerate(header) if key_text in name)
        assert "[" in header[column]
        assert all(row[column] in (None, "") for row in body)
    assert not any(cell in ("KKR-udpeget", "Noget af valgperioden") for row in body for cell in row)
    assert not any(r[4] == "KKR-udpeget" for r in summary)
