"""Issue 11: one course parser (agreements.parsing.parse_course) for the form, the API and an upload
row: the same values give the same course input, and what is wrong is named by field."""

import datetime

import pytest

from agreements.api import CourseSerializer
from agreements.forms import CourseForm
from agreements.parsing import CourseInput, parse_course
from register.models import Municipality

TYPED = {
    "external_id": " K-7 ",
    "treatment": "pump",
    "referred_on": datetime.date(2024, 3, 1),
    "decision": "accepted",
    "start_date": datetime.date(2024, 3, 2),
    "end_date": datetime.date(2024, 3, 5),
    "setting": "home",
    "visits_per_day": 2,
    "minutes_per_visit": 30,
}
# The same course as an upload row gives it: Danish words, day-first dates, text numbers.
TEXT = {
    "external_id": "K-7",
    "treatment": "Pumpe",
    "referred_on": "2024-03-01",
    "decision": "accepteret",
    "start_date": "02-03-2024",
    "end_date": "2024-03-05",
    "setting": "hjem",
    "visits_per_day": "2",
    "minutes_per_visit": "30",
    "night_visits": "nej",
    "note": "",
}


def test_typed_and_text_values_parse_to_the_same_course():
    typed, typed_problems = parse_course(TYPED)
    text, text_problems = parse_course(TEXT)
    assert typed_problems == [] and text_problems == []
    assert typed == text
    assert typed["external_id"] == "K-7" and typed["night_visits"] is False and typed["note"] == ""


def test_problems_name_their_field():
    _values, problems = parse_course(
        {
            **TEXT,
            "treatment": "saltvand",
            "start_date": "2024-13-01",
            "visits_per_day": "to",
            "referred_on": "",
        }
    )
    assert [name for name, _m in problems] == ["referred_on", "treatment", "start_date", "visits_per_day"]
    _values, problems = parse_course({**TEXT, "night_visits": "måske"})
    assert [name for name, _m in problems] == ["night_visits"]


def test_form_and_api_give_the_parser_their_values(kbh):
    expected = CourseInput(municipality=kbh, **parse_course(TEXT)[0])
    data = {**TYPED, "municipality": kbh.pk}
    form = CourseForm(data, municipalities=Municipality.objects.filter(pk=kbh.pk))
    assert form.is_valid(), form.errors
    assert form.to_input() == expected
    serializer = CourseSerializer(data={**TYPED, "municipality_code": kbh.code})
    assert serializer.is_valid(), serializer.errors
    assert serializer.to_input(kbh) == expected


def test_dates_are_read_in_both_shapes_and_nothing_else():
    from agreements.parsing import parse_date

    assert parse_date("2024-03-01") == parse_date("01-03-2024") == datetime.date(2024, 3, 1)
    assert parse_date("2024-3-1") == datetime.date(2024, 3, 1)  # strptime's leniency, as before
    for text in ("2024-02-30", "30-02-2024", "2024/03/01", "20240301", "1-2024-03", ""):
        with pytest.raises(ValueError):
            parse_date(text)
