"""Forms of meetings: they parse and say what is wrong and where; the services decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DateTimeInput

from .attachments import MAX_ATTACHMENT_BYTES
from .models import AgendaItem, Attendance, Vote
from .services import ProposalAction

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M", "%d-%m-%Y %H:%M"]


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts at"), input_formats=DATETIME_FORMATS, widget=DateTimeInput()
    )
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class MeetingMoveForm(MeetingForm):
    reason = forms.CharField(
        label=_("Reason for moving the meeting to less than 7 days away"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Needed only when a meeting whose agenda is published moves to another day less than 7 days away; it is shown on the agenda."
        ),
    )


class ItemForm(forms.ModelForm):
    class Meta:
        model = AgendaItem
        fields = ["title", "kind", "recommendation", "case_text", "closed"]
        widgets = {
            "recommendation": forms.Textarea(attrs={"rows": 3}),
            "case_text": forms.Textarea(attrs={"rows": 8}),
        }


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Attachment"),
        help_text=_("PDF or office document, at most %(mb)s MB.")
        % {"mb": MAX_ATTACHMENT_BYTES // (1024 * 1024)},
    )


class PublishForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for publishing later than 7 days before the meeting"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when the 7-day deadline has passed; it is shown on the agenda."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason for the change"), widget=forms.Textarea(attrs={"rows": 3}))


class ProposalForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=250)
    description = forms.CharField(
        label=_("What should the KKR consider, and why?"), widget=forms.Textarea(attrs={"rows": 6})
    )


class ProposalDecisionForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (ProposalAction.PLACE, _("Place on this agenda")),
            (ProposalAction.ACCEPT, _("Accept for a later meeting")),
            (ProposalAction.DECLINE, _("Decline")),
        ],
    )
    reason = forms.CharField(label=_("Reason (required when declining)"), required=False)

    def __init__(self, *args, can_place: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_place:
            # A meeting that has begun takes no new items: only a later meeting or a refusal.
            field = self.fields["action"]
            field.choices = [c for c in field.choices if c[0] != ProposalAction.PLACE]


class AttachmentRemoveForm(forms.Form):
    reason = forms.CharField(label=_("Reason for removing"), max_length=300, required=False)


class AbsenceForm(forms.Form):
    note = forms.CharField(label=_("Note to the secretariat (optional)"), max_length=300, required=False)


class AttendanceRegisterForm(forms.Form):
    """The whole attendance register as one form (issue 16): a status per seat, `seat-<number>`.
    It only parses; which status a seat allows is for the service (rules.attendance_problem).
    The page draws the radio buttons itself from `rows` (one template pass for 60 seats)."""

    def __init__(self, *args, rows=(), initial_statuses=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        initial_statuses = initial_statuses or {}
        for row in self.rows:
            number = row["seat"].number
            self.fields[f"seat-{number}"] = forms.ChoiceField(
                label=row["seat"].holder.name,
                choices=Attendance.Status.choices,
                required=False,
                initial=initial_statuses.get(number),
            )

    def statuses(self) -> dict[int, str]:
        """The chosen status per seat number; rows left without a choice are not registered."""
        return {int(name.removeprefix("seat-")): value for name, value in self.cleaned_data.items() if value}

    def chosen(self) -> dict[int, str | None]:
        """The status each row shows: what was posted, else where the row starts from."""
        if self.is_bound:
            return {row["seat"].number: self.data.get(f"seat-{row['seat'].number}") for row in self.rows}
        return {row["seat"].number: self.fields[f"seat-{row['seat'].number}"].initial for row in self.rows}


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    role = forms.CharField(
        label=_("Role"),
        max_length=200,
        help_text=_("E.g. member of KL's board or of a KL committee (Bilag 1 1.4)."),
    )


class ExtraordinaryRequestForm(forms.Form):
    topic = forms.CharField(label=_("What should the extraordinary meeting deal with?"), max_length=250)


class VoteForm(forms.Form):
    """A vote by count, or by name with one choice per seat present."""

    mode = forms.ChoiceField(
        label=_("How was the vote taken?"),
        choices=[("count", _("By count")), ("name", _("By name"))],
        widget=forms.RadioSelect,
        initial="count",
    )
    yes = forms.IntegerField(label=_("Yes"), min_value=0, required=False)
    no = forms.IntegerField(label=_("No"), min_value=0, required=False)
    abstain = forms.IntegerField(label=_("Abstain"), min_value=0, required=False)
    leader_vote = forms.ChoiceField(
        label=_("The meeting leader voted"),
        choices=[("", _("Did not vote")), *Vote.LeaderVote.choices],
        required=False,
    )

    def __init__(self, *args, present=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.present = list(present)
        for row in self.present:
            self.fields[f"ballot_{row.seat_id}"] = forms.ChoiceField(
                label=row.attendee.name,
                choices=[("", "–"), *Vote.LeaderVote.choices],
                required=False,
            )

    def ballots(self) -> dict[int, str] | None:
        if self.cleaned_data["mode"] != "name":
            return None
        return {
            row.seat_id: self.cleaned_data[f"ballot_{row.seat_id}"]
            for row in self.present
            if self.cleaned_data.get(f"ballot_{row.seat_id}")
        }

    def ballot_fields(self):
        return [self[f"ballot_{row.seat_id}"] for row in self.present]


class MinutesForm(forms.Form):
    """One decision text per agenda item."""

    def __init__(self, *args, items=(), decisions=None, **kwargs):
        super().__init__(*args, **kwargs)
        decisions = decisions or {}
        for item in items:
            self.fields[f"decision_{item.pk}"] = forms.CharField(
                # The item's heading above shows its title; the label names the field.
                label=_("Decision on item %(n)s") % {"n": item.order},
                required=False,
                initial=decisions.get(item.pk, ""),
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    def texts(self) -> dict[int, str]:
        return {int(name.removeprefix("decision_")): value for name, value in self.cleaned_data.items()}
