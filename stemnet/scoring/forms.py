from django import forms
from django.utils.translation import gettext_lazy as _


class DeclarationForm(forms.Form):
    NO_CONFLICT = "no_conflict"
    CONFLICT = "conflict"

    decision = forms.ChoiceField(
        label=_("Your declaration"),
        choices=[
            (NO_CONFLICT, _("I have no conflict of interest with this entry.")),
            (CONFLICT, _("I have a conflict of interest and recuse myself.")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose one of the two declarations.")},
    )
    statement = forms.CharField(
        label=_("Statement"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required when you recuse yourself: explain briefly why."),
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == self.CONFLICT and not (data.get("statement") or "").strip():
            self.add_error("statement", _("Explain briefly why you have a conflict of interest."))
        return data

    @property
    def has_conflict(self) -> bool:
        return self.cleaned_data["decision"] == self.CONFLICT


class ScoreForm(forms.Form):
    """One score (radio buttons within the panel's scale) and a comment per criterion."""

    def __init__(self, *args, panel, criteria, scores=None, **kwargs):
        initial = kwargs.pop("initial", {}) or {}
        for score in scores or []:
            initial[f"score_{score.criterion_id}"] = str(score.value)
            initial[f"comment_{score.criterion_id}"] = score.comment
        super().__init__(*args, initial=initial, **kwargs)
        self.criteria = list(criteria)
        choices = [(str(v), str(v)) for v in panel.scale_values]
        for criterion in self.criteria:
            self.fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=criterion.title,
                choices=choices,
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"comment_{criterion.pk}"] = forms.CharField(
                label=_("Comment on “%(criterion)s”") % {"criterion": criterion.title},
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def clean(self):
        data = super().clean()
        for criterion in self.criteria:
            value = data.get(f"score_{criterion.pk}")
            if (data.get(f"comment_{criterion.pk}") or "").strip() and value in (None, ""):
                self.add_error(
                    f"score_{criterion.pk}",
                    _("Choose a score to go with your comment on “%(criterion)s”.")
                    % {"criterion": criterion.title},
                )
        return data

    def rows(self):
        """(criterion, score field, comment field) per criterion, for the template."""
        return [(c, self[f"score_{c.pk}"], self[f"comment_{c.pk}"]) for c in self.criteria]

    def entered(self):
        """(criterion, value, comment) for every criterion with a chosen score."""
        out = []
        for criterion in self.criteria:
            value = self.cleaned_data.get(f"score_{criterion.pk}")
            if value in (None, ""):
                continue
            out.append((criterion, value, self.cleaned_data.get(f"comment_{criterion.pk}", "")))
        return out
