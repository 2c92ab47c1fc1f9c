from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from stemnet.organisations import selectors
from stemnet.organisations.models import Membership, Organisation, PartnershipMember
from stemnet.places.models import Municipality
from stemnet.places.selectors import postcode_exists

LOGO_MAX_BYTES = 2 * 1024 * 1024


class OrganisationSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    type = forms.MultipleChoiceField(
        label=_("Type"),
        required=False,
        choices=Organisation.Type.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False)
    postcode = forms.CharField(
        label=_("Postcode"),
        required=False,
        max_length=10,
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "postal-code",
                "aria-describedby": "postcode-help",
            }
        ),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("All municipalities"))] + (
            selectors.municipality_choices()
        )

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not (
            postcode.isdigit() and len(postcode) == 4 and postcode_exists(postcode)
        ):
            raise selectors.unknown_postcode_error(postcode).error_dict["postcode"][0]
        return postcode

    def search_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "q": data.get("q", ""),
            "types": data.get("type", []),
            "municipality_nis": data.get("municipality", ""),
            "postcode": data.get("postcode", ""),
        }


def _formfield(model_field, **kwargs):
    if isinstance(model_field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return model_field.formfield(**kwargs)


class OrganisationForm(forms.ModelForm):
    municipalities_served = forms.ModelMultipleChoiceField(
        label=_("Municipalities served"),
        required=False,
        queryset=Municipality.objects.current().order_by("name_nl"),
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_(
            "The municipalities where you run activities besides your own. "
            "Hold Ctrl (or Cmd) to choose several."
        ),
    )

    class Meta:
        model = Organisation
        formfield_callback = _formfield
        fields = [
            "name",
            "description",
            "street",
            "postcode",
            "municipalities_served",
            "website",
            "email",
            "phone",
            "contact_name",
            "logo",
            "logo_alt",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 6}),
            "postcode": forms.TextInput(
                attrs={"inputmode": "numeric", "autocomplete": "postal-code"}
            ),
            "phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        }
        help_texts = {
            "postcode": _("The municipality follows from the postcode."),
            "logo": _("An image (PNG, JPEG or WebP) of at most 2 MB."),
            "logo_alt": _("What the logo shows, for people who cannot see it."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name"].required = True
        if self.instance.municipality_id:
            self.fields["postcode"].help_text = _(
                "The municipality follows from the postcode (now: %(municipality)s)."
            ) % {"municipality": self.instance.municipality}

    def clean_postcode(self):
        postcode = self.cleaned_data["postcode"].strip()
        if postcode and not (
            postcode.isdigit() and len(postcode) == 4 and postcode_exists(postcode)
        ):
            raise selectors.unknown_postcode_error(postcode).error_dict["postcode"][0]
        return postcode

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and getattr(logo, "size", 0) > LOGO_MAX_BYTES and hasattr(logo, "content_type"):
            raise forms.ValidationError(
                _("The logo is %(size).1f MB; it may be at most 2 MB."),
                params={"size": logo.size / (1024 * 1024)},
                code="logo_too_large",
            )
        return logo

    def _post_clean(self):
        # The service validates and writes; the form must not change the instance itself,
        # so a refused change leaves the organisation (and the page title) as it was.
        pass


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={"invalid": _("Enter a valid e-mail address, such as name@example.org.")},
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (Membership.Role.MEMBER, Membership.Role.MEMBER.label),
            (Membership.Role.COORDINATOR, Membership.Role.COORDINATOR.label),
        ],
        initial=Membership.Role.MEMBER,
    )


class MembershipRoleForm(forms.Form):
    """Coordinators hand out the roles member and coordinator; other roles stay as they are."""

    role = forms.ChoiceField(label=_("Role"))

    def __init__(self, *args, current_role: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        allowed = {Membership.Role.COORDINATOR, Membership.Role.MEMBER}
        if current_role:
            allowed.add(current_role)
        self.fields["role"].choices = [
            (v, lbl) for v, lbl in Membership.Role.choices if v in allowed
        ]


class PartnershipMemberForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Organisation"), queryset=Organisation.objects.none())
    role = forms.ChoiceField(
        label=_("Role in the partnership"), choices=PartnershipMember.Role.choices
    )

    def __init__(self, *args, partnership: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = selectors.partner_candidates(partnership)
