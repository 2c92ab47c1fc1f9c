from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from stemnet.agenda.models import Theme
from stemnet.lending.models import Item, LabSession

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format=DATETIME_LOCAL)


def moment_field(label, **kwargs) -> forms.DateTimeField:
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


class CatalogueSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("All kinds")), *Item.Kind.choices]
    )
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    age = forms.IntegerField(label=_("Age"), required=False, min_value=3, max_value=99)
    start = moment_field(_("Available from"), required=False)
    end = moment_field(_("until"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        themes = [(t.slug, str(t)) for t in Theme.objects.all()]
        self.fields["theme"].choices = [("", _("All themes")), *themes]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if (start is None) != (end is None):
            raise ValidationError(_("Give both dates to see what is available, or neither."))
        if start and end and end <= start:
            self.add_error("end", _("The end must come after the start."))
        return data


class LoanRequestForm(forms.Form):
    borrower = forms.ModelChoiceField(label=_("Borrow for"), queryset=None, empty_label=None)
    quantity = forms.IntegerField(label=_("Number of units"), min_value=1, initial=1)
    start_at = moment_field(_("Pick-up"))
    end_at = moment_field(_("Return"))
    activity = forms.ModelChoiceField(
        label=_("For activity (optional)"),
        queryset=None,
        required=False,
        help_text=_("Link the loan to the activity it serves, so the hub sees its reach."),
    )
    note = forms.CharField(
        label=_("Note for the hub"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, borrowers, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["borrower"].queryset = borrowers
        self.fields["activity"].queryset = activities
        self.fields["quantity"].error_messages["min_value"] = _("Ask for at least one unit.")


class LinkActivityForm(forms.Form):
    activity = forms.ModelChoiceField(label=_("Activity"), queryset=None, required=False)

    def __init__(self, *args, activities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].queryset = activities


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ItemForm(forms.ModelForm):
    class Meta:
        model = Item
        fields = [
            "name",
            "kind",
            "description",
            "min_age",
            "max_age",
            "themes",
            "buffer_days",
            "is_active",
        ]
        widgets = {
            "themes": forms.CheckboxSelectMultiple,
            "description": forms.Textarea(attrs={"rows": 5}),
        }


class UnitForm(forms.Form):
    code = forms.CharField(label=_("Inventory code"), max_length=50)


class AccessoryForm(forms.Form):
    name = forms.CharField(label=_("Accessory"), max_length=200)
    quantity = forms.IntegerField(label=_("Quantity per unit"), min_value=1, initial=1)


class PhotoForm(forms.Form):
    image = forms.ImageField(label=_("Photo"))
    alt_text = forms.CharField(
        label=_("Description of the photo"),
        max_length=250,
        help_text=_("What the photo shows, for people who cannot see it."),
    )

    def clean_image(self):
        image = self.cleaned_data["image"]
        if image.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The photo is larger than 10 MB."))
        return image


class ManualForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(label=_("File (PDF)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than 10 MB."))
        if not upload.name.lower().endswith(".pdf") or upload.read(5) != b"%PDF-":
            raise ValidationError(_("Upload the manual as a PDF file."))
        upload.seek(0)
        return upload


class LabSessionForm(forms.ModelForm):
    starts_at = moment_field(_("Starts"))
    ends_at = moment_field(_("Ends"))

    class Meta:
        model = LabSession
        fields = ["lab", "kind", "title", "description", "starts_at", "ends_at", "capacity"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}


class LabBookingForm(forms.Form):
    places = forms.IntegerField(label=_("Places"), min_value=1, initial=1)
    organisation = forms.ModelChoiceField(
        label=_("For organisation"), queryset=None, required=False, empty_label=_("For myself")
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
