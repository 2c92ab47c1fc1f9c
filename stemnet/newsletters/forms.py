from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.agenda.models import AGE_MAX, AGE_MIN
from stemnet.newsletters import selectors
from stemnet.newsletters.models import Block, Frequency, Issue

AGE_CHOICES = [(str(a), str(a)) for a in range(AGE_MIN, AGE_MAX + 1)]
RADIUS_CHOICES = [("", _("any distance"))] + [
    (str(r), _("within %(km)s km") % {"km": r}) for r in selectors.DIGEST_RADII
]


class PreferencesForm(forms.Form):
    """A parent's preferences: where, how far, the children's ages, themes, how often."""

    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        required=False,
        help_text=_("We show activities near this postcode. Leave empty for all of Flanders."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
    )
    radius_km = forms.TypedChoiceField(
        label=_("Distance"), choices=RADIUS_CHOICES, required=False, coerce=int, empty_value=None
    )
    ages = forms.TypedMultipleChoiceField(
        label=_("Ages of your children"),
        help_text=_("Only ages: we do not ask for names or dates of birth."),
        choices=AGE_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, initial=Frequency.EVERY_ISSUE
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = selectors.theme_choices()

    def clean_postcode(self) -> str:
        from stemnet.places.selectors import postcode_exists

        value = self.cleaned_data["postcode"].strip()
        if value and (not re.fullmatch(r"\d{4}", value) or not postcode_exists(value)):
            raise forms.ValidationError(
                _("Unknown postcode “%(value)s”. Enter a Belgian postcode of four digits."),
                params={"value": value},
            )
        return value

    def clean(self):
        data = super().clean()
        if data.get("radius_km") and not data.get("postcode"):
            self.add_error("postcode", _("Give a postcode to get activities within a distance."))
        return data


class SignUpForm(PreferencesForm):
    field_order = ["email", "postcode", "radius_km", "ages", "themes", "frequency", "consent"]

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={"invalid": _("Enter a valid e-mail address, like name@example.org.")},
    )
    consent = forms.BooleanField(
        label=_(
            "I want to receive the STEMnet newsletter for parents with activities that match "
            "these preferences. I can unsubscribe at any time with the link in every mail."
        ),
        error_messages={"required": _("Tick the box to agree to receive the newsletter.")},
    )


class IssueForm(forms.ModelForm):
    segment_provinces = forms.MultipleChoiceField(
        label=_("Only subscribers in these provinces"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    segment_ages = forms.TypedMultipleChoiceField(
        label=_("Only parents of children of these ages"),
        choices=AGE_CHOICES,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    segment_themes = forms.MultipleChoiceField(
        label=_("Only parents interested in these themes"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Issue
        fields = [
            "audience",
            "subject",
            "intro",
            "include_digest",
            "segment_provinces",
            "segment_ages",
            "segment_themes",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["segment_provinces"].choices = selectors.province_choices()
        self.fields["segment_themes"].choices = selectors.theme_choices()
        if self.instance.pk:
            self.fields["audience"].disabled = True


class BlockForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, assume_scheme="https", max_length=200)
    activities = forms.CharField(
        label=_("Activities (numbers from the agenda, separated by commas)"),
        required=False,
        max_length=200,
    )

    class Meta:
        model = Block
        fields = ["kind", "title", "text", "image", "alt_text", "url", "starts_on", "place"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"})}

    def clean_activities(self) -> list[int]:
        raw = self.cleaned_data["activities"]
        parts = [p.strip() for p in raw.split(",") if p.strip()]
        if not all(p.isdigit() for p in parts):
            raise forms.ValidationError(_("Give the activities' numbers, like 12, 40."))
        return [int(p) for p in parts][:12]

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == Block.Kind.IMAGE:
            if not data.get("image"):
                self.add_error("image", _("Choose an image."))
            if not (data.get("alt_text") or "").strip():
                self.add_error("alt_text", _("Describe the image for readers who cannot see it."))
        elif kind == Block.Kind.ACTIVITIES and not data.get("activities"):
            self.add_error("activities", _("Give at least one activity."))
        elif kind in (Block.Kind.TEXT, Block.Kind.NEWS) and not (data.get("text") or "").strip():
            self.add_error("text", _("Write the text of this block."))
        elif kind == Block.Kind.EVENT and not (data.get("title") and data.get("starts_on")):
            self.add_error("title", _("Give the event's name and date."))
        return data


class PreviewForm(PreferencesForm):
    """How the issue looks for one segment: a preference set, and the language."""

    language = forms.ChoiceField(
        label=_("Language"), choices=[("nl", _("Dutch")), ("en", _("English"))], required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["frequency"].required = False
