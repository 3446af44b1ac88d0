"""The shared widgets: the one pair of date widgets every form uses, and the searchable select.

Browsers accept only ISO values in ``<input type=date>`` and ``<input type=datetime-local>``
("2027-01-27", "2027-01-27T10:00"); a value in the active locale's format ("27.01.2027 10:00")
is thrown away and the field shows up empty. These widgets always render ISO, whatever the
language. Parsing stays with the fields: they accept ISO and the Danish formats
(``kkr_portal/formats``), so a text input or a posted Danish date still works.
"""

from django import forms
from django.utils.translation import gettext_lazy as _

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


class SearchableSelect(forms.Select):
    """A select of many people, municipalities or bodies that the browser makes searchable.

    ``static/js/portal.js`` turns every ``select[data-searchable]`` into a Tom Select (type part
    of a name, arrows, Enter); the original select stays in the form and is what is posted, so
    without JavaScript it is a plain select. The "no matches" text is rendered here so that it is
    translated with the page.
    """

    def __init__(self, attrs=None, choices=()):
        attrs = {"data-searchable": True, "data-no-results": _("No matches"), **(attrs or {})}
        super().__init__(attrs=attrs, choices=choices)
