"""The term change pages: a new council for a term, and the guided steps from the election
results to the new council taking office. Composition, seats and the constituent meeting are
the existing pages; this page shows where the change stands and links to them."""

import tempfile
import zipfile
from pathlib import Path

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

import core.pdf
from accounts.access import require_roles
from accounts.roles import roles_of
from core.errors import Refused
from core.time import today as current_day
from core.views import show_refusal
from register.models import Region

from . import rules, selectors, term_forms
from .access import get_council_for_user
from .models import TermChange
from .selectors import council_composition
from .services import region_mayors
from .services import results as results_services
from .services import term as term_services
from .views import SECRETARIAT


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def council_new(request):
    regions = Region.objects.filter(pk__in=roles_of(request).secretariat_regions)
    form = term_forms.CouncilNewForm(request.POST or None, regions=regions)
    if request.method == "POST" and form.is_valid():
        try:
            council = term_services.council_create(user=request.user, **form.cleaned_data)
        except Refused as error:
            show_refusal(form, error)
        else:
            messages.success(request, _("The council is created. Follow the steps of the term change."))
            return redirect("appointments:term_change", council.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "appointments/council_new.html", {"form": form}, status=status)


MAX_ARCHIVE_BYTES = 200 * 1024 * 1024  # unpacked; all 98 municipalities are far less


def _unpack(upload, directory: Path) -> None:
    """The JSON files of a ZIP archive (a whole valg.dk download: more files than a form may send)."""
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile:
        raise Refused({"files": [_("%(f)s is not a ZIP archive.") % {"f": upload.name}]}) from None
    members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".json")]
    if sum(m.file_size for m in members) > MAX_ARCHIVE_BYTES:
        raise Refused({"files": [_("%(f)s is too large unpacked.") % {"f": upload.name}]})
    for number, member in enumerate(members):
        target = directory / f"{upload.name}-{number:05d}-{Path(member.filename).name}"
        target.write_bytes(archive.read(member))


def _import_uploads(files) -> list:
    with tempfile.TemporaryDirectory() as directory:
        for number, upload in enumerate(files):
            name = Path(upload.name).name or f"file-{number}.json"
            if name.lower().endswith(".zip"):
                _unpack(upload, Path(directory))
                continue
            with open(Path(directory) / f"{number:03d}-{name}", "wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
        return results_services.election_import(Path(directory))


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def term_change(request, pk):
    council = get_council_for_user(request, pk, write=True)
    action = request.POST.get("action") if request.method == "POST" else None
    municipalities = list(council.region.municipalities.order_by("name"))
    bound = lambda name: request.POST if action == name else None  # noqa: E731
    upload_form = term_forms.ResultsUploadForm(bound("results"), request.FILES or None, prefix="r")
    mayors_form = term_forms.MayorsUploadForm(bound("mayors"), request.FILES or None, prefix="mc")
    mayor_form = term_forms.MayorForm(bound("mayor"), municipalities=municipalities, prefix="m")
    change = TermChange.objects.filter(council=council).first()
    due = change.members_due if change else rules.members_report_due(council.election_year)
    deadline_form = term_forms.DeadlineForm(bound("deadline"), prefix="d", initial={"due": due})
    if request.method == "POST":
        forms_by_action = {
            "results": upload_form,
            "mayors": mayors_form,
            "mayor": mayor_form,
            "deadline": deadline_form,
        }
        form = forms_by_action.get(action)
        if action not in {*forms_by_action, "remind", "office"}:
            return HttpResponse(status=400)
        try:
            if form is not None and not form.is_valid():
                raise Refused(_("Correct the errors below."))
            message = _perform(request, council, action, form)
        except Refused as error:
            if form is not None:
                show_refusal(form, error)
            else:
                messages.error(request, " ".join(error.messages))
                return redirect("appointments:term_change", council.pk)
        else:
            messages.success(request, message)
            return redirect("appointments:term_change", council.pk)
    composition = council_composition(council)
    facts = selectors.term_facts(council, composition)
    context = {
        "council": council,
        "can_manage": True,
        "steps": rules.term_change_steps(facts),
        "facts": facts,
        "composition": composition,
        "missing": selectors.members_missing(council) if composition else [],
        "due": due,
        "convener": rules.convener(region_mayors(council)),
        "restaff": selectors.bodies_to_restaff(council),
        "previous": selectors.previous_council(council),
        "change": change,
        "upload_form": upload_form,
        "mayors_form": mayors_form,
        "mayor_form": mayor_form,
        "deadline_form": deadline_form,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "appointments/term_change.html", context, status=status)


def _perform(request, council, action, form) -> str:
    if action == "results":
        stored = _import_uploads(form.cleaned_data["files"])
        return " ".join(s.line() + "." for s in stored)
    if action == "mayors":
        try:
            text = form.cleaned_data["file"].read().decode("utf-8")
        except UnicodeDecodeError:
            raise Refused({"file": [_("The file is not UTF-8 text.")]}) from None
        n = term_services.mayors_record(council=council, rows=term_services.parse_mayors_csv(text))
        return _("Mayors of %(n)s municipalities recorded.") % {"n": n}
    if action == "mayor":
        d = form.cleaned_data
        row = term_services.MayorRow(
            municipality_code=d["municipality"],
            mayor=term_services.Person(d["mayor"], d["mayor_list"].letter, d["mayor_birth_date"]),
            deputy=term_services.Person(d["deputy"], d["deputy_list"].letter, d["deputy_birth_date"]),
            mayor_since=d["mayor_since"],
        )
        term_services.mayors_record(council=council, rows=[row])
        return _("Saved.")
    if action == "deadline":
        term_services.members_due_set(council=council, due=form.cleaned_data["due"])
        return _("Saved.")
    if action == "remind":
        n = term_services.members_reminders_queue(council=council, force=True)
        return _("%(n)s reminders queued.") % {"n": n}
    previous = term_services.council_take_office(council=council, today=current_day())
    if previous is None:
        return _("The council has taken office.")
    return _("The council has taken office; %(p)s left office.") % {"p": previous.name}


@require_roles(*SECRETARIAT)
@require_GET
def term_letter(request, pk):
    """The letter to the parties: how many supplementary members each list elects, by when."""
    council = get_council_for_user(request, pk, write=True)
    composition = council_composition(council)
    change = TermChange.objects.filter(council=council).first()
    pdf = core.pdf.render_pdf(
        "appointments/pdf/term_letter.html",
        {
            "council": council,
            "composition": composition,
            "due": change.members_due if change else rules.members_report_due(council.election_year),
            "deadline": rules.constituent_deadline(council.election_year),
        },
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="kkr-{council.pk}-sammensaetning.pdf"'
    return response
