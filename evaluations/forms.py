from django import forms
from django.core.exceptions import ValidationError
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from appointments.models import Council
from core.forms import DateInput

from .models import Affiliation, Option, Question, Survey
from .rules import Given


class SurveyCreateForm(forms.Form):
    template = forms.ModelChoiceField(
        label=_("Copy from template"),
        queryset=Survey.objects.none(),
        required=False,
        empty_label=_("(empty survey)"),
    )
    council = forms.ModelChoiceField(label=_("KKR"), queryset=Council.objects.none())
    period_start = forms.IntegerField(label=_("Electoral period from (year)"), min_value=2000, max_value=2100)
    period_end = forms.IntegerField(label=_("Electoral period to (year)"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("Title"), max_length=200, required=False)

    def __init__(self, *args, templates, councils, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["template"].queryset = templates
        self.fields["council"].queryset = councils

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end <= start:
            self.add_error("period_end", _("The period must end after it starts."))
        if not data.get("template") and not data.get("title"):
            self.add_error("title", _("Give an empty survey a title."))
        return data


class SurveyTextForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(
        label=_("Introduction"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Shown to the respondents above the questions."),
    )
    one_section_per_page = forms.BooleanField(
        label=_("One section per page"),
        required=False,
        help_text=_("Respondents answer one section at a time, with Next and Previous; each step saves."),
    )


class SectionForm(forms.Form):
    title = forms.CharField(label=_("Section title"), max_length=200)
    audience = forms.ChoiceField(
        label=_("Only for"),
        choices=[("", _("Everyone"))] + list(Affiliation.choices),
        required=False,
        help_text=_("E.g. part 2 of the 2018-2022 survey is for KKR members only."),
    )
    intro = forms.CharField(label=_("Introduction"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class AnswersFields(forms.Form):
    """The kind of a question and its answers: a ready-made scale or one's own answers."""

    kind = forms.ChoiceField(label=_("Kind"), choices=Question.Kind.choices)
    scale = forms.ChoiceField(
        label=_("Scale"),
        choices=Question.Scale.choices,
        required=False,
        help_text=_("A ready-made scale for single choice; or write your own answers below."),
    )
    options = forms.CharField(
        label=_("Own answers, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
    other = forms.BooleanField(label=_("Add 'Andet - uddyb' (asks for text)"), required=False)

    def clean(self):
        data = super().clean()
        kind, scale = data.get("kind"), data.get("scale")
        labels = [line.strip() for line in (data.get("options") or "").splitlines() if line.strip()]
        if kind == Question.Kind.TEXT and (scale or labels or data.get("other")):
            raise ValidationError(_("A free-text question has no scale or answers."))
        if scale and kind != Question.Kind.SINGLE:
            self.add_error("scale", _("The ready-made scales are single choice."))
        if kind != Question.Kind.TEXT and not scale and not labels:
            self.add_error("options", _("Write the answers, one per line, or choose a scale."))
        if len(set(labels)) != len(labels):
            self.add_error("options", _("Each answer only once."))
        data["labels"] = labels
        return data


class QuestionForm(AnswersFields):
    section = forms.ChoiceField(label=_("Section"))
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    required = forms.BooleanField(label=_("Required"), required=False)
    help_text = forms.CharField(label=_("Help text"), max_length=200, required=False)
    follow_up_for = forms.ChoiceField(
        label=_("Follow-up shown only for the answer"),
        required=False,
        help_text=_("E.g. a free text 'Uddyb gerne' shown only to those who answered 'Ja'."),
    )
    field_order = [
        "section",
        "text",
        "kind",
        "scale",
        "options",
        "other",
        "required",
        "help_text",
        "follow_up_for",
    ]

    def __init__(self, *args, sections, choice_options, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["section"].choices = [(s.pk, s.title) for s in sections]
        self.fields["follow_up_for"].choices = [("", _("(always shown)"))] + [
            (o.pk, f"{o.question.text[:60]} → {o.label}") for o in choice_options
        ]
        self._options = {str(o.pk): o for o in choice_options}

    def clean(self):
        data = super().clean()
        data["shown_for"] = shown_for = self._options.get(data.get("follow_up_for") or "")
        if shown_for is not None and str(shown_for.question.section_id) != str(data.get("section")):
            self.add_error("follow_up_for", _("A follow-up goes in the same section as its question."))
        return data


class QuestionKindForm(AnswersFields):
    """Change a question's kind and answers in place (while the survey is a draft)."""

    @classmethod
    def initial_for(cls, question) -> dict:
        own = [o.label for o in question.options.all() if not o.asks_text] if not question.scale else []
        return {
            "kind": question.kind,
            "scale": question.scale,
            "options": "\n".join(own),
            "other": any(o.asks_text for o in question.options.all()),
        }


class QuestionEditForm(forms.Form):
    text = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    help_text = forms.CharField(label=_("Help text"), max_length=200, required=False)
    required = forms.BooleanField(label=_("Required"), required=False)


DATE_HINT = _("Day, month, year: dd.mm.yyyy, e.g. 31.01.2027.")


class DatesForm(forms.Form):
    opens_on = forms.DateField(label=_("Opens"), widget=DateInput(), help_text=DATE_HINT)
    closes_on = forms.DateField(
        label=_("Closes"),
        widget=DateInput(),
        help_text=format_lazy(
            "{} {}",
            DATE_HINT,
            _(
                "The last day answers are taken: on or after the opening day, today at the earliest. "
                "The links stop working after this day. To stop the answers at once, use “Close now”."
            ),
        ),
    )
    reminder_1 = forms.DateField(
        label=_("Reminder 1"), required=False, widget=DateInput(), help_text=DATE_HINT
    )
    reminder_2 = forms.DateField(
        label=_("Reminder 2"), required=False, widget=DateInput(), help_text=DATE_HINT
    )
    reminder_3 = forms.DateField(
        label=_("Reminder 3"), required=False, widget=DateInput(), help_text=DATE_HINT
    )

    def reminders(self):
        return [d for d in (self.cleaned_data.get(f"reminder_{i}") for i in (1, 2, 3)) if d]


class InviteForm(forms.Form):
    affiliations = forms.MultipleChoiceField(
        label=_("Invite from the register"),
        choices=Affiliation.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Affiliation.values),
    )


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", "up"), ("down", "down")])


def follow_up_options(survey):
    """Options that can trigger a follow-up: answers of the survey's choice questions."""
    return list(
        Option.objects.filter(question__section__survey=survey, question__parent__isnull=True)
        .exclude(question__kind=Question.Kind.TEXT)
        .select_related("question")
        .order_by("question__section__position", "question__position", "position")
    )


def answers_from_post(post, questions) -> dict:
    """The respondent form's fields as rules.Given per question id: ``q<id>`` holds the chosen
    option(s), ``q<id>-text`` the free text or the text of 'Andet - uddyb'."""
    answers = {}
    for question in questions:
        chosen = []
        for value in post.getlist(f"q{question.pk}"):
            try:
                chosen.append(int(value))
            except ValueError:
                continue
        text = post.get(f"q{question.pk}-text", "")[:5000]
        given = Given(options=chosen, text=text)
        if not given.empty:
            answers[question.pk] = given
    return answers
