import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from accounts.models import Notice
from accounts.services import notices_send_due
from appointments.models import Appointment, Body, Council, Post
from core.errors import Refused
from evaluations import services
from evaluations.models import (
    Affiliation,
    Answer,
    Draft,
    Invitation,
    Option,
    Question,
    Reminder,
    ReportPdf,
    Response,
)
from evaluations.rules import Given
from register.models import Municipality, Party
from tests.conftest import make_politician

from .conftest import TODAY, opt, refused, release, token_of

pytestmark = pytest.mark.django_db


def test_copy_keeps_sections_questions_scales_and_follow_ups(template, survey):
    assert survey.template == template and not survey.is_template
    copied = {q.key: q for q in Question.objects.filter(section__survey=survey)}
    original = {q.key: q for q in Question.objects.filter(section__survey=template)}
    assert copied.keys() == original.keys()
    assert copied["meetings"].section.audience == Affiliation.MEMBER
    assert copied["overall"].scale == "quality" and copied["overall"].required
    assert copied["how"].parent == copied["strengthen"]
    assert copied["how"].shown_for.question == copied["strengthen"]
    assert copied["how"].shown_for.label == "Ja - uddyb gerne"
    assert list(copied["gains"].options.values_list("label", "asks_text")) == [
        ("Network", False),
        ("Knowledge", False),
        ("Decisions", False),
        ("Andet - uddyb", True),
    ]
    assert Option.objects.get(question=copied["overall"], label="Ved ikke").dont_know


def test_only_a_template_is_copied(survey, council):
    with pytest.raises(ValidationError):
        services.survey_copy_from_template(
            template=survey, council=council, period_start=2026, period_end=2029
        )


def test_audience_from_the_register(survey, personas):
    result = services.invitations_create(survey=survey, today=TODAY)
    by_name = dict(Invitation.objects.filter(survey=survey).values_list("name", "affiliation"))
    assert by_name["Mona Member"] == Affiliation.MEMBER
    assert by_name["Mette Mayor"] == Affiliation.MEMBER
    assert by_name["Sune Substitute"] == Affiliation.SUBSTITUTE
    assert by_name["Vera Councillor"] == Affiliation.COUNCIL_MEMBER
    assert "Rasmus Roskilde" not in by_name  # another region
    assert result.created == len(by_name) == 9
    again = services.invitations_create(survey=survey, today=TODAY)
    assert again.created == 0


def test_invitations_only_for_some_affiliations(survey, personas):
    services.invitations_create(survey=survey, today=TODAY, affiliations=[Affiliation.MEMBER])
    assert set(Invitation.objects.values_list("affiliation", flat=True)) == {Affiliation.MEMBER}


def test_open_freezes_and_sends_each_link_once(open_survey, questions, django_capture_on_commit_callbacks):
    assert open_survey.frozen
    with refused("frozen"):
        services.question_add(section=questions["overall"].section, text="Late", kind="text", key="late")
    with refused("frozen"):
        services.question_delete(question=questions["overall"])
    notices = Notice.objects.filter(key__startswith="evaluations:invite:")
    assert notices.count() == Invitation.objects.filter(survey=open_survey).count()
    assert all("/evaluering/svar/" in n.body for n in notices)
    assert services.invitations_send(survey=open_survey) == 0

    sent = notices_send_due()
    assert sent == notices.count() == len(mail.outbox)
    assert notices_send_due() == 0


def test_open_needs_dates_questions_and_invitations(survey, personas):
    with pytest.raises(ValidationError):
        services.survey_open(survey=survey, today=TODAY)
    services.survey_set_dates(survey=survey, opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=3))
    with pytest.raises(ValidationError):
        services.survey_open(survey=survey, today=TODAY)


def test_dates_must_be_ordered(survey):
    with pytest.raises(ValidationError):
        services.survey_set_dates(survey=survey, opens_on=TODAY, closes_on=TODAY - datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        services.survey_set_dates(
            survey=survey, opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=3), reminders=[TODAY]
        )


def test_reminders_go_once_to_those_not_completed(open_survey, member_invitation, questions):
    services.response_submit(
        token=token_of(member_invitation),
        answers={
            questions["overall"].pk: Given([opt(questions["overall"], "Godt")]),
            questions["meetings"].pk: Given([opt(questions["meetings"], "Passende")]),
        },
        today=TODAY,
    )
    later = TODAY + datetime.timedelta(days=7)
    assert services.reminders_send_due(today=TODAY) == 0
    queued = services.reminders_send_due(today=later)
    invited = Invitation.objects.filter(survey=open_survey).count()
    assert queued == invited - 1
    reminded = Notice.objects.filter(key__startswith="evaluations:reminder:")
    assert member_invitation.email not in set(reminded.values_list("to_email", flat=True))
    assert services.reminders_send_due(today=later) == 0
    assert Reminder.objects.get().sent


def test_submit_stores_anonymous_answers_once(member_invitation, questions):
    token = token_of(member_invitation)
    q = questions
    answers = {
        q["overall"].pk: Given([opt(q["overall"], "Meget godt")]),
        q["gains"].pk: Given([opt(q["gains"], "Network"), opt(q["gains"], "Andet - uddyb")], "Friends"),
        q["strengthen"].pk: Given([opt(q["strengthen"], "Ja - uddyb gerne")]),
        q["how"].pk: Given(text="Health"),
        q["meetings"].pk: Given([opt(q["meetings"], "For mange")]),
    }
    held = services.response_submit(token=token, answers=answers, today=TODAY)
    assert held.affiliation == Affiliation.MEMBER and Response.objects.count() == 0
    response = release(member_invitation.survey).get()
    assert response.affiliation == Affiliation.MEMBER and response.complete
    assert Answer.objects.filter(response=response).count() == 6
    assert Answer.objects.get(option__label="Andet - uddyb").text == "Friends"
    member_invitation.refresh_from_db()
    assert member_invitation.completed
    with refused("answered"):
        services.response_submit(token=token, answers=answers, today=TODAY)
    with refused("answered"):
        services.response_save_draft(token=token, answers=answers, today=TODAY)
    assert Response.objects.count() == 1


def test_submit_refuses_missing_required_answers_and_saves_nothing(member_invitation, questions):
    with pytest.raises(Refused) as error:
        services.response_submit(token=token_of(member_invitation), answers={}, today=TODAY)
    assert set(services.errors_by_question(error.value)) == {
        questions["overall"].pk,
        questions["meetings"].pk,
    }
    assert Response.objects.count() == 0 and not Invitation.objects.get(pk=member_invitation.pk).completed


def test_members_only_section_is_not_asked_of_others(councillor_invitation, questions):
    q = questions
    answers = {
        q["overall"].pk: Given([opt(q["overall"], "Godt")]),
        q["meetings"].pk: Given([opt(q["meetings"], "For mange")]),  # not shown: dropped
    }
    services.response_submit(token=token_of(councillor_invitation), answers=answers, today=TODAY)
    response = release(councillor_invitation.survey).get()
    assert list(response.answers.values_list("question__key", flat=True)) == ["overall"]


def test_draft_saved_and_loaded_then_deleted_on_submit(member_invitation, questions):
    token = token_of(member_invitation)
    q = questions
    services.response_save_draft(
        token=token, answers={q["overall"].pk: Given([opt(q["overall"], "Godt")])}, today=TODAY
    )
    assert services.draft_load(token=token) == {q["overall"].pk: Given([opt(q["overall"], "Godt")])}
    services.response_save_draft(
        token=token,
        answers={q["overall"].pk: Given([opt(q["overall"], "Dårligt")]), q["comment"].pk: Given(text="hi")},
        today=TODAY,
    )
    assert Draft.objects.count() == 1
    loaded = services.draft_load(token=token)
    loaded[q["meetings"].pk] = Given([opt(q["meetings"], "Passende")])
    services.response_submit(token=token, answers=loaded, today=TODAY)
    assert Draft.objects.count() == 0
    assert release(member_invitation.survey).get().answers.count() == 3


def test_closed_survey_refuses_answers(member_invitation, questions):
    token = token_of(member_invitation)
    after = member_invitation.survey.closes_on + datetime.timedelta(days=1)
    with refused("closed"):
        services.response_submit(token=token, answers={}, today=after)
    with refused("closed"):
        services.response_save_draft(token=token, answers={}, today=after)


def test_unknown_link(open_survey):
    with refused("unknown_link"):
        services.draft_load(token="nope") or services.invitation_for_link("nope")


def test_closing_discards_drafts(open_survey, member_invitation, councillor_invitation, questions):
    q = questions
    services.response_save_draft(
        token=token_of(member_invitation),
        answers={q["overall"].pk: Given([opt(q["overall"], "Godt")])},
        today=TODAY,
    )
    services.response_save_draft(token=token_of(councillor_invitation), answers={}, today=TODAY)
    after = open_survey.closes_on + datetime.timedelta(days=1)
    assert services.surveys_close_due(today=TODAY) == 0
    assert services.surveys_close_due(today=after) == 1
    assert not Response.objects.exists()  # a draft that was never submitted enters no result
    assert Draft.objects.count() == 0
    open_survey.refresh_from_db()
    assert open_survey.closed
    assert services.survey_close(survey=open_survey) == 0


def test_closing_renders_the_report_pdf_ahead(open_survey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        services.survey_close(survey=open_survey)
    assert len(callbacks) == 1 and ReportPdf.objects.filter(survey=open_survey).exists()
    with django_capture_on_commit_callbacks() as callbacks:
        services.survey_close(survey=open_survey)  # closed already: nothing again
    assert not callbacks


def test_move_question(survey):
    section = survey.sections.first()
    first, second = list(section.questions.filter(parent=None).order_by("position"))[:2]
    services.question_move(question=second, up=True)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.position < first.position


def test_option_added_before_dont_know_and_other(survey, questions):
    services.option_add(question=questions["strengthen"], label="Måske")
    assert list(questions["strengthen"].options.order_by("position").values_list("label", flat=True)) == [
        "Ja - uddyb gerne",
        "Nej",
        "Måske",
        "Ved ikke",
    ]
    services.option_add(question=questions["gains"], label="Friends")
    assert list(questions["gains"].options.order_by("position").values_list("label", flat=True))[-2:] == [
        "Friends",
        "Andet - uddyb",
    ]
    with pytest.raises(ValidationError):
        services.option_add(question=questions["gains"], label="Friends")
    with pytest.raises(ValidationError):
        services.option_add(question=questions["comment"], label="x")


def test_option_add_refused_once_open(open_survey, questions):
    with refused("frozen"):
        services.option_add(question=questions["strengthen"], label="Måske")


def test_appointees_of_the_region_are_invited_as_appointees(survey, personas, council):
    body = Body.objects.create(
        region=council.region, name="Sundhedskoordinationsudvalget", term_start=council.term_start
    )
    post = Post.objects.create(body=body, name="Medlemmer", seats=2)
    kbh, a = Municipality.objects.get(code="101"), Party.objects.get(letter="A")
    plain = make_politician(kbh, a, "Astrid Appointee")
    member = personas["member"].politician
    for politician in (plain, member):
        Appointment.objects.create(post=post, politician=politician, valid_from=council.term_start)
    services.invitations_create(survey=survey, today=TODAY)
    by_name = dict(Invitation.objects.filter(survey=survey).values_list("name", "affiliation"))
    assert by_name["Astrid Appointee"] == Affiliation.APPOINTEE
    assert by_name[member.name] == Affiliation.MEMBER  # a member who is also appointed answers as a member


def test_end_of_period_survey_reaches_those_who_served_after_the_next_council_took_office(
    survey, personas, council
):
    """docs/rules.md §6: the survey evaluates the period of its council. Once the next council has taken
    office, the outgoing council's appointees (whose appointments ended with the period) and
    members are still its audience, taken on the council's last day in office."""

    body = Body.objects.create(region=council.region, name="Vækstforum", term_start=council.term_start)
    post = Post.objects.create(body=body, name="Medlemmer", seats=1)
    plain = make_politician(Municipality.objects.get(code="101"), Party.objects.get(letter="A"), "Astrid")
    Appointment.objects.create(post=post, politician=plain, valid_from=council.term_start)
    Council.objects.create(
        region=council.region, term_start=TODAY - datetime.timedelta(days=10), election_year=TODAY.year - 1
    )
    assert not Appointment.objects.current(TODAY).filter(politician=plain).exists()  # the period ended
    services.invitations_create(survey=survey, today=TODAY)
    by_name = dict(Invitation.objects.filter(survey=survey).values_list("name", "affiliation"))
    assert by_name["Astrid"] == Affiliation.APPOINTEE
    assert by_name[personas["member"].politician.name] == Affiliation.MEMBER


def order_of(section):
    return list(section.questions.order_by("position").values_list("key", flat=True))


def test_a_question_moves_with_its_follow_ups(survey):
    section = survey.sections.get(position=1)
    assert order_of(section) == ["overall", "gains", "strengthen", "how", "comment"]
    q = {x.key: x for x in section.questions.all()}
    services.question_move(question=q["comment"], up=True)
    assert order_of(section) == ["overall", "gains", "comment", "strengthen", "how"]
    services.question_move(question=q["strengthen"], up=True)  # past "comment"
    assert order_of(section) == ["overall", "gains", "strengthen", "how", "comment"]
    services.question_move(question=q["strengthen"], up=True)
    services.question_move(question=q["strengthen"], up=True)
    assert order_of(section) == ["strengthen", "how", "overall", "gains", "comment"]
    services.question_move(question=q["how"], up=True)  # never above its own question
    assert order_of(section) == ["strengthen", "how", "overall", "gains", "comment"]
    services.question_move(question=q["strengthen"], up=False)
    assert order_of(section) == ["overall", "strengthen", "how", "gains", "comment"]


def test_sections_move_until_the_survey_opens(survey):
    part1, part2 = survey.sections.order_by("position")
    services.section_move(section=part1, up=True)  # already first
    assert list(survey.sections.order_by("position")) == [part1, part2]
    services.section_move(section=part1, up=False)
    assert list(survey.sections.order_by("position")) == [part2, part1]
    assert part2.questions.get().key == "meetings"  # the questions go with their section


def test_sections_do_not_move_once_open(open_survey):
    first = open_survey.sections.order_by("position").first()
    with refused("frozen"):
        services.section_move(section=first, up=False)
    assert open_survey.sections.order_by("position").first() == first


def test_a_follow_up_goes_in_its_questions_section(survey, questions):
    part2 = survey.sections.get(position=2)
    ja = Option.objects.get(question=questions["strengthen"], label="Ja - uddyb gerne")
    with pytest.raises(ValidationError, match="same section"):
        services.question_add(
            section=part2, text="Why?", kind="text", parent=questions["strengthen"], shown_for=ja
        )


def labels_of(question):
    return list(question.options.order_by("position").values_list("label", flat=True))


def test_change_kind_replaces_the_answers_and_the_key(questions):
    gains = questions["gains"]
    services.question_change_kind(
        question=gains, kind="single", scale="degree", options=services.options_for("degree")
    )
    gains.refresh_from_db()
    assert (gains.kind, gains.scale) == ("single", "degree") and gains.key != "gains"
    assert labels_of(gains)[-1] == "Ved ikke" and gains.options.get(label="Ved ikke").dont_know
    services.question_change_kind(question=gains, kind="text")
    gains.refresh_from_db()
    assert (gains.kind, gains.scale, labels_of(gains)) == ("text", "", [])
    comment = questions["comment"]
    same = services.question_change_kind(question=comment, kind="text")
    assert same.key == "comment"  # nothing changed: still compared with earlier periods


def test_change_kind_keeps_answers_with_follow_ups(questions):
    strengthen, how = questions["strengthen"], questions["how"]
    ja = how.shown_for_id
    services.question_change_kind(
        question=strengthen,
        kind="multiple",
        options=services.options_for("", ["Ved ikke", "Ja - uddyb gerne", "Måske"]),
    )
    how.refresh_from_db()
    assert how.shown_for_id == ja  # the same answer row: the follow-up stays
    assert labels_of(strengthen) == ["Ved ikke", "Ja - uddyb gerne", "Måske"]
    with pytest.raises(ValidationError, match="Which and how"):
        services.question_change_kind(question=strengthen, kind="text")
    with pytest.raises(ValidationError, match="Ja - uddyb gerne"):
        services.question_change_kind(
            question=strengthen, kind="single", scale="degree", options=services.options_for("degree")
        )
    assert Question.objects.filter(pk=how.pk).exists() and strengthen.options.count() == 3


@pytest.mark.parametrize(
    ("kind", "scale", "options", "message"),
    [
        ("text", "", ["A"], "no answer options"),
        ("single", "", [], "needs answer options"),
        ("multiple", "degree", ["A"], "single choice"),
        ("single", "", ["A", "A"], "only once"),
    ],
)
def test_change_kind_refuses_nonsense(questions, kind, scale, options, message):
    with pytest.raises(ValidationError, match=message):
        services.question_change_kind(
            question=questions["comment"],
            kind=kind,
            scale=scale,
            options=[services.OptionInput(label) for label in options],
        )


def test_change_kind_refused_once_open_or_answered(open_survey, questions, member_invitation):
    with refused("frozen", match="has opened"):
        services.question_change_kind(
            question=questions["comment"], kind="single", options=services.options_for("", ["A"])
        )
    services.response_save_draft(
        token=token_of(member_invitation),
        answers={questions["overall"].pk: Given([opt(questions["overall"], "Godt")])},
        today=TODAY,
    )
    with refused("frozen", match="has responses"):
        services.question_change_kind(
            question=questions["comment"], kind="single", options=services.options_for("", ["A"])
        )


def test_opening_is_refused_while_an_invited_group_cannot_answer_the_group_question(survey, personas):
    """Issue 13 point 9: substitutes and council members are invited; the group question must
    offer them an answer."""
    part1 = survey.sections.order_by("position").first()
    services.question_add(
        section=part1,
        text="Angiv din tilknytning til KKR",
        kind=Question.Kind.SINGLE,
        options=services.options_for("", ["Medlem af KKR som borgmester", "KKR-udpeget"]),
        required=True,
        key="tilknytning",
    )
    services.survey_set_dates(survey=survey, opens_on=TODAY, closes_on=TODAY + datetime.timedelta(days=14))
    services.invitations_create(survey=survey, today=TODAY)
    with pytest.raises(ValidationError) as refused:
        services.survey_open(survey=survey, today=TODAY)
    assert "Substitute" in str(refused.value) and "Council member in the region" in str(refused.value)
    question = Question.objects.get(section__survey=survey, key="tilknytning")
    services.option_add(question=question, label="Stedfortræder for et KKR-medlem")
    services.option_add(question=question, label="Kommunalbestyrelsesmedlem, ikke medlem af KKR")
    assert services.survey_open(survey=survey, today=TODAY).opened
