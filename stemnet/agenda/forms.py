"""Forms of the coordinator side. They parse input; the services validate and write."""

from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stemnet.agenda.models import AccessibilityFeature, Activity, ApiToken, Domain, Theme
from stemnet.agenda.services import MAX_WEEKS
from stemnet.agenda.session_window import session_window_error

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def local_datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        widget=DateTimeLocalInput(),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"],
        help_text=kwargs.pop("help_text", _("Date and time in Belgium, e.g. 2026-12-02 14:00.")),
        **kwargs,
    )


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (else above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class ActivityForm(forms.ModelForm):
    """Create or edit an activity. Place: postcode gives municipality and point."""

    domains = forms.ModelMultipleChoiceField(
        label=_("STEM domains"),
        queryset=Domain.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        label=_("Themes"),
        queryset=Theme.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    accessibility = forms.ModelMultipleChoiceField(
        label=_("Accessibility and inclusion"),
        queryset=AccessibilityFeature.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    booking_url = forms.URLField(
        label=_("Booking link"), required=False, assume_scheme="https", max_length=200
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        required=False,
        help_text=_("Leave venue, street and postcode empty to use your organisation's address."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "description",
            "kind",
            "domains",
            "themes",
            "age_min",
            "age_max",
            "venue_name",
            "street",
            "postcode",
            "price",
            "price_reduced",
            "capacity",
            "places_left",
            "accessibility",
            "subsidised",
            "booking_url",
            "booking_email",
            "image",
            "image_alt",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "age_min": forms.NumberInput(attrs={"min": 5, "max": 18}),
            "age_max": forms.NumberInput(attrs={"min": 5, "max": 18}),
            "price": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
            "price_reduced": forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
        }

    def clean_postcode(self) -> str:
        value = (self.cleaned_data.get("postcode") or "").strip()
        if value and not re.fullmatch(r"\d{4}", value):
            raise ValidationError(_("A Belgian postcode has four digits, for example 2800."))
        return value

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("image") and not (cleaned.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Describe the image for people who cannot see it."))
        return cleaned

    def _post_clean(self) -> None:
        # The model is validated by the service (activity_validate), the one source of truth.
        pass

    def add_all_errors(self, *, organisation, instance=None) -> None:
        """On an invalid form, also show the service's checks that involve several fields
        (ages, prices, places, place) for the values that were valid, so that every error
        appears on the first submit instead of one batch per submit."""
        import copy

        from stemnet.agenda.services import activity_validate

        data = {k: v for k, v in self.to_data().items() if k not in self.errors}
        data.pop("image", None)
        try:
            activity_validate(
                organisation=organisation,
                data=data,
                instance=copy.copy(instance) if instance is not None else None,
            )
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, messages)

    def to_data(self) -> dict:
        data = dict(self.cleaned_data)
        if data.get("image") is False:  # "clear" ticked
            data["image"] = ""
        elif not data.get("image"):
            data.pop("image", None)
        return data


class SessionForm(forms.Form):
    starts_at = local_datetime_field(_("Starts"))
    ends_at = local_datetime_field(_("Ends"))

    def clean(self):
        cleaned = super().clean()
        s, e = cleaned.get("starts_at"), cleaned.get("ends_at")
        if s and e and e <= s:
            self.add_error("ends_at", _("A session must end after it starts."))
        elif s and e and (outside := session_window_error(s, e)):
            self.add_error("starts_at", outside)
        return cleaned


def parse_dates(text: str) -> list[dt.date]:
    """Dates separated by commas, semicolons or new lines: 2026-11-04 or 4/11/2026."""
    found = []
    for part in re.split(r"[,;\n]+", text or ""):
        part = part.strip()
        if not part:
            continue
        for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
            try:
                found.append(dt.datetime.strptime(part, fmt).date())
                break
            except ValueError:
                continue
        else:
            raise ValidationError(
                _("“%(value)s” is not a date. Write dates like 2026-11-04 or 4/11/2026."),
                params={"value": part},
            )
    return found


class WeeklySessionsForm(forms.Form):
    first_start = local_datetime_field(_("First session starts"))
    first_end = local_datetime_field(
        _("First session ends"), help_text=_("Every session lasts as long as the first one.")
    )
    weeks = forms.IntegerField(
        label=_("Number of weeks"), min_value=1, max_value=MAX_WEEKS, initial=10
    )
    skip_dates = forms.CharField(
        label=_("Skip these dates"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example school holidays: 2026-11-04, 2026-12-30 (one per line or comma)."),
    )

    def clean_skip_dates(self) -> list[dt.date]:
        return parse_dates(self.cleaned_data.get("skip_dates", ""))

    def clean(self):
        cleaned = super().clean()
        s, e = cleaned.get("first_start"), cleaned.get("first_end")
        if s and e and e <= s:
            self.add_error("first_end", _("A session must end after it starts."))
        if s and e and (e - s) > dt.timedelta(days=1):
            self.add_error("first_end", _("A weekly session lasts at most one day."))
        elif s and e and e > s and (outside := session_window_error(s, e)):
            self.add_error("first_start", outside)
        return cleaned


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Parents see this reason on the activity."),
    )


class DuplicateForm(forms.Form):
    shift_weeks = forms.IntegerField(
        label=_("Copy the sessions, this many weeks later"),
        required=False,
        min_value=0,
        max_value=104,
        help_text=_("Leave empty to copy the activity without sessions (52 = one year later)."),
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or Excel file"),
        help_text=_("A .csv or .xlsx file of at most 5 MB with the columns of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        name = (upload.name or "").lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise ValidationError(
                _("Upload a .csv or .xlsx file; “%(name)s” is neither."),
                params={"name": upload.name},
            )
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(
                _("The file is %(size)s MB; the limit is 5 MB. Split it into smaller files."),
                params={"size": f"{upload.size / 1024 / 1024:.1f}"},
            )
        return upload


class ImportConfirmForm(forms.Form):
    MODE_CHOICES = [("all", _("Import all rows")), ("valid", _("Import only the valid rows"))]
    mode = forms.ChoiceField(choices=MODE_CHOICES)


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What uses this token, e.g. “our website”."),
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=ApiToken.Scope.choices,
        initial=list(ApiToken.Scope.values),
        widget=forms.CheckboxSelectMultiple,
    )
    valid_days = forms.TypedChoiceField(
        label=_("Valid for"),
        coerce=int,
        choices=[(30, _("30 days")), (90, _("90 days")), (180, _("180 days")), (365, _("1 year"))],
        initial=365,
        help_text=_("After this, the token stops working; make a new one."),
    )

    def __init__(self, *args, organisation, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = ApiToken.scopes_for(organisation)
        field = self.fields["scopes"]
        field.choices = [(v, label) for v, label in ApiToken.Scope.choices if v in allowed]
        field.initial = allowed
