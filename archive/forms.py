from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from register.models import Region

from .models import FollowUp, SearchEntry


class KKRChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"KKR {obj.short_name}"


class PeriodForm(forms.Form):
    """A GET filter form with a period; fields styled for Bootstrap."""

    since = forms.DateField(label=_("From"), required=False, widget=DateInput())
    until = forms.DateField(label=_("To"), required=False, widget=DateInput())

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end of the period is before its start."))
        return data


class SearchForm(PeriodForm):
    q = forms.CharField(label=_("Search for"), max_length=200, required=False)
    region = KKRChoiceField(
        label=_("KKR"), queryset=Region.objects.order_by("name"), required=False, empty_label=_("All KKR")
    )
    kind = forms.ChoiceField(
        label=_("Found in"), choices=[("", _("Everything"))] + SearchEntry.Kind.choices, required=False
    )
    order = forms.ChoiceField(
        label=_("Order"),
        choices=[("", _("Best match first")), ("newest", _("Newest first"))],
        required=False,
    )
    field_order = ["q", "region", "kind", "since", "until", "order"]


class RegisterForm(PeriodForm):
    q = forms.CharField(label=_("Item or decision contains"), max_length=200, required=False)
    status = forms.ChoiceField(
        label=_("Follow-up"), choices=[("", _("Any"))] + FollowUp.Status.choices, required=False
    )
    field_order = ["q", "since", "until", "status"]


class FollowUpForm(forms.ModelForm):
    class Meta:
        model = FollowUp
        fields = ["status", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}
