"""What is recorded at and after the meeting: the attendance register with live quorum, votes,
the minutes and their workflow, and the meeting's PDFs. Thin views, like views.py."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import require_roles
from accounts.roles import RoleKind
from core.errors import Refused
from core.views import attempt, show_refusal

from . import rules, services
from .access import get_guest_for_user, get_item_for_user, get_meeting_for_user
from .documents import documents_render_again
from .forms import AttendanceRegisterForm, GuestForm, MinutesForm, ReasonForm, VoteForm
from .models import Attendance, Document, Guest, Minutes, MinutesVersion
from .selectors import (
    agenda_items,
    attendance_rows,
    minutes_shown,
    quorum_of_rows,
    quorum_state,
    register_open,
    with_minutes,
)
from .views import LEADERS, READERS, need

# --- At the meeting: attendance and votes --------------------------------------------------------


@require_roles(RoleKind.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def attendance(request, pk):
    """The attendance register as one form (issue 16): a status per seat, saved all at once;
    reported absences come pre-filled, and "all present" (?alle=1) is a place to start from."""
    meeting = get_meeting_for_user(request, pk, write=True)
    rows = attendance_rows(meeting)
    is_open = register_open(meeting)
    labels = {value: str(label) for value, label in Attendance.Status.choices}
    for row in rows:
        # Words made once here, not per row in the template (issue 15: the register of 60 seats).
        entry = row["attendance"]
        row["registered"] = labels[entry.status] if entry else "–"
        if entry and entry.status == Attendance.Status.SUBSTITUTE:
            row["registered"] += f": {entry.attendee.name}"
    # A closed register (before the start, after approved minutes) is read only: no form to build.
    form = _attendance_form(request, meeting, rows, labels) if is_open else None
    if isinstance(form, HttpResponse):
        return form
    context = {
        "meeting": meeting,
        "register_open": is_open,
        "rows": rows,
        "form": form,
        "all_present": is_open and request.GET.get("alle") == "1",
        "unchosen": sum(1 for row in rows if not row.get("choice")),
        "quorum": quorum_of_rows(rows),
        "guests": list(Guest.objects.filter(meeting=meeting)),
        "guest_form": GuestForm(),
    }
    return render(request, "meetings/attendance.html", context, status=400 if form and form.errors else 200)


def _attendance_form(request, meeting, rows, labels):
    """The open register's form: each row starts from its record, a reported absence, or (with
    ?alle=1) everyone present (rules.attendance_prefill); a valid POST is one service call."""
    all_present = request.GET.get("alle") == "1"
    prefill = {
        row["seat"].number: rules.attendance_prefill(
            registered=row["attendance"].status if row["attendance"] else None,
            reported_absent=row["reported_absent"],
            substitute_absent=row["substitute_absent"],
            has_substitute=bool(row["seat"].substitute_id),
            stand_in=bool(row["seat"].stand_in_id),
            all_present=all_present,
        )
        for row in rows
    }
    form = AttendanceRegisterForm(request.POST or None, rows=rows, initial_statuses=prefill)
    if request.method == "POST" and form.is_valid():
        try:
            services.attendance_register(meeting=meeting, statuses=form.statuses())
            messages.success(request, _("The attendance register is saved."))
            return redirect("meetings:attendance", meeting.pk)
        except ValidationError as error:
            show_refusal(form, error)
    chosen = form.chosen()
    for row in rows:
        seat = row["seat"]
        allowed = rules.attendance_options(
            has_substitute=bool(seat.substitute_id), stand_in=bool(seat.stand_in_id)
        )
        row["options"] = [(value, labels[value]) for value in allowed]
        row["choice"] = chosen[seat.number]
        row["errors"] = form.errors.get(f"seat-{seat.number}")
    return form


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def guest_add(request, pk):
    """Members of KL's board and committees from the region attend without a vote (Bilag 1 1.4)."""
    meeting = get_meeting_for_user(request, pk, write=True)
    form = GuestForm(request.POST)
    attempt(
        request,
        lambda: services.guest_add(meeting=meeting, **form.cleaned_data),
        _("The guest is recorded as attending without a vote."),
        form=form,
        invalid=_("Give the guest's name and role."),
    )
    return redirect(reverse("meetings:attendance", args=[meeting.pk]) + "#guests-h")


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def guest_remove(request, pk):
    guest = get_guest_for_user(request, pk, write=True)
    attempt(request, lambda: services.guest_remove(guest=guest), _("The guest is removed."))
    return redirect(reverse("meetings:attendance", args=[guest.meeting_id]) + "#guests-h")


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
        except Refused as error:
            show_refusal(form, error)
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
    versions = (
        list(MinutesVersion.objects.filter(minutes=record).select_related("created_by")) if record else []
    )
    # The items are read once, for the record and for the page; the minutes show no attachments.
    every_item = list(agenda_items(meeting, include_closed=True).prefetch_related(None))
    shown = minutes_shown(meeting, record, version, versions, items=every_item) if record else None
    decisions = {i["pk"]: i["decision_text"] for i in shown["items"]} if shown else {}
    items = with_minutes(
        [item for item in every_item if perms.sees_closed or not item.closed], shown or {"items": []}
    )
    form = None
    if perms.edit and not (record and record.frozen):
        form = MinutesForm(request.POST or None, items=items, decisions=decisions)
        if request.method == "POST" and form.is_valid():
            try:
                services.minutes_save(meeting=meeting, by=request.user, texts=form.texts())
                messages.success(request, _("The minutes are saved."))
                return redirect("meetings:minutes", meeting.pk)
            except Refused as error:
                show_refusal(form, error)
    elif request.method == "POST":
        raise PermissionDenied
    for item in items:
        item.field = form[f"decision_{item.pk}"] if form else None
    context = {
        "meeting": meeting,
        "perms": perms,
        "record": record,
        "version": version,
        "items": items,
        "form": form,
        "shown": shown,
        "quorum": shown["quorum"] if shown else quorum_state(meeting),
        "versions": versions,
        "reason_form": ReasonForm(),
        "document": Document.objects.filter(meeting=meeting, kind=Document.Kind.MINUTES).first(),
    }
    return render(request, "meetings/minutes.html", context, status=400 if form and form.errors else 200)


def _minutes_action(request, pk, action, done):
    meeting = get_meeting_for_user(request, pk)
    record = Minutes.objects.filter(meeting=meeting).first()
    if record is None:
        raise Http404
    attempt(request, lambda: action(meeting, record), done)
    return redirect("meetings:minutes", meeting.pk)


@require_roles(RoleKind.CHAIR)
@require_POST
def minutes_approve(request, pk):
    def approve(meeting, record):
        need(meeting.perms.approve)
        services.minutes_approve(minutes=record, by=request.user)

    return _minutes_action(request, pk, approve, _("The minutes are approved."))


@require_roles(RoleKind.SECRETARIAT)
@require_POST
def minutes_publish(request, pk):
    def publish(meeting, record):
        need(meeting.perms.edit)
        services.minutes_publish(minutes=record, by=request.user)

    return _minutes_action(request, pk, publish, _("The minutes are published."))


@require_roles(*LEADERS)
@require_POST
def minutes_revise(request, pk):
    form = ReasonForm(request.POST)

    def revise(meeting, record):
        need(meeting.perms.lead)
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
    if documents_render_again(meeting=meeting):
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
