"""Forms of the term change pages."""

from django import forms
from django.utils.translation import gettext_lazy as _

from register.models import Party, Region

DATE = {"type": "date"}


class CouncilNewForm(forms.Form):
    region = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("Region"))
    election_year = forms.IntegerField(label=_("Municipal election year"), min_value=2000, max_value=2100)
    term_start = forms.DateField(
        label=_("Takes office"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def clean(self, data, initial=None):
        if not data:
            return super().clean(data, initial)
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


class ResultsUploadForm(forms.Form):
    files = MultipleFileField(
        label=_("valg.dk files (JSON or a ZIP of them)"),
        widget=MultipleFileInput(
            attrs={"multiple": True, "accept": ".json,.zip,application/json,application/zip"}
        ),
        help_text=_(
            "kandidat-data, mandatfordeling and valgresultater files of any municipalities; "
            "more than 100 files as one ZIP archive."
        ),
    )


class MayorsUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV file"),
        help_text=_(
            "Columns: municipality_code, mayor, mayor_list, mayor_birth_date, mayor_since, deputy, deputy_list, "
            "deputy_birth_date (dates as YYYY-MM-DD; mayor_since may be empty)"
        ),
    )


class MayorForm(forms.Form):
    municipality = forms.ChoiceField(label=_("Municipality"))
    mayor = forms.CharField(label=_("Mayor"), max_length=200)
    mayor_list = forms.ModelChoiceField(
        queryset=Party.objects.all(), label=_("Mayor's list"), to_field_name="letter"
    )
    mayor_birth_date = forms.DateField(
        label=_("Mayor's birth date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    mayor_since = forms.DateField(
        label=_("Mayor since"), required=False, widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
    deputy = forms.CharField(label=_("1st deputy mayor"), max_length=200)
    deputy_list = forms.ModelChoiceField(
        queryset=Party.objects.all(), label=_("Deputy's list"), to_field_name="letter"
    )
    deputy_birth_date = forms.DateField(
        label=_("Deputy's birth date"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [(m.code, m.name) for m in municipalities]


class DeadlineForm(forms.Form):
    due = forms.DateField(
        label=_("Parties report their members by"), widget=forms.DateInput(attrs=DATE, format="%Y-%m-%d")
    )
