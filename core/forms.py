"""The one pair of date widgets every form uses.

Browsers accept only ISO values in ``<input type=date>`` and ``<input type=datetime-local>``
("2027-01-27", "2027-01-27T10:00"); a value in the active locale's format ("27.01.2027 10:00")
is thrown away and the field shows up empty. These widgets always render ISO, whatever the
language. Parsing stays with the fields: they accept ISO and the Danish formats
(``kkr_portal/formats``), so a text input or a posted Danish date still works.
"""

from django import forms

ISO_DATE = "%Y-%m-%d"
ISO_DATETIME = "%Y-%m-%dT%H:%M"


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATE)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=ISO_DATETIME)
