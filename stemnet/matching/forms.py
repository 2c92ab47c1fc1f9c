from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.agenda.models import Theme
from stemnet.matching.models import CompanyRequest, Introduction

HONEYPOT_FIELD = "website"
AGES = {"min_value": 5, "max_value": 18}


class IntakeForm(forms.Form):
    company_name = forms.CharField(label=_("Company"), max_length=200)
    contact_name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail address"))
    phone = forms.CharField(label=_("Telephone"), max_length=40, required=False)
    kind = forms.ChoiceField(
        label=_("What do you ask or offer?"), choices=CompanyRequest.Kind.choices
    )
    description = forms.CharField(
        label=_("Tell us more"), max_length=5000, widget=forms.Textarea(attrs={"rows": 6})
    )
    postcode = forms.RegexField(
        label=_("Postcode of your company"),
        regex=r"^\d{4}$",
        error_messages={"invalid": _("A Belgian postcode has four digits.")},
    )
    radius_km = forms.IntegerField(
        label=_("How far may the academy be (km)?"),
        initial=25,
        min_value=1,
        max_value=300,
        error_messages={
            "min_value": _("Choose a distance of at least 1 km."),
            "max_value": _("Choose a distance of at most 300 km: that covers Flanders."),
        },
    )
    academies_wanted = forms.IntegerField(
        label=_("How many academies would you like to meet?"),
        initial=3,
        min_value=1,
        max_value=10,
        error_messages={
            "min_value": _("Ask for at least 1 academy."),
            "max_value": _("Ask for at most 10 academies."),
        },
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    min_age = forms.IntegerField(label=_("Youngest age"), required=False, **AGES)
    max_age = forms.IntegerField(label=_("Oldest age"), required=False, **AGES)
    availability = forms.CharField(
        label=_("When are you available?"), max_length=300, required=False
    )
    consent = forms.BooleanField(
        label=_("I agree that STEMnet stores this request to handle it."),
        error_messages={
            "required": _("Tick this box so that we may store and handle your request.")
        },
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())

    def clean(self):
        data = super().clean()
        low, high = data.get("min_age"), data.get("max_age")
        if low is not None and high is not None and low > high:
            self.add_error("max_age", _("The oldest age cannot be below the youngest."))
        return data

    def request_data(self) -> dict:
        d = self.cleaned_data
        keep = [
            "company_name",
            "contact_name",
            "email",
            "phone",
            "kind",
            "description",
            "postcode",
            "radius_km",
            "academies_wanted",
            "min_age",
            "max_age",
            "availability",
        ]
        return {k: d[k].strip() if isinstance(d[k], str) else d[k] for k in keep} | {
            "themes": list(d["themes"])
        }


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=CompanyRequest.Status.choices)
    reason = forms.CharField(
        label=_("Reason (when not retained)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        choices=[
            (Introduction.Answer.INTERESTED, _("Interested")),
            (Introduction.Answer.NOT_NOW, _("Not now")),
        ]
    )
