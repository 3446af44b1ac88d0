"""Reads of the archive: full-text search over the entries a user may see, and the decision
register of a KKR. Who may see what is meetings.access.visible_items, the same rule as the pages.

PostgreSQL: the `danish` configuration (Snowball stemming), websearch syntax, ts_rank with title
above body, ts_headline for the snippet. SQLite (`make run`, tests): a plainer fallback on the
stored stems of the same Snowball algorithm (archive/rules.py): every query word must match, the
rank counts words found in the title, the snippet is made in Python."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, F, IntegerField, Q, Value, When
from django.urls import reverse

from meetings.access import council_ids_for, visible_items
from meetings.models import Decision

from . import rules
from .index import postgres
from .models import FollowUp, SearchEntry

PAGE_SIZE = 20
START, STOP = "\ue000", "\ue001"  # ts_headline markers no text contains, replaced in Python


@dataclass(frozen=True)
class Filters:
    query: str
    region: int | None = None
    kind: str | None = None
    since: datetime.date | None = None
    until: datetime.date | None = None
    newest: bool = False
    page: int = 1


@dataclass
class Hit:
    entry: SearchEntry
    url: str
    title: list = field(default_factory=list)
    snippet: list = field(default_factory=list)


@dataclass
class Results:
    hits: list[Hit]
    total: int
    page: int
    pages: int


def _scoped(qs, filters: Filters, prefix: str):
    if filters.region:
        qs = qs.filter(**{f"{prefix}meeting__council__region_id": filters.region})
    if filters.since:
        qs = qs.filter(**{f"{prefix}meeting__starts_at__date__gte": filters.since})
    if filters.until:
        qs = qs.filter(**{f"{prefix}meeting__starts_at__date__lte": filters.until})
    return qs


def item_url(item, kind: str, readable_councils: set[int]) -> str:
    """Straight to the item: the members' agenda or minutes page for a reader of the council's
    meetings, else the public meeting page (which shows the agenda and the published decision)."""
    meeting = item.meeting
    if meeting.council_id in readable_councils:
        if kind == SearchEntry.Kind.DECISION:
            return reverse("meetings:minutes", args=[meeting.pk]) + f"#item-{item.pk}"
        return reverse("meetings:detail", args=[meeting.pk]) + f"#item-{item.pk}"
    return reverse("meetings:public_meeting", args=[meeting.pk]) + f"#pi-{item.pk}"


def search(roles, filters: Filters) -> Results:
    stems = rules.query_stems(filters.query)
    if not stems:
        return Results([], 0, 1, 0)
    qs = _scoped(SearchEntry.objects.filter(visible_items(roles, "item__")), filters, "item__")
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank

        query = SearchQuery(filters.query, config="danish", search_type="websearch")
        qs = qs.filter(vector=query).annotate(rank=SearchRank(F("vector"), query))
    else:
        for stem in stems:
            qs = qs.filter(stems__contains=f" {stem} ")
        qs = qs.annotate(
            rank=sum(
                (Case(When(title_stems__contains=f" {s} ", then=Value(1)), default=Value(0)) for s in stems),
                Value(0, output_field=IntegerField()),
            )
        )
    total = qs.count()
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    page = max(1, min(filters.page, pages or 1))
    order = ["-item__meeting__starts_at", "item__order", "kind", "pk"]
    if not filters.newest:
        order.insert(0, "-rank")
    ids = list(qs.order_by(*order).values_list("pk", flat=True)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return Results(_hits(roles, ids, filters, stems), total, page, pages)


def _hits(roles, ids: list[int], filters: Filters, stems: list[str]) -> list[Hit]:
    rows = SearchEntry.objects.filter(pk__in=ids).select_related(
        "item__meeting__council__region", "attachment"
    )
    if postgres():
        from django.contrib.postgres.search import SearchHeadline, SearchQuery

        query = SearchQuery(filters.query, config="danish", search_type="websearch")
        rows = rows.annotate(
            headline=SearchHeadline(
                "body",
                query,
                config="danish",
                start_sel=START,
                stop_sel=STOP,
                max_words=40,
                min_words=15,
                max_fragments=2,
            )
        )
    by_id = {e.pk: e for e in rows.defer("stems", "title_stems", "vector")}
    readable = council_ids_for(roles) if ids else set()
    hits = []
    for pk in ids:
        entry = by_id[pk]
        if postgres():
            snippet = rules.marked(entry.headline, START, STOP) if entry.body else []
        else:
            snippet = rules.snippet(entry.body, stems)
        hits.append(
            Hit(
                entry=entry,
                url=item_url(entry.item, entry.kind, readable),
                title=rules.snippet(entry.title, stems, width=250),
                snippet=snippet,
            )
        )
    return hits


# --- The decision register ------------------------------------------------------------------------


@dataclass(frozen=True)
class RegisterFilters:
    region: int
    since: datetime.date | None = None
    until: datetime.date | None = None
    status: str | None = None
    query: str = ""


def published_decision(item) -> Decision | None:
    """The item's decision in the published version of its minutes, if there is one."""
    return Decision.objects.filter(item=item, version=F("minutes__published_version")).first()


def decisions(roles, filters: RegisterFilters):
    """Every decision of the KKR's published minutes the user may see, newest meeting first, with
    the item, its meeting, the vote and the follow-up."""
    qs = Decision.objects.filter(visible_items(roles, "item__"), version=F("minutes__published_version"))
    qs = _scoped(qs.filter(item__meeting__council__region_id=filters.region), filters, "item__")
    if filters.status == FollowUp.Status.OPEN:
        qs = qs.filter(Q(item__follow_up__isnull=True) | Q(item__follow_up__status=FollowUp.Status.OPEN))
    elif filters.status:
        qs = qs.filter(item__follow_up__status=filters.status)
    if filters.query.strip():
        qs = qs.filter(
            Q(item__title__icontains=filters.query.strip()) | Q(text__icontains=filters.query.strip())
        )
    return qs.select_related("item__meeting__council", "item__vote", "item__follow_up__updated_by").order_by(
        "-item__meeting__starts_at", "item__order"
    )
