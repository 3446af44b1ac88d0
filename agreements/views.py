"""Pages of the IV agreement: thin views over access.py, services.py and selectors.py."""

from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dates import MONTHS_3
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

import core.time
from accounts.access import require_roles
from accounts.roles import roles_of
from core.charts import Bar, bar_chart, column_chart
from core.documents import is_current
from core.errors import Refused
from core.views import show_refusal
from core.xlsx import Sheet, xlsx_response

from . import documents, rules, selectors, tariffs
from .access import (
    COURSE_READERS,
    FOLLOWERS,
    REGION_WIDE,
    SETTLERS,
    agreements_for_user,
    cost_sharing_regions,
    courses_for_user,
    get_course_for_user,
    get_run_for_user,
    get_statement_for_user,
    readable_municipalities,
    runs_for_user,
    writable_municipalities,
)
from .forms import (
    CostShareForm,
    CourseFilterForm,
    CourseForm,
    ExtensionForm,
    FinaliseForm,
    PeriodForm,
    TariffYearForm,
    UploadForm,
)
from .importing import HEADER, courses_import, row_errors
from .models import Agreement, QuarterReport, SettlementJob, TariffTable, Treatment
from .nav import subnav
from .services import (
    agreement_extend,
    course_withdraw,
    courses_register,
    quarter_report_request,
    settlement_request,
    statement_finalise,
    statement_pdf_request,
    tariff_year_create,
)

PAGE_SIZE = 50
LINES_PER_PAGE = 200


def render_iv(request, template, context, status=200):
    """Render with the app's own menu for the user's roles."""
    return render(request, template, {"iv_nav": subnav(roles_of(request)), **context}, status=status)


def _agreement(request):
    agreement = agreements_for_user(roles_of(request)).select_related("region").first()
    if agreement is None:
        raise Http404
    return agreement


# --- courses -------------------------------------------------------------------------------------


@require_roles(*COURSE_READERS)
@require_GET
def course_list(request):
    roles = roles_of(request)
    municipalities = readable_municipalities(roles)
    form = CourseFilterForm(request.GET or None, municipalities=municipalities)
    municipalities = list(municipalities)  # the filter's choices, read once
    page = selectors.course_page(
        form.apply(courses_for_user(roles).with_settlement()),
        start_year=form.cleaned_data["year"] if form.is_valid() else None,
        size=PAGE_SIZE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
    )
    query = request.GET.copy()
    for key in ("after", "before", "page"):
        query.pop(key, None)
    return render_iv(
        request,
        "agreements/course_list.html",
        {
            "form": form,
            "page": page,
            "rows": selectors.course_rows(page),
            "query": query.urlencode(),
            "can_register": writable_municipalities(roles).exists(),
            "municipalities": municipalities if len(municipalities) > 1 else [],
            "ended_agreement": _ended_agreement(roles),
        },
    )


def _ended_agreement(roles):
    """The user's agreement when it is not in force today (courses starting now are refused)."""
    today = core.time.today()
    agreement = agreements_for_user(roles).only("starts_on", "ends_on").first()
    if agreement and not rules.in_force(agreement.starts_on, agreement.ends_on, today):
        return agreement
    return None


def _save_course(request, form, course=None):
    try:
        result = courses_register(items=[form.to_input()], user=request.user)
    except Refused as exc:
        show_refusal(form, exc)
        return None
    saved = result.courses[0]
    if result.created:
        messages.success(request, _("The course %(ref)s is registered.") % {"ref": saved.external_id})
    else:
        messages.success(request, _("The course %(ref)s is updated.") % {"ref": saved.external_id})
    _warn_duplicates(request, result)
    return saved


def _warn_duplicates(request, result) -> None:
    for warning in result.duplicate_warnings():
        messages.warning(request, warning["message"])


@require_roles(*COURSE_READERS)
@require_http_methods(["GET", "POST"])
def course_create(request):
    municipalities = writable_municipalities(roles_of(request))
    if not municipalities:
        messages.error(request, _("Only municipal clerks register courses."))
        return redirect("agreements:course_list")
    form = CourseForm(request.POST or None, municipalities=municipalities)
    if request.method == "POST" and form.is_valid():
        saved = _save_course(request, form)
        if saved:
            return redirect("agreements:course_detail", pk=saved.pk)
    return render_iv(request, "agreements/course_form.html", {"form": form, "course": None})


@require_roles(*COURSE_READERS)
@require_GET
def course_detail(request, pk):
    course = get_course_for_user(request, pk)
    lines = list(course.lines.select_related("run", "statement").order_by("id"))
    can_edit = course.municipality_id in roles_of(request).clerk_municipalities
    return render_iv(
        request, "agreements/course_detail.html", {"course": course, "lines": lines, "can_edit": can_edit}
    )


@require_roles(*COURSE_READERS)
@require_http_methods(["GET", "POST"])
def course_edit(request, pk):
    course = get_course_for_user(request, pk, write=True)
    municipalities = writable_municipalities(roles_of(request))
    form = CourseForm(request.POST or None, municipalities=municipalities, course=course)
    if request.method == "POST" and form.is_valid() and _save_course(request, form, course):
        return redirect("agreements:course_detail", pk=course.pk)
    return render_iv(request, "agreements/course_form.html", {"form": form, "course": course})


@require_roles(*COURSE_READERS)
@require_POST
def course_withdraw_view(request, pk):
    course = get_course_for_user(request, pk, write=True)
    course_withdraw(course=course, user=request.user)
    messages.success(request, _("The course is withdrawn; a settled course is credited in the next run."))
    return redirect("agreements:course_detail", pk=course.pk)


@require_roles(*COURSE_READERS)
@require_http_methods(["GET", "POST"])
def course_upload(request):
    roles = roles_of(request)
    allowed = set(writable_municipalities(roles).values_list("id", flat=True))
    if not allowed:
        messages.error(request, _("Only municipal clerks register courses."))
        return redirect("agreements:course_list")
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            result = courses_import(
                name=upload.name, data=upload.read(), user=request.user, allowed_municipalities=allowed
            )
        except Refused as exc:
            errors = row_errors(exc)
        else:
            messages.success(
                request,
                _("The file is imported: %(created)s new, %(updated)s updated, %(unchanged)s unchanged.")
                % {
                    "created": len(result.created),
                    "updated": len(result.updated),
                    "unchanged": len(result.unchanged),
                },
            )
            _warn_duplicates(request, result)
            return redirect("agreements:course_list")
    status = 400 if errors else 200
    return render_iv(
        request,
        "agreements/upload.html",
        {"form": form, "errors": errors, "header": ",".join(HEADER)},
        status=status,
    )


# --- settlement ----------------------------------------------------------------------------------


@require_roles(*SETTLERS)
@require_GET
def run_list(request):
    roles = roles_of(request)
    runs = list(runs_for_user(roles).select_related("created_by")[:100])
    job = _jobs(request).first()
    return render_iv(request, "agreements/run_list.html", {"runs": runs, "job": job})


def _jobs(request):
    """The settlement jobs of the agreements the user settles, newest first."""
    return SettlementJob.objects.filter(
        agreement__region_id__in=roles_of(request).officer_regions
    ).select_related("run", "requested_by")


@require_roles(*SETTLERS)
@require_POST
def run_create(request):
    """Ask the worker for a settlement; a second click while one is open joins it."""
    job, created = settlement_request(agreement=_agreement(request), user=request.user)
    if not created:
        messages.info(request, _("A settlement is already under way; it is shown here."))
    return redirect("agreements:settlement_job", pk=job.pk)


@require_roles(*SETTLERS)
@require_GET
def settlement_job(request, pk):
    """The settlement's status row; while it is open, htmx polls `settlement_job_status`."""
    job = _jobs(request).filter(pk=pk).first()
    if job is None:
        raise Http404
    template = (
        "agreements/_partials/settlement_job.html"
        if request.GET.get("row")
        else "agreements/settlement_job.html"
    )
    return render_iv(request, template, {"job": job})


@require_roles(*SETTLERS)
@require_GET
def run_detail(request, pk):
    run = get_run_for_user(request, pk)
    statements = list(run.statements.select_related("municipality").order_by("municipality__name"))
    summary = selectors.run_summary(run)
    return render_iv(
        request, "agreements/run_detail.html", {"run": run, "statements": statements, "summary": summary}
    )


@require_roles(*SETTLERS)
@require_GET
def run_xlsx(request, pk):
    run = get_run_for_user(request, pk)
    statements = run.statements.select_related("municipality").order_by("municipality__code")
    summary = selectors.run_summary(run)
    sheets = [
        Sheet(
            _("Municipalities"),
            [_("Code"), _("Municipality"), _("Lines"), _("Amount"), _("Status"), _("Statement number")],
            [
                [
                    s.municipality.code,
                    s.municipality.name,
                    s.line_count,
                    s.total,
                    s.get_status_display(),
                    s.number,
                ]
                for s in statements
            ],
        ),
        Sheet(
            _("Steps"),
            [_("Step"), _("Lines"), _("Amount")],
            [[r["step"], r["n"], r["amount"]] for r in summary["by_step"]],
        ),
        Sheet(
            _("Treatments"),
            [_("Treatment"), _("Lines"), _("Amount")],
            [[r["label"], r["n"], r["amount"]] for r in summary["by_treatment"]],
        ),
    ]
    return xlsx_response(f"afregning-{run.number}.xlsx", sheets)


@require_roles(*COURSE_READERS)
@require_GET
def statement_detail(request, pk):
    statement = get_statement_for_user(request, pk)
    page = Paginator(selectors.StatementLines(statement), LINES_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "statement": statement,
        "page": page,
        "steps": documents.step_totals(statement),
        "can_finalise": statement.run.agreement.region_id in roles_of(request).officer_regions,
    }
    return render_iv(request, "agreements/statement_detail.html", context)


@require_roles(*COURSE_READERS)
@require_http_methods(["GET", "POST"])
def statement_pdf(request, pk):
    """Serve the stored PDF (rendered ahead by the pdf worker after the settlement and again when
    the statement is finalised). GET never writes: when the PDF is missing and nobody asked for
    it (statements settled from the command line), the page offers a button that asks (POST)."""
    statement = get_statement_for_user(request, pk)
    if is_current(statement.pdf, statement.pdf_key, statement.render_key):
        return FileResponse(
            statement.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"{statement.file_stem}.pdf",
        )
    owed = statement.pdf_requested_key == statement.render_key
    if request.method == "POST":
        if not owed:
            statement_pdf_request(statement=statement)
        return redirect("agreements:statement_pdf", pk=statement.pk)
    context = {
        "retry": request.get_full_path(),
        "back": reverse("agreements:statement_detail", args=[statement.pk]),
        "ask": not owed,
    }
    return render_iv(request, "agreements/pending.html", context, status=202)


@require_roles(*COURSE_READERS)
@require_GET
def statement_xlsx(request, pk):
    statement = get_statement_for_user(request, pk)
    return xlsx_response(
        f"{statement.file_stem}.xlsx",
        documents.statement_sheets(statement),
    )


@require_roles(*SETTLERS)
@require_http_methods(["GET", "POST"])
def statement_finalise_view(request, pk):
    """Finalising is irreversible: a page asks the officer to confirm it first."""
    statement = get_statement_for_user(request, pk, write=True)
    if statement.is_final:
        return redirect("agreements:statement_detail", pk=statement.pk)
    form = FinaliseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        statement = statement_finalise(statement=statement, user=request.user)
        messages.success(request, _("Statement no. %(n)s is finalised.") % {"n": statement.number})
        return redirect("agreements:statement_detail", pk=statement.pk)
    status = 400 if form.is_bound else 200
    return render_iv(
        request, "agreements/statement_finalise.html", {"statement": statement, "form": form}, status=status
    )


@require_roles(*FOLLOWERS)
@require_http_methods(["GET", "POST"])
def agreement_detail(request):
    """The agreement's key dates and extensions (IV 5.2); the region officer records an extension."""
    agreement = _agreement(request)
    may_extend = agreement.region_id in roles_of(request).officer_regions
    form = ExtensionForm(request.POST or None) if may_extend else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                agreement_extend(agreement=agreement, user=request.user, **form.cleaned_data)
            except Refused as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request,
                    _("The agreement is extended until %(date)s.")
                    % {"date": date_format(form.cleaned_data["ends_on"], "SHORT_DATE_FORMAT")},
                )
                return redirect("agreements:agreement")
    context = {
        "agreement": agreement,
        "in_force": rules.in_force(agreement.starts_on, agreement.ends_on, core.time.today()),
        "extensions": list(agreement.extensions.select_related("recorded_by")),
        "form": form,
    }
    return render_iv(request, "agreements/agreement.html", context)


@require_roles(*SETTLERS)
@require_http_methods(["GET", "POST"])
def tariff_list(request):
    form = TariffYearForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            table = tariff_year_create(year=form.cleaned_data["year"], index=form.cleaned_data["index"])
        except Refused as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, _("The tariff table for %(year)s is created.") % {"year": table.year})
            return redirect("agreements:tariff_list")
    tables = list(TariffTable.objects.prefetch_related("rates"))
    base = [
        (Treatment(t).label, [tariffs.BASE_TABLE[t][s] for s in tariffs.STEPS]) for t in tariffs.TREATMENTS
    ]
    return render_iv(request, "agreements/tariff_list.html", {"form": form, "tables": tables, "base": base})


# --- following the agreement -----------------------------------------------------------------------


@require_roles(*FOLLOWERS)
@require_GET
def staircase_view(request):
    agreement = _agreement(request)
    today = core.time.today()
    stairs = selectors.staircase(agreement, today)
    month_names = [str(MONTHS_3[m]) for m in range(1, 13)]
    chart = column_chart(
        _("Courses started per month in %(year)s") % {"year": stairs.year},
        month_names,
        [(_("Courses"), stairs.months)],
    )
    steps = stairs.steps()
    step_chart = bar_chart(
        _("Courses of %(year)s on each step") % {"year": stairs.year},
        [Bar(_("Step %(n)s") % {"n": step["step"]}, step["count"]) for step in steps],
    )
    return render_iv(
        request,
        "agreements/staircase.html",
        {
            "agreement": agreement,
            "stairs": stairs,
            "chart": chart,
            "step_chart": step_chart,
            "steps": steps,
            "months": list(zip(month_names, stairs.months, strict=True)),
        },
    )


def _period(request):
    today = core.time.today()
    year, quarter = rules.quarter_of(today)
    form = PeriodForm(request.GET or None, initial={"year": year, "quarter": quarter})
    if form.is_bound and form.is_valid():
        year, quarter = form.cleaned_data["year"], form.cleaned_data["quarter"]
    return form, year, quarter


def _monitoring_data(request):
    agreement = _agreement(request)
    form, year, quarter = _period(request)
    # Everyone in the agreement follows the whole region's activity (counts, no persons).
    data = selectors.monitoring(agreement, year, quarter)
    return agreement, form, data


@require_roles(*FOLLOWERS)
@require_GET
def monitoring_view(request):
    try:
        agreement, form, data = _monitoring_data(request)
    except Http404:
        # The menu's entry for the secretariat; a KKR without an IV agreement still has cost sharing.
        if not cost_sharing_regions(roles_of(request)).exists():
            raise
        messages.info(
            request, _("Your region has no IV agreement in the portal; cost sharing by population is here.")
        )
        return redirect("agreements:cost_sharing")
    context = {"agreement": agreement, "form": form, "data": data, "header": selectors.monitoring_header()}
    context.update(documents.monitoring_charts(data))
    context["query"] = f"year={data.year}&quarter={data.quarter}"
    return render_iv(request, "agreements/monitoring.html", context)


@require_roles(*FOLLOWERS)
@require_GET
def monitoring_xlsx(request):
    _agreement_, _form, data = _monitoring_data(request)
    header = selectors.monitoring_header()
    quarter_header = [_("Quarter"), *header[1:]]
    sheets = [
        Sheet(
            f"{_('Q%(n)s') % {'n': data.quarter}} {data.year}",
            header,
            [a.row() for a in [*data.rows, data.total]],
        ),
        Sheet(str(data.year), quarter_header, [a.row() for a in data.quarters]),
    ]
    return xlsx_response(f"iv-monitorering-{data.year}-K{data.quarter}.xlsx", sheets)


@require_roles(*FOLLOWERS)
@require_http_methods(["GET", "POST"])
def monitoring_pdf(request):
    """The quarterly report as PDF, served when stored and current (the pdf worker renders it when
    the quarter's follow-up falls due). GET never writes: when the data changed since, the page
    says the PDF is being made, or offers a button that asks for it (POST)."""
    agreement = _agreement(request)
    _form, year, quarter = _period(request)
    if request.method == "POST":
        quarter_report_request(agreement=agreement, year=year, quarter=quarter)
        return redirect(request.get_full_path())
    key = selectors.data_key(agreement, year)
    report = QuarterReport.objects.filter(agreement=agreement, year=year, quarter=quarter).first()
    if report and is_current(report.pdf, report.data_key, key):
        return FileResponse(
            report.pdf.open("rb"),
            content_type="application/pdf",
            as_attachment=True,
            filename=f"iv-monitorering-{year}-K{quarter}.pdf",
        )
    context = {
        "retry": request.get_full_path(),
        "back": reverse("agreements:monitoring") + f"?year={year}&quarter={quarter}",
        "ask": not (report and report.requested_key == key),
    }
    return render_iv(request, "agreements/pending.html", context, status=202)


@require_roles(*REGION_WIDE)
@require_GET
def cost_sharing(request):
    """Cost sharing by population is the KKR's (FO 4.3, docs/rules.md §5), so every region's secretariat and
    region officer has it, whether or not the region has an IV agreement."""
    allowed = cost_sharing_regions(roles_of(request))
    regions = list(allowed)
    if not regions:
        raise Http404
    form = CostShareForm(request.GET or None, regions=allowed)
    region = form.chosen_region(regions)
    shares = []
    amount = None
    if form.is_bound and form.is_valid():
        amount = form.cleaned_data["amount"]
        try:
            shares = selectors.cost_shares(region.pk, amount)
        except ValueError:  # the region's municipalities have no population recorded
            form.add_error(
                None,
                _("No population is recorded for the region's municipalities: there is nothing to share by."),
            )
            amount = None
        if shares and request.GET.get("format") == "xlsx":
            return xlsx_response(
                f"omkostningsfordeling-{region.code}.xlsx",
                [
                    Sheet(
                        _("Shares"),
                        [_("Code"), _("Municipality"), _("Population"), _("Share (DKK)")],
                        [[m.code, m.name, m.population, share] for m, share in shares]
                        + [
                            [
                                "",
                                _("Total"),
                                sum(m.population for m, _s in shares),
                                sum((s for _m, s in shares), Decimal(0)),
                            ]
                        ],
                    )
                ],
            )
    population = sum(m.population for m, _s in shares)
    context = {
        "region": region,
        "regions": regions,
        "form": form,
        "shares": shares,
        "amount": amount,
        "population": population,
    }
    if not Agreement.objects.filter(region=region).exists():
        # No IV agreement in the region: the agreement's other pages have nothing to show.
        context["iv_nav"] = [(_("Cost sharing"), reverse("agreements:cost_sharing"))]
    return render_iv(request, "agreements/cost_sharing.html", context)
