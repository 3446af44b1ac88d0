"""The decision register per KKR: decisions of published minutes as the pages show them, the vote,
the secretariat's follow-up, filters, the XLSX export, and the links between minutes and register."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from archive import services
from archive.models import FollowUp
from meetings.models import AgendaItem

from .conftest import SECRET, SECRET_WORDS


def url(region, **params):
    from urllib.parse import urlencode

    base = reverse("archive:register", args=[region.slug])
    return f"{base}?{urlencode(params)}" if params else base


@pytest.mark.django_db
@pytest.mark.parametrize(
    "who, sees_closed",
    [
        ("member", True),
        ("secretariat", True),
        ("chair", True),
        ("substitute", False),
        ("member_other", False),
        ("secretariat_other", False),
    ],
)
def test_register_shows_the_decisions_the_pages_show(
    archive, personas, login, client, hovedstaden, who, sees_closed
):
    login(personas[who])
    response = client.get(url(hovedstaden))
    body = response.content.decode()
    assert response.status_code == 200
    assert "KKR godkendte aftalen om IV-behandling." in body
    assert (SECRET in body) is sees_closed
    assert (SECRET_WORDS["decision"] in body) is sees_closed
    assert "2 yes, 1 no, 0 abstained" in body or "2 for, 1 imod, 0 undlod" in body


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["clerk_a", "officer", "council_member"])
def test_register_needs_a_meetings_role(archive, personas, login, client, hovedstaden, who):
    login(personas[who])
    assert client.get(url(hovedstaden)).status_code == 403


@pytest.mark.django_db
def test_register_is_not_public(archive, client, hovedstaden):
    assert client.get(url(hovedstaden)).status_code == 302


@pytest.mark.django_db
def test_secretariat_sets_the_follow_up(archive, personas, login, client, hovedstaden):
    item = AgendaItem.objects.get(meeting=archive, order=1)
    login(personas["secretariat"])
    edit = reverse("archive:follow_up", args=[item.pk])
    assert client.get(edit).status_code == 200
    response = client.post(edit, {"status": "in_progress", "note": "Sendt til kommunerne"})
    assert response.status_code == 302
    follow_up = FollowUp.objects.get(item=item)
    assert (follow_up.status, follow_up.note, follow_up.updated_by) == (
        "in_progress",
        "Sendt til kommunerne",
        personas["secretariat"],
    )
    body = client.get(url(hovedstaden, status="in_progress")).content.decode()
    assert "Sendt til kommunerne" in body and SECRET not in body
    assert "Sendt til kommunerne" not in client.get(url(hovedstaden, status="open")).content.decode()
    # "Open" includes decisions nobody has followed up yet.
    assert SECRET in client.get(url(hovedstaden, status="open")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "chair", "secretariat_other"])
def test_only_the_regions_secretariat_sets_the_follow_up(archive, personas, login, client, who):
    item = AgendaItem.objects.get(meeting=archive, order=1)
    login(personas[who])
    assert client.post(reverse("archive:follow_up", args=[item.pk]), {"status": "done"}).status_code in {
        403,
        404,
    }
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_follow_up_needs_a_published_decision(published, personas):
    from core.errors import Refused

    item = AgendaItem.objects.get(meeting=published, order=1)
    with pytest.raises(Refused):
        services.follow_up_set(item=item, status="done", note="", by=personas["secretariat"])
    assert not FollowUp.objects.exists()


@pytest.mark.django_db
def test_register_filters_by_period_and_text(archive, personas, login, client, hovedstaden):
    login(personas["member"])
    day = archive.date
    assert "aftalen om IV" in client.get(url(hovedstaden, since=day.isoformat())).content.decode()
    later = day.replace(year=day.year + 1).isoformat()
    assert "aftalen om IV" not in client.get(url(hovedstaden, since=later)).content.decode()
    body = client.get(url(hovedstaden, q="xylofon")).content.decode()
    assert SECRET in body and "aftalen om IV" not in body


@pytest.mark.django_db
def test_xlsx_export_has_the_rows_the_user_may_see(archive, personas, login, client, hovedstaden):
    item = AgendaItem.objects.get(meeting=archive, order=1)
    services.follow_up_set(item=item, status="done", note="Afsluttet", by=personas["secretariat"])
    login(personas["substitute"])
    response = client.get(url(hovedstaden, format="xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the open item's decision; the closed one is not shown
    assert rows[1][2] == item.title and rows[1][4] == "KKR godkendte aftalen om IV-behandling."
    assert "2-1-0" in rows[1][5] and rows[1][7] == "Afsluttet"
    assert not any(SECRET in str(cell) for row in rows for cell in row)


@pytest.mark.django_db
def test_minutes_link_to_the_register_and_back(archive, personas, login, client, hovedstaden):
    login(personas["member"])
    minutes = client.get(reverse("meetings:minutes", args=[archive.pk])).content.decode()
    assert reverse("archive:register", args=[hovedstaden.slug]) in minutes
    register = client.get(url(hovedstaden)).content.decode()
    item = AgendaItem.objects.get(meeting=archive, order=1)
    assert reverse("meetings:minutes", args=[archive.pk]) + f"#item-{item.pk}" in register


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["member", "secretariat"])
def test_register_runs_a_bounded_number_of_queries(
    archive, personas, login, client, hovedstaden, who, django_assert_max_num_queries
):
    login(personas[who])
    with django_assert_max_num_queries(14):
        assert client.get(url(hovedstaden)).status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get(url(hovedstaden, format="xlsx")).status_code == 200
