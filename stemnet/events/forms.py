"""Forms of the events module: they parse input; the services decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from stemnet.events.models import Event
from stemnet.events.services import Attendee


def _organisation_field(organisations, required: bool) -> forms.ModelChoiceField:
    return forms.ModelChoiceField(
        label=_("Register for organisation"),
        queryset=organisations,
        required=required,
        empty_label=_("Not for an organisation") if not required else None,
    )


class RegisterForm(forms.Form):
    def __init__(self, *args, event: Event, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"] = _organisation_field(organisations, required=False)
        self.fields["organisation"].initial = organisations.first()
        choosable = event.tracks.filter(capacity__isnull=False)
        if choosable:
            self.fields["tracks"] = forms.ModelMultipleChoiceField(
                label=_("Programme parts"),
                queryset=choosable,
                required=False,
                widget=forms.CheckboxSelectMultiple,
            )


class GroupForm(RegisterForm):
    people = forms.CharField(
        label=_("People (one per line: name, e-mail address)"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=20_000,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = True
        self.fields["organisation"].empty_label = None

    def clean_people(self) -> list[Attendee]:
        people, errors = [], []
        lines = [line.strip() for line in self.cleaned_data["people"].splitlines()]
        for number, line in enumerate((x for x in lines if x), start=1):
            name, _sep, email = line.rpartition(",")
            name, email = name.strip(), email.strip()
            try:
                validate_email(email)
            except ValidationError:
                errors.append(
                    _("Line %(n)s: “%(line)s” is not “name, e-mail address”.")
                    % {"n": number, "line": line[:80]}
                )
                continue
            people.append(Attendee(name or email, email))
        if errors:
            raise ValidationError(errors)
        if len(people) > 50:
            raise ValidationError(_("Register at most 50 people at once."))
        return people


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How useful was it? (1 = not, 5 = very)"),
        choices=[(i, str(i)) for i in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )
    learned = forms.CharField(
        label=_("What did we learn today?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
    )
    suggestion = forms.CharField(
        label=_("What could be better?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
    )


class NeedForm(forms.Form):
    topic = forms.CharField(label=_("Training topic"), max_length=200)
    description = forms.CharField(
        label=_("What is needed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )


class StandForm(forms.Form):
    def __init__(self, *args, partnerships, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["partnership"] = forms.ModelChoiceField(
            label=_("Partnership"), queryset=partnerships, empty_label=None
        )
        self.fields["note"] = forms.CharField(
            label=_("What you show"), max_length=300, required=False
        )
