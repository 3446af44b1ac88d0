"""Respondents answer a survey through their personal link, without logging in: saving half-way
and finishing, and the whole survey by keyboard alone. The secretariat then reads the report."""

import datetime

import pytest
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Notice
from appointments import demo as appointments_demo
from evaluations import demo, rules, services
from evaluations.models import Draft, HeldResponse, Invitation, Option, Question, Response, Survey

from .conftest import check_a11y, log_in, shoot, visit

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

TODAY = datetime.date.today()


def release(survey) -> Response:
    """Move the held response into the results now (as closing does), to inspect it."""

    with transaction.atomic():
        services.held_release(survey, closing=True)
    return Response.objects.get()


def link(invitation) -> str:
    return f"/evaluering/svar/{rules.link_token(settings.SURVEY_LINK_KEY, invitation.nonce)}/"


@pytest.fixture
def survey(personas, council):
    survey = services.survey_create(
        title="Evaluering af KKR", council=council, period_start=2022, period_end=2025
    )
    part1 = services.section_add(survey=survey, title="Del 1")
    part2 = services.section_add(survey=survey, title="Del 2", audience="member")
    services.question_add(
        section=part1,
        text="Hvad er dit samlede indtryk af KKR-arbejdet?",
        kind="single",
        scale="quality",
        options=services.options_for("quality"),
        required=True,
        key="samlet",
    )
    gains = services.question_add(
        section=part1,
        text="Hvad får du ud af KKR-møderne?",
        kind="multiple",
        options=services.options_for("", ["Netværk", "Viden"], other=True),
        key="udbytte",
    )
    strengthen = services.question_add(
        section=part1,
        text="Er der behov for at styrke relationerne?",
        kind="single",
        options=services.options_for("", ["Ja - uddyb gerne", "Nej", "Ved ikke"]),
        key="styrke",
    )
    services.question_add(
        section=part1,
        text="Uddyb gerne, hvilke og hvordan?",
        kind="text",
        parent=strengthen,
        shown_for=Option.objects.get(question=strengthen, label="Ja - uddyb gerne"),
        key="styrke-hvordan",
    )
    services.question_add(
        section=part2,
        text="Hvordan oplever du antallet af KKR-møder?",
        kind="single",
        scale="amount",
        options=services.options_for("amount"),
        required=True,
        key="antal",
    )
    assert gains
    services.survey_set_dates(survey=survey, opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=14))
    services.invitations_create(survey=survey, today=TODAY)
    return services.survey_open(survey=survey, today=TODAY)


def test_respondent_answers_through_the_link_saves_half_way_and_finishes(page, survey, personas):
    invitation = Invitation.objects.get(survey=survey, name="Mona Member")
    visit(page, link(invitation), shot="evaluations-respond-empty")
    page.get_by_label("Godt", exact=True).check()
    page.get_by_label("Viden").check()
    page.locator("button[name=save]").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="evaluations-respond-saved")
    assert Draft.objects.count() == 1 and Response.objects.count() == 0

    # Coming back through the same link shows the answers so far.
    visit(page, link(invitation))
    assert page.get_by_label("Godt", exact=True).is_checked()
    assert page.get_by_label("Viden").is_checked()
    follow_up = page.get_by_label("Uddyb gerne, hvilke og hvordan?")
    assert not follow_up.is_visible()  # shown only for "Ja"
    page.get_by_label("Ja - uddyb gerne").check()
    assert follow_up.is_visible()
    follow_up.fill("Sundhed og trafik")
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    # The members-only question is required: the page says what is missing and where.
    assert page.locator("#error-summary").is_visible()
    shoot(page, "evaluations-respond-errors")
    page.get_by_label("Passende").check()
    page.locator("button[name=submit]").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="evaluations-respond-thanks") if False else shoot(
        page, "evaluations-respond-thanks"
    )
    assert page.get_by_role("heading", level=1).inner_text()
    # The answers wait in the holding table for their batch (issue 12 point 4).
    assert Response.objects.count() == 0 and HeldResponse.objects.count() == 1
    response = release(survey)
    assert response.complete and response.answers.count() == 5
    assert Invitation.objects.get(pk=invitation.pk).completed

    # A second visit is refused with a clear page.
    page.goto(link(invitation))
    assert page.get_by_role("heading", level=1).is_visible()
    assert Response.objects.count() == 1 and not HeldResponse.objects.exists()


def _luminance(rgb: str) -> float:
    channels = [int(c) / 255 for c in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def test_radio_buttons_stand_out_from_the_page(page, survey):
    """WCAG 1.4.11 (non-text contrast, which axe does not check): the ring of an unchecked radio
    button and checkbox is at least 3:1 against the page behind it."""
    invitation = Invitation.objects.get(survey=survey, name="Mona Member")
    visit(page, link(invitation))
    background = _luminance(page.evaluate("getComputedStyle(document.body).backgroundColor"))
    for kind in ("radio", "checkbox"):
        box = page.locator(f"input[type={kind}]").first
        border = _luminance(box.evaluate("e => getComputedStyle(e).borderTopColor"))
        lighter, darker = max(border, background), min(border, background)
        assert (lighter + 0.05) / (darker + 0.05) >= 3, kind


def test_whole_survey_by_keyboard_only(page, survey):
    invitation = Invitation.objects.get(survey=survey, name="Mette Mayor")
    visit(page, link(invitation), shot="evaluations-keyboard-start")
    # From the top of the page: Tab past the skip link, the header and the language form.
    for _ in range(15):
        page.keyboard.press("Tab")
        if (page.evaluate("document.activeElement.name") or "").startswith("q"):
            break
    assert page.evaluate("document.activeElement.id") == page.locator("input[name^=q]").first.get_attribute(
        "id"
    )
    page.keyboard.press("Space")  # "Meget godt"
    # Tab through the group's neighbours? No: a radio group is one tab stop; the next Tab goes on.
    page.keyboard.press("Tab")  # first checkbox: Netværk
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # Viden
    page.keyboard.press("Tab")  # Andet - uddyb (its text field appears only when ticked)
    page.keyboard.press("Tab")  # the next radio group: "Ja - uddyb gerne"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # the follow-up, now shown
    page.keyboard.type("Mere samarbejde")
    page.keyboard.press("Tab")  # members only: "For mange"
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # save
    page.keyboard.press("Tab")  # submit
    focused = page.evaluate("document.activeElement.name")
    assert focused == "submit"
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()
    shoot(page, "evaluations-keyboard-done")
    response = release(survey)
    labels = set(response.answers.exclude(option=None).values_list("option__label", flat=True))
    assert labels == {"Meget godt", "Netværk", "Ja - uddyb gerne", "For mange"}
    assert response.answers.get(option=None).text == "Mere samarbejde"


def test_secretariat_reads_the_report_after_closing(page, survey, personas):
    for invitation, label in zip(
        Invitation.objects.filter(survey=survey, affiliation="member")[:4],
        ["Godt", "Godt", "Meget godt", "Ved ikke"],
        strict=True,
    ):
        question = Question.objects.get(section__survey=survey, key="samlet")
        antal = Question.objects.get(section__survey=survey, key="antal")
        services.response_submit(
            token=rules.link_token(settings.SURVEY_LINK_KEY, invitation.nonce),
            answers={
                question.pk: rules.Given([Option.objects.get(question=question, label=label).pk]),
                antal.pk: rules.Given([Option.objects.get(question=antal, label="Passende").pk]),
            },
            today=TODAY,
        )
    yesterday = TODAY - datetime.timedelta(days=1)
    Survey.objects.filter(pk=survey.pk).update(opens_on=yesterday, closes_on=yesterday)
    services.survey_close(survey=Survey.objects.get(pk=survey.pk))

    TOTPDevice.objects.create(user=personas["secretariat"], name="e2e", confirmed=True)
    log_in(page, personas["secretariat"])
    visit(page, f"/evaluering/{survey.pk}/", shot="evaluations-builder")
    visit(page, f"/evaluering/{survey.pk}/rapport/", shot="evaluations-report")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    check_a11y(page, "report with breakdowns and comparisons open")
    assert page.locator("svg[role=img]").count() >= 3
    assert "(n=4)" in page.content()


def test_secretariat_closes_a_survey_early(page, survey, personas):
    """Issue 13 point 7: "Close now" on a running survey, with a confirmation step."""

    member = Invitation.objects.get(survey=survey, name="Mona Member")
    question = Question.objects.get(section__survey=survey, key="samlet")
    antal = Question.objects.get(section__survey=survey, key="antal")
    services.response_submit(
        token=rules.link_token(settings.SURVEY_LINK_KEY, member.nonce),
        answers={
            question.pk: rules.Given([Option.objects.get(question=question, label="Godt").pk]),
            antal.pk: rules.Given([Option.objects.get(question=antal, label="Passende").pk]),
        },
        today=TODAY,
    )
    TOTPDevice.objects.create(user=personas["secretariat"], name="e2e", confirmed=True)
    # The links are due at 07:00 UTC on the opening day (today): after that hour the outbox may
    # already have sent them. Hold them for a later hour so the check below reads the same
    # whenever the test runs.
    Notice.objects.filter(key__startswith="evaluations:invite:").update(
        status=Notice.Status.PENDING, due_at=timezone.now() + datetime.timedelta(hours=1)
    )
    log_in(page, personas["secretariat"])
    # The invitee list tells the truth about each link (issue 13 point 8): still in the outbox.
    visit(page, f"/evaluering/{survey.pk}/inviterede/", shot="evaluations-invitees")
    assert "I kø" in page.content() and ">ja<" not in page.content().split("<tbody>")[1].split("Mona")[0]
    visit(page, f"/evaluering/{survey.pk}/")
    page.get_by_role("link", name="Luk nu").click()
    page.wait_for_load_state()
    check_a11y(page, "close now: confirmation")
    shoot(page, "evaluations-close-confirm")
    assert not Survey.objects.get(pk=survey.pk).closed  # asking writes nothing
    page.get_by_role("button", name="Luk spørgeskemaet nu").click()
    page.wait_for_load_state()
    shoot(page, "evaluations-closed-early-report")
    closed = Survey.objects.get(pk=survey.pk)
    assert closed.closed and closed.closed_early_on == TODAY and closed.closes_on > TODAY
    assert "Lukket før tid" in page.content()
    assert Response.objects.filter(survey=survey).count() == 1 and not HeldResponse.objects.exists()
    # The personal links no longer work.
    other = Invitation.objects.get(survey=survey, name="Mette Mayor")
    response = page.goto(link(other))
    assert response is not None and response.status == 410


def test_secretariat_copies_the_template_invites_and_opens(page, personas, council):
    template = demo.template_build()
    TOTPDevice.objects.create(user=personas["secretariat"], name="e2e", confirmed=True)
    log_in(page, personas["secretariat"])
    visit(page, "/evaluering/", shot="evaluations-list")
    page.locator("#id_template").select_option(str(template.pk))
    page.locator("#id_council").select_option(str(council.pk))
    page.locator("#id_period_start").fill("2026")
    page.locator("#id_period_end").fill("2029")
    page.locator("form[action$='/ny/'] button[type=submit]").click()
    page.wait_for_load_state()
    survey = Survey.objects.get(template=template)
    visit(page, page.url, shot="evaluations-builder-draft")
    assert Question.objects.filter(section__survey=survey).count() == 37
    page.locator("#id_opens_on").fill(TODAY.isoformat())
    page.locator("#id_closes_on").fill((TODAY + datetime.timedelta(days=21)).isoformat())
    page.locator("#id_reminder_1").fill((TODAY + datetime.timedelta(days=10)).isoformat())
    page.locator("form[action$='/datoer/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("form[action$='/inviter/'] button[type=submit]").click()
    page.wait_for_load_state()
    assert Invitation.objects.filter(survey=survey).count() == 9
    page.on("dialog", lambda dialog: dialog.accept())
    page.locator("form[action$='/aabn/'] button[type=submit]").click()
    page.wait_for_load_state()
    visit(page, page.url, shot="evaluations-builder-open")
    survey.refresh_from_db()
    assert survey.opened
    assert Notice.objects.filter(key__startswith="evaluations:invite:").count() == 9


def test_demo_report_with_breakdown_and_comparison_is_accessible(page, personas):
    appointments_demo.seed()
    demo.seed()
    later = Survey.objects.get(title=demo.TITLE_2022)
    TOTPDevice.objects.create(user=personas["secretariat"], name="e2e", confirmed=True)
    log_in(page, personas["secretariat"])
    visit(page, f"/evaluering/{later.pk}/rapport/")
    page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
    check_a11y(page, "report with breakdowns and comparisons open")
    shoot(page, "evaluations-report-comparison")
    assert (
        page.get_by_text("Compared with the earlier survey").count()
        or page.get_by_text("Sammenlignet med").count()
    )
