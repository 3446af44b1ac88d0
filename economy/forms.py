from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, DateTimeInput, SearchableSelect

from .models import Claim, Event, Initiative


class EventForm(forms.ModelForm):
    class Meta:
        model = Event
        fields = [
            "title",
            "programme",
            "place",
            "starts_at",
            "ends_at",
            "capacity",
            "registration_deadline",
            "cancellation_deadline",
            "fee_member",
            "fee_politician",
        ]
        widgets = {
            "starts_at": DateTimeInput(),
            "ends_at": DateTimeInput(),
            "registration_deadline": DateTimeInput(),
            "cancellation_deadline": DateTimeInput(),
            "programme": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends < starts:
            self.add_error("ends_at", _("The event cannot end before it starts."))
        for field in ("registration_deadline", "cancellation_deadline"):
            if starts and data.get(field) and data[field] > starts:
                self.add_error(field, _("The deadline must be no later than the start."))
        return data


class RegisterForm(forms.Form):
    politician = forms.ModelChoiceField(queryset=None, label=_("Council member"), widget=SearchableSelect)

    def __init__(self, *args, politicians, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["politician"].queryset = politicians


class InitiativeForm(forms.ModelForm):
    class Meta:
        model = Initiative
        fields = ["title", "purpose", "owner", "host", "institutions", "starts_on", "ends_on"]
        widgets = {
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "purpose": forms.Textarea(attrs={"rows": 4}),
            "owner": SearchableSelect,
            "host": SearchableSelect,
        }

    def __init__(self, *args, owners, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["host"].queryset = municipalities


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    amount = forms.DecimalField(label=_("Municipal share (DKK)"), min_value=Decimal("0"), decimal_places=2)


class ParticipantForm(forms.Form):
    municipality = forms.ModelChoiceField(queryset=None, label=_("Municipality"), widget=SearchableSelect)
    consent_on = forms.DateField(label=_("Consent given on"), required=False, widget=DateInput())
    consent_reference = forms.CharField(label=_("Consent (case or decision)"), required=False, max_length=200)

    def __init__(self, *args, municipalities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = municipalities


class ReportForm(forms.Form):
    text = forms.CharField(label=_("Report"), widget=forms.Textarea(attrs={"rows": 8}), max_length=20000)


class ClaimForm(forms.Form):
    meeting = forms.ChoiceField(label=_("Meeting"))
    meeting_on = forms.DateField(
        label=_("Date of the body's meeting"),
        required=False,
        widget=DateInput(),
        help_text=_("Only for a meeting of a body you are appointed to."),
    )
    description = forms.CharField(label=_("Which meeting of the body"), required=False, max_length=200)
    transport = forms.ChoiceField(label=_("Means of transport"), choices=Claim.Transport.choices)
    distance_km = forms.DecimalField(
        label=_("Distance there and back (km)"), max_digits=6, decimal_places=1, min_value=Decimal("0.1")
    )
    expense = forms.DecimalField(
        label=_("Ticket expense (DKK)"),
        required=False,
        max_digits=8,
        decimal_places=2,
        min_value=Decimal("0"),
        help_text=_("Only for public transport."),
    )

    def __init__(self, *args, attended, appointments, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", "---------")]
        choices += [(f"m{a.meeting_id}", str(a.meeting)) for a in attended]
        choices += [(f"a{appt.pk}", _("Body: %(post)s") % {"post": appt.post}) for appt in appointments]
        self.fields["meeting"].choices = choices


class ReturnForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class RateForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    high_rate = forms.DecimalField(label=_("High rate (DKK per km)"), max_digits=5, decimal_places=2)
    low_rate = forms.DecimalField(label=_("Low rate (DKK per km)"), max_digits=5, decimal_places=2)
    high_limit_km = forms.IntegerField(label=_("High rate up to (km a year)"), min_value=0)


class ExportForm(forms.Form):
    month = forms.DateField(
        label=_("Payroll month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )
