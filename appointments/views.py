import datetime

from django.contrib import messages
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

import core.time
from accounts.access import require_roles
from accounts.roles import RoleKind, roles_of
from core.errors import Refused
from core.tasks import enqueue_on_commit
from core.views import show_refusal, submit
from register.models import Region

from . import exports, forms, rules, selectors, services
from .access import (
    appointments_for_user,
    bodies_for_user,
    councils_for_user,
    get_body_for_user,
    get_council_for_user,
    get_election_for_user,
    get_post_for_user,
    get_seat_for_user,
)
from .models import Appointment, Election, ElectoralAlliance, Post, Seat, StandIn
from .tasks import render_election_record

COUNCIL_READERS = (RoleKind.SECRETARIAT, RoleKind.MEMBER, RoleKind.SUBSTITUTE, RoleKind.CHAIR)
SECRETARIAT = (RoleKind.SECRETARIAT,)


def _form_page(request, template: str, context: dict):
    """Render a page with forms; reached on POST only when a form was refused (400)."""
    return render(request, template, context, status=400 if request.method == "POST" else 200)


def _seats(council, on=None):
    seats = Seat.objects.current(on).filter(council=council)
    seats = seats.select_related("holder__party", "substitute", "party", "municipality")
    return sorted(
        seats,
        key=lambda s: rules.member_list_key(
            mayor=s.kind == Seat.Kind.MAYOR,
            municipality=s.municipality.name if s.municipality else "",
            list_letter=s.party.letter if s.party else "",
            number=s.number,
        ),
    )


@require_roles(*COUNCIL_READERS)
@require_GET
def council_list(request):
    councils = list(councils_for_user(roles_of(request)))
    can_create = bool(roles_of(request).secretariat_regions)
    return render(request, "appointments/council_list.html", {"councils": councils, "can_create": can_create})


@require_roles(*COUNCIL_READERS)
@require_GET
def council_detail(request, pk):
    council = get_council_for_user(request, pk)
    today = core.time.today()
    stand_ins = list(
        StandIn.objects.not_ended(today).filter(council=council).select_related("member", "stand_in")
    )
    can_manage = council.region_id in roles_of(request).secretariat_regions
    seats = _seats(council)
    warnings = services.seat_warnings(council, seats, today) if can_manage else {}
    for seat in seats:
        seat.warnings = warnings.get(seat.pk, [])
    return render(
        request,
        "appointments/council_detail.html",
        {
            "council": council,
            "seats": seats,
            "stand_ins": stand_ins,
            "can_manage": can_manage,
            "flagged": len(warnings),
        },
    )


@require_roles(*COUNCIL_READERS)
@require_http_methods(["GET", "POST"])
def council_composition(request, pk):
    """The computation of the council's size and seats; the secretariat records list cooperations."""
    council = get_council_for_user(request, pk, write=request.method == "POST")
    can_manage = council.region_id in roles_of(request).secretariat_regions
    form = forms.CooperationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        done = submit(
            form,
            lambda: services.cooperation_declare(council=council, name=d["name"], parties=list(d["parties"])),
        )
        if done is not None:
            messages.success(request, _("Saved."))
            return redirect("appointments:council_composition", council.pk)
    composition = selectors.council_composition(council)
    named = selectors.named_members(council)
    rows = [(row, named.get(row.name, 0)) for row in composition.rows] if composition else []
    return _form_page(
        request,
        "appointments/composition.html",
        {
            "council": council,
            "composition": composition,
            "rows": rows,
            "form": form,
            "can_manage": can_manage,
        },
    )


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def seat_add(request, pk):
    """A list names a member (with their personal substitute) to a new seat."""
    council = get_council_for_user(request, pk, write=True)
    form = forms.SeatAddForm(request.POST or None, region=council.region, kinds=Seat.Kind.choices)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        seat = submit(
            form,
            lambda: services.seat_fill(
                council=council,
                kind=d["kind"],
                party=d["party"],
                municipality=d["holder"].municipality,
                holder=d["holder"],
                substitute=d["substitute"],
                valid_from=d["valid_from"],
            ),
        )
        if seat is not None:
            messages.success(request, _("Seat %(n)s is updated.") % {"n": seat.number})
            return redirect("appointments:council_detail", council.pk)
    return _form_page(
        request,
        "appointments/seat_add.html",
        {"council": council, "form": form},
    )


@require_roles(*COUNCIL_READERS)
@require_GET
def council_history(request, pk):
    council = get_council_for_user(request, pk)
    rows = list(
        Seat.objects.filter(council=council)
        .select_related("holder", "substitute", "party", "municipality")
        .order_by("number", "valid_from")
    )
    stand_ins = list(StandIn.objects.filter(council=council).select_related("member", "stand_in"))
    return render(
        request, "appointments/history.html", {"council": council, "rows": rows, "stand_ins": stand_ins}
    )


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def seat_edit(request, pk, number):
    seat = get_seat_for_user(request, pk, number, write=True)
    region = seat.council.region
    action = request.POST.get("action") if request.method == "POST" else None
    substitute_form = forms.SubstituteForm(
        request.POST if action == "substitute" else None, region=region, prefix="sub"
    )
    replace_form = forms.ReplaceForm(
        request.POST if action == "replace" else None, region=region, prefix="rep"
    )
    stand_in_form = forms.StandInForm(request.POST if action == "stand_in" else None, prefix="abs")
    if request.method == "POST":
        done = None
        if action == "substitute" and substitute_form.is_valid():
            d = substitute_form.cleaned_data
            done = submit(
                substitute_form,
                lambda: services.seat_change_substitute(seat=seat, substitute=d["substitute"], on=d["on"]),
            )
        elif action == "replace" and replace_form.is_valid():
            d = replace_form.cleaned_data
            done = submit(
                replace_form,
                lambda: services.seat_replace(
                    seat=seat, holder=d["holder"], substitute=d["substitute"], on=d["on"], reason=d["reason"]
                ),
            )
        elif action == "stand_in" and stand_in_form.is_valid():
            d = stand_in_form.cleaned_data
            done = submit(
                stand_in_form,
                lambda: services.stand_in_create(
                    seat=seat,
                    starts_on=d["starts_on"],
                    ends_on=d["ends_on"],
                    decided_on=d["decided_on"],
                    reason=d["reason"],
                ),
            )
        elif action not in {"substitute", "replace", "stand_in"}:
            return HttpResponse(status=400)
        if done is not None:
            messages.success(request, _("Seat %(n)s is updated.") % {"n": seat.number})
            return redirect("appointments:council_detail", seat.council_id)
    warnings = services.seat_warnings(seat.council, [seat], core.time.today()).get(seat.pk, [])
    return _form_page(
        request,
        "appointments/seat_edit.html",
        {
            "warnings": warnings,
            "seat": seat,
            "council": seat.council,
            "substitute_form": substitute_form,
            "replace_form": replace_form,
            "stand_in_form": stand_in_form,
        },
    )


# The constituent meeting page's forms: the POST field "action" names the one submitted, its form
# and the service call it runs with the form's data (refusals show on the form).
CONSTITUENT_ACTIONS = {
    "meeting": (
        "meeting_form",
        lambda council, election, d: services.council_constituent_meeting_set(
            council=council, meeting_at=d["meeting_at"]
        ),
    ),
    "alliance": (
        "alliance_form",
        lambda council, election, d: services.alliance_declare(
            council=council, name=d["name"], parties=list(d["parties"])
        ),
    ),
    "name": (
        "name_form",
        lambda council, election, d: services.chair_election_name(
            election=election, chair=d["chair"], vice_chair=d["vice_chair"]
        ),
    ),
    "replace": (
        "replace_form",
        lambda council, election, d: services.chair_replace(
            council=council, place=d["place"], politician=d["politician"]
        ),
    ),
}


def _constituent_forms(data, action, council, election, can_manage: bool) -> dict:
    """The page's forms, only the submitted one bound to ``data``. A form is built when the page
    shows it (to a manager: the alliances before the chair election, then naming the chair, then
    replacing them) or when it was submitted; the others are not built, nor their choices read."""

    def bound(name):
        return data if action == name else None

    def wanted(name, shown):
        return action == name or (can_manage and shown)

    initial = {"meeting_at": council.constituent_meeting_at}
    page_forms = {
        "meeting_form": forms.MeetingForm(bound("meeting"), prefix="m", initial=initial),
        "alliance_form": None,
        "name_form": None,
        "replace_form": None,
    }
    if wanted("alliance", election is None):
        page_forms["alliance_form"] = forms.AllianceForm(
            bound("alliance"), letters=services.council_lists(council), prefix="a"
        )
    if election is not None:
        named = bool(election.elected_name)
        want_name, want_replace = wanted("name", not named), wanted("replace", named)
        if want_name or want_replace:
            chairs, vices = services.chair_candidates(election, 1), services.chair_candidates(election, 2)
        if want_name:
            page_forms["name_form"] = forms.ChairNameForm(
                bound("name"), chairs=chairs, vices=vices, prefix="n"
            )
        if want_replace:
            page_forms["replace_form"] = forms.ChairReplaceForm(
                bound("replace"), candidates=chairs + vices, prefix="c"
            )
    return page_forms


def _chair_election_run(request, council):
    try:
        election = services.chair_election_run(council=council, user=request.user)
    except Refused as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("appointments:constituent", council.pk)
    return redirect("appointments:election_detail", election.pk)


@require_roles(*COUNCIL_READERS)
@require_http_methods(["GET", "POST"])
def constituent(request, pk):
    """The constituent meeting: convener, deadline, alliances and the chair election. A POST runs
    the action it names (CONSTITUENT_ACTIONS, or "run" for the chair election)."""
    council = get_council_for_user(
        request, pk, write=request.method == "POST", related=("chair", "vice_chair")
    )
    can_manage = council.region_id in roles_of(request).secretariat_regions
    election = Election.objects.filter(council=council, kind=Election.Kind.CHAIR).order_by("-held_at").first()
    if election is not None:
        election.council = council  # the chair candidates read it; it is this council
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "run":
        return _chair_election_run(request, council)
    if request.method == "POST" and action not in CONSTITUENT_ACTIONS:
        return HttpResponse(status=400)
    page_forms = _constituent_forms(request.POST if action else None, action, council, election, can_manage)
    if action:
        form_name, call = CONSTITUENT_ACTIONS[action]
        form = page_forms[form_name]
        if (
            form is not None
            and form.is_valid()
            and submit(form, lambda: call(council, election, form.cleaned_data)) is not None
        ):
            messages.success(request, _("Saved."))
            return redirect("appointments:constituent", council.pk)
    mayors = services.region_mayors(council)
    alliances = list(ElectoralAlliance.objects.filter(council=council).prefetch_related("parties"))
    today = core.time.today()
    return _form_page(
        request,
        "appointments/constituent.html",
        {
            "council": council,
            "can_manage": can_manage,
            "convener": rules.convener(mayors),
            "deadline": rules.constituent_deadline(council.election_year),
            "notices_from": rules.constituent_notices_from(council.election_year),
            "overdue": not council.is_constituted(today)
            and today > rules.constituent_deadline(council.election_year),
            "alliances": alliances,
            "election": election,
            **page_forms,
        },
    )


@require_roles(*COUNCIL_READERS)
@require_GET
def election_detail(request, pk):
    election = get_election_for_user(request, pk)
    rounds = list(election.rounds.order_by("number"))
    return render(
        request,
        "appointments/election_detail.html",
        {"election": election, "view": selectors.election_view(election, rounds), "rounds": rounds},
    )


@require_roles(*COUNCIL_READERS)
@require_http_methods(["GET", "POST"])
def election_pdf(request, pk):
    """The PDF record of an election: served when rendered; POST asks for it to be rendered."""
    election = get_election_for_user(request, pk, write=request.method == "POST")
    if request.method == "POST":
        enqueue_on_commit(render_election_record, election.pk)
        messages.info(request, _("The record is being prepared; reload the page in a moment."))
        return redirect("appointments:election_detail", election.pk)
    if not election.record_pdf:
        raise Http404(_("The record has not been rendered yet."))
    return FileResponse(
        election.record_pdf.open("rb"), content_type="application/pdf", filename=f"valg-{election.pk}.pdf"
    )


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def body_list(request):
    roles = roles_of(request)
    form = forms.BodyForm(request.POST or None)
    if request.method == "POST":
        region_ids = sorted(roles.secretariat_regions)
        if form.is_valid():
            d = form.cleaned_data
            body = submit(
                form,
                lambda: services.body_create(
                    region=Region.objects.get(pk=region_ids[0]),
                    name=d["name"],
                    description=d["description"],
                    term_start=d["term_start"],
                    term_end=d["term_end"],
                ),
            )
            if body is not None:
                return redirect("appointments:body_detail", body.pk)
    today = core.time.today()
    bodies = list(
        bodies_for_user(roles)
        .latest_terms()
        .select_related("region")
        .prefetch_related(
            Prefetch("posts", queryset=Post.objects.order_by("name")),
            Prefetch(
                "posts__appointments",
                queryset=Appointment.objects.current(today).select_related("politician"),
                to_attr="current_appointments",
            ),
        )
    )
    return _form_page(
        request,
        "appointments/body_list.html",
        {"bodies": bodies, "form": form},
    )


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def body_detail(request, pk):
    """A body's term with its posts; the secretariat adds posts and records the body's new term."""
    body = get_body_for_user(request, pk, write=request.method == "POST")
    action = request.POST.get("action", "post") if request.method == "POST" else None
    today = core.time.today()
    form = forms.PostForm(request.POST if action == "post" else None)
    next_start = body.term_end + datetime.timedelta(days=1) if body.term_end else None
    term_form = forms.BodyTermForm(
        request.POST if action == "term" else None, prefix="t", initial={"term_start": next_start}
    )
    if action == "post" and form.is_valid():
        d = form.cleaned_data
        post = submit(form, lambda: services.post_create(body=body, name=d["name"], seats=d["seats"]))
        if post is not None:
            return redirect("appointments:post_detail", post.pk)
    elif action == "term" and term_form.is_valid():
        try:
            new = services.body_term_record(body=body, **term_form.cleaned_data)
        except Refused as error:
            show_refusal(term_form, error)
        else:
            messages.success(request, _("The new term is recorded; appoint to its posts."))
            return redirect("appointments:body_detail", new.pk)
    elif action not in {None, "post", "term"}:
        return HttpResponse(status=400)
    terms = list(body.terms())
    posts = list(
        body.posts.order_by("name").prefetch_related(
            Prefetch(
                "appointments",
                queryset=Appointment.objects.current(today).select_related(
                    "politician__party", "politician__municipality"
                ),
                to_attr="current_appointments",
            )
        )
    )
    return _form_page(
        request,
        "appointments/body_detail.html",
        {
            "body": body,
            "posts": posts,
            "form": form,
            "term_form": term_form,
            "terms": terms,
            "latest": terms[-1],
            "is_latest": terms[-1].pk == body.pk,
            "ended": body.term_end is not None and body.term_end < today,
        },
    )


def _record_round(request, post, state, form):
    d = form.cleaned_data
    return submit(
        form,
        lambda: services.majority_round_record(
            post=post, present=d["present"], ballots=d["ballots"], user=request.user
        ),
    )


def _run_proportional(request, post, state, form):
    d = form.cleaned_data

    def run():
        groups = services.parse_groups(d["groups"])
        return services.proportional_election_run(
            post=post,
            present=d["present"],
            groups=groups,
            candidates=services.parse_candidates(d["candidates"], groups) or None,
            user=request.user,
        )

    return submit(form, run)


def _appoint(request, post, state, form):
    d = form.cleaned_data
    return submit(
        form,
        lambda: services.appointment_create(
            post=post, politician=d["politician"], on=state.today, election=state.latest, group=d["group"]
        ),
    )


def _end_appointment(request, post, state, form):
    d = form.cleaned_data
    appointment = Appointment.objects.filter(post=post, pk=d["appointment"]).first()
    if appointment is None:
        raise Http404
    return submit(
        form, lambda: services.appointment_end(appointment=appointment, on=d["on"], reason=d["reason"])
    )


def _void_election(request, post, state, form):
    reason = form.cleaned_data["reason"]
    return submit(
        form, lambda: services.election_void(election=state.latest, reason=reason, user=request.user)
    )


# The post page's forms: the POST field "action" names the one submitted, with its form's prefix,
# the form class and the service call it runs when valid (None when refused, shown on the form).
POST_ACTIONS = {
    "round": ("majority_form", _record_round),
    "proportional": ("proportional_form", _run_proportional),
    "appoint": ("appointee_form", _appoint),
    "end": ("end_form", _end_appointment),
    "void": ("void_form", _void_election),
}


def _post_forms(data, action, post, state) -> dict:
    """The page's five forms, only the submitted one bound to ``data``."""
    region = post.body.region

    def bound(name):
        return data if action == name else None

    return {
        "majority_form": forms.MajorityRoundForm(
            bound("round"), region=region, runoff=state.runoff, prefix="r"
        ),
        "proportional_form": forms.ProportionalForm(bound("proportional"), prefix="p"),
        "appointee_form": forms.AppointeeForm(
            bound("appoint"), region=region, groups=state.open_groups, prefix="g"
        ),
        "end_form": forms.EndAppointmentForm(bound("end"), prefix="e"),
        "void_form": forms.VoidElectionForm(bound("void"), prefix="v"),
    }


@require_roles(*SECRETARIAT)
@require_http_methods(["GET", "POST"])
def post_detail(request, pk):
    """Elect to a post: majority rounds for one seat, a proportional election for several;
    groups then name their appointees. A POST runs the action it names (POST_ACTIONS)."""
    post = get_post_for_user(request, pk, write=request.method == "POST")
    state = selectors.post_elections(post, core.time.today())
    action = request.POST.get("action") if request.method == "POST" else None
    if request.method == "POST" and action not in POST_ACTIONS:
        return HttpResponse(status=400)
    page_forms = _post_forms(request.POST if action else None, action, post, state)
    if action and not (action == "void" and state.latest is None):
        form_name, run = POST_ACTIONS[action]
        form = page_forms[form_name]
        if form.is_valid() and run(request, post, state, form) is not None:
            messages.success(request, _("Saved."))
            return redirect("appointments:post_detail", post.pk)
    today = state.today
    current = list(
        Appointment.objects.current(today)
        .filter(post=post)
        .select_related("politician__party", "politician__municipality")
    )
    return _form_page(
        request,
        "appointments/post_detail.html",
        {
            "post": post,
            "body": post.body,
            "current": current,
            "elections": list(Election.objects.filter(post=post).order_by("-held_at")),
            "pending": state.pending,
            "pending_rounds": state.pending_rounds,
            "round_view": selectors.election_view(state.pending, state.pending_rounds)
            if state.pending
            else {},
            "latest": state.latest,
            "open_groups": state.open_groups,
            **page_forms,
            "can_void": state.latest is not None and not state.latest.appointments.exists(),
            "term_ended": post.ends_on is not None and post.ends_on < today,
        },
    )


GROUPINGS = {
    "body": "post__body__name",
    "list": "politician__party__letter",
    "municipality": "politician__municipality__name",
}


@require_roles(*SECRETARIAT)
@require_GET
def appointment_overview(request):
    grouping = request.GET.get("by", "body")
    if grouping not in GROUPINGS:
        grouping = "body"
    rows = exports.appointment_rows(appointments_for_user(roles_of(request)), core.time.today())
    groups = exports.group_rows(rows, grouping)
    return render(
        request,
        "appointments/appointment_overview.html",
        {"groups": groups, "grouping": grouping, "count": len(rows), "groupings": exports.GROUPING_LABELS},
    )


@require_roles(*SECRETARIAT)
@require_GET
def appointment_export(request, fmt):
    rows = exports.appointment_rows(appointments_for_user(roles_of(request)), core.time.today())
    if fmt == "csv":
        return exports.csv_response(rows)
    if fmt == "xlsx":
        return exports.xlsx_export(rows)
    raise Http404


@require_roles(RoleKind.APPOINTEE)
@require_GET
def my_appointments(request):
    today = core.time.today()
    appointments = list(
        Appointment.objects.filter(politician_id=request.user.politician_id)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today - datetime.timedelta(days=365 * 4)))
        .select_related("post__body")
        .order_by("-valid_from")
    )
    ends = services.appointment_end_dates(appointments)
    for a in appointments:
        a.ends_on = ends[a.pk]
    return render(
        request, "appointments/my_appointments.html", {"appointments": appointments, "today": today}
    )
