"""Forms of the reach monitor: dashboard filters, the participation grid and uploads."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from stemnet.agenda.models import Activity, Theme
from stemnet.organisations.models import Organisation
from stemnet.places.models import Province

FIRST_YEAR = 2019
UPLOAD_EXTENSIONS = (".csv", ".xlsx")
MAX_UPLOAD_BYTES = 5 * 1024 * 1024


def year_choices() -> list[tuple[int, str]]:
    last = dt.date.today().year
    return [(year, str(year)) for year in range(last, FIRST_YEAR - 1, -1)]


def year_label(year) -> str:
    """``2026`` or ``2026 (incomplete)`` for a ``selectors.ReachYear``."""
    if year.complete:
        return str(year.year)
    return _("%(year)s (incomplete)") % {"year": year.year}


class DashboardFilterForm(forms.Form):
    """The dashboard's filters, read from the query string (a plain GET form)."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)
    partnership = forms.ModelChoiceField(
        label=_("Partnership"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("all partnerships"),
    )
    organisation = forms.ModelChoiceField(
        label=_("Academy"),
        queryset=Organisation.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("all academies"),
    )
    kind = forms.ChoiceField(label=_("Kind of activity"), required=False)
    theme = forms.ModelChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        empty_label=_("all themes"),
    )

    def __init__(self, data=None, *, public: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        from stemnet.reach.selectors import reach_year_choice

        self.year_choice = reach_year_choice()
        self.fields["year"].choices = [(y.year, year_label(y)) for y in self.year_choice.years]
        self.fields["year"].initial = self.year_choice.default.year
        self.fields["province"].choices = [("", _("Flanders and Brussels"))] + [
            (name, name)
            for name in Province.objects.order_by("name_nl").values_list("name_nl", flat=True)
        ]
        self.fields["partnership"].queryset = Organisation.objects.filter(
            type=Organisation.Type.PARTNERSHIP
        ).order_by("name")
        self.fields["organisation"].queryset = Organisation.objects.filter(
            type=Organisation.Type.ACADEMY
        ).order_by("name")
        self.fields["kind"].choices = [("", _("all kinds"))] + list(Activity.Kind.choices)
        if public:
            for name in ("province", "partnership", "organisation", "kind", "theme"):
                del self.fields[name]

    def filters(self) -> dict:
        """Keyword arguments for the selectors (only the filters that were set)."""
        data = self.cleaned_data if self.is_valid() else {}
        year = data.get("year") or self.year_choice.default.year
        filters: dict = {"year": year}
        for name in ("province", "partnership", "organisation", "kind", "theme"):
            value = data.get(name)
            if value:
                filters[name] = value
        return filters


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("File (CSV or Excel)"),
        help_text=_("A .csv file (separator ; or ,) or an .xlsx file, at most 5 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(UPLOAD_EXTENSIONS):
            raise forms.ValidationError(_("Upload a .csv or .xlsx file."))
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


# --- the participation grid -------------------------------------------------------------------

AGES = list(range(5, 19))
GENDERS = [("girls", _("Girls")), ("boys", _("Boys")), ("x", _("X"))]
RESIDENCE_ROWS = 6


def _count(label, **kwargs) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=100_000,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        **kwargs,
    )


class ParticipationGridForm(forms.Form):
    """One activity in one year: unique participants with their breakdowns as counts.

    STEMnet stores each breakdown (age, gender, target group, residence) as separate counts of
    the same participants, so the grid asks for exactly those: the total, then per age, per
    gender, per target group and per municipality of residence how many of them. What is not
    filled in is "not recorded". Attendances are entered per session.
    """

    participants = _count(
        _("Unique participants"),
        help_text=_("A child who came to several sessions of this activity counts once."),
    )

    def __init__(
        self, *args, target_groups=(), sessions=(), residence_rows=RESIDENCE_ROWS, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["participants"].required = True
        self.target_groups = list(target_groups)
        self.sessions = list(sessions)
        self.residence_rows = residence_rows
        for age in AGES:
            self.fields[f"age_{age}"] = _count(_("%(age)s years") % {"age": age})
        for name, label in GENDERS:
            self.fields[name] = _count(label)
        for group in self.target_groups:
            self.fields[f"group_{group.slug}"] = _count(group.name)
        for i in range(residence_rows):
            self.fields[f"residence_{i}"] = forms.CharField(
                label=_("Postcode or NIS code (row %(n)s)") % {"n": i + 1},
                max_length=5,
                required=False,
                widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
            )
            self.fields[f"residence_count_{i}"] = _count(
                _("Participants living there (row %(n)s)") % {"n": i + 1}
            )
        for session in self.sessions:
            self.fields[f"session_{session.pk}"] = _count(_("Attendances"))

    # bound fields grouped for the template
    def age_fields(self):
        return [self[f"age_{age}"] for age in AGES]

    def gender_fields(self):
        return [self[name] for name, _label in GENDERS]

    def group_fields(self):
        return [self[f"group_{g.slug}"] for g in self.target_groups]

    def residence_pairs(self):
        return [
            (i + 1, self[f"residence_{i}"], self[f"residence_count_{i}"])
            for i in range(self.residence_rows)
        ]

    def session_fields(self):
        return [(s, self[f"session_{s.pk}"]) for s in self.sessions]

    def clean(self):
        data = super().clean()
        total = data.get("participants")
        if total is None:
            return data
        checks = [
            ("age_5", [f"age_{a}" for a in AGES], _("the ages")),
            ("girls", [n for n, _label in GENDERS], _("girls, boys and x")),
        ]
        if self.target_groups:
            checks.append(
                (
                    f"group_{self.target_groups[0].slug}",
                    [f"group_{g.slug}" for g in self.target_groups],
                    _("the target groups"),
                )
            )
        checks.append(
            (
                "residence_count_0",
                [f"residence_count_{i}" for i in range(self.residence_rows)],
                _("the municipalities of residence"),
            )
        )
        for field, names, what in checks:
            given = sum(data.get(n) or 0 for n in names)
            if given > total:
                self.add_error(
                    field,
                    _("Together %(what)s add up to %(sum)s, more than the %(total)s participants.")
                    % {"what": what, "sum": given, "total": total},
                )
        for i in range(self.residence_rows):
            place = (data.get(f"residence_{i}") or "").strip()
            count = data.get(f"residence_count_{i}")
            if place and not count:
                self.add_error(f"residence_count_{i}", _("Enter how many participants live there."))
            if count and not place:
                self.add_error(f"residence_{i}", _("Enter a postcode or NIS code."))
        return data

    def rows(self) -> list[dict]:
        """The rows for ``services.participation_record``: groups of children sharing values.

        The service adds up rows; each breakdown is stored as its own totals. The counts of each
        breakdown are laid side by side over the same participants and cut where any of them
        changes, so every breakdown's totals come out exactly as entered and no child is
        counted twice.
        """
        data = self.cleaned_data
        total = data["participants"]
        if not total:
            return [{"participants": "0"}]
        dimensions = {
            "age": [(str(a), data.get(f"age_{a}") or 0) for a in AGES],
            "gender": [(n, data.get(n) or 0) for n, _label in GENDERS],
            "target_group": [
                (g.slug, data.get(f"group_{g.slug}") or 0) for g in self.target_groups
            ],
            "residence": [
                ((data.get(f"residence_{i}") or "").strip(), data.get(f"residence_count_{i}") or 0)
                for i in range(self.residence_rows)
            ],
        }
        spans: dict[str, list[tuple[int, int, str]]] = {}
        cuts = {0, total}
        for name, items in dimensions.items():
            start, out = 0, []
            for value, n in items:
                if n and value:
                    out.append((start, start + n, value))
                    start += n
                    cuts.add(start)
            spans[name] = out
        points = sorted(cuts)
        rows = []
        for low, high in zip(points, points[1:], strict=False):
            n = high - low
            row = {"participants": str(n)}
            for name, items in spans.items():
                value = next((v for a, b, v in items if a <= low < b), "")
                if name == "gender":
                    if value:
                        row[value] = str(n)
                else:
                    row[name] = value
            rows.append(row)
        return rows

    def session_attendances(self) -> dict[int, int] | None:
        given = {
            s.pk: self.cleaned_data.get(f"session_{s.pk}")
            for s in self.sessions
            if self.cleaned_data.get(f"session_{s.pk}") is not None
        }
        return given or None


def grid_initial(participation, target_groups) -> dict:
    """The grid as it was entered, from a stored participation (its breakdowns)."""
    if participation is None:
        return {}
    initial = {
        "participants": participation.participants,
        "girls": participation.girls or None,
        "boys": participation.boys or None,
        "x": participation.gender_x or None,
    }
    slugs = {g.pk: g.slug for g in target_groups}
    residence = 0
    for row in participation.breakdown.all():
        if row.dimension == "age":
            initial[f"age_{row.age}"] = row.count
        elif row.dimension == "target_group" and row.target_group_id in slugs:
            initial[f"group_{slugs[row.target_group_id]}"] = row.count
        elif row.dimension == "residence":
            initial[f"residence_{residence}"] = row.residence.nis_code
            initial[f"residence_count_{residence}"] = row.count
            residence += 1
    for attendance in participation.session_attendances.all():
        initial[f"session_{attendance.session_id}"] = attendance.attendances
    return initial


class SchoolReachForm(forms.Form):
    """A school's pupils in a year and how many of them took part (for "70% of all pupils")."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    pupils_total = forms.IntegerField(label=_("Pupils at the school"), min_value=0)
    pupils_reached = forms.IntegerField(label=_("Pupils who took part"), min_value=0)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()
