"""Search: Danish stemming, ranking, filters, highlighting, access exactly as the pages, and the
index kept current by the services (never by a page view). Runs on SQLite and PostgreSQL."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import NO_ROLES, compute_roles
from archive import index
from archive.models import SearchEntry
from archive.selectors import Filters, search
from meetings import services
from meetings.models import AgendaItem, Meeting

from .conftest import SECRET, SECRET_WORDS

URL = reverse("archive:search")


def titles(response) -> str:
    return response.content.decode()


def found(roles, query, **filters) -> list[SearchEntry]:
    return [hit.entry for hit in search(roles, Filters(query=query, **filters)).hits]


@pytest.mark.django_db
def test_inflected_form_finds_the_word(archive, personas):
    """'aftalen' finds 'IV-aftale' (case text) and 'aftalen' (decision): Danish stemming."""
    roles = compute_roles(personas["member"])
    kinds = {e.kind for e in found(roles, "aftalen")}
    assert kinds == {"item", "decision"}
    assert {e.kind for e in found(NO_ROLES, "aftaler")} == {"item", "decision"}
    # An attachment's extracted text is found too (office XML entity decoded).
    assert [e.kind for e in found(NO_ROLES, "tarifferne")] == ["attachment"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who", [None, "substitute", "member_other", "secretariat_other", "clerk_a", "council_member"]
)
def test_closed_item_word_finds_nothing_publicly(archive, personas, client, login, who):
    """A closed item's unique words (title, case text, recommendation, decision, attachment)
    find nothing for the public or anyone who does not see the item on the pages: no title, no
    snippet, no count, whatever the filters."""
    if who:
        login(personas[who])
    roles = compute_roles(personas[who]) if who else NO_ROLES
    for word in SECRET_WORDS.values():
        for extra in [{}, {"order": "newest"}, {"kind": "attachment"}, {"kind": "decision"}]:
            response = client.get(URL, {"q": word, **extra})
            body = response.content.decode().lower()
            assert response.status_code == 200
            assert "0 resultater" in body or "0 results" in body, (word, extra)
            # The word appears only as the user's own query (the search box, the language form's
            # return path), never in the results.
            results = body.split('id="results-h"')[1]
            assert word not in results and SECRET.lower() not in results, (word, extra)
            assert SECRET.lower() not in body.replace(word, ""), (word, extra)
            assert "fortroligt.docx" not in body
        assert search(roles, Filters(query=word)).total == 0


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "chair", "secretariat"])
def test_closed_item_is_found_by_those_who_see_it(archive, personas, who):
    roles = compute_roles(personas[who])
    kinds = {e.kind for e in found(roles, SECRET_WORDS["title"])}
    assert kinds == {"item", "decision"}  # the title is in both entries
    for field in ("case", "recommendation", "decision", "attachment"):
        assert found(roles, SECRET_WORDS[field]), field


@pytest.mark.django_db
def test_links_lead_straight_to_the_item(archive, personas):
    member = compute_roles(personas["member"])
    hits = search(member, Filters(query="aftalen")).hits
    urls = {hit.entry.kind: hit.url for hit in hits}
    item = AgendaItem.objects.get(meeting=archive, order=1)
    assert urls["item"] == reverse("meetings:detail", args=[archive.pk]) + f"#item-{item.pk}"
    assert urls["decision"] == reverse("meetings:minutes", args=[archive.pk]) + f"#item-{item.pk}"
    public = {h.url for h in search(NO_ROLES, Filters(query="aftalen")).hits}
    assert public == {reverse("meetings:public_meeting", args=[archive.pk]) + f"#pi-{item.pk}"}


@pytest.mark.django_db
def test_matched_words_are_marked_and_text_is_escaped(archive, client):
    AgendaItem.objects.filter(meeting=archive, order=1).update(
        case_text="<script>alert(1)</script> Aftalen om IV-behandling."
    )
    index.index_meeting(archive)
    body = client.get(URL, {"q": "aftale", "kind": "item"}).content.decode()
    assert "<mark>Aftalen</mark>" in body
    # Escaped on SQLite; ts_headline drops tags on PostgreSQL. Never markup from the text.
    assert "<script>alert" not in body


@pytest.mark.django_db
def test_filters_by_kkr_kind_period_and_newest_first(archive, personas, sjaelland, hovedstaden):
    roles = compute_roles(personas["member"])
    assert found(roles, "aftalen", region=sjaelland.pk) == []
    assert len(found(roles, "aftalen", region=hovedstaden.pk)) == 2
    assert [e.kind for e in found(roles, "aftalen", kind="decision")] == ["decision"]
    day = archive.date
    assert len(found(roles, "aftalen", since=day, until=day)) == 2
    assert found(roles, "aftalen", since=day + datetime.timedelta(days=1)) == []
    assert found(roles, "aftalen", until=day - datetime.timedelta(days=1)) == []
    # Newest first: a later meeting's item comes before the older one, whatever the rank; by
    # rank, the word in a title weighs more than in the text.
    AgendaItem.objects.filter(meeting=archive, order=1).update(title="IV-aftale: forlængelse")
    index.index_meeting(archive)  # (the meeting is held: its agenda no longer changes by the pages)
    later = services.meeting_plan(
        council=archive.council, starts_at=archive.starts_at + datetime.timedelta(days=30), location="Kbh"
    )
    services.item_add(meeting=later, title="Meddelelser", case_text="Kort om aftalen.")
    from tests.meetings.conftest import approve

    approve(later)
    services.agenda_publish(meeting=later, by=personas["secretariat"])
    newest = found(roles, "aftale", newest=True)
    assert newest[0].item.meeting_id == later.pk
    ranked = found(roles, "aftale")
    assert ranked[0].item.meeting_id == archive.pk
    assert ranked[-1].item.meeting_id == later.pk


@pytest.mark.django_db
def test_what_the_pages_do_not_show_is_not_found(archive, personas, council):
    member = compute_roles(personas["member"])
    # An agenda not yet published is not in the index at all.
    planned = services.meeting_plan(
        council=council, starts_at=archive.starts_at + datetime.timedelta(days=60), location="Kbh"
    )
    services.item_add(meeting=planned, title="Hemmelighedsfuld plan")
    assert not SearchEntry.objects.filter(item__meeting=planned).exists()
    assert found(compute_roles(personas["secretariat"]), "hemmelighedsfuld") == []
    # A cancelled meeting leaves the public pages; members still see it.
    Meeting.objects.filter(pk=archive.pk).update(status=Meeting.Status.CANCELLED)
    assert found(NO_ROLES, "aftalen") == []
    assert found(member, "aftalen")


@pytest.mark.django_db
def test_an_item_closed_after_publication_leaves_public_search(archive, personas):
    item = AgendaItem.objects.get(meeting=archive, order=1)
    assert found(NO_ROLES, "aftalen")
    AgendaItem.objects.filter(pk=item.pk).update(closed=True)  # even without any hook
    assert found(NO_ROLES, "aftalen") == []
    assert found(NO_ROLES, "tarifferne") == []


@pytest.mark.django_db
def test_services_keep_the_index_current(published, personas, django_capture_on_commit_callbacks):
    """Publishing indexes the agenda; a change to a published item re-indexes it; the minutes'
    decisions enter when they are published, not while they are a draft."""
    assert SearchEntry.objects.filter(item__meeting=published, kind="item").count() == 2
    item = AgendaItem.objects.get(meeting=published, order=1)
    services.item_update(item=item, case_text="Nyt om kvalitetsstandarderne")
    assert found(NO_ROLES, "kvalitetsstandard")
    from tests.meetings.conftest import register

    register(published, {1: "p", 2: "p", 3: "p"})
    services.minutes_save(
        meeting=published, by=personas["secretariat"], texts={item.pk: "Vedtaget enstemmigt."}
    )
    assert found(NO_ROLES, "enstemmigt") == []
    assert found(compute_roles(personas["secretariat"]), "enstemmigt") == []


@pytest.mark.django_db
def test_a_page_view_never_writes_the_index(archive, client, personas, login):
    login(personas["member"])
    with CaptureQueriesContext(connection) as queries:
        client.get(URL, {"q": "aftalen"})
    writes = [q["sql"] for q in queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}]
    assert all("django_session" in sql or "axes" in sql for sql in writes), writes


@pytest.mark.django_db
@pytest.mark.parametrize("who", [None, "member", "secretariat"])
def test_search_page_runs_a_bounded_number_of_queries(
    archive, client, personas, login, who, django_assert_max_num_queries
):
    if who:
        login(personas[who])
    index.index_meeting(archive)
    with django_assert_max_num_queries(14):
        response = client.get(URL, {"q": "aftalen behandling", "order": "newest"})
    assert response.status_code == 200
    with django_assert_max_num_queries(14):
        client.get(URL, {"q": "aftale", "side": "2"})


@pytest.mark.django_db
def test_empty_or_odd_queries_are_harmless(archive, client):
    for q in ["", "   ", "og", '"', "-", "!!!", "a & b | c", "x" * 200]:
        response = client.get(URL, {"q": q})
        assert response.status_code == 200, q
    assert client.get(URL, {"q": "aftale", "since": "2030-01-01", "until": "2020-01-01"}).status_code == 400
