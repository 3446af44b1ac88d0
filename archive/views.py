"""Search (open to everyone: each audience finds what its pages show) and the decision register
(readers of meetings; the secretariat sets the follow-up). Thin views over archive.selectors."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.access import public, require_roles
from accounts.roles import RoleKind, roles_of
from core.errors import Refused
from core.views import show_refusal, url_by_pk
from core.xlsx import Sheet, xlsx_response
from meetings.access import council_ids_for, get_item_for_user
from meetings.views import READERS, form_page, need
from register.models import Region

from . import selectors, services
from .forms import FollowUpForm, RegisterForm, SearchForm
from .models import FollowUp


def _page(request) -> int:
    try:
        return max(1, int(request.GET.get("side", 1)))
    except ValueError:
        return 1


@public
@require_GET
def search(request):
    form = SearchForm(request.GET or None)
    results = None
    if form.is_valid() and form.cleaned_data["q"].strip():
        data = form.cleaned_data
        filters = selectors.Filters(
            query=data["q"],
            region=data["region"].pk if data["region"] else None,
            kind=data["kind"] or None,
            since=data["since"],
            until=data["until"],
            newest=data["order"] == "newest",
            page=_page(request),
        )
        results = selectors.search(roles_of(request), filters)
    query = request.GET.copy()
    query.pop("side", None)
    context = {"form": form, "results": results, "query": query.urlencode()}
    return render(request, "archive/search.html", context, status=400 if form.errors else 200)


REGISTER_PAGE = 50


@require_roles(*READERS)
@require_GET
def register(request, slug):
    region = get_object_or_404(Region, slug=slug)
    roles = roles_of(request)
    form = RegisterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    filters = selectors.RegisterFilters(
        region=region.pk,
        since=data.get("since"),
        until=data.get("until"),
        status=data.get("status") or None,
        query=data.get("q") or "",
    )
    rows = selectors.decisions(roles, filters)
    if request.GET.get("format") == "xlsx":
        return xlsx_response(f"beslutninger-{region.slug}.xlsx", [_sheet(rows)])
    total = rows.count()
    pages = max(1, (total + REGISTER_PAGE - 1) // REGISTER_PAGE)
    page = min(_page(request), pages)
    shown = list(rows[(page - 1) * REGISTER_PAGE : page * REGISTER_PAGE])
    readable = council_ids_for(roles)
    edits = region.pk in roles.secretariat_regions
    # The follow-up link's address and words made here, once a row, not by the template's {% url %}
    # and {% blocktranslate %} per row (issue 15: ten years of decisions).
    follow_up_of = url_by_pk("archive:follow_up")
    for decision in shown:
        decision.url = selectors.item_url(decision.item, "decision", readable)
        if edits:
            decision.follow_up_url = follow_up_of(decision.item.pk)
            decision.follow_up_label = _("Update follow-up of item %(n)s") % {"n": decision.item.order}
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "region": region,
        "form": form,
        "rows": shown,
        "total": total,
        "page": page,
        "pages": pages,
        "query": query.urlencode(),
        "edits": edits,
        "regions": Region.objects.order_by("name"),
    }
    return render(request, "archive/register.html", context, status=400 if form.errors else 200)


def _outcome(decision) -> str:
    vote = getattr(decision.item, "vote", None)
    if vote is None:
        return ""
    verdict = _("Adopted") if vote.passed else _("Not adopted")
    return f"{verdict} ({vote.yes}-{vote.no}-{vote.abstain})"


def _follow_up(decision):
    return getattr(decision.item, "follow_up", None)


def _sheet(rows) -> Sheet:
    def lines():
        for d in rows.iterator(chunk_size=500):
            follow_up = _follow_up(d)
            yield [
                d.item.meeting.date,
                d.item.order,
                d.item.title,
                _("Closed item") if d.item.closed else "",
                d.text,
                _outcome(d),
                str(follow_up.get_status_display() if follow_up else FollowUp.Status.OPEN.label),
                follow_up.note if follow_up else "",
            ]

    header = [
        _("Meeting date"),
        _("Item"),
        _("Title"),
        _("Closed item"),
        _("Decision"),
        _("Vote (yes-no-abstain)"),
        _("Follow-up"),
        _("Note"),
    ]
    return Sheet(_("Decisions"), header, lines())


@require_roles(RoleKind.SECRETARIAT)
@require_http_methods(["GET", "POST"])
def follow_up(request, pk):
    item = get_item_for_user(request, pk, write=True)
    need(item.meeting.perms.edit)
    current = FollowUp.objects.filter(item=item).first()
    form = FollowUpForm(request.POST or None, instance=current)
    back = reverse("archive:register", args=[item.meeting.council.region.slug])
    decision = selectors.published_decision(item)
    if request.method == "POST" and form.is_valid():
        try:
            services.follow_up_set(item=item, by=request.user, **form.cleaned_data)
            return redirect(back)
        except Refused as error:
            show_refusal(form, error)
    return form_page(
        request,
        form,
        title=_("Follow-up: %(title)s") % {"title": item.title},
        submit=_("Save follow-up"),
        back=back,
        intro=_("Meeting %(date)s, item %(n)s. Decision: %(text)s")
        % {
            "date": date_format(item.meeting.date, "DATE_FORMAT"),
            "n": item.order,
            "text": decision.text if decision else "–",
        },
        status=400 if form.errors else 200,
    )
