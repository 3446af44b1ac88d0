"""Forms of appointments: they parse; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

import core.time
from core.forms import DateInput, DateTimeInput, SearchableSelect
from register.models import Party, Politician


class PoliticianChoice(forms.ModelChoiceField):
    widget = SearchableSelect

    def label_from_instance(self, obj):
        letter = obj.party.letter if obj.party else "–"
        return f"{obj.name} ({letter}, {obj.municipality.name})"

    def offer(self, people: list) -> None:
        """Offer these people, already read in the order to show them (with party and
        municipality): the choices are drawn from the list instead of being read again, and a
        submitted choice is still looked up among the same people."""
        self.queryset = Politician.objects.filter(pk__in=[p.pk for p in people]).select_related(
            "party", "municipality"
        )
        self.choices = [("", self.empty_label), *((p.pk, self.label_from_instance(p)) for p in people)]


def region_politicians(region):
    return (
        Politician.objects.filter(municipality__region=region, council_to__isnull=True)
        .select_related("party", "municipality")
        .order_by("name")
    )


class SubstituteForm(forms.Form):
    substitute = PoliticianChoice(queryset=Politician.objects.none(), label=_("New personal substitute"))
    on = forms.DateField(label=_("From"), widget=DateInput(), initial=core.time.today)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = region_politicians(region)


class ReplaceForm(forms.Form):
    holder = PoliticianChoice(queryset=Politician.objects.none(), label=_("New member"))
    substitute = PoliticianChoice(queryset=Politician.objects.none(), label=_("Their personal substitute"))
    on = forms.DateField(label=_("From"), widget=DateInput(), initial=core.time.today)
    reason = forms.CharField(label=_("Why the member leaves"), max_length=200)

    def __init__(self, *args, region, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["holder"].queryset = region_politicians(region)
        self.fields["substitute"].queryset = region_politicians(region)


class StandInForm(forms.Form):
    starts_on = forms.DateField(label=_("Steps in from"), widget=DateInput())
    ends_on = forms.DateField(label=_("Until (expected)"), required=False, widget=DateInput())
    decided_on = forms.DateField(
        label=_("Date of the KKR's decision"),
        required=False,
        widget=DateInput(),
        help_text=_("Required for a party-elected member (Bilag 1 1.6)."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=200, required=False)


class MeetingForm(forms.Form):
    meeting_at = forms.DateTimeField(
        label=_("The constituent meeting starts"),
        widget=DateTimeInput(),
    )


class AllianceForm(forms.Form):
    name = forms.CharField(label=_("Name of the alliance"), max_length=100)
    parties = forms.ModelMultipleChoiceField(
        queryset=Party.objects.none(), label=_("Lists"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, letters, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parties"].queryset = Party.objects.filter(letter__in=letters)


class ChairNameForm(forms.Form):
    chair = PoliticianChoice(queryset=Politician.objects.none(), label=_("Chair"))
    vice_chair = PoliticianChoice(queryset=Politician.objects.none(), label=_("Vice-chair"))

    def __init__(self, *args, chairs, vices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].offer(chairs)
        self.fields["vice_chair"].offer(vices)


class BodyForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    term_start = forms.DateField(label=_("Term starts"), widget=DateInput())
    term_end = forms.DateField(label=_("Term ends"), required=False, widget=DateInput())


class BodyTermForm(forms.Form):
    term_start = forms.DateField(label=_("New term starts"), widget=DateInput())
    term_end = forms.DateField(
        label=_("New term ends"),
        required=False,
        widget=DateInput(),
        help_text=_(
            "Leave empty if the body has not fixed it: the appointments then follow the electoral period."
        ),
    )


class VoidElectionForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Recorded with the election, e.g. that the meeting was adjourned before the groups named anyone."
        ),
    )


class PostForm(forms.Form):
    name = forms.CharField(label=_("Post"), max_length=200)
    seats = forms.IntegerField(label=_("Seats"), min_value=1, max_value=50)


CANDIDATE_ROWS = 4


class MajorityRoundForm(forms.Form):
    present = forms.IntegerField(label=_("Members present"), min_value=1)

    def __init__(self, *args, region, runoff=(), **kwargs):
        super().__init__(*args, **kwargs)
        people = region_politicians(region)
        if runoff:  # the run-off is between the two candidates named by round 2
            people = people.filter(pk__in=[int(pk) for pk in runoff])
        self.rows = 2 if runoff else CANDIDATE_ROWS
        for i in range(1, self.rows + 1):
            self.fields[f"candidate_{i}"] = PoliticianChoice(
                queryset=people, required=i == 1, label=_("Candidate %(n)s") % {"n": i}
            )
            self.fields[f"votes_{i}"] = forms.IntegerField(
                min_value=0, required=i == 1, label=_("Votes for candidate %(n)s") % {"n": i}
            )

    def clean(self):
        data = super().clean()
        ballots = {}
        for i in range(1, self.rows + 1):
            person, votes = data.get(f"candidate_{i}"), data.get(f"votes_{i}")
            if person is None:
                continue
            if votes is None:
                self.add_error(f"votes_{i}", _("Give the votes for this candidate."))
            elif person in ballots:
                self.add_error(f"candidate_{i}", _("This candidate is listed twice."))
            else:
                ballots[person] = votes
        data["ballots"] = ballots
        return data

    def candidate_rows(self):
        return [(self[f"candidate_{i}"], self[f"votes_{i}"]) for i in range(1, self.rows + 1)]


class ProportionalForm(forms.Form):
    present = forms.IntegerField(label=_("Members present"), min_value=1)
    groups = forms.CharField(
        label=_("Groups declared"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("One line per group: name;members present[;alliance], e.g. Rød blok;12;Forbund 1"),
    )
    candidates = forms.CharField(
        label=_("Groups with too few candidates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Only for a group that names fewer candidates than it may win: name;number of candidates, e.g. Blå blok;1. Its extra seat passes to the next highest quotient, first within its alliance."
        ),
    )


class AppointeeForm(forms.Form):
    group = forms.ChoiceField(label=_("Group"))
    politician = PoliticianChoice(queryset=Politician.objects.none(), label=_("Appointee"))

    def __init__(self, *args, region, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].choices = [(g, g) for g in groups]
        self.fields["politician"].queryset = region_politicians(region)


class EndAppointmentForm(forms.Form):
    appointment = forms.IntegerField(widget=forms.HiddenInput)
    on = forms.DateField(label=_("Ends on"), widget=DateInput(), initial=core.time.today)
    reason = forms.CharField(label=_("Reason"), max_length=200)


class SeatAddForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=[])
    party = forms.ModelChoiceField(queryset=Party.objects.all(), label=_("List"))
    holder = PoliticianChoice(queryset=Politician.objects.none(), label=_("Member"))
    substitute = PoliticianChoice(queryset=Politician.objects.none(), label=_("Personal substitute"))
    valid_from = forms.DateField(label=_("From"), widget=DateInput(), initial=core.time.today)

    def __init__(self, *args, region, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        self.fields["holder"].queryset = region_politicians(region)
        self.fields["substitute"].queryset = region_politicians(region)


class ChairReplaceForm(forms.Form):
    place = forms.TypedChoiceField(
        label=_("Post"), coerce=int, choices=[(1, _("Chair")), (2, _("Vice-chair"))]
    )
    politician = PoliticianChoice(queryset=Politician.objects.none(), label=_("New holder"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["politician"].queryset = Politician.objects.filter(
            pk__in=[p.pk for p in candidates]
        ).select_related("party", "municipality")


class CooperationForm(forms.Form):
    name = forms.CharField(label=_("Name of the list cooperation"), max_length=100)
    parties = forms.ModelMultipleChoiceField(
        queryset=Party.objects.all(), label=_("Lists"), widget=forms.CheckboxSelectMultiple
    )
