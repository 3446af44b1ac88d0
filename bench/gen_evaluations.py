"""Production-scale evaluations data: the 2018-2022 template; for every region one closed survey
per past term with 500 responses each (Hovedstaden's are compared period by period), and a
running survey of the current Hovedstaden KKR with its whole audience invited from the register
and some responses.

Runs after bench/gen_foundation.py (councils with history, plain council members, personas).
"""

import datetime
import random

from django.conf import settings

import core.time
from appointments.models import Council
from evaluations import demo, rules, services
from evaluations.models import Invitation, Survey

SECRETARIAT = "secretariat@bench.dk"
HOVEDSTADEN = "1084"
RESPONSES = 500
GROUPS = ["member", "substitute", "appointee", "council_member"]


def _closed(template, council, rng) -> Survey:
    end = council.term_end.year if council.term_end else council.election_year + 4
    survey = services.survey_copy_from_template(
        template=template, council=council, period_start=council.term_start.year, period_end=end
    )
    closes = datetime.date(end, 2, 1)
    Survey.objects.filter(pk=survey.pk).update(
        opens_on=closes - datetime.timedelta(days=21), closes_on=closes, opened=True, closed=True
    )
    groups = rng.choices(GROUPS, weights=[5, 3, 2, 4], k=RESPONSES)
    demo.random_responses(survey, groups, rng)
    return survey


def generate(rng: random.Random) -> None:
    template = demo.template_build()
    today = core.time.today()
    for council in Council.objects.select_related("region").order_by("region__code", "term_start"):
        if council.term_end and council.term_end < today:
            _closed(template, council, rng)
    current = Council.objects.current(today).get(region__code=HOVEDSTADEN)
    survey = services.survey_copy_from_template(
        template=template,
        council=current,
        period_start=current.term_start.year,
        period_end=current.election_year + 4,
        title="Spørgeskema om valgperioden (igangværende)",
    )
    services.survey_set_dates(
        survey=survey,
        opens_on=today - datetime.timedelta(days=7),
        closes_on=today + datetime.timedelta(days=21),
        reminders=[today + datetime.timedelta(days=7), today + datetime.timedelta(days=14)],
    )
    services.invitations_create(survey=survey, today=today)
    Survey.objects.filter(pk=survey.pk).update(opened=True)
    Invitation.objects.filter(survey=survey).update(sent=True)
    invitations = list(Invitation.objects.filter(survey=survey).order_by("pk"))
    done = rng.sample(invitations, k=len(invitations) // 3)
    Invitation.objects.filter(pk__in=[i.pk for i in done]).update(completed=True)
    demo.random_responses(survey, [i.affiliation for i in done], rng)


def _latest_closed() -> Survey:
    return Survey.objects.filter(region__code=HOVEDSTADEN, closed=True).order_by("-period_start").first()


def _running() -> Survey:
    return Survey.objects.filter(region__code=HOVEDSTADEN, opened=True, closed=False).first()


def pages() -> list[tuple[str, str, str | None]]:
    closed, running = _latest_closed(), _running()
    open_invitation = Invitation.objects.filter(survey=running, completed=False).first()
    token = rules.link_token(settings.SURVEY_LINK_KEY, open_invitation.nonce)
    return [
        ("evaluations: survey list", "/evaluering/", SECRETARIAT),
        (
            "evaluations: report, 500 responses with comparison",
            f"/evaluering/{closed.pk}/rapport/",
            SECRETARIAT,
        ),
        ("evaluations: builder of the running survey", f"/evaluering/{running.pk}/", SECRETARIAT),
        ("evaluations: invited of the running survey", f"/evaluering/{running.pk}/inviterede/", SECRETARIAT),
        ("evaluations: report while running (count only)", f"/evaluering/{running.pk}/rapport/", SECRETARIAT),
        ("evaluations: respondent page (no login)", f"/evaluering/svar/{token}/", None),
    ]


def measures() -> dict:
    def report_pdf():
        from evaluations.tasks import render_survey_report

        render_survey_report(_latest_closed().pk)

    def answers_xlsx():
        from core.xlsx import xlsx_bytes
        from evaluations.export import answer_sheet

        xlsx_bytes([answer_sheet(_latest_closed())])

    return {
        "evaluations: report PDF of 500 responses": report_pdf,
        "evaluations: XLSX of 500 responses": answers_xlsx,
    }
