from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.organisations.models import Organisation
from stemnet.stempact.models import Action, Aspect, Cohort, Programme, Respondent, Trajectory

NOT_APPLICABLE = "na"


class CohortCreateForm(forms.Form):
    programme = forms.ModelChoiceField(
        label=_("Programme"), queryset=Programme.objects.all(), required=False
    )
    new_programme = forms.CharField(label=_("or a new programme"), max_length=200, required=False)
    title = forms.CharField(label=_("Cohort"), max_length=100, help_text=_("e.g. 2025-2026"))
    max_schools = forms.IntegerField(label=_("Number of places"), min_value=1, initial=20)
    scale_min = forms.IntegerField(label=_("Lowest answer"), initial=1)
    scale_max = forms.IntegerField(label=_("Highest answer"), initial=5)

    def clean(self):
        data = super().clean()
        if not data.get("programme") and not (data.get("new_programme") or "").strip():
            self.add_error("programme", _("Choose a programme or name a new one."))
        return data


class CohortUpdateForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["intake_open", "scale_min", "scale_max", "story"]
        widgets = {"story": forms.Textarea(attrs={"rows": 4})}


class ApplyForm(forms.ModelForm):
    school = forms.ModelChoiceField(label=_("School"), queryset=Organisation.objects.none())

    class Meta:
        model = Trajectory
        fields = [
            "institution_number",
            "level",
            "finality_transfer",
            "finality_dual",
            "finality_labour",
            "motivation",
        ]
        widgets = {"motivation": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args, schools, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools
        self.order_fields(["school"])


class DecideForm(forms.Form):
    selected = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("select")), ("0", _("do not select"))],
        coerce=lambda v: v == "1",
    )
    note = forms.CharField(label=_("Reason (for the school)"), required=False, max_length=2000)


class QuestionnaireForm(forms.Form):
    items = forms.CharField(
        label=_("Statements (one per line)"),
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            'Respondents rate each statement on the cohort\'s scale or answer "not applicable". '
            "Once answers exist, a change becomes a new version; old answers keep theirs."
        ),
    )


class MeasurementForm(forms.Form):
    closes_at = forms.DateTimeField(
        label=_("Links work until"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
    )


class InviteForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    email = forms.CharField(label=_("E-mail address"), max_length=254)
    role = forms.ChoiceField(label=_("Role"), choices=Respondent.Role.choices)


class ActionForm(forms.ModelForm):
    class Meta:
        model = Action
        fields = [
            "aspect",
            "title",
            "owner",
            "due_on",
            "status",
            "progress",
            "company_contribution",
        ]
        widgets = {
            "due_on": forms.DateInput(attrs={"type": "date"}),
            "company_contribution": forms.Textarea(attrs={"rows": 2}),
        }


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), max_length=5000
    )


class NetworkForm(forms.Form):
    title = forms.CharField(label=_("Theme"), max_length=200)
    held_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    place = forms.CharField(label=_("Place"), max_length=200, required=False)


def survey_form(cohort: Cohort, questionnaires, data=None) -> forms.Form:
    """One radio group per statement: the cohort's scale and "not applicable"."""
    choices = [(str(v), str(v)) for v in cohort.scale_values] + [
        (NOT_APPLICABLE, _("not applicable"))
    ]
    fields = {}
    for questionnaire in questionnaires:
        for item in questionnaire.items.all():
            field = forms.ChoiceField(
                label=item.text, choices=choices, widget=forms.RadioSelect, required=False
            )
            field.aspect = Aspect(questionnaire.aspect).label
            fields[f"item_{item.pk}"] = field
    form_class = type("SurveyForm", (forms.Form,), fields)
    return form_class(data)


def survey_answers(form: forms.Form) -> dict[int, int | None]:
    """item id → value (None: not applicable); unanswered items are left out."""
    answers: dict[int, int | None] = {}
    for name in form.fields:
        raw = form.data.get(name, "")
        if not raw:
            continue
        item_id = int(name.removeprefix("item_"))
        if raw == NOT_APPLICABLE:
            answers[item_id] = None
        else:
            try:
                answers[item_id] = int(raw)
            except ValueError:
                answers[item_id] = -1  # outside every scale: the service names it
    return answers


ASPECT_CHOICES = Aspect.choices
