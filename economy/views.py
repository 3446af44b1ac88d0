"""Pages of the economy: events (FO 4.2), joint initiatives (FO 4.3), remuneration (FO 4.4).

Views read through `selectors` and write through `services`; a refusal shows on the form."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.access import any_user, require_roles
from accounts.models import User
from accounts.roles import RoleKind, roles_of
from appointments.models import Appointment
from core.errors import Refused
from core.pdf import render_pdf
from core.time import today as local_today
from core.views import attempt, show_refusal
from core.xlsx import Sheet, xlsx_response
from meetings.models import Meeting
from register.models import Municipality, Politician, Region

from . import selectors, services
from .forms import (
    BudgetForm,
    ClaimForm,
    EventForm,
    ExportForm,
    InitiativeForm,
    ParticipantForm,
    RateForm,
    RegisterForm,
    ReportForm,
    ReturnForm,
)
from .models import Claim, Initiative, MileageRate, PayrollExport, ProgressReport, Registration

SECRETARIAT = (RoleKind.SECRETARIAT,)
# Who may claim remuneration (FO 4.4): KKR members, substitutes (the chair among them) and appointees.
POLITICIANS = (RoleKind.MEMBER, RoleKind.SUBSTITUTE, RoleKind.CHAIR, RoleKind.APPOINTEE)


def _form_page(request, form, *, title, submit, back, intro=""):
    """The portal's one form page (meetings/form.html), reached on POST only when refused (400)."""
    return render(
        request,
        "meetings/form.html",
        {"form": form, "title": title, "submit": submit, "back": reverse(back), "intro": intro},
        status=400 if request.method == "POST" else 200,
    )


def _one_region(roles) -> Region:
    regions = sorted(roles.secretariat_regions)
    if not regions:
        raise PermissionDenied
    return Region.objects.get(pk=regions[0])


# --- Events -------------------------------------------------------------------------------------


@any_user
@require_GET
def index(request):
    roles = roles_of(request)
    now = timezone.now()
    events = selectors.events_for(request.user, roles)
    return render(
        request,
        "economy/index.html",
        {
            "upcoming": events.filter(ends_at__gte=now).order_by("starts_at"),
            "past": events.filter(ends_at__lt=now).order_by("-starts_at")[:20],
            "is_secretariat": bool(roles.secretariat_regions),
            "is_clerk": roles.has(RoleKind.CLERK),
            "may_claim": bool(request.user.politician_id),
        },
    )


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def event_create(request):
    region = _one_region(roles_of(request))
    form = EventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.instance.region = region
        event = form.save()
        messages.success(request, _("The event is created; politicians of the region can register."))
        return redirect("economy:event_detail", event.pk)
    return _form_page(request, form, title=_("New political event"), submit=_("Create"), back="economy:index")


@any_user
@require_GET
def event_detail(request, pk):
    roles = roles_of(request)
    event = selectors.get_event(request, roles, pk)
    manage = event.region_id in roles.secretariat_regions
    context = {
        "event": event,
        "own": selectors.own_registration(event, request.user),
        "manage": manage,
        "now": timezone.now(),
        "may_check": manage and local_today() >= timezone.localtime(event.starts_at).date(),
        "show_invoices": selectors.invoice_municipalities(roles, event) != set(),
    }
    if manage:
        context["registrations"] = selectors.registrations(event)
        context["register_form"] = RegisterForm(
            politicians=Politician.objects.filter(
                municipality__region_id=event.region_id, council_to__isnull=True
            )
        )
    return render(request, "economy/event_detail.html", context)


@any_user
@require_POST
def event_register(request, pk):
    roles = roles_of(request)
    event = selectors.get_event(request, roles, pk)
    if "politician" in request.POST:  # the secretariat registers someone
        event = selectors.get_event(request, roles, pk, manage=True)
        form = RegisterForm(
            request.POST,
            politicians=Politician.objects.filter(municipality__region_id=event.region_id),
        )
        if not form.is_valid():
            messages.error(request, _("Choose a council member of the region."))
            return redirect("economy:event_detail", pk)
        politician = form.cleaned_data["politician"]
    else:
        politician = request.user.politician
        if politician is None:
            raise PermissionDenied
    attempt(
        request,
        lambda: services.register(event=event, politician=politician, by=request.user),
        _("Registered. A confirmation is on its way by mail."),
    )
    return redirect("economy:event_detail", pk)


@any_user
@require_POST
def registration_cancel(request, pk):
    roles = roles_of(request)
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    own = registration.politician_id == request.user.politician_id
    if not own:
        selectors.get_event(request, roles, registration.event_id, manage=True)
    attempt(
        request,
        lambda: services.cancel(registration=registration, by=request.user),
        _("The registration is cancelled."),
    )
    return redirect("economy:event_detail", registration.event_id)


@require_roles(*SECRETARIAT)
@require_POST
def event_attendance(request, pk):
    event = selectors.get_event(request, roles_of(request), pk, manage=True)
    present = {int(v) for v in request.POST.getlist("present") if v.isdigit()}
    attempt(
        request,
        lambda: services.attendance_check(event=event, present=present),
        _("The attendance list is saved."),
    )
    return redirect("economy:event_detail", pk)


def _bases(request, pk):
    roles = roles_of(request)
    event = selectors.get_event(request, roles, pk)
    allowed = selectors.invoice_municipalities(roles, event)
    if allowed == set():
        raise PermissionDenied
    return event, selectors.invoice_bases(event, allowed)


@require_roles(RoleKind.SECRETARIAT, RoleKind.CLERK)
@require_GET
def invoice_pdf(request, pk):
    event, bases = _bases(request, pk)
    pdf = render_pdf("economy/pdf/invoice_basis.html", {"event": event, "bases": bases})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="fakturagrundlag-{event.pk}.pdf"'
    return response


@require_roles(RoleKind.SECRETARIAT, RoleKind.CLERK)
@require_GET
def invoice_xlsx(request, pk):
    event, bases = _bases(request, pk)
    header = [_("Municipality"), _("Participant"), _("Participant kind"), _("Status"), _("Fee (DKK)")]
    rows = []
    for basis in bases:
        for line in basis.lines:
            rows.append(
                [
                    basis.municipality.name,
                    line.politician.name,
                    line.get_kind_display(),
                    line.get_status_display(),
                    line.billed,
                ]
            )
        rows.append([basis.municipality.name, _("Total"), "", "", basis.total])
    return xlsx_response(f"fakturagrundlag-{event.pk}.xlsx", [Sheet(_("Invoice basis"), header, rows)])


# --- Initiatives --------------------------------------------------------------------------------


@require_roles(RoleKind.SECRETARIAT, RoleKind.CLERK)
@require_GET
def initiative_list(request):
    roles = roles_of(request)
    return render(
        request,
        "economy/initiative_list.html",
        {
            "initiatives": selectors.initiatives_for(request.user, roles),
            "is_secretariat": bool(roles.secretariat_regions),
        },
    )


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def initiative_create(request):
    region = _one_region(roles_of(request))
    form = InitiativeForm(
        request.POST or None,
        owners=User.objects.filter(is_active=True).order_by("name"),
        municipalities=Municipality.objects.filter(region=region),
    )
    if request.method == "POST" and form.is_valid():
        try:
            initiative = services.initiative_create(region=region, by=request.user, **form.cleaned_data)
        except Refused as error:
            show_refusal(form, error)
        else:
            return redirect("economy:initiative_detail", initiative.pk)
    return _form_page(
        request, form, title=_("New joint initiative"), submit=_("Create"), back="economy:initiative_list"
    )


def _initiative(request, pk, *, manage=False) -> Initiative:
    roles = roles_of(request)
    initiative = get_object_or_404(selectors.initiatives_for(request.user, roles), pk=pk)
    if manage and initiative.region_id not in roles.secretariat_regions:
        raise PermissionDenied
    return initiative


@any_user
@require_GET
def initiative_detail(request, pk):
    initiative = _initiative(request, pk)
    roles = roles_of(request)
    manage = initiative.region_id in roles.secretariat_regions
    table = selectors.share_table(initiative)
    if not manage and roles.has(RoleKind.CLERK) and initiative.owner_id != request.user.pk:
        own = set(roles.clerk_municipalities)
        table.rows = [row for row in table.rows if row[0].pk in own]
    return render(
        request,
        "economy/initiative_detail.html",
        {
            "initiative": initiative,
            "table": table,
            "reports": initiative.reports.select_related("agenda_item__meeting"),
            "manage": manage,
            "owner": initiative.owner_id == request.user.pk,
            "today": local_today(),
            "budget_form": BudgetForm(),
            "participant_form": ParticipantForm(
                municipalities=Municipality.objects.filter(region_id=initiative.region_id)
            ),
        },
    )


@require_roles(*SECRETARIAT)
@require_POST
def initiative_budget(request, pk):
    initiative = _initiative(request, pk, manage=True)
    form = BudgetForm(request.POST)
    attempt(
        request,
        lambda: services.budget_set(initiative=initiative, **form.cleaned_data),
        _("The budget is saved."),
        form=form,
        invalid=_("Give a year and an amount."),
    )
    return redirect("economy:initiative_detail", pk)


@require_roles(*SECRETARIAT)
@require_POST
def initiative_participant(request, pk):
    initiative = _initiative(request, pk, manage=True)
    form = ParticipantForm(
        request.POST, municipalities=Municipality.objects.filter(region_id=initiative.region_id)
    )
    attempt(
        request,
        lambda: services.participant_set(initiative=initiative, **form.cleaned_data),
        _("The municipality's participation is saved."),
        form=form,
    )
    return redirect("economy:initiative_detail", pk)


@any_user
@require_http_methods(["GET", "POST"])
def report_submit(request, pk):
    report = get_object_or_404(ProgressReport.objects.select_related("initiative"), pk=pk)
    initiative = _initiative(request, report.initiative_id)
    if (
        initiative.owner_id != request.user.pk
        and initiative.region_id not in roles_of(request).secretariat_regions
    ):
        raise PermissionDenied
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.report_submit(report=report, text=form.cleaned_data["text"], by=request.user)
        except Refused as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The report is kept."))
            return redirect("economy:initiative_detail", initiative.pk)
    return _form_page(
        request,
        form,
        title=f"{report.get_kind_display()} – {initiative.title}",
        submit=_("Submit the report"),
        back="economy:initiative_list",
        intro=_("Due %(day)s. A yearly report is put on the next KKR agenda as an orientation item.")
        % {"day": report.due_on.strftime("%d.%m.%Y")},
    )


@require_roles(*SECRETARIAT)
@require_POST
def report_agenda(request, pk):
    report = get_object_or_404(ProgressReport, pk=pk)
    _initiative(request, report.initiative_id, manage=True)
    try:
        item = services.report_to_agenda(report=report)
    except Refused as error:
        messages.error(request, " ".join(error.messages))
    else:
        if item is None:
            messages.error(request, _("No KKR meeting is planned yet: plan the next meeting first."))
        else:
            messages.success(
                request, _("The report is on the agenda of %(meeting)s.") % {"meeting": item.meeting}
            )
    return redirect("economy:initiative_detail", report.initiative_id)


# --- Claims -------------------------------------------------------------------------------------


@require_roles(*POLITICIANS)
@require_http_methods(["GET", "POST"])
def claims(request):
    politician = request.user.politician
    if politician is None:
        raise PermissionDenied
    attended = list(selectors.claimable_meetings(politician.pk))
    appointments = list(selectors.claimable_appointments(politician.pk))
    form = ClaimForm(request.POST or None, attended=attended, appointments=appointments)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        choice = data["meeting"]
        meeting = get_object_or_404(Meeting, pk=int(choice[1:])) if choice.startswith("m") else None
        appointment = get_object_or_404(Appointment, pk=int(choice[1:])) if choice.startswith("a") else None
        try:
            services.claim_submit(
                politician=politician,
                by=request.user,
                meeting=meeting,
                appointment=appointment,
                meeting_on=data["meeting_on"],
                description=data["description"],
                transport=data["transport"],
                distance_km=data["distance_km"],
                expense=data["expense"] or 0,
            )
        except Refused as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("Your claim is sent to the secretariat."))
            return redirect("economy:claims")
    return render(
        request,
        "economy/claims.html",
        {"form": form, "claims": selectors.claims_of(politician.pk)},
        status=400 if request.method == "POST" else 200,
    )


@require_roles(*SECRETARIAT)
@require_GET
def claims_review(request):
    roles = roles_of(request)
    return render(
        request,
        "economy/claims_review.html",
        {
            "claims": selectors.claims_to_decide(roles.secretariat_regions),
            "exports": PayrollExport.objects.filter(region_id__in=roles.secretariat_regions),
            "approved": Claim.objects.filter(
                region_id__in=roles.secretariat_regions, status=Claim.Status.APPROVED
            ).count(),
            "return_form": ReturnForm(),
            "export_form": ExportForm(initial={"month": local_today()}),
            "rates": MileageRate.objects.all()[:3],
        },
    )


def _claim(request, pk) -> Claim:
    return get_object_or_404(Claim, pk=pk, region_id__in=roles_of(request).secretariat_regions)


@require_roles(*SECRETARIAT)
@require_POST
def claim_approve(request, pk):
    claim = _claim(request, pk)
    attempt(
        request, lambda: services.claim_approve(claim=claim, by=request.user), _("The claim is approved.")
    )
    return redirect("economy:claims_review")


@require_roles(*SECRETARIAT)
@require_POST
def claim_return(request, pk):
    claim = _claim(request, pk)
    form = ReturnForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.claim_return(claim=claim, by=request.user, reason=reason),
        _("The claim is returned to the claimant with the reason."),
    )
    return redirect("economy:claims_review")


@require_roles(*SECRETARIAT)
@require_POST
def payroll_create(request):
    region = _one_region(roles_of(request))
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the payroll month."))
        return redirect("economy:claims_review")
    export = services.payroll_export(region=region, month=form.cleaned_data["month"], by=request.user)
    return redirect("economy:payroll_xlsx", export.pk)


@require_roles(*SECRETARIAT)
@require_GET
def payroll_xlsx(request, pk):
    export = get_object_or_404(PayrollExport, pk=pk, region_id__in=roles_of(request).secretariat_regions)
    header = [
        _("Claimant"),
        _("Municipality"),
        _("Meeting date"),
        _("Meeting"),
        _("Means of transport"),
        _("Km at the high rate"),
        _("Km at the low rate"),
        _("Amount (DKK)"),
    ]
    rows = [
        [
            c.claimant.name,
            c.claimant.municipality.name,
            c.meeting_on,
            str(c.meeting) if c.meeting_id else f"{c.appointment.post} – {c.description}",
            c.get_transport_display(),
            c.high_km,
            c.low_km,
            c.amount,
        ]
        for c in export.claims.select_related(
            "claimant__municipality", "meeting__council", "appointment__post__body"
        )
    ]
    return xlsx_response(f"loen-{export.month:%Y-%m}.xlsx", [Sheet(_("Payroll"), header, rows)])


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def rates(request):
    form = RateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.rate_set(**form.cleaned_data)
        messages.success(request, _("The rates are saved."))
        return redirect("economy:claims_review")
    return _form_page(request, form, title=_("Mileage rates"), submit=_("Save"), back="economy:claims_review")
