import datetime
import random

import pytest
from django.urls import reverse

from evaluations import demo, services
from evaluations.models import Question, Response, Survey
from evaluations.selectors import build_report

from .conftest import TODAY

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
    import io

    from pypdf import PdfReader

    from evaluations.tasks import render_survey_report

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
    from evaluations.models import Invitation

    from .conftest import token_of

    invitation = Invitation.objects.filter(survey=survey, affiliation="member").first()
    with django_assert_max_num_queries(12):
        page = client.get(reverse("evaluations:respond", args=[token_of(invitation)]))
    assert page.status_code == 200 and "Del 2" in page.text


def test_breakdown_hides_a_group_that_few_answered_on_this_question(template):
    from evaluations.models import Affiliation, Option
    from evaluations.selectors import _breakdown, _stats, _Tally

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
