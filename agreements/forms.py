from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, SearchableSelect

from . import importing, rules
from .models import Course, Decision, Setting, Treatment
from .parsing import COURSE_FIELDS, CourseInput, parse_course


class CourseForm(forms.Form):
    municipality = forms.ModelChoiceField(queryset=None, label=_("Municipality"), widget=SearchableSelect)
    external_id = forms.CharField(
        label=_("Case reference"),
        max_length=64,
        help_text=_("Your own reference for the course. Registering it again updates the course."),
    )
    treatment = forms.ChoiceField(label=_("Treatment"), choices=Treatment.choices)
    referred_on = forms.DateField(label=_("Referred on"), widget=DateInput())
    decision = forms.ChoiceField(label=_("Assessment"), choices=Decision.choices)
    start_date = forms.DateField(label=_("First municipal treatment"), required=False, widget=DateInput())
    end_date = forms.DateField(
        label=_("End date"),
        required=False,
        widget=DateInput(),
        help_text=_("Leave empty while the course is ongoing."),
    )
    setting = forms.ChoiceField(label=_("Setting"), choices=Setting.choices)
    visits_per_day = forms.IntegerField(label=_("Visits per day"), min_value=1, max_value=24)
    minutes_per_visit = forms.IntegerField(label=_("Minutes per visit"), min_value=1, max_value=600)
    night_visits = forms.BooleanField(
        label=_("Needs visits between 23:00 and 07:00"),
        required=False,
        help_text=_("Such a course stays in hospital care (IV 1.5) and cannot be registered."),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=rules.NOTE_MAX_LENGTH,
        help_text=_("No CPR numbers or other personal data."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    cpr = forms.CharField(
        label=_("CPR number (optional)"),
        required=False,
        max_length=11,
        help_text=_("Only used to warn about duplicates: the number is never stored, only a keyed hash."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, municipalities, course: Course | None = None, **kwargs):
        if course is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                name: getattr(course, name) for name in ("municipality", "external_id", *COURSE_FIELDS)
            }
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities
        if len(municipalities) == 1:
            self.fields["municipality"].initial = municipalities[0]
            self.fields["municipality"].widget = forms.HiddenInput()
        if course is not None:
            self.fields["external_id"].disabled = True
            self.fields["municipality"].disabled = True

    def clean(self):
        """The fields' values through the one course parser (agreements.parsing), as the API's and
        an upload's are; the rules are checked when the course is registered."""
        cleaned = super().clean()
        if not self.errors:
            self.values, problems = parse_course(cleaned)
            for name, message in problems:
                self.add_error(name if name in self.fields else None, message)
        return cleaned

    def to_input(self) -> CourseInput:
        return CourseInput(municipality=self.cleaned_data["municipality"], **self.values)


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        help_text=_(
            "Columns: external_id, municipality_code, treatment, referred_on, decision, start_date, end_date, setting, visits_per_day, minutes_per_visit; optional: night_visits (yes/no, empty means no), note, cpr."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        """Refuse a file over the upload bound before it is read into memory."""
        upload = self.cleaned_data["file"]
        if upload.size > importing.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(mb)s MB.") % {"mb": importing.MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


STATUS_CHOICES = [
    ("", _("All")),
    ("open", _("Ongoing")),
    ("completed", _("Ended")),
    ("declined", _("Declined")),
    ("withdrawn", _("Withdrawn")),
]


class CourseFilterForm(forms.Form):
    q = forms.CharField(label=_("Case reference"), required=False)
    municipality = forms.ModelChoiceField(
        queryset=None,
        label=_("Municipality"),
        required=False,
        empty_label=_("All"),
        widget=SearchableSelect(attrs={"class": "form-select"}),
    )
    treatment = forms.ChoiceField(
        label=_("Treatment"), choices=[("", _("All")), *Treatment.choices], required=False
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    year = forms.IntegerField(label=_("Start year"), required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities

    def apply(self, queryset):
        if not self.is_valid():
            return queryset
        data = self.cleaned_data
        if data["q"]:
            queryset = queryset.filter(external_id__icontains=data["q"])
        if data["municipality"]:
            queryset = queryset.filter(municipality=data["municipality"])
        if data["treatment"]:
            queryset = queryset.filter(treatment=data["treatment"])
        if data["year"]:
            queryset = queryset.filter(start_date__year=data["year"])
        status = data["status"]
        if status == "open":
            queryset = queryset.open()
        elif status == "completed":
            queryset = queryset.filter(decision="accepted", withdrawn=False, end_date__isnull=False)
        elif status == "declined":
            queryset = queryset.filter(decision="declined")
        elif status == "withdrawn":
            queryset = queryset.filter(withdrawn=True)
        return queryset


class TariffYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    index = forms.DecimalField(
        label=_("Price index"),
        max_digits=8,
        decimal_places=4,
        min_value=Decimal("0.0001"),
        help_text=_("The year's price level relative to 2020 (e.g. 1.0810)."),
    )


class ExtensionForm(forms.Form):
    ends_on = forms.DateField(label=_("In force until"), widget=DateInput())
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput())
    decision = forms.CharField(
        label=_("Decided by"),
        max_length=300,
        help_text=_(
            "Who decided and where it is recorded, e.g. the Health Coordination Committee's minutes."
        ),
    )


class CostShareForm(forms.Form):
    region = forms.ModelChoiceField(queryset=None, label=_("Region"), required=False, empty_label=None)
    amount = forms.DecimalField(
        label=_("Amount to share (DKK)"), max_digits=14, decimal_places=2, min_value=0
    )

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions

    def chosen_region(self, regions):
        """The region asked for (only among the user's own), or the first of them."""
        chosen = self.cleaned_data.get("region") if self.is_bound and self.is_valid() else None
        return chosen or regions[0]


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2020, max_value=2100)
    quarter = forms.TypedChoiceField(
        label=_("Quarter"), coerce=int, choices=[(q, str(q)) for q in (1, 2, 3, 4)]
    )


class FinaliseForm(forms.Form):
    """Finalising cannot be undone: the officer ticks that they know before it happens."""

    confirm = forms.BooleanField(
        label=_("I understand that the statement is then numbered and can never change."),
        error_messages={"required": _("Tick the box to finalise: a finalised statement cannot change.")},
    )
