from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from stemnet.accounts.models import User

# Each language in its own name, so everyone can find theirs.
LANGUAGE_NAMES = {"nl": "Nederlands", "en": "English"}


class ProfileForm(forms.Form):
    """Name and preferred language; a plain form so the service does the writing."""

    name = forms.CharField(
        label=_("Name"),
        max_length=User._meta.get_field("name").max_length,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    language = forms.ChoiceField(
        label=_("Preferred language"),
        choices=[],
        help_text=_("STEMnet and its e-mails use this language after you log in."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = [
            (code, LANGUAGE_NAMES.get(code, name)) for code, name in settings.LANGUAGES
        ]


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your current password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, user, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(
                _("That is not your current password."), code="wrong_password"
            )
        return password
