"""Meeting pages for members, substitutes, the chair and the secretariat. Thin: access helper,
form, one service or query, render or redirect. Public pages and feeds live in public_views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import require_roles
from accounts.roles import RoleKind, roles_of
from appointments.models import Council, Seat

from . import rules, services
from .access import (
    council_ids_for,
    get_attachment_for_user,
    get_council_for_meetings,
    get_item_for_user,
    get_meeting_for_user,
    get_proposal_for_user,
    meetings_for_user,
    visible_proposals,
)
from .forms import (
    AbsenceForm,
    AttachmentForm,
    AttendanceForm,
    ExtraordinaryRequestForm,
    ItemForm,
    MeetingForm,
    MinutesForm,
    ProposalDecisionForm,
    ProposalForm,
    PublishForm,
    ReasonForm,
    VoteForm,
)
from .models import (
    AbsenceReport,
    Attendance,
    Document,
    ExtraordinaryRequest,
    Meeting,
    Minutes,
    MinutesVersion,
)
from .queries import (
    agenda_items,
    attendance_rows,
    attendance_summary,
    decisions_of,
    meeting_seats,
    quorum_state,
)

READERS = (RoleKind.SECRETARIAT, RoleKind.CHAIR, RoleKind.MEMBER, RoleKind.SUBSTITUTE)
LEADERS = (RoleKind.SECRETARIAT, RoleKind.CHAIR)


def form_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def form_page(request, form, *, title, submit, back, intro="", status=200, multipart=False):
    return render(
        request,
        "meetings/form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back": back,
            "intro": intro,
            "multipart": multipart,
        },
        status=status,
    )


def _need(flag: bool) -> None:
    if not flag:
        raise PermissionDenied


# --- Meeting plan ------------------------------------------------------------------------------


@require_roles(*READERS)
@require_GET
def index(request):
    roles = roles_of(request)
    upcoming = list(
        meetings_for_user(roles).upcoming().select_related("council__region").order_by("starts_at")[:20]
    )

    councils = list(Council.objects.filter(id__in=council_ids_for(roles)).select_related("region"))
    return render(request, "meetings/index.html", {"upcoming": upcoming, "councils": councils})


@require_roles(*READERS)
@require_GET
def plan(request, pk):
    council = get_council_for_meetings(request, pk)
    roles = roles_of(request)
    try:
        year = int(request.GET.get("year") or timezone.localdate().year)
    except ValueError:
        year = timezone.localdate().year
    meetings = list(
        Meeting.objects.filter(council=council, starts_at__year=year)
        .select_related("minutes")
        .order_by("starts_at")
    )
    requests = list(
        ExtraordinaryRequest.objects.filter(council=council, meeting__isnull=True).select_related(
            "politician"
        )
    )
    seats = Seat.objects.current().filter(council=council).count()
    context = {
        "council": council,
        "year": year,
        "meetings": meetings,
        "requests": requests,
        "threshold": rules.extraordinary_threshold(seats) if seats else 0,
        "can_plan": council.region_id in roles.secretariat_regions,
        "can_call": council.pk in roles.chair_councils,
        "is_member": council.pk in roles.member_councils,
        "has_requested": any(r.politician_id == request.user.politician_id for r in requests),
        "form": MeetingForm(),
        "request_form": ExtraordinaryRequestForm(),
    }
    return render(request, "meetings/plan.html", context)


@require_roles(RoleKind.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def plan_create(request, pk):
    council = get_council_for_meetings(request, pk)
    _need(council.region_id in roles_of(request).secretariat_regions)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_plan(council=council, **form.cleaned_data)
        messages.success(request, _("The meeting is planned."))
        return redirect("meetings:detail", meeting.pk)
    back = reverse("meetings:plan", args=[council.pk])
    return form_page(request, form, title=_("Plan a meeting"), submit=_("Plan meeting"), back=back)


@require_roles(RoleKind.MEMBER)
@require_POST
def extraordinary_request(request, pk):
    council = get_council_for_meetings(request, pk)
    _need(council.pk in roles_of(request).member_councils)
    form = ExtraordinaryRequestForm(request.POST)
    if form.is_valid():
        try:
            services.extraordinary_request(
                council=council, politician=request.user.politician, topic=form.cleaned_data["topic"]
            )
            messages.success(request, _("Your request for an extraordinary meeting is recorded."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Say what the extraordinary meeting should deal with."))
    return redirect("meetings:plan", council.pk)


@require_roles(RoleKind.CHAIR)
@require_http_methods(["GET", "POST"])
def extraordinary_call(request, pk):
    council = get_council_for_meetings(request, pk)
    _need(council.pk in roles_of(request).chair_councils)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = services.meeting_call_extraordinary(council=council, **form.cleaned_data)
        messages.success(request, _("The extraordinary meeting is called."))
        return redirect("meetings:detail", meeting.pk)
    back = reverse("meetings:plan", args=[council.pk])
    return form_page(
        request, form, title=_("Call an extraordinary meeting"), submit=_("Call meeting"), back=back
    )


@require_roles(RoleKind.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    initial = {"starts_at": timezone.localtime(meeting.starts_at), "location": meeting.location}
    form = MeetingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_move(meeting=meeting, **form.cleaned_data)
            messages.success(request, _("The meeting is changed."))
            return redirect("meetings:detail", meeting.pk)
        except ValidationError as error:
            form_errors(form, error)
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(request, form, title=_("Change time or place"), submit=_("Save meeting"), back=back)


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def meeting_cancel(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    try:
        services.meeting_cancel(meeting=meeting)
        messages.success(request, _("The meeting is cancelled."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:detail", meeting.pk)


# --- The meeting and its agenda --------------------------------------------------------------


@require_roles(*READERS)
@require_GET
def detail(request, pk):
    meeting = get_meeting_for_user(request, pk)
    perms = meeting.perms
    items = [] if meeting.agenda_hidden else list(agenda_items(meeting, include_closed=perms.sees_closed))
    my_seat = services.meeting_seat_of(meeting, request.user.politician_id) if perms.member else None
    context = {
        "meeting": meeting,
        "perms": perms,
        "items": items,
        "proposals": list(visible_proposals(request, meeting)),
        "documents": {d.kind: d for d in Document.objects.filter(meeting=meeting)},
        "my_seat": my_seat,
        "my_absence": my_seat and AbsenceReport.objects.filter(meeting=meeting, seat=my_seat).first(),
        "absences": list(
            AbsenceReport.objects.filter(meeting=meeting).select_related("seat__holder", "seat__substitute")
        )
        if perms.lead
        else [],
        "deadline": rules.agenda_deadline(meeting.date),
        "quorum": quorum_state(meeting) if perms.lead else None,
        "decision_form": ProposalDecisionForm(),
        "can_report_absence": bool(my_seat) and meeting.starts_at > timezone.now(),
    }
    return render(request, "meetings/detail.html", context)


@require_roles(*LEADERS)
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    meeting = get_meeting_for_user(request, pk)
    _need(meeting.perms.lead)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(meeting=meeting, **form.cleaned_data)
            messages.success(request, _("The item is added to the agenda."))
            return redirect("meetings:detail", meeting.pk)
        except ValidationError as error:
            form_errors(form, error)
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(request, form, title=_("New agenda item"), submit=_("Add item"), back=back)


@require_roles(*LEADERS)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_item_for_user(request, pk)
    _need(item.meeting.perms.lead)
    form = ItemForm(request.POST or None, instance=item)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(item=item, **{f: form.cleaned_data[f] for f in ItemForm.Meta.fields})
            messages.success(request, _("The item is saved."))
            return redirect("meetings:detail", item.meeting_id)
        except ValidationError as error:
            form_errors(form, error)
    context = {
        "form": form,
        "item": item,
        "meeting": item.meeting,
        "attachments": list(item.attachments.all()),
        "attachment_form": AttachmentForm(),
    }
    return render(request, "meetings/item_edit.html", context)


@require_roles(*LEADERS)
@require_POST
def item_move(request, pk):
    item = get_item_for_user(request, pk)
    _need(item.meeting.perms.lead)
    try:
        services.item_move(item=item, step=-1 if request.POST.get("direction") == "up" else 1)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("meetings:detail", args=[item.meeting_id]) + f"#item-{item.pk}")


@require_roles(*LEADERS)
@require_POST
def item_remove(request, pk):
    item = get_item_for_user(request, pk)
    _need(item.meeting.perms.lead)
    try:
        services.item_remove(item=item)
        messages.success(request, _("The item is taken off the agenda."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:detail", item.meeting_id)


@require_roles(*LEADERS)
@require_POST
def attachment_upload(request, pk):
    item = get_item_for_user(request, pk)
    _need(item.meeting.perms.lead)
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.attachment_add(item=item, upload=form.cleaned_data["file"], by=request.user)
            messages.success(request, _("The attachment is added."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect("meetings:item_edit", item.pk)


def serve_attachment(attachment):
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_roles(*READERS)
@require_GET
def attachment_download(request, pk):
    return serve_attachment(get_attachment_for_user(request, pk))


@require_roles(RoleKind.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def agenda_publish(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.agenda_publish(meeting=meeting, by=request.user, reason=form.cleaned_data["reason"])
            messages.success(request, _("The agenda is published and the members are notified."))
            return redirect("meetings:detail", meeting.pk)
        except ValidationError as error:
            form_errors(form, error)
    late = rules.is_late(timezone.localdate(), meeting.date, extraordinary=meeting.is_extraordinary)
    intro = (
        _("The 7-day deadline (%(deadline)s) has passed: publishing now needs a reason.")
        if late
        else _("The agenda is on time (deadline %(deadline)s).")
    ) % {"deadline": rules.agenda_deadline(meeting.date).strftime("%d.%m.%Y")}
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(
        request, form, title=_("Publish the agenda"), submit=_("Publish agenda"), back=back, intro=intro
    )


# --- Proposals and absence ---------------------------------------------------------------------


@require_roles(RoleKind.MEMBER)
@require_http_methods(["GET", "POST"])
def proposal_create(request, pk):
    meeting = get_meeting_for_user(request, pk)
    _need(meeting.perms.member)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit(
                meeting=meeting, politician=request.user.politician, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("Your proposal is sent to the chair and the secretariat."))
            return redirect("meetings:detail", meeting.pk)
        except ValidationError as error:
            form_errors(form, error)
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(request, form, title=_("Propose an agenda item"), submit=_("Send proposal"), back=back)


@require_roles(*LEADERS)
@require_POST
def proposal_decide(request, pk):
    proposal = get_proposal_for_user(request, pk)
    form = ProposalDecisionForm(request.POST)
    if form.is_valid():
        try:
            services.proposal_decide(proposal=proposal, by=request.user, **form.cleaned_data)
            messages.success(request, _("The proposal is decided and the proposer is told."))
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    else:
        messages.error(request, _("Choose a decision."))
    return redirect("meetings:detail", proposal.meeting_id)


@require_roles(RoleKind.MEMBER)
@require_http_methods(["GET", "POST"])
def absence_report(request, pk):
    meeting = get_meeting_for_user(request, pk)
    seat = services.meeting_seat_of(meeting, request.user.politician_id) if meeting.perms.member else None
    _need(seat is not None)
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_report(
                meeting=meeting, seat=seat, by=request.user, note=form.cleaned_data["note"]
            )
            messages.success(request, _("Your absence is reported and your substitute is notified."))
            return redirect("meetings:detail", meeting.pk)
        except ValidationError as error:
            form_errors(form, error)
    substitute = seat.substitute.name if seat.substitute_id else _("no personal substitute")
    intro = _("Your personal substitute (%(name)s) is told and may attend in your place.") % {
        "name": substitute
    }
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(
        request, form, title=_("Report absence"), submit=_("Report absence"), back=back, intro=intro
    )


# --- At the meeting: attendance and votes --------------------------------------------------------


@require_roles(RoleKind.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    if request.method == "POST":
        form = AttendanceForm(request.POST)
        seat = (
            meeting_seats(meeting).filter(pk=form.data.get("seat") or 0).first() if form.is_valid() else None
        )
        if seat is None:
            raise Http404
        try:
            services.attendance_record(meeting=meeting, seat=seat, status=form.cleaned_data["status"])
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        if request.headers.get("HX-Request"):
            meeting.refresh_from_db(fields=["leader"])
            row = next(r for r in attendance_rows(meeting) if r["seat"].pk == seat.pk)
            context = {"row": row, "meeting": meeting, "quorum": quorum_state(meeting), "oob": True}
            return render(request, "meetings/_partials/attendance_status.html", context)
        return redirect("meetings:attendance", meeting.pk)
    context = {
        "meeting": meeting,
        "rows": attendance_rows(meeting),
        "quorum": quorum_state(meeting),
        "statuses": Attendance.Status.choices,
    }
    return render(request, "meetings/attendance.html", context)


@require_roles(RoleKind.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def vote(request, pk):
    item = get_item_for_user(request, pk, write=True)
    meeting = item.meeting
    present = list(
        Attendance.objects.filter(meeting=meeting)
        .exclude(status=Attendance.Status.ABSENT)
        .select_related("attendee")
        .order_by("seat__number")
    )
    form = VoteForm(request.POST or None, present=present)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.vote_record(
                item=item,
                by=request.user,
                yes=data["yes"] or 0,
                no=data["no"] or 0,
                abstain=data["abstain"] or 0,
                leader_vote=data["leader_vote"],
                ballots=form.ballots(),
            )
            messages.success(request, _("The vote is recorded."))
            return redirect(reverse("meetings:minutes", args=[meeting.pk]) + f"#item-{item.pk}")
        except ValidationError as error:
            form_errors(form, error)
    context = {"form": form, "item": item, "meeting": meeting, "quorum": quorum_state(meeting)}
    return render(request, "meetings/vote.html", context, status=400 if form.errors else 200)


# --- Minutes ---------------------------------------------------------------------------------


@require_roles(*READERS)
@require_http_methods(["GET", "POST"])
def minutes(request, pk):
    meeting = get_meeting_for_user(request, pk)
    perms = meeting.perms
    record = Minutes.objects.filter(meeting=meeting).first()
    if not perms.sees_drafts and (record is None or record.published_version is None):
        raise Http404
    if request.method == "POST" and not perms.edit:
        raise PermissionDenied
    version = (
        record.version if record and perms.sees_drafts else (record.published_version if record else None)
    )
    decisions = decisions_of(record, version) if record else {}
    items = list(agenda_items(meeting, include_closed=perms.sees_closed))
    form = None
    if perms.edit and not (record and record.frozen):
        form = MinutesForm(request.POST or None, items=items, decisions=decisions)
        if request.method == "POST" and form.is_valid():
            try:
                services.minutes_save(meeting=meeting, by=request.user, texts=form.texts())
                messages.success(request, _("The minutes are saved."))
                return redirect("meetings:minutes", meeting.pk)
            except ValidationError as error:
                form_errors(form, error)
    elif request.method == "POST":
        raise PermissionDenied
    for item in items:
        item.decision_text = decisions.get(item.pk, "")
        item.field = form[f"decision_{item.pk}"] if form else None
    context = {
        "meeting": meeting,
        "perms": perms,
        "record": record,
        "version": version,
        "items": items,
        "form": form,
        "attendance": attendance_summary(meeting),
        "quorum": quorum_state(meeting),
        "versions": list(MinutesVersion.objects.filter(minutes=record).select_related("created_by"))
        if record
        else [],
        "reason_form": ReasonForm(),
        "document": Document.objects.filter(meeting=meeting, kind=Document.Kind.MINUTES).first(),
    }
    return render(request, "meetings/minutes.html", context, status=400 if form and form.errors else 200)


def _minutes_action(request, pk, action, done):
    meeting = get_meeting_for_user(request, pk)
    record = Minutes.objects.filter(meeting=meeting).first()
    if record is None:
        raise Http404
    try:
        action(meeting, record)
        messages.success(request, done)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("meetings:minutes", meeting.pk)


@require_roles(RoleKind.CHAIR)
@require_POST
def minutes_approve(request, pk):
    def approve(meeting, record):
        _need(meeting.perms.approve)
        services.minutes_approve(minutes=record, by=request.user)

    return _minutes_action(request, pk, approve, _("The minutes are approved."))


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def minutes_publish(request, pk):
    def publish(meeting, record):
        _need(meeting.perms.edit)
        services.minutes_publish(minutes=record, by=request.user)

    return _minutes_action(request, pk, publish, _("The minutes are published."))


@require_roles(*LEADERS)
@require_POST
def minutes_revise(request, pk):
    form = ReasonForm(request.POST)

    def revise(meeting, record):
        _need(meeting.perms.lead)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.minutes_revise(minutes=record, by=request.user, reason=reason)

    return _minutes_action(request, pk, revise, _("A new version of the minutes is open for changes."))


# --- Documents -----------------------------------------------------------------------------------


@require_roles(*READERS)
@require_GET
def document(request, pk, kind):
    """The meeting's PDF: the members' version to those who see closed items, else the public one."""
    meeting = get_meeting_for_user(request, pk)
    if kind not in {Document.Kind.AGENDA, Document.Kind.MINUTES} or meeting.agenda_hidden:
        raise Http404
    if not meeting.perms.sees_closed:
        kind = f"{kind}_public"
    doc = Document.objects.filter(meeting=meeting, kind=kind, status=Document.Status.READY).first()
    if doc is None or not doc.file:
        raise Http404
    return serve_document(doc, meeting)


def serve_document(doc, meeting):
    label = "dagsorden" if doc.kind.startswith("agenda") else "referat"
    name = f"{label}-{meeting.council.region.slug}-{meeting.date:%Y-%m-%d}.pdf"
    response = FileResponse(doc.file.open("rb"), filename=name, content_type="application/pdf")
    response["Cache-Control"] = "private, no-store"
    return response


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def documents_render(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    if services.documents_render_again(meeting=meeting):
        messages.success(request, _("The PDFs are being made again."))
    else:
        messages.error(request, _("Nothing is published yet, so there is no PDF to make."))
    return redirect("meetings:detail", meeting.pk)


@require_roles(*READERS)
@require_GET
def documents_status(request, pk):
    """The rendering status of the meeting's PDFs (polled by htmx while rendering)."""
    meeting = get_meeting_for_user(request, pk)
    docs = {d.kind: d for d in Document.objects.filter(meeting=meeting)}
    context = {"meeting": meeting, "documents": docs, "perms": meeting.perms}
    return render(request, "meetings/_partials/documents.html", context)


# --- Calendar ------------------------------------------------------------------------------------


@require_roles(*READERS)
@require_http_methods(["GET", "POST"])
def calendar(request):
    from .models import CalendarToken

    if request.method == "POST":
        services.calendar_token_reset(user=request.user)
        messages.success(request, _("Your calendar link is new; the old link no longer works."))
        return redirect("meetings:calendar")
    token = CalendarToken.objects.filter(user=request.user).first() or services.calendar_token_reset(
        user=request.user
    )
    url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token.token]))
    return render(request, "meetings/calendar.html", {"feed_url": url})
