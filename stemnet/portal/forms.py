from django import forms
from django.utils.translation import gettext_lazy as _

HONEYPOT_FIELD = "website"


class ContactForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We only use it to answer you."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200)
    message = forms.CharField(
        label=_("Message"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("At most 5000 characters."),
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that STEMnet stores this message to answer it. It is deleted after 12 months."
        ),
        error_messages={
            "required": _("Tick this box so that we may store your message and answer it.")
        },
    )
    # Honeypot: invisible to people and screen readers, filled in by many spam robots.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_bot(self) -> bool:
        return bool((self.data.get(HONEYPOT_FIELD) or "").strip())
