"""Meeting pages for members, substitutes, the chair and the secretariat. Thin: access helper,
form, one service or query, render or redirect. Public pages and feeds live in public_views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import core.time
from accounts.access import require_roles
from accounts.roles import RoleKind, roles_of
from appointments.models import Council, Seat
from core.errors import Refused
from core.views import attempt, show_refusal

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
    AttachmentRemoveForm,
    ExtraordinaryRequestForm,
    ItemForm,
    MeetingForm,
    MeetingMoveForm,
    ProposalDecisionForm,
    ProposalForm,
    PublishForm,
)
from .models import (
    AbsenceReport,
    CalendarToken,
    Document,
    ExtraordinaryRequest,
    Meeting,
)
from .selectors import (
    agenda_items,
    agenda_version,
    called_in_report,
    meeting_seat_of,
    quorum_state,
    started,
)

READERS = (RoleKind.SECRETARIAT, RoleKind.CHAIR, RoleKind.MEMBER, RoleKind.SUBSTITUTE)
LEADERS = (RoleKind.SECRETARIAT, RoleKind.CHAIR)


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


def need(flag: bool) -> None:
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
        year = int(request.GET.get("year") or core.time.today().year)
    except ValueError:
        year = core.time.today().year
    if not 1970 <= year <= 2200:
        raise Http404
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
    need(council.region_id in roles_of(request).secretariat_regions)
    return _new_meeting(
        request,
        council,
        services.meeting_plan,
        done=_("The meeting is planned."),
        title=_("Plan a meeting"),
        submit=_("Plan meeting"),
    )


def _new_meeting(request, council, create, *, done: str, title: str, submit: str):
    """The form page that plans or calls a meeting of ``council`` through the service ``create``."""
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        meeting = create(council=council, **form.cleaned_data)
        messages.success(request, done)
        return redirect("meetings:detail", meeting.pk)
    back = reverse("meetings:plan", args=[council.pk])
    return form_page(request, form, title=title, submit=submit, back=back)


@require_roles(RoleKind.MEMBER)
@require_POST
def extraordinary_request(request, pk):
    council = get_council_for_meetings(request, pk)
    need(council.pk in roles_of(request).member_councils)
    form = ExtraordinaryRequestForm(request.POST)
    attempt(
        request,
        lambda: services.extraordinary_request(
            council=council, politician=request.user.politician, topic=form.cleaned_data["topic"]
        ),
        _("Your request for an extraordinary meeting is recorded."),
        form=form,
        invalid=_("Say what the extraordinary meeting should deal with."),
    )
    return redirect("meetings:plan", council.pk)


@require_roles(RoleKind.CHAIR)
@require_http_methods(["GET", "POST"])
def extraordinary_call(request, pk):
    council = get_council_for_meetings(request, pk)
    need(council.pk in roles_of(request).chair_councils)
    return _new_meeting(
        request,
        council,
        services.meeting_call_extraordinary,
        done=_("The extraordinary meeting is called."),
        title=_("Call an extraordinary meeting"),
        submit=_("Call meeting"),
    )


@require_roles(RoleKind.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    initial = {"starts_at": timezone.localtime(meeting.starts_at), "location": meeting.location}
    form = MeetingMoveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_move(meeting=meeting, **form.cleaned_data)
            messages.success(request, _("The meeting is changed."))
            return redirect("meetings:detail", meeting.pk)
        except Refused as error:
            show_refusal(form, error)
    intro = (
        _(
            "The agenda is published: moving the meeting to another day less than 7 days away needs a reason, and the members are told of the change."
        )
        if meeting.status == Meeting.Status.PUBLISHED
        else ""
    )
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(
        request, form, title=_("Change time or place"), submit=_("Save meeting"), back=back, intro=intro
    )


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def meeting_cancel(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    attempt(request, lambda: services.meeting_cancel(meeting=meeting), _("The meeting is cancelled."))
    return redirect("meetings:detail", meeting.pk)


# --- The meeting and its agenda --------------------------------------------------------------


@require_roles(*READERS)
@require_GET
def detail(request, pk):
    meeting = get_meeting_for_user(request, pk)
    perms = meeting.perms
    items = [] if meeting.agenda_hidden else list(agenda_items(meeting, include_closed=perms.sees_closed))
    my_seat = meeting_seat_of(meeting, request.user.politician_id) if perms.sits else None
    begun = started(meeting)
    context = {
        "meeting": meeting,
        "perms": perms,
        "items": items,
        "proposals": list(visible_proposals(request, meeting)),
        "documents": {d.kind: d for d in Document.objects.filter(meeting=meeting)},
        "my_seat": my_seat,
        "my_absence": my_seat and AbsenceReport.objects.filter(meeting=meeting, seat=my_seat).first(),
        "absences": list(
            AbsenceReport.objects.filter(meeting=meeting).select_related(
                "seat__holder", "seat__substitute", "reported_by"
            )
        )
        if perms.lead
        else [],
        "deadline": rules.agenda_deadline(meeting.date),
        "quorum": quorum_state(meeting) if perms.lead else None,
        "decision_form": ProposalDecisionForm(
            can_place=meeting.status in {Meeting.Status.PLANNED, Meeting.Status.PUBLISHED} and not begun
        ),
        "can_report_absence": bool(my_seat) and not begun,
        "called_in_report": None if begun else called_in_report(meeting, request.user.politician_id),
        "started": begun,
        # The agenda takes changes (services._common._editable): not for a held or cancelled meeting.
        "agenda_open": meeting.status in {Meeting.Status.PLANNED, Meeting.Status.PUBLISHED},
        "agenda_version": agenda_version(meeting) if perms.approve_agenda else "",
    }
    return render(request, "meetings/detail.html", context)


@require_roles(*LEADERS)
@require_http_methods(["GET", "POST"])
def item_create(request, pk):
    meeting = get_meeting_for_user(request, pk)
    need(meeting.perms.lead)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.item_add(meeting=meeting, **form.cleaned_data)
            messages.success(request, _("The item is added to the agenda."))
            return redirect("meetings:detail", meeting.pk)
        except Refused as error:
            show_refusal(form, error)
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(request, form, title=_("New agenda item"), submit=_("Add item"), back=back)


@require_roles(*LEADERS)
@require_http_methods(["GET", "POST"])
def item_edit(request, pk):
    item = get_item_for_user(request, pk)
    need(item.meeting.perms.lead)
    form = ItemForm(request.POST or None, instance=item)
    if item.meeting.status != Meeting.Status.PLANNED and not item.meeting.perms.edit:
        # On a published agenda only the secretariat changes open/closed (issue 12.11).
        form.fields["closed"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.item_update(
                item=item, by=request.user, **{f: form.cleaned_data[f] for f in ItemForm.Meta.fields}
            )
            messages.success(request, _("The item is saved."))
            return redirect("meetings:detail", item.meeting_id)
        except Refused as error:
            show_refusal(form, error)
    context = {
        "form": form,
        "item": item,
        "meeting": item.meeting,
        "attachments": list(item.attachments.all()),
        "attachment_form": AttachmentForm(),
        "removal_form": AttachmentRemoveForm(),
    }
    return render(request, "meetings/item_edit.html", context)


@require_roles(*LEADERS)
@require_POST
def item_move(request, pk):
    item = get_item_for_user(request, pk)
    need(item.meeting.perms.lead)
    try:
        services.item_move(item=item, step=-1 if request.POST.get("direction") == "up" else 1)
    except Refused as error:
        messages.error(request, " ".join(error.messages))
    return redirect(reverse("meetings:detail", args=[item.meeting_id]) + f"#item-{item.pk}")


@require_roles(*LEADERS)
@require_POST
def item_remove(request, pk):
    item = get_item_for_user(request, pk)
    need(item.meeting.perms.lead)
    attempt(request, lambda: services.item_remove(item=item), _("The item is taken off the agenda."))
    return redirect("meetings:detail", item.meeting_id)


@require_roles(*LEADERS)
@require_POST
def attachment_upload(request, pk):
    item = get_item_for_user(request, pk)
    need(item.meeting.perms.lead)
    form = AttachmentForm(request.POST, request.FILES)
    attempt(
        request,
        lambda: services.attachment_add(item=item, upload=form.cleaned_data["file"], by=request.user),
        _("The attachment is added."),
        form=form,
        invalid=_("Choose a file to attach."),
    )
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


@require_roles(*LEADERS)
@require_POST
def attachment_remove(request, pk):
    attachment = get_attachment_for_user(request, pk)
    need(attachment.item.meeting.perms.lead)
    form = AttachmentRemoveForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.attachment_remove(attachment=attachment, by=request.user, reason=reason),
        _("The attachment is removed."),
    )
    return redirect("meetings:item_edit", attachment.item_id)


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def item_closed_confirm(request, pk):
    item = get_item_for_user(request, pk, write=True)
    attempt(
        request,
        lambda: services.item_closed_confirm(item=item, by=request.user),
        _("Confirmed: the item is open or closed as it now stands."),
    )
    return redirect(reverse("meetings:detail", args=[item.meeting_id]) + f"#item-{item.pk}")


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def agenda_approval_request(request, pk):
    meeting = get_meeting_for_user(request, pk, write=True)
    attempt(
        request,
        lambda: services.agenda_approval_request(meeting=meeting, by=request.user),
        _("The chair is asked to approve the agenda."),
    )
    return redirect("meetings:detail", meeting.pk)


@require_roles(RoleKind.CHAIR)
@require_POST
def agenda_approve(request, pk):
    meeting = get_meeting_for_user(request, pk)
    need(meeting.perms.approve_agenda)
    attempt(
        request,
        lambda: services.agenda_approve(
            meeting=meeting, by=request.user, version=request.POST.get("version", "")
        ),
        _("The agenda is approved; the secretariat can publish it."),
    )
    return redirect("meetings:detail", meeting.pk)


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
        except Refused as error:
            show_refusal(form, error)
    late = rules.is_late(core.time.today(), meeting.date, extraordinary=meeting.is_extraordinary)
    intro = (
        _("The 7-day deadline (%(deadline)s) has passed: publishing now needs a reason.")
        if late
        else _("The agenda is on time (deadline %(deadline)s).")
    ) % {"deadline": rules.agenda_deadline(meeting.date).strftime("%d.%m.%Y")}
    if not meeting.agenda_approved:
        intro = " ".join([str(intro), _("The chair has not approved the agenda yet.")])
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(
        request, form, title=_("Publish the agenda"), submit=_("Publish agenda"), back=back, intro=intro
    )


# --- Proposals and absence ---------------------------------------------------------------------


@require_roles(RoleKind.MEMBER, RoleKind.SUBSTITUTE)
@require_http_methods(["GET", "POST"])
def proposal_create(request, pk):
    """Members acting for a seat at the meeting propose items (FO 3.2): a stand-in during a long
    absence does, the member they replace does not (Bilag 1 1.5-1.6)."""
    meeting = get_meeting_for_user(request, pk)
    need(meeting.perms.sits and meeting_seat_of(meeting, request.user.politician_id) is not None)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_submit(
                meeting=meeting, politician=request.user.politician, user=request.user, **form.cleaned_data
            )
            messages.success(request, _("Your proposal is sent to the chair and the secretariat."))
            return redirect("meetings:detail", meeting.pk)
        except Refused as error:
            show_refusal(form, error)
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(request, form, title=_("Propose an agenda item"), submit=_("Send proposal"), back=back)


@require_roles(*LEADERS)
@require_POST
def proposal_decide(request, pk):
    proposal = get_proposal_for_user(request, pk)
    form = ProposalDecisionForm(request.POST)
    attempt(
        request,
        lambda: services.proposal_decide(proposal=proposal, by=request.user, **form.cleaned_data),
        _("The proposal is decided and the proposer is told."),
        form=form,
        invalid=_("Choose a decision."),
    )
    return redirect("meetings:detail", proposal.meeting_id)


@require_roles(RoleKind.MEMBER, RoleKind.SUBSTITUTE)
@require_http_methods(["GET", "POST"])
def absence_report(request, pk):
    meeting = get_meeting_for_user(request, pk)
    seat = meeting_seat_of(meeting, request.user.politician_id) if meeting.perms.sits else None
    if seat is None:
        return _substitute_absence(request, meeting)
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.absence_report(
                meeting=meeting, seat=seat, by=request.user, note=form.cleaned_data["note"]
            )
            messages.success(
                request,
                _("Your absence is reported.")
                if seat.stand_in_id is not None
                else _("Your absence is reported and your substitute is notified."),
            )
            return redirect("meetings:detail", meeting.pk)
        except Refused as error:
            show_refusal(form, error)
    if seat.stand_in_id is not None:
        intro = _("You stand in for %(name)s; there is no further substitute to call in.") % {
            "name": seat.holder.name
        }
    else:
        substitute = seat.substitute.name if seat.substitute_id else _("no personal substitute")
        intro = _("Your personal substitute (%(name)s) is told and may attend in your place.") % {
            "name": substitute
        }
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(
        request, form, title=_("Report absence"), submit=_("Report absence"), back=back, intro=intro
    )


def _substitute_absence(request, meeting):
    """The personal substitute called in by a member's absence cannot attend either (13.10)."""
    report = called_in_report(meeting, request.user.politician_id) if meeting.perms.sits else None
    need(report is not None)
    form = AbsenceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.substitute_absence_report(report=report, by=request.user, note=form.cleaned_data["note"])
            messages.success(request, _("Your absence is reported to the secretariat."))
            return redirect("meetings:detail", meeting.pk)
        except Refused as error:
            show_refusal(form, error)
    intro = _("You are called in for %(name)s. Tell the secretariat that you cannot attend either.") % {
        "name": report.seat.holder.name
    }
    back = reverse("meetings:detail", args=[meeting.pk])
    return form_page(
        request, form, title=_("Report absence"), submit=_("Report absence"), back=back, intro=intro
    )


@require_roles(RoleKind.MEMBER, RoleKind.SUBSTITUTE)
@require_POST
def absence_withdraw(request, pk):
    meeting = get_meeting_for_user(request, pk)
    seat = meeting_seat_of(meeting, request.user.politician_id) if meeting.perms.sits else None
    need(seat is not None)
    attempt(
        request,
        lambda: services.absence_withdraw(meeting=meeting, seat=seat),
        _("Your absence report is withdrawn."),
    )
    return redirect("meetings:detail", meeting.pk)


# --- Calendar ------------------------------------------------------------------------------------


@require_roles(*READERS)
@require_http_methods(["GET", "POST"])
def calendar(request):
    if request.method == "POST":
        services.calendar_token_reset(user=request.user)
        messages.success(request, _("Your calendar link is new; the old link no longer works."))
        return redirect("meetings:calendar")
    token = CalendarToken.objects.filter(user=request.user).first()
    url = request.build_absolute_uri(reverse("meetings:calendar_feed", args=[token.token])) if token else ""
    return render(request, "meetings/calendar.html", {"feed_url": url})
