from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.funding.models import Application, BudgetLine, Partner
from stemnet.organisations.models import Organisation
from stemnet.places.models import Municipality


class ApplicationForm(forms.ModelForm):
    municipalities = forms.ModelMultipleChoiceField(
        label=_("Municipalities to be reached"),
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Hold Ctrl (or Cmd) to choose several."),
    )
    activities = forms.ModelMultipleChoiceField(
        label=_("Activities in the agenda"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Activities of your organisation that are part of the plan."),
    )
    priorities = forms.MultipleChoiceField(
        label=_("Priorities served"),
        required=False,
        choices=(),
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Application
        fields = [
            "title",
            "plan",
            "motivation",
            "planned_activities_text",
            "requested_amount",
            "participants_forecast",
        ]
        widgets = {
            "plan": forms.Textarea(attrs={"rows": 6}),
            "motivation": forms.Textarea(attrs={"rows": 4}),
            "planned_activities_text": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipalities"].queryset = Municipality.objects.current().order_by("name_nl")
        self.fields["municipalities"].initial = list(
            self.instance.municipalities.values_list("pk", flat=True)
        )
        from stemnet.agenda.models import Activity

        activities = Activity.objects.of_organisation(self.instance.organisation).order_by("title")
        if activities.exists():
            self.fields["activities"].queryset = activities
            self.fields["activities"].initial = list(
                self.instance.activities.values_list("pk", flat=True)
            )
        else:
            del self.fields["activities"]
        priorities = self.instance.round.priorities or []
        if priorities:
            self.fields["priorities"].choices = [(p, p) for p in priorities]
            self.fields["priorities"].initial = self.instance.priorities
        else:
            del self.fields["priorities"]
        for name in ("title", "plan", "motivation", "planned_activities_text"):
            self.fields[name].required = False


class PartnerForm(forms.Form):
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), queryset=Organisation.objects.none()
    )
    role = forms.ChoiceField(label=_("Role"), choices=Partner.Role.choices)

    def __init__(self, *args, application=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organisation.objects.active().exclude(type=Organisation.Type.VLAIO)
        if application is not None:
            qs = qs.exclude(pk=application.organisation_id)
        self.fields["organisation"].queryset = qs.order_by("name")


class BudgetLineForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=BudgetLine.Category.choices)
    year_index = forms.IntegerField(label=_("Year"), min_value=1, max_value=10, initial=1)
    amount = forms.DecimalField(label=_("Amount (euro)"), min_value=0, decimal_places=2)
    cofinancing = forms.DecimalField(
        label=_("Own contribution (euro)"), min_value=0, decimal_places=2, initial=0
    )


class AttachmentForm(forms.Form):
    label = forms.ChoiceField(label=_("Which attachment"), choices=())
    file = forms.FileField(
        label=_("PDF file"),
        help_text=_("PDF only, at most 10 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, round=None, **kwargs):
        super().__init__(*args, **kwargs)
        labels = list((round.required_attachments or []) if round else [])
        self.fields["label"].choices = [(x, x) for x in labels] + [("other", _("Other"))]


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Your answer"), widget=forms.Textarea(attrs={"rows": 4}))


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the applicant"), widget=forms.Textarea(attrs={"rows": 3})
    )


class EligibilityForm(forms.Form):
    eligible = forms.TypedChoiceField(
        label=_("Eligible"),
        choices=[("1", _("eligible")), ("0", _("not eligible"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    recognised = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("approved / recognised")), ("0", _("not approved"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    amount = forms.DecimalField(
        label=_("Amount granted (euro)"), min_value=0, decimal_places=2, initial=0
    )
    reason = forms.CharField(
        label=_("Reasons"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class AssignForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("Reviewer"), choices=())

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].choices = [(str(u.pk), str(u)) for u in reviewers]


class ReportForm(forms.Form):
    achievements = forms.CharField(
        label=_("What was achieved"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    lessons = forms.CharField(
        label=_("Lessons learnt"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    next_steps = forms.CharField(
        label=_("Next steps"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ApplicationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All statuses"))] + list(Application.Status.choices),
    )
    q = forms.CharField(label=_("Applicant or title"), required=False, max_length=100)
