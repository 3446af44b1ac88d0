import datetime

import pytest
from django.utils import timezone

from appointments import demo as appointments_demo
from evaluations import demo, rules
from evaluations.models import Question, Response, Survey
from evaluations.selectors import build_report

pytestmark = pytest.mark.django_db


def n_of(report, key):
    for section in report.sections:
        for item in section.questions:
            if item.question.key == key:
                return item
    raise KeyError(key)


def test_demo_follows_the_2018_2022_report_and_is_idempotent():
    appointments_demo.seed()
    demo.seed()
    demo.seed()
    template = Survey.objects.get(is_template=True)
    assert Question.objects.filter(section__survey=template, parent__isnull=True).count() == 24
    survey = Survey.objects.get(title=demo.TITLE_2018)
    assert Response.objects.filter(survey=survey).count() == 24
    report = build_report(survey, today=timezone.localdate())
    # The group question (2 + 3 chose the appointee answers) and the optional question only the
    # 3 appointees answered follow the k>=5 rule: withheld (issue 12 point 2).
    assert n_of(report, "tilknytning").withheld == rules.WITHHELD_SINGLES_OUT
    assert n_of(report, "udpeget-laengde").withheld == rules.WITHHELD_TOO_FEW
    expected = {
        "medlem-laengde": 22,
        "samlet-indtryk": 24,
        "taleroer": 24,
        "styrke-relationer": 23,
        "faelles-loesninger": 22,
        "kl-inddrager": 22,
    }
    assert {key: n_of(report, key).n for key in expected} == expected
    overall = n_of(report, "samlet-indtryk").stats
    assert [o.count for o in overall.options] == [6, 13, 3, 1, 0, 1]
    assert len(n_of(report, "styrke-relationer-hvordan").texts) == 11
    # Part 2 is for the 21 members only; the breakdown hides the members with the 3 appointees
    # (else 24 - 21 gives the appointees away), so part 2 is withheld too (docs/rules.md §6).
    part2 = report.sections[2]
    assert part2.n is None and part2.withheld == rules.WITHHELD_WORKED_OUT
    assert all(item.withheld and item.stats is None and not item.texts for item in part2.questions)
    later = Survey.objects.get(title=demo.TITLE_2022)
    later_report = build_report(later, today=timezone.localdate())
    assert later_report.earlier == survey
    assert n_of(later_report, "samlet-indtryk").comparison.n == 24
    # The template offers every invited group an answer (issue 13 point 9).
    labels = set(
        Question.objects.get(section__survey=later, key="tilknytning").options.values_list("label", flat=True)
    )
    assert demo.SUBSTITUTE_OPTION in labels and not rules.groups_left_out(
        labels, rules.AFFILIATION_PRECEDENCE
    )
    # Closed early with "Close now" (issue 13 point 7).
    assert later.closed and later.closed_early_on == demo.CLOSED_EARLY_2022 < later.closes_on
    assert later_report.responses == later.invitations.filter(completed=True).count() > 10
    assert later.closes_on < datetime.date.today()
