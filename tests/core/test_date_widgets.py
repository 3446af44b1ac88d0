"""Date and time inputs carry ISO values: a browser drops "27.01.2027 10:00" from an
<input type=date/datetime-local> and the field shows up empty (issue 16)."""

import datetime
import importlib
import inspect
import re

import pytest
from django import forms
from django.utils import translation

import core.time
from core.forms import DateInput, DateTimeInput

APPS = ["accounts", "agreements", "appointments", "archive", "economy", "evaluations", "meetings"]
DAY = datetime.date(2027, 1, 27)
MOMENT = datetime.datetime(2027, 1, 27, 10, 0)


def date_fields():
    for app in APPS:
        module = importlib.import_module(f"{app}.forms")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                for field_name, field in cls.base_fields.items():
                    if isinstance(field, (forms.DateField, forms.DateTimeField)):
                        yield pytest.param(field, id=f"{app}.{name}.{field_name}")


def rendered_value(html):
    return re.search(r'value="([^"]*)"', html).group(1)


@pytest.mark.parametrize("field", list(date_fields()))
@pytest.mark.parametrize("language", ["da", "en"])
def test_every_date_field_renders_an_iso_value(field, language):
    with translation.override(language):
        if isinstance(field, forms.DateTimeField):
            assert isinstance(field.widget, DateTimeInput)
            html = field.widget.render("x", field.prepare_value(MOMENT))
            assert 'type="datetime-local"' in html and rendered_value(html) == "2027-01-27T10:00"
        elif field.widget.input_type == "month":
            assert rendered_value(field.widget.render("x", DAY)) == "2027-01"
        else:
            assert isinstance(field.widget, DateInput)
            html = field.widget.render("x", DAY)
            assert 'type="date"' in html and rendered_value(html) == "2027-01-27"


def test_the_seat_forms_from_default_is_today_in_iso():
    from appointments.forms import EndAppointmentForm

    with translation.override("da"):
        html = str(EndAppointmentForm()["on"])
    assert f'value="{core.time.today().isoformat()}"' in html


def test_the_constituent_meetings_start_renders_in_iso():
    from appointments.forms import MeetingForm

    with translation.override("da"):
        html = str(MeetingForm(initial={"meeting_at": MOMENT})["meeting_at"])
    assert 'type="datetime-local"' in html and 'value="2027-01-27T10:00"' in html


@pytest.mark.parametrize("typed", ["27.01.2027", "27-01-2027", "2027-01-27"])
def test_a_date_typed_the_danish_way_is_accepted(typed):
    with translation.override("da"):
        assert forms.DateField(widget=DateInput()).clean(typed) == DAY


@pytest.mark.parametrize("typed", ["27.01.2027 10:00", "2027-01-27T10:00", "2027-01-27 10:00"])
def test_a_moment_typed_the_danish_way_is_accepted(typed):
    with translation.override("da"):
        assert forms.DateTimeField(widget=DateTimeInput()).clean(typed).replace(tzinfo=None) == MOMENT
