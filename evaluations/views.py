"""Surveys for the secretariat (builder, invitations, report, exports) and the respondent's
page behind a personal link (no login)."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import core.time
from accounts.access import public, require_roles
from accounts.roles import RoleKind, roles_of
from appointments.models import Council
from core.errors import Refused
from core.tasks import enqueue_on_commit
from core.time import today as core_today
from core.views import attempt, show_refusal
from core.words import yes_no
from core.xlsx import xlsx_response

from . import rules, selectors, services
from .access import (
    get_question_for_user,
    get_section_for_user,
    get_survey_for_user,
    surveys_for_user,
    with_counts,
)
from .documents import render_survey_report
from .export import answer_sheet, summary_sheet
from .forms import (
    DatesForm,
    InviteForm,
    MoveForm,
    QuestionEditForm,
    QuestionForm,
    QuestionKindForm,
    SectionForm,
    SurveyCreateForm,
    SurveyTextForm,
    answers_from_post,
    follow_up_options,
)
from .models import Affiliation, Option, Question, ReportPdf, Section

SECRETARIAT = RoleKind.SECRETARIAT


def _create_form(request, data=None):
    roles = roles_of(request)
    return SurveyCreateForm(
        data,
        templates=surveys_for_user(roles).templates(),
        councils=Council.objects.filter(region_id__in=roles.secretariat_regions).select_related("region"),
    )


def _list_page(request, form, status=200):
    surveys = list(
        with_counts(surveys_for_user(roles_of(request)))
        .select_related("region")
        .order_by("is_template", "-period_start", "title")
    )
    today = core.time.today()
    for survey in surveys:
        survey.current_status = survey.status(today)
    return render(request, "evaluations/survey_list.html", {"surveys": surveys, "form": form}, status=status)


@require_roles(SECRETARIAT)
@require_GET
def survey_list(request):
    return _list_page(request, _create_form(request))


@require_roles(SECRETARIAT)
@require_POST
def survey_create(request):
    form = _create_form(request, request.POST)
    if not form.is_valid():
        return _list_page(request, form, status=400)
    data = form.cleaned_data
    if data["template"]:
        survey = services.survey_copy_from_template(
            template=data["template"],
            council=data["council"],
            period_start=data["period_start"],
            period_end=data["period_end"],
            title=data["title"],
        )
    else:
        survey = services.survey_create(
            title=data["title"],
            council=data["council"],
            period_start=data["period_start"],
            period_end=data["period_end"],
        )
    messages.success(request, _("The survey was created."))
    return redirect("evaluations:survey_detail", survey.pk)


def _builder_context(request, survey, **forms):
    sections = list(
        survey.sections.order_by("position").prefetch_related(
            Prefetch(
                "questions",
                queryset=Question.objects.select_related("shown_for").prefetch_related(
                    Prefetch("options", queryset=Option.objects.order_by("position"))
                ),
            )
        )
    )
    # The choices' labels translated once for the page, not once a question (get_FOO_display
    # hashes and translates the lazy labels on every call).
    kind_labels = {value: str(label) for value, label in Question.Kind.choices}
    scale_labels = {value: str(label) for value, label in Question.Scale.choices}
    for section in sections:
        for question in section.questions.all():
            question.kind_label = kind_labels.get(question.kind, question.kind)
            question.scale_label = scale_labels.get(question.scale, question.scale)
    writable = surveys_for_user(roles_of(request), write=True).filter(pk=survey.pk).exists()
    invitation_counts = dict(
        survey.invitations.values_list("affiliation").annotate(c=Count("id")).values_list("affiliation", "c")
    )
    reminders = list(survey.reminders.order_by("send_on").values_list("send_on", flat=True))
    initial = {"opens_on": survey.opens_on, "closes_on": survey.closes_on}
    initial.update({f"reminder_{i}": day for i, day in enumerate(reminders[:3], start=1)})
    editable = writable and not survey.frozen
    return {
        "survey": survey,
        "status": survey.status(core.time.today()),
        "sections": sections,
        "writable": writable,
        "editable": editable,
        # The builder's forms are drawn only while the survey is editable (a running survey's
        # questions are frozen): not built otherwise, nor the follow-up options they list.
        "section_form": forms.get("section_form") or (SectionForm() if editable else None),
        "kinds": Question.Kind.choices,
        "scales": Question.Scale.choices,
        "text_form": forms.get("text_form")
        or (
            SurveyTextForm(
                initial={
                    "title": survey.title,
                    "intro": survey.intro,
                    "one_section_per_page": survey.one_section_per_page,
                }
            )
            if editable
            else None
        ),
        "question_form": forms.get("question_form")
        or (QuestionForm(sections=sections, choice_options=follow_up_options(survey)) if editable else None),
        "dates_form": forms.get("dates_form") or DatesForm(initial=initial),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "invitation_counts": [
            (label, invitation_counts.get(value, 0)) for value, label in Affiliation.choices
        ],
        "invited": sum(invitation_counts.values()),
        "completed": survey.invitations.filter(completed=True).count(),
        "reminders": reminders,
    }


@require_roles(SECRETARIAT)
@require_GET
def survey_detail(request, pk):
    survey = get_survey_for_user(request, pk)
    return render(request, "evaluations/survey_detail.html", _builder_context(request, survey))


def _posted(request, pk, form_class, name: str):
    """The survey (to write) and its posted form; with the builder showing what is wrong when the
    form is not valid (``name`` is the form's name in the builder's context)."""
    survey = get_survey_for_user(request, pk, write=True)
    form = form_class(request.POST)
    return survey, form, None if form.is_valid() else _invalid(request, survey, **{name: form})


def _invalid(request, survey, **forms):
    """The builder again with the form that was wrong, saying what is wrong and where."""
    return render(
        request, "evaluations/survey_detail.html", _builder_context(request, survey, **forms), status=400
    )


@require_roles(SECRETARIAT)
@require_POST
def survey_update(request, pk):
    survey, form, invalid = _posted(request, pk, SurveyTextForm, "text_form")
    if invalid:
        return invalid
    attempt(
        request,
        partial(services.survey_update, survey=survey, **form.cleaned_data),
        _("The survey was saved."),
    )
    return redirect("evaluations:survey_detail", survey.pk)


@require_roles(SECRETARIAT)
@require_POST
def section_add(request, pk):
    survey, form, invalid = _posted(request, pk, SectionForm, "section_form")
    if invalid:
        return invalid
    attempt(request, partial(services.section_add, survey=survey, **form.cleaned_data))
    return redirect(reverse("evaluations:survey_detail", args=[survey.pk]) + "#sections")


@require_roles(SECRETARIAT)
@require_POST
def section_delete(request, pk):
    section = get_section_for_user(request, pk)
    attempt(request, partial(services.section_delete, section=section))
    return redirect("evaluations:survey_detail", section.survey_id)


@require_roles(SECRETARIAT)
@require_POST
def question_add(request, pk):
    survey = get_survey_for_user(request, pk, write=True)
    sections = list(survey.sections.order_by("position"))
    form = QuestionForm(request.POST, sections=sections, choice_options=follow_up_options(survey))
    if not form.is_valid():
        return _invalid(request, survey, question_form=form)
    data = form.cleaned_data
    section = Section.objects.get(pk=data["section"], survey=survey)
    shown_for = data["shown_for"]
    attempt(
        request,
        partial(
            services.question_add,
            section=section,
            text=data["text"],
            kind=data["kind"],
            scale=data["scale"],
            options=services.options_for(data["scale"], data["labels"], data["other"])
            if data["kind"] != Question.Kind.TEXT
            else [],
            required=data["required"],
            help_text=data["help_text"],
            parent=shown_for.question if shown_for else None,
            shown_for=shown_for,
        ),
        _("The question was added."),
    )
    return redirect(reverse("evaluations:survey_detail", args=[survey.pk]) + "#sections")


@require_roles(SECRETARIAT)
@require_POST
def question_update(request, pk):
    question = get_question_for_user(request, pk)
    survey = question.section.survey
    form = QuestionEditForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect(reverse("evaluations:survey_detail", args=[survey.pk]) + f"#question-{question.pk}")
    attempt(
        request,
        partial(services.question_update, question=question, **form.cleaned_data),
        _("The question was saved."),
    )
    return redirect(reverse("evaluations:survey_detail", args=[survey.pk]) + f"#question-{question.pk}")


@require_roles(SECRETARIAT)
@require_POST
def question_delete(request, pk):
    question = get_question_for_user(request, pk)
    survey = question.section.survey
    attempt(request, partial(services.question_delete, question=question))
    return redirect(reverse("evaluations:survey_detail", args=[survey.pk]) + "#sections")


def _move(request, survey, move, anchor: str):
    """Move a question or section up or down (``move(up=...)``), back to it in the builder."""
    form = MoveForm(request.POST)
    if form.is_valid():
        attempt(request, partial(move, up=form.cleaned_data["direction"] == "up"))
    return redirect(reverse("evaluations:survey_detail", args=[survey.pk]) + anchor)


@require_roles(SECRETARIAT)
@require_POST
def question_move(request, pk):
    q = get_question_for_user(request, pk)
    return _move(request, q.section.survey, partial(services.question_move, question=q), f"#question-{q.pk}")


@require_roles(SECRETARIAT)
@require_POST
def question_kind(request, pk):
    question = get_question_for_user(request, pk)
    survey = question.section.survey
    back = reverse("evaluations:survey_detail", args=[survey.pk]) + f"#question-{question.pk}"
    form = QuestionKindForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            where = form.fields[field].label if field in form.fields else _("Kind and answers")
            messages.error(request, f"{question.text[:60]}: {where}: {' '.join(errors)}")
        return redirect(back)
    data = form.cleaned_data
    attempt(
        request,
        partial(
            services.question_change_kind,
            question=question,
            kind=data["kind"],
            scale=data["scale"],
            options=services.options_for(data["scale"], data["labels"], data["other"])
            if data["kind"] != Question.Kind.TEXT
            else [],
        ),
        _("The question's kind and answers were changed."),
    )
    return redirect(back)


@require_roles(SECRETARIAT)
@require_POST
def section_move(request, pk):
    section = get_section_for_user(request, pk)
    return _move(
        request, section.survey, partial(services.section_move, section=section), f"#section-{section.pk}"
    )


@require_roles(SECRETARIAT)
@require_POST
def survey_dates(request, pk):
    survey, form, invalid = _posted(request, pk, DatesForm, "dates_form")
    if invalid:
        return invalid
    try:
        services.survey_set_dates(
            survey=survey,
            opens_on=form.cleaned_data["opens_on"],
            closes_on=form.cleaned_data["closes_on"],
            reminders=form.reminders(),
            today=core_today(),
        )
    except ValidationError as error:
        show_refusal(form, error)
        return _invalid(request, survey, dates_form=form)
    messages.success(request, _("The dates were saved."))
    return redirect("evaluations:survey_detail", survey.pk)


@require_roles(SECRETARIAT)
@require_POST
def invitations_create(request, pk):
    survey, form, invalid = _posted(request, pk, InviteForm, "invite_form")
    if invalid:
        return invalid
    try:
        result = services.invitations_create(
            survey=survey, today=core.time.today(), affiliations=form.cleaned_data["affiliations"]
        )
        if survey.opened:
            services.invitations_send(survey=survey)
    except ValidationError:
        messages.error(request, _("This survey takes no new respondents."))
        return redirect("evaluations:survey_detail", survey.pk)
    messages.success(request, _("%(n)s respondents were invited.") % {"n": result.created})
    if result.without_email:
        messages.warning(
            request,
            _("Not invited, no email address in the register: %(names)s")
            % {"names": ", ".join(result.without_email)},
        )
    return redirect("evaluations:survey_detail", survey.pk)


@require_roles(SECRETARIAT)
@require_GET
def invitation_list(request, pk):
    survey = get_survey_for_user(request, pk)
    rows = selectors.invitee_rows(survey)
    return render(
        request,
        "evaluations/invitation_list.html",
        {"survey": survey, "count": len(rows), "table": _invitee_table(rows)},
    )


def _invitee_table(rows) -> str:
    """The invitee rows as HTML made in one pass: a running survey invites the whole audience
    (700 people and more), and the same cells through the template's per-row tags cost about
    20 times a bare request (issue 15). The words are translated once, not once per row."""
    affiliation = {value: str(label) for value, label in Affiliation.choices}
    completed = {True: yes_no(True), False: yes_no(False)}
    sent, queued = _("Sent"), _("Queued")
    failed = format_html('<span class="text-danger">{}</span>', _("Failed"))
    not_sent = _("Not sent (the survey has not opened)")

    def link(row) -> str:
        if row.link == rules.LINK_SENT:
            if not row.sent_at:
                return sent
            return _("Sent %(when)s") % {"when": date_format(localtime(row.sent_at), "j. F Y, H:i")}
        if row.link == rules.LINK_QUEUED:
            if not row.due_at:
                return queued
            return _("Queued (due %(when)s)") % {"when": date_format(localtime(row.due_at), "j. F Y")}
        return failed if row.link == rules.LINK_FAILED else not_sent

    return format_html_join(
        "\n",
        '<tr><th scope="row">{}</th><td>{}</td><td>{}</td><td>{}</td></tr>',
        (
            (
                r.invitation.name,
                affiliation.get(r.invitation.affiliation, ""),
                link(r),
                completed[r.invitation.completed],
            )
            for r in rows
        ),
    )


@require_roles(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def survey_close(request, pk):
    """Close a running survey now: GET asks for confirmation (and writes nothing), POST closes."""
    survey = get_survey_for_user(request, pk, write=True)
    today = core_today()
    refusal = rules.close_now_error(
        opened=survey.opened, closed=survey.closed, opens_on=survey.opens_on, today=today
    )
    if request.method == "POST" and not refusal:
        if attempt(
            request,
            partial(services.survey_close_now, survey=survey, today=today),
            _("The survey was closed. The links no longer work; the report shows the results."),
        ):
            return redirect("evaluations:report", survey.pk)
        return redirect("evaluations:survey_detail", survey.pk)
    invitations = survey.invitations.aggregate(
        invited=Count("id"), completed=Count("id", filter=Q(completed=True))
    )
    return render(
        request,
        "evaluations/close_confirm.html",
        {
            "survey": survey,
            "refusal": _(refusal) if refusal else "",
            "invited": invitations["invited"],
            "completed": invitations["completed"],
            "waiting": invitations["invited"] - invitations["completed"],
            "drafts": survey.drafts.count(),
            "today": today,
        },
        status=409 if refusal and request.method == "POST" else 200,
    )


@require_roles(SECRETARIAT)
@require_POST
def survey_open(request, pk):
    survey = get_survey_for_user(request, pk, write=True)
    attempt(
        request,
        partial(services.survey_open, survey=survey, today=core.time.today()),
        _("The survey is open; the links are mailed on the opening day."),
    )
    return redirect("evaluations:survey_detail", survey.pk)


@require_roles(SECRETARIAT)
@require_GET
def report(request, pk):
    survey = get_survey_for_user(request, pk)
    if survey.is_template:
        raise Http404
    data = selectors.stored_report(survey, today=core.time.today())
    pdf = ReportPdf.objects.filter(survey=survey).first()
    return render(
        request,
        "evaluations/report.html",
        {"survey": survey, "report": data, "pdf": pdf, "html_timeout": None if data.key else 0},
    )


@require_roles(SECRETARIAT)
@require_GET
def report_xlsx(request, pk):
    survey = get_survey_for_user(request, pk)
    if not survey.closed:
        raise Http404
    summary = summary_sheet(selectors.stored_report(survey, today=core.time.today()))
    return xlsx_response(f"besvarelser-{survey.pk}.xlsx", [answer_sheet(survey), summary])


@require_roles(SECRETARIAT)
@require_http_methods(["GET", "POST"])
def report_pdf(request, pk):
    """POST: make the PDF (in the pdf queue); GET: download the last one made."""
    survey = get_survey_for_user(request, pk)
    if not survey.closed:
        raise Http404
    if request.method == "POST":
        enqueue_on_commit(render_survey_report, survey.pk)
        messages.info(request, _("The PDF is being made; reload the page in a moment to download it."))
        return redirect("evaluations:report", survey.pk)
    stored = ReportPdf.objects.filter(survey=survey).first()
    if stored is None or not stored.file:
        raise Http404
    return FileResponse(stored.file.open("rb"), as_attachment=True, filename=f"rapport-{survey.pk}.pdf")


# --- respondents (no login: the personal link is the key) ----------------------------------------


def _respondent_sections(invitation) -> list[dict]:
    """The respondent's sections in order, each with its questions (a follow-up under its
    question); the answers and errors are filled in by the page."""
    questions = list(
        selectors.questions_for(invitation.survey, invitation.affiliation)
        .select_related("section", "shown_for")
        .prefetch_related(Prefetch("options", queryset=Option.objects.order_by("position")))
        .order_by("section__position", "position")
    )
    sections: list[dict] = []
    by_id: dict[int, dict] = {}
    for question in questions:
        item = {"question": question, "follow_ups": []}
        by_id[question.pk] = item
        if question.parent_id and question.parent_id in by_id:
            by_id[question.parent_id]["follow_ups"].append(item)
            continue
        if not sections or sections[-1]["section"].pk != question.section_id:
            sections.append({"section": question.section, "items": []})
        sections[-1]["items"].append(item)
    return sections


def _items(section: dict):
    for item in section["items"]:
        yield item
        yield from item["follow_ups"]


def _page_of(survey, sections: list[dict], raw) -> int | None:
    """The page (1-based) asked for, within range; None when the survey is on one page."""
    if len(sections) < 2 or not survey.one_section_per_page:
        return None
    try:
        page = int(raw or 1)
    except ValueError:
        page = 1
    return min(max(page, 1), len(sections))


def _respondent_page(request, invitation, answers, errors=None, status=200, page=None):
    survey = invitation.survey
    sections = _respondent_sections(invitation)
    errors = errors or {}
    error_links = []
    for number, section in enumerate(sections, start=1):
        for item in _items(section):
            given = answers.get(item["question"].pk)
            item["chosen"] = set(given.options) if given else set()
            item["text"] = given.text if given else ""
            item["error"] = _(errors[item["question"].pk]) if item["question"].pk in errors else ""
            if item["error"]:
                error_links.append((number, item))
    page = _page_of(survey, sections, page)
    context = {
        "survey": survey,
        "sections": [sections[page - 1]] if page else sections,
        "errors": errors,
        "error_count": len(errors),
        "error_links": error_links,
        "page": page,
        "pages": len(sections),
    }
    return render(request, "evaluations/respond.html", context, status=status)


# The respondent's page for each refusal of a link (services.answering's codes).
_REFUSAL_PAGES = {
    "unknown_link": ("evaluations/respond_unknown.html", 404),
    "answered": ("evaluations/respond_done.html", 410),
    "closed": ("evaluations/respond_closed.html", 410),
}


def _respondent_refusal(request, code: str, survey=None, today=None):
    template, status = _REFUSAL_PAGES[code]
    return render(request, template, {"survey": survey, "today": today}, status=status)


@public
@never_cache
@require_http_methods(["GET", "POST"])
def respond(request, token):
    today = core.time.today()
    try:
        invitation = services.invitation_for_link(token)
    except Refused as error:
        return _respondent_refusal(request, error.code)
    if invitation.completed:
        return _respondent_refusal(request, "answered")
    if not invitation.survey.accepts_answers(today):
        return _respondent_refusal(request, "closed", invitation.survey, today)
    if request.method == "GET":
        answers = services.draft_load(token=token)
        errors = None
        if "check" in request.GET:  # back from a submission that was not complete
            errors = services.draft_errors(
                token=token, affiliation=invitation.affiliation, survey=invitation.survey
            )
        return _respondent_page(request, invitation, answers, errors, page=request.GET.get("side"))
    sections = _respondent_sections(invitation)
    page = _page_of(invitation.survey, sections, request.POST.get("side"))
    try:
        if page is not None:
            return _respond_page_step(request, token, invitation, sections, page, today)
        questions = list(selectors.questions_for(invitation.survey, invitation.affiliation))
        answers = answers_from_post(request.POST, questions)
        if "save" in request.POST:
            services.response_save_draft(token=token, answers=answers, today=today)
            messages.success(request, _SAVED)
            return redirect("evaluations:respond", token)
        services.response_submit(token=token, answers=answers, today=today)
    except Refused as error:
        if by_question := services.errors_by_question(error):
            return _respondent_page(request, invitation, answers, by_question, status=400)
        return _respondent_refusal(request, error.code, invitation.survey)
    return render(request, "evaluations/respond_thanks.html", {"survey": invitation.survey})


_SAVED = gettext_lazy(
    "Your answers are saved. Use the same link to come back and finish before the closing date."
)


def _respond_page_step(request, token, invitation, sections, page, today):
    """One page of a survey answered a section per page: every step saves the page into the
    draft (``services.response_save_draft(page=...)``); Submit sends the whole draft, and when
    something is missing goes to the first page that needs attention, with every problem listed."""
    on_page = [item["question"] for item in _items(sections[page - 1])]
    answers = answers_from_post(request.POST, on_page)
    services.response_save_draft(token=token, answers=answers, today=today, page=[q.pk for q in on_page])
    url = reverse("evaluations:respond", args=[token])
    go = request.POST.get("go")
    if "submit" not in request.POST:
        if go == "next":
            page += 1
        elif go == "prev":
            page -= 1
        else:
            messages.success(request, _SAVED)
        return redirect(f"{url}?side={min(max(page, 1), len(sections))}")
    try:
        services.response_submit(token=token, answers=services.draft_load(token=token), today=today)
    except Refused as error:
        by_question = services.errors_by_question(error)
        if not by_question:
            raise  # the link's refusal: the respondent's page tells which (``respond``)
        first = next(
            n
            for n, section in enumerate(sections, start=1)
            for item in _items(section)
            if item["question"].pk in by_question
        )
        return redirect(f"{url}?side={first}&check=1#error-summary")
    return render(request, "evaluations/respond_thanks.html", {"survey": invitation.survey})
