from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stemnet.participation.models import STAKEHOLDER_GROUPS, Consultation, Question


def add_errors(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: per field where the form has that field."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        help_text=_("The code on the screen or on your invitation, e.g. K7M2QX."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class JoinForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=100)
    group = forms.ChoiceField(
        label=_("Stakeholder group"),
        choices=[("", _("Choose…")), *STAKEHOLDER_GROUPS],
        help_text=_("The kind of organisation you speak for."),
    )


class IdeaForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Your idea"), widget=forms.Textarea(attrs={"rows": 5}))
    image = forms.ImageField(label=_("Image (optional)"), required=False)


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class AcceptForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text of the new version"), widget=forms.Textarea)


class HideForm(forms.Form):
    reason = forms.CharField(label=_("Reason for hiding"), widget=forms.Textarea(attrs={"rows": 2}))


class MergeForm(forms.Form):
    into = forms.TypedChoiceField(label=_("Merge into"), coerce=int)

    def __init__(self, *args, ideas=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].choices = [("", _("Choose…"))] + [(i.pk, i.title) for i in ideas]


class LinkForm(forms.Form):
    label = forms.CharField(
        label=_("What it became"),
        max_length=200,
        help_text=_("E.g. the priority of a funding call or a training topic."),
    )
    url = forms.URLField(label=_("Link"), assume_scheme="https")


class ConsultationForm(forms.ModelForm):
    themes = forms.CharField(
        label=_("Themes (one a line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The challenges participants post ideas for."),
    )

    class Meta:
        model = Consultation
        fields = [
            "title",
            "description",
            "access",
            "is_listed",
            "ideas_from",
            "ideas_until",
            "voting_from",
            "voting_until",
            "results_from",
        ]
        widgets = {
            name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
            for name in ["ideas_from", "ideas_until", "voting_from", "voting_until", "results_from"]
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["themes"]

    def _post_clean(self):
        # The service checks the phases and names the field; skip the model's constraints.
        pass


class SurveyForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    intro = forms.CharField(label=_("Introduction"), required=False, widget=forms.Textarea)
    opens_at = forms.DateTimeField(
        label=_("Opens at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    topics_question = forms.CharField(
        label=_("Question about training needs"),
        initial=_("Which trainings would your academy like?"),
        max_length=300,
    )
    topics = forms.CharField(
        label=_("Training topics to choose from (one a line)"),
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    open_question = forms.CharField(
        label=_("Open question (optional)"),
        required=False,
        max_length=300,
        initial=_("What else does your academy need?"),
    )

    def questions(self) -> list[dict]:
        data = self.cleaned_data
        questions = [
            {
                "text": data["topics_question"],
                "kind": Question.Kind.CHOICES,
                "options": data["topics"].splitlines(),
                "is_training_topic": True,
            }
        ]
        if data.get("open_question"):
            questions.append({"text": data["open_question"], "kind": Question.Kind.TEXT})
        return questions


class ResponseForm(forms.Form):
    """One field per question of the survey."""

    def __init__(self, *args, survey, initial_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        initial_answers = initial_answers or {}
        for question in survey.questions.all():
            name = f"q{question.pk}"
            if question.kind == Question.Kind.CHOICES:
                self.fields[name] = forms.MultipleChoiceField(
                    label=question.text,
                    required=False,
                    choices=[(o, o) for o in question.option_list()],
                    widget=forms.CheckboxSelectMultiple,
                )
            else:
                self.fields[name] = forms.CharField(
                    label=question.text, required=False, widget=forms.Textarea(attrs={"rows": 3})
                )
            self.fields[name].initial = initial_answers.get(str(question.pk))

    def answers(self) -> dict:
        return {int(name[1:]): value for name, value in self.cleaned_data.items()}
