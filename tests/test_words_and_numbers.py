"""Issue 16, words and numbers: ja/nej for yes/no answers, Danish thousand separators in pages,
charts and XLSX number formats, the composition's short account, the member list's order."""

import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from appointments import rules
from core.charts import Bar, bar_chart, column_chart
from core.words import danish_key, number, yes_no
from core.xlsx import Sheet, xlsx_bytes


@pytest.fixture
def danish(settings):
    settings.LANGUAGE_CODE = "da"
    with translation.override("da"):
        yield


def test_yes_no_reads_ja_nej_in_danish_never_for_imod(danish):
    assert (yes_no(True), yes_no(False)) == ("ja", "nej")


def test_numbers_have_danish_thousand_separators(danish):
    assert number(1007846) == "1.007.846"
    assert number(Decimal("4898")) == "4.898"
    assert number(30.5) == "30,5"
    assert number(Decimal("1234.5"), 2) == "1.234,50"


def test_numbers_in_english_use_english_separators():
    with translation.override("en"):
        assert number(1007846) == "1,007,846"


@given(st.integers(min_value=0, max_value=10**12))
def test_grouped_number_reads_back_as_the_number(value):
    with translation.override("da"):
        text = number(value)
    assert int(text.replace(".", "")) == value
    assert all(len(group) == 3 for group in text.split(".")[1:])


def test_chart_labels_are_localised(danish):
    svg = bar_chart("Kurser", [Bar("Forløb", 4898), Bar("Andel", 30.5)])
    assert "4.898" in svg and "30,5" in svg
    svg = column_chart("Pr. kvartal", ["K1"], [("Kurser", [12345])])
    assert "12.345" in svg


def test_xlsx_numbers_get_number_formats_and_booleans_read_ja_nej(danish):
    data = xlsx_bytes(
        [
            Sheet(
                "S",
                ["n", "amount", "done", "text", "day"],
                [[1007846, Decimal("30.50"), True, "x", datetime.date(2026, 1, 2)]],
            )
        ]
    )
    ws = load_workbook(io.BytesIO(data))["S"]
    n, amount, done, text, day = ws[2]
    assert (n.value, n.number_format) == (1007846, "#,##0")
    assert float(amount.value) == 30.5 and amount.number_format == "#,##0.00"
    assert done.value == "ja"
    assert text.number_format == "General"
    assert day.is_date


def test_member_list_key_puts_mayors_by_municipality_then_lists():
    seats = [
        {"mayor": False, "municipality": "Albertslund", "list_letter": "C", "number": 3},
        {"mayor": True, "municipality": "København", "list_letter": "A", "number": 1},
        {"mayor": False, "municipality": "Ballerup", "list_letter": "A", "number": 4},
        {"mayor": True, "municipality": "Frederiksberg", "list_letter": "C", "number": 2},
    ]
    ordered = sorted(seats, key=lambda s: rules.member_list_key(**s))
    assert [s["number"] for s in ordered] == [2, 1, 4, 3]


def test_danish_order_puts_ae_oe_aa_after_z_and_double_a_with_aa():
    names = ["Ølstykke", "Zealand", "Ærø", "Aabenraa", "Albertslund", "Åbyhøj", "ærø", "Egedal"]
    assert sorted(names, key=danish_key) == [
        "Albertslund",
        "Egedal",
        "Zealand",
        "Ærø",
        "ærø",
        "Ølstykke",
        "Aabenraa",
        "Åbyhøj",
    ]


def test_member_list_key_sorts_municipalities_and_lists_in_danish_order():
    """Mayors of Ærø, Ølstykke and Aabenraa come after Zealand's; list Æ, Ø, Å after V."""
    mayors = [("Aabenraa", 1), ("Ølstykke", 2), ("Albertslund", 3), ("Ærø", 4), ("Zealand", 5)]
    lists = [("Å", 6), ("Ø", 7), ("V", 8), ("Æ", 9), ("A", 10)]
    seats = [{"mayor": True, "municipality": m, "list_letter": "A", "number": n} for m, n in mayors] + [
        {"mayor": False, "municipality": "Albertslund", "list_letter": x, "number": n} for x, n in lists
    ]
    ordered = sorted(seats, key=lambda s: rules.member_list_key(**s))
    assert [s["number"] for s in ordered] == [3, 5, 4, 2, 1, 10, 8, 9, 7, 6]


pytestmark = pytest.mark.django_db


def test_member_list_is_sorted_mayors_by_municipality_then_party_elected_by_list(
    login, client, personas, council
):
    login(personas["member"])
    body = client.get(reverse("appointments:council_detail", args=[council.pk])).content.decode()
    body = body.split("<tbody>", 1)[1]
    positions = [body.index(name) for name in ["Frank Mayor", "Mette Mayor", "Mona Member", "Carl Member"]]
    assert positions == sorted(positions)


def test_composition_page_reads_danish_numbers_ja_and_folds_the_trail(
    danish, login, client, personas, council
):
    from register.models import ElectionResult, Municipality, Party

    kbh, frb = Municipality.objects.get(code="101"), Municipality.objects.get(code="147")
    for letter, votes in {"A": 250000, "C": 310000, "V": 110000, "F": 337846}.items():
        party = Party.objects.get(letter=letter)
        ElectionResult.objects.create(
            year=council.election_year, municipality=kbh, party=party, votes=votes, seats=5
        )
        ElectionResult.objects.create(
            year=council.election_year, municipality=frb, party=party, votes=0, seats=1
        )
    login(personas["member"])
    body = client.get(reverse("appointments:council_composition", args=[council.pk])).content.decode()
    assert "1.007.846" in body and "337.846" in body
    assert "<td>ja</td>" in body and ">for<" not in body
    assert "text-nowrap" in body and "&nbsp;%" in body
    before_details = body.split("<details")[0] if "<details" in body else body
    assert before_details.count("N = ") <= 3


def test_composition_page_says_the_result_in_one_paragraph_and_folds_the_trail(
    login, client, personas, council, monkeypatch
):
    from appointments import selectors

    real = selectors.council_composition(council)
    assert real is None or real.tried
    from appointments.composition import Composition

    tried = tuple((n, ("A",)) for n in range(29, 54)) + ((54, ()),)
    fake = Composition(
        rows=(), size=54, cap=58, capped=False, total_votes=1007846, allocation=None, tried=tried
    )
    monkeypatch.setattr(selectors, "council_composition", lambda council: fake)
    login(personas["member"])
    body = client.get(reverse("appointments:council_composition", args=[council.pk])).content.decode()
    shown, folded = body.split("<details", 1)
    assert shown.count("too few seats") == 0
    assert "At N = 53, A still had fewer seats than mayors; N = 54 is the smallest size" in shown
    assert "from N = 29" in shown and "26 sizes in all" in shown
    assert folded.split("</details>")[0].count("too few seats for the mayors of") == 25


def test_chart_labels_follow_the_language_not_a_hand_made_danish_format():
    with translation.override("en"):
        svg = bar_chart("Courses", [Bar("Courses", 4898), Bar("Share", 30.5)])
    assert "4,898" in svg and "30.5" in svg


@pytest.mark.parametrize(("count", "text"), [(898, "898 forløb"), (1001, "Mere end 1.000 forløb")])
def test_course_list_counts_courses_with_thousand_separators(
    danish, login, client, personas, monkeypatch, count, text
):
    import dataclasses

    from core import paging

    counted = paging.newest_first
    monkeypatch.setattr(
        paging,
        "newest_first",
        lambda *args, **kwargs: dataclasses.replace(counted(*args, **kwargs), count=count),
    )
    login(personas["officer"])
    response = client.get(reverse("agreements:course_list"))
    assert response.status_code == 200
    assert text in response.content.decode()
