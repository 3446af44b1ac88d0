"""The IV pages that must stay as fast with a region's years of courses as with a handful (issue 15):
the course list pages by keyset, the statement page formats its cells once."""

import datetime
import re

import pytest
from django.utils import translation

from agreements.models import Course, SettlementLine
from agreements.services import settlement_run
from core import paging
from core.words import number

from ..conftest import log_in
from .conftest import make_courses

pytestmark = pytest.mark.django_db

AS_OF = datetime.date(2030, 1, 1)


def _references(response) -> list[str]:
    return [course.external_id for course in response.context["page"]]


def test_course_list_rows_read_as_the_courses_do(client, personas, kbh, tariff_years):
    settled, changed, ongoing, withdrawn, declined = make_courses(kbh, 5, prefix="<i>")
    settlement_run(as_of=AS_OF)
    Course.objects.filter(pk=changed.pk).update(revision=2)
    # Unsettled means "has no course line" (agreements.settling): the ongoing course has none.
    SettlementLine.objects.filter(course=ongoing).delete()
    Course.objects.filter(pk=ongoing.pk).update(end_date=None, priced_revision=None)
    Course.objects.filter(pk=withdrawn.pk).update(withdrawn=True)
    Course.objects.filter(pk=declined.pk).update(
        decision="declined", start_date=None, end_date=None, priced_revision=None
    )
    log_in(client, personas["clerk_a"])
    client.cookies["django_language"] = "da"
    response = client.get("/iv/")
    html = response.content.decode()
    assert "<i>-" not in html and "&lt;i&gt;-0" in html
    rows = {row["pk"]: row for row in response.context["rows"]}
    assert rows[settled.pk]["settled"] == "afregnet"
    assert rows[changed.pk]["settled"] == "ændret: korrigeres i næste kørsel"
    assert rows[ongoing.pk]["end_date"] == "i gang" and rows[ongoing.pk]["settled"] == "endnu ikke"
    assert rows[declined.pk]["end_date"] == "–" and rows[declined.pk]["start_date"] == "–"
    assert rows[declined.pk]["decision"] == "Afvist"
    assert rows[withdrawn.pk]["withdrawn"] and "Trukket tilbage" in html
    course = Course.objects.get(pk=settled.pk)
    assert rows[settled.pk]["referred_on"] == course.referred_on.strftime("%d.%m.%Y")
    assert (
        rows[settled.pk]["url"] == f"/iv/forloeb/{settled.pk}/"
        and f'href="/iv/forloeb/{settled.pk}/"' in html
    )


def _next(response, name: str) -> str | None:
    """The query string of the page's Previous (before=) or Next (after=) link."""
    match = re.search(rf'href="\?([^"]*{name}=[^"]*)"', response.content.decode())
    return match.group(1).replace("&amp;", "&") if match else None


def _with_ties(municipality, n, prefix="C"):
    """n courses on only seven referral days, so pages must split rows of one day by id."""
    courses = make_courses(municipality, n, prefix=prefix)
    for index, course in enumerate(courses):
        Course.objects.filter(pk=course.pk).update(referred_on=datetime.date(2024, 5, 1 + index % 7))
    return courses


def test_course_list_pages_by_keyset_through_every_course_once(client, personas, kbh, frb):
    _with_ties(kbh, 120)
    _with_ties(frb, 30, prefix="F")
    log_in(client, personas["officer"])
    response = client.get("/iv/")
    seen = _references(response)
    assert len(seen) == 50 and _next(response, "before") is None
    pages = [response]
    while query := _next(pages[-1], "after"):
        pages.append(client.get(f"/iv/?{query}"))
        seen += _references(pages[-1])
    assert len(pages) == 3 and len(seen) == 150 == len(set(seen))
    expected = list(Course.objects.order_by("-referred_on", "-id").values_list("external_id", flat=True))
    assert seen == expected
    # Back from the last page: the middle page again, then the first (which has no Previous).
    back = client.get(f"/iv/?{_next(pages[2], 'before')}")
    assert _references(back) == _references(pages[1])
    first = client.get(f"/iv/?{_next(back, 'before')}")
    assert _references(first) == _references(pages[0]) and _next(first, "before") is None


def test_course_list_keeps_filters_and_access_across_pages(client, personas, kbh, frb):
    _with_ties(kbh, 60)
    _with_ties(frb, 60, prefix="F")
    log_in(client, personas["clerk_b"])
    response = client.get("/iv/?treatment=antibiotics")
    query = _next(response, "after")
    assert "treatment=antibiotics" in query
    rest = client.get(f"/iv/?{query}")
    references = _references(response) + _references(rest)
    assert len(references) == 60 and all(ref.startswith("F-") for ref in references)
    # A cursor taken from another municipality's list shows nothing of it.
    kbh_course = Course.objects.filter(municipality=kbh).order_by("-referred_on", "-id").first()
    response = client.get(f"/iv/?after={kbh_course.referred_on.isoformat()}.{kbh_course.pk + 1}")
    assert all(ref.startswith("F-") for ref in _references(response))


@pytest.mark.parametrize("cursor", ["x", "2024-13-01.5", "2024-05-01.", ".7", "2024-05-01.abc"])
def test_a_malformed_cursor_shows_the_first_page(client, personas, kbh, cursor):
    make_courses(kbh, 3)
    log_in(client, personas["clerk_a"])
    response = client.get(f"/iv/?after={cursor}")
    assert response.status_code == 200 and len(response.context["page"]) == 3


def test_course_list_counts_up_to_a_cap(client, personas, kbh, monkeypatch):
    make_courses(kbh, 12)
    log_in(client, personas["clerk_a"])
    response = client.get("/iv/")
    assert response.context["page"].count == 12 and b"12 courses" in response.content
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    response = client.get("/iv/")
    assert response.context["page"].capped and b"More than 10 courses" in response.content


def test_a_deep_course_list_page_takes_the_queries_of_the_first(
    client, personas, kbh, django_assert_max_num_queries
):
    make_courses(kbh, 260)
    log_in(client, personas["officer"])
    response = client.get("/iv/")
    for _ in range(4):
        response = client.get(f"/iv/?{_next(response, 'after')}")
    with django_assert_max_num_queries(9):
        response = client.get(f"/iv/?{_next(response, 'before')}")
    assert len(response.context["page"]) == 50


def test_statement_page_shows_each_cell_formatted_and_escaped(client, personas, kbh, tariff_years):
    make_courses(kbh, 3, prefix="<b>")
    settlement_run(as_of=AS_OF)
    first = Course.objects.filter(municipality=kbh).order_by("id").first()
    Course.objects.filter(pk=first.pk).update(
        end_date=first.end_date + datetime.timedelta(days=3), revision=2
    )
    run = settlement_run(as_of=AS_OF)
    statement = run.statements.get(municipality=kbh)
    log_in(client, personas["officer"])
    client.cookies["django_language"] = "da"
    response = client.get(f"/iv/opgoerelse/{statement.pk}/")
    html = response.content.decode()
    assert "<b>-0" not in html and "&lt;b&gt;-0" in html
    rows = list(response.context["page"])
    lines = list(statement.lines.order_by("kind", "year", "ordinal", "id"))
    assert len(rows) == len(lines) == statement.line_count and any(line.original_id for line in lines)
    with translation.override("da"):
        for row, line in zip(rows, lines, strict=True):
            assert row["treatment"] == line.get_treatment_display()
            assert row["kind"] == line.get_kind_display()
            assert row["corrects"] == (line.original.run.number if line.original_id else None)
            for name in ("course_tariff", "day_tariff", "amount"):
                assert row[name] == number(getattr(line, name), 2)
            assert row["ordinal"] == str(line.ordinal) and row["year"] == str(line.year)
    assert "Korrektion (korrigerer kørsel 1)" in html


def test_year_filter_keeps_a_course_referred_the_year_before(client, personas, kbh):
    """The year filter bounds the referral date by the year's end (a course starts on or after
    its referral); a course referred on 31 December and started in January is in the new year."""
    late, early, next_year = make_courses(kbh, 3, prefix="Y")
    Course.objects.filter(pk=late.pk).update(
        referred_on=datetime.date(2024, 12, 31), start_date=datetime.date(2025, 1, 2), end_date=None
    )
    Course.objects.filter(pk=early.pk).update(
        referred_on=datetime.date(2025, 12, 31), start_date=datetime.date(2025, 12, 31), end_date=None
    )
    Course.objects.filter(pk=next_year.pk).update(
        referred_on=datetime.date(2025, 12, 31), start_date=datetime.date(2026, 1, 1), end_date=None
    )
    log_in(client, personas["clerk_a"])
    response = client.get("/iv/?year=2025")
    assert sorted(_references(response)) == ["Y-0", "Y-1"]


def test_start_pages_count_up_to_a_cap_in_pinned_queries(
    client, personas, kbh, monkeypatch, django_assert_max_num_queries
):
    make_courses(kbh, 12)
    log_in(client, personas["officer"])
    with django_assert_max_num_queries(10):
        response = client.get("/")
    assert b"12 completed courses wait for settlement." in response.content
    monkeypatch.setattr(paging, "COUNT_CAP", 10)
    response = client.get("/")
    assert b"More than 10 completed courses wait for settlement." in response.content
    log_in(client, personas["clerk_a"])
    with django_assert_max_num_queries(8):
        assert client.get("/").status_code == 200
