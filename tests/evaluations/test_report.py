import datetime
import io
import random

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from evaluations import demo, rules, services
from evaluations.documents import render_survey_report
from evaluations.models import Affiliation, Answer, Invitation, Option, Question, ReportPdf, Response, Survey
from evaluations.selectors import _breakdown, _compare, _stats, _Tally, build_report, stored_report

from .conftest import TODAY, token_of

pytestmark = pytest.mark.django_db


def big_template() -> Survey:
    template = services.survey_create(title="Big", is_template=True)
    for s in range(2):
        section = services.section_add(survey=template, title=f"Part {s + 1}", audience="member" if s else "")
        for i in range(20):
            kind = ["single", "single", "multiple", "text"][i % 4]
            scale = ["degree", "amount", "", ""][i % 4]
            services.question_add(
                section=section,
                text=f"Question {s}.{i}",
                kind=kind,
                scale=scale,
                options=services.options_for(scale, ["A", "B", "C"], other=kind == "multiple")
                if kind != "text"
                else [],
                key=f"q{s}-{i}",
            )
    return template


def closed_copy(template, council, start, n, rng):
    survey = services.survey_copy_from_template(
        template=template, council=council, period_start=start, period_end=start + 4
    )
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=datetime.date(start + 4, 1, 1),
        closes_on=datetime.date(start + 4, 2, 1),
        opened=True,
        closed=True,
    )
    groups = rng.choices(
        ["member", "substitute", "council_member", "appointee"], weights=[5, 3, 3, 0.05], k=n
    )
    demo.random_responses(survey, groups, rng)
    return Survey.objects.get(pk=survey.pk)


@pytest.fixture
def big(council):
    rng = random.Random(4)
    template = big_template()
    closed_copy(template, council, 2018, 300, rng)
    return closed_copy(template, council, 2022, 500, rng)


def test_report_of_40_questions_and_500_responses_runs_a_bounded_number_of_queries(
    client, login, personas, big, django_assert_max_num_queries
):
    assert Question.objects.filter(section__survey=big).count() == 40
    assert Response.objects.filter(survey=big).count() == 500
    login(personas["secretariat"])
    with django_assert_max_num_queries(30):
        response = client.get(reverse("evaluations:report", args=[big.pk]))
    assert response.status_code == 200
    assert "Compared with" in response.text and "By affiliation" in response.text


def test_breakdown_hides_small_groups_and_comparison_matches_keys(big):
    report = build_report(big, today=TODAY)
    assert report.earlier is not None and report.earlier.period_start == 2018
    shown = [label for label, _n in report.groups]
    assert all(n >= 5 for _label, n in report.groups)
    item = report.sections[0].questions[0]
    assert [label for label, _n in item.breakdown.groups] == shown
    for row_label, counts in item.breakdown.rows:
        total = next(o.count for o in item.stats.options if o.label == row_label)
        assert sum(counts) <= total
    assert item.comparison.stats.options[0].label == item.stats.options[0].label
    part2 = report.sections[1]
    assert part2.audience and all(q.n <= part2.n for q in part2.questions)


def test_partial_responses_count_where_they_answered(big):
    report = build_report(big, today=TODAY)
    first = report.sections[0].questions[0].n
    last = report.sections[0].questions[-2].n
    assert first >= last  # people who stopped half-way count only for what they answered
    incomplete = Response.objects.filter(survey=big, complete=False).count()
    assert report.responses - report.complete == incomplete


def test_report_pdf_of_the_demo_survey_is_tagged(council):
    template = big_template()
    survey = closed_copy(template, council, 2022, 30, random.Random(1))
    assert render_survey_report(survey.pk) > 0
    pdf = survey.report_pdf.file.read()
    reader = PdfReader(io.BytesIO(pdf))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = "".join(page.extract_text() for page in reader.pages[:3])
    assert "Question 0.0" in text and "(n=" in text
    assert render_survey_report(999999) == 0


def test_builder_list_invited_and_respondent_pages_have_bounded_queries(
    client, login, personas, council, django_assert_max_num_queries
):
    template = demo.template_build()
    surveys = [
        services.survey_copy_from_template(
            template=template, council=council, period_start=y, period_end=y + 4
        )
        for y in (2010, 2014, 2018, 2022)
    ]
    survey = surveys[-1]
    services.survey_set_dates(survey=survey, opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=9))
    services.invitations_create(survey=survey, today=TODAY)
    services.survey_open(survey=survey, today=TODAY)
    login(personas["secretariat"])
    for url in [
        reverse("evaluations:survey_list"),
        reverse("evaluations:survey_detail", args=[template.pk]),
        reverse("evaluations:survey_detail", args=[survey.pk]),
        reverse("evaluations:invitation_list", args=[survey.pk]),
        reverse("evaluations:report", args=[survey.pk]),
    ]:
        with django_assert_max_num_queries(25):
            assert client.get(url).status_code == 200, url
    client.logout()
    invitation = Invitation.objects.filter(survey=survey, affiliation="member").first()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluations:respond", args=[token_of(invitation)]))
    assert page.status_code == 200 and "Del 2" in page.text


def test_builder_of_a_running_survey_pins_its_queries_and_builds_no_edit_forms(
    client, login, personas, council, django_assert_max_num_queries
):
    """A running survey's questions are frozen: the builder shows them with their kind and scale
    but neither builds the edit forms nor looks up the follow-up options they would list."""
    template = demo.template_build()
    survey = services.survey_copy_from_template(
        template=template, council=council, period_start=2022, period_end=2026
    )
    services.survey_set_dates(survey=survey, opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=9))
    services.invitations_create(survey=survey, today=TODAY)
    services.survey_open(survey=survey, today=TODAY)
    login(personas["secretariat"])
    with django_assert_max_num_queries(12):
        response = client.get(reverse("evaluations:survey_detail", args=[survey.pk]))
    assert response.status_code == 200
    assert response.context["question_form"] is None and response.context["section_form"] is None
    assert response.context["text_form"] is None and response.context["dates_form"] is not None
    scaled = Question.objects.filter(section__survey=survey).exclude(scale="").first()
    assert scaled.get_kind_display() in response.text and scaled.get_scale_display() in response.text


def test_breakdown_hides_a_group_that_few_answered_on_this_question(template):
    question = Question.objects.get(section__survey=template, key="overall")
    options = list(Option.objects.filter(question=question).order_by("position"))
    good = options[1].pk
    tally = _Tally(
        counts={question.pk: {(good, "member"): 9, (good, "substitute"): 6, (good, "appointee"): 2}},
        n={question.pk: {"member": 9, "substitute": 6, "appointee": 2}},
        texts={},
    )
    _n, stats = _stats(question, options, tally)
    labels = dict(Affiliation.choices)
    result = _breakdown(question, options, tally, stats, labels)
    # the appointees are hidden, and the substitutes with them (else 17 - 9 - 6 = 2 gives them away)
    assert [label for label, _n in result.groups] == ["KKR member"]
    assert set(result.hidden) == {"KKR appointee", "Substitute"}
    tally.n[question.pk]["appointee"] = 5
    tally.counts[question.pk][(good, "appointee")] = 5
    assert len(_breakdown(question, options, tally, stats, labels).groups) == 3


def _answer_scans(queries) -> int:
    return sum(' FROM "evaluations_answer"' in q["sql"] for q in queries)


def test_the_report_reads_the_answers_in_one_grouped_pass_per_survey(big, django_assert_max_num_queries):
    """One grouped query over a survey's answers gives counts, n and texts; only multiple-choice
    questions need a second (respondents are not rows there). Six scans before, three per survey."""
    with django_assert_max_num_queries(20) as captured:
        report = build_report(big, today=TODAY)
    assert report.earlier is not None  # the earlier survey is read too
    assert _answer_scans(captured.captured_queries) == 4


def test_a_closed_report_is_computed_once_and_served_from_storage(
    client, login, personas, big, django_assert_max_num_queries
):
    login(personas["secretariat"])
    url = reverse("evaluations:report", args=[big.pk])
    with django_assert_max_num_queries(28) as first:
        assert client.get(url).status_code == 200
    assert _answer_scans(first.captured_queries) == 4
    # Pinned: session, user and roles, the survey, the earlier survey (part of the key), the PDF.
    with django_assert_max_num_queries(12) as again:
        page = client.get(url)
    assert _answer_scans(again.captured_queries) == 0
    assert "Compared with" in page.text and "By affiliation" in page.text


def test_the_stored_report_is_the_earlier_surveys_own_and_each_languages(big):
    with translation.override("da"):
        danish = stored_report(big, today=TODAY)
    with translation.override("en"):
        english = stored_report(big, today=TODAY)
    assert danish is not english  # the withheld reasons and chart titles are in the page's language
    assert danish.earlier == english.earlier == build_report(big, today=TODAY).earlier


def test_closing_renders_the_report_pdf_in_the_worker(
    client, login, personas, open_survey, questions, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_close(survey=open_survey)
    stored = ReportPdf.objects.get(survey=open_survey)
    assert stored.file
    login(personas["secretariat"])
    download = client.get(reverse("evaluations:report_pdf", args=[open_survey.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")


def test_the_pdf_leaves_the_free_texts_to_the_xlsx(council):
    survey = closed_copy(big_template(), council, 2022, 40, random.Random(3))
    texts = set(
        Answer.objects.filter(response__survey=survey).exclude(text="").values_list("text", flat=True)
    )
    assert texts
    render_survey_report(survey.pk)
    survey.refresh_from_db()
    reader = PdfReader(io.BytesIO(survey.report_pdf.file.read()))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert "XLSX" in text
    assert not any(t in text for t in texts)


def test_the_comparison_chart_reads_a_dash_where_the_earlier_period_had_no_such_answer():
    """docs/evaluations.md: an answer added in the copy shows "–" for the earlier period, in the
    table and (issue 16) in the chart, never 0 %."""
    now = rules.question_stats([("Ja", False), ("Ny", False)], {"Ja": 6, "Ny": 4}, 10, scored=False)
    then = rules.question_stats([("Ja", False)], {"Ja": 8}, 8, scored=False)
    earlier = Survey(title="Før", period_start=2018, period_end=2022)
    current = Survey(title="Nu", period_start=2022, period_end=2026)
    comparison = _compare(earlier, 8, then, current, 10, now)
    assert [row[0] for row in comparison.rows] == ["Ja", "Ny"] and comparison.rows[1][1] is None
    assert "Ny: 2018-2022 (n=8) –, 2022-2026 (n=10) 40 %" in comparison.chart
    assert ">–</text>" in comparison.chart and ">0 %<" not in comparison.chart
