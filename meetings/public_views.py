"""Pages and feeds without login: each KKR's published agendas and minutes (FO 3.3, 3.4) and the
calendar feeds. Unpublished meetings and closed items are never visible here."""

from collections import defaultdict

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET

from accounts.access import public
from accounts.roles import roles_for
from register.models import Region

from .access import get_public_attachment, meetings_for_user, public_meetings
from .ical import calendar
from .minutes_views import serve_document
from .models import AgendaItem, CalendarToken, Document, Meeting, Minutes
from .selectors import agenda_items, minutes_shown, with_minutes
from .views import serve_attachment


def public_front(request):
    """The public start page: the KKR, the coming meetings with a published agenda (as a calendar by
    month), and the latest published agendas and minutes. Called by the project's `/` for visitors."""
    now = timezone.now()
    published = public_meetings().select_related("council__region", "minutes")
    upcoming = list(published.filter(starts_at__gte=now).order_by("starts_at")[:20])
    months = defaultdict(list)
    for meeting in upcoming:
        months[timezone.localtime(meeting.starts_at).date().replace(day=1)].append(meeting)
    context = {
        "regions": list(Region.objects.order_by("name")),
        "months": sorted(months.items()),
        "agendas": list(published.filter(starts_at__lt=now).order_by("-agenda_published_at")[:8]),
        "minutes": list(
            published.filter(minutes__published_version__isnull=False).order_by("-starts_at")[:8]
        ),
    }
    return render(request, "meetings/public_front.html", context)


@public
@require_GET
def public_index(request):
    regions = list(Region.objects.order_by("name"))
    return render(request, "meetings/public_index.html", {"regions": regions})


@public
@require_GET
def public_council(request, slug):
    region = get_object_or_404(Region, slug=slug)
    meetings = list(
        public_meetings()
        .filter(council__region=region)
        .select_related("council__region", "minutes")
        .order_by("-starts_at")
    )
    return render(request, "meetings/public_council.html", {"region": region, "meetings": meetings})


def _public_meeting(pk) -> Meeting:
    return get_object_or_404(public_meetings().select_related("council__region", "leader"), pk=pk)


@public
@require_GET
def public_meeting(request, pk):
    meeting = _public_meeting(pk)
    items = list(agenda_items(meeting, include_closed=False))
    record = Minutes.objects.filter(meeting=meeting, published_version__isnull=False).first()
    # The published version as it was approved (issue 13.1), never the current rows.
    shown = minutes_shown(meeting, record, record.published_version) if record else None
    if shown:
        with_minutes(items, shown)
    documents = {
        d.kind: d
        for d in Document.objects.filter(
            meeting=meeting,
            kind__in=[Document.Kind.AGENDA_PUBLIC, Document.Kind.MINUTES_PUBLIC],
            status=Document.Status.READY,
        )
    }
    context = {
        "meeting": meeting,
        "items": items,
        "record": record,
        "shown": shown,
        "documents": documents,
    }
    return render(request, "meetings/public_meeting.html", context)


@public
@require_GET
def public_document(request, pk, kind):
    meeting = _public_meeting(pk)
    if kind not in {"agenda", "minutes"}:
        raise Http404
    doc = get_object_or_404(Document, meeting=meeting, kind=f"{kind}_public", status=Document.Status.READY)
    if not doc.file:
        raise Http404
    return serve_document(doc, meeting)


@public
@require_GET
def public_attachment(request, pk):
    return serve_attachment(get_public_attachment(pk))


def _open_items(meetings) -> dict[int, list[str]]:
    titles = defaultdict(list)
    published = [m.pk for m in meetings if m.is_published]
    for meeting_id, title in (
        AgendaItem.objects.filter(meeting_id__in=published, closed=False)
        .order_by("meeting_id", "order")
        .values_list("meeting_id", "title")
    ):
        titles[meeting_id].append(title)
    return titles


def _ics(name, meetings, path) -> HttpResponse:
    body = calendar(name, meetings, _open_items(meetings), settings.SITE_URL, path)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    return response


@public
@require_GET
def public_calendar(request, slug):
    region = get_object_or_404(Region, slug=slug)
    meetings = list(public_meetings().filter(council__region=region).select_related("council__region"))
    return _ics(
        f"KKR {region.short_name}", meetings, lambda m: reverse("meetings:public_meeting", args=[m.pk])
    )


@public
@require_GET
def calendar_feed(request, token):
    """A person's feed: the meetings of every KKR they sit in or serve. The secret token stands in
    for a login (calendar programs cannot log in), so the feed shows no closed item."""
    owner = get_object_or_404(CalendarToken.objects.select_related("user"), token=token, user__is_active=True)
    roles = roles_for(owner.user)
    # Cancelled meetings stay in the feed (STATUS:CANCELLED) so calendar programs remove them.
    meetings = list(meetings_for_user(roles).select_related("council__region").order_by("starts_at"))
    return _ics(str(owner.user), meetings, lambda m: reverse("meetings:detail", args=[m.pk]))
