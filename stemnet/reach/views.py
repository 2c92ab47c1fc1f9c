"""Pages of the reach monitor: VLAIO dashboard and exports, the public "STEM in cijfers" page,
the coordinator's view with participation entry and uploads, and the history upload.

Views parse input, check the permission (403 for logged-in users without it; anonymous
visitors go to the login page), call ``stemnet.reach.selectors`` / ``services`` and render.
Every number shown comes from the selectors (via ``exports.dashboard_figures`` where the
dashboard and the files share them); the views only lay them out (bar lengths, map colours).
"""

from __future__ import annotations

import base64
import json
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from stemnet.agenda.models import Activity
from stemnet.core.selectors import demo_data_loaded
from stemnet.lending import selectors as lending_selectors
from stemnet.organisations.models import Membership, Organisation
from stemnet.organisations.selectors import organisations_for_user
from stemnet.places.selectors import ATTRIBUTION
from stemnet.reach import disclosure, exports, importing, selectors, services
from stemnet.reach.forms import (
    RESIDENCE_ROWS,
    DashboardFilterForm,
    ParticipationGridForm,
    SchoolReachForm,
    UploadForm,
    grid_initial,
)
from stemnet.reach.models import AGE_BANDS, MERGER_YEAR, age_band_label

# Map colours, light to dark; index 0 is "not reached". Checked against the legend text.
MAP_COLOURS = ["#eef1f4", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]


# --- helpers ----------------------------------------------------------------------------------


def _require(request, perm: str, obj=None) -> None:
    """403 for a logged-in user without ``perm``; anonymous visitors are sent to log in."""
    if not request.user.is_authenticated:
        raise _LoginRequired
    if not request.user.has_perm(perm, obj):
        if perm == "reach.import_history":
            raise PermissionDenied(_("Only VLAIO staff can import reach history."))
        raise PermissionDenied(_("Only VLAIO staff can see the reach dashboard."))


class _LoginRequired(Exception):
    pass


def _login_or(view):
    """Send anonymous visitors to the login page (``_require`` raises for them)."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginRequired:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _number(value) -> str:
    return formats.number_format(value, use_l10n=True, force_grouping=True)


def _percent(share) -> str:
    if share is None:
        return "–"
    return formats.number_format(share * 100, decimal_pos=1, use_l10n=True) + " %"


def bar_chart(
    chart_id: str,
    title: str,
    rows: list[tuple[str, int]],
    *,
    desc: str = "",
    label_heading: str = "",
    value_heading: str = "",
    display=None,
) -> dict:
    """Geometry of a horizontal bar chart (rendered as inline SVG by ``reach/_chart.html``)."""
    label_width, plot_width, value_width, bar_height, gap = 150, 300, 90, 20, 8
    top = max((v or 0 for _label, v in rows), default=0) or 1
    bars = []
    for i, (label, value) in enumerate(rows):
        y = i * (bar_height + gap) + 4
        width = round(plot_width * max(value or 0, 0) / top, 1)
        bars.append(
            {
                "label": str(label),
                "value": value,
                "display": display(value) if display else _number(value),
                "y": y,
                "w": width,
                "text_y": y + bar_height * 0.72,
                "value_x": label_width + 10 + width + 6,
            }
        )
    if not desc:
        desc = "; ".join(f"{b['label']}: {b['display']}" for b in bars)
    return {
        "id": chart_id,
        "title": title,
        "desc": desc,
        "bars": bars if any(v for _label, v in rows) else [],
        "width": label_width + 10 + plot_width + value_width,
        "height": len(rows) * (bar_height + gap) + 8,
        "bar_height": bar_height,
        "label_x": label_width,
        "bar_x": label_width + 10,
        "label_heading": label_heading,
        "value_heading": value_heading or _("Participants"),
    }


def map_layer(municipalities: list[dict], *, small_cell: int | None = None) -> dict:
    """Colour classes of the municipalities: not reached, then four classes of participants.

    With ``small_cell`` (public pages) the labels show ``participants_display`` (from
    ``disclosure.public_areas``) and the first class spans at least 1 to small_cell - 1, so a
    colour never tells a hidden count."""
    reached = [m["participants"] for m in municipalities if m["reached"]]
    top = max(reached, default=0)
    step = max(math.ceil(top / 4), small_cell - 1 if small_cell else 1, 1)
    breaks = [step, 2 * step, 3 * step]
    values = {}
    for m in municipalities:
        if not m["reached"]:
            cls = 0
            label = _("not reached")
        else:
            cls = 1 + sum(1 for b in breaks if m["participants"] > b)
            shown = m["participants_display"] if small_cell else _number(m["participants"])
            label = _("reached, %(n)s participants") % {"n": shown}
            if small_cell and m.get("participants_hidden"):
                cls = 1  # a hidden count gets no colour of its own
        values[m["nis_code"]] = {"c": cls, "label": label}
    lows = [1, step + 1, 2 * step + 1, 3 * step + 1]
    highs = [step, 2 * step, 3 * step, max(top, 3 * step + 1)]
    legend = [{"colour": MAP_COLOURS[0], "label": _("not reached")}] + [
        {
            "colour": MAP_COLOURS[i + 1],
            "label": _("reached, %(low)s to %(high)s participants")
            % {"low": _number(0 if i == 0 else lows[i]), "high": _number(highs[i])},
        }
        for i in range(4)
    ]
    if small_cell:
        legend[1]["label"] = _("reached, up to %(high)s participants or hidden")
        legend[1]["label"] %= {"high": _number(highs[0])}
    return {
        "values": values,
        "legend": legend,
        "colours": MAP_COLOURS,
        "colours_json": json.dumps(MAP_COLOURS),
    }


def vintage_for(year: int) -> str:
    return selectors.vintage_for_year(year)


def _query(request, **changes) -> str:
    params = request.GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


def _charts(figures: dict) -> dict:
    titles = exports.breakdown_titles()
    charts = {}
    for by, items in figures["breakdowns"].items():
        charts[by] = bar_chart(
            f"chart-{by}",
            titles[by],
            [(item["label"], item["participants"]) for item in items],
            label_heading=_("Group"),
        )
    trend = figures["trend"]
    charts["trend_participants"] = bar_chart(
        "chart-trend-participants",
        _("Participants per year"),
        [(str(t["year"]), t["participants"]) for t in trend],
        label_heading=_("Year"),
    )
    charts["trend_reached"] = bar_chart(
        "chart-trend-reached",
        _("Flemish municipalities reached per year"),
        [(str(t["year"]), t["reached"]) for t in trend],
        label_heading=_("Year"),
        value_heading=_("Municipalities reached"),
    )
    return charts


def _white_spot_bands() -> list[tuple[str, str]]:
    return [
        (age_band_label(b), _("%(band)s years") % {"band": age_band_label(b)}) for b in AGE_BANDS
    ]


def _municipality_rows(figures: dict) -> list[dict]:
    """The rows of municipalities_reached with population_share's columns next to them."""
    population = {row["id"]: row for row in figures["population"]}
    rows = []
    for m in figures["municipalities"]:
        pop = population.get(m["id"], {})
        rows.append(
            {
                **m,
                "population_5_18": pop.get("population_5_18"),
                "share_display": _percent(pop.get("share")),
            }
        )
    return rows


# --- VLAIO dashboard --------------------------------------------------------------------------


@require_GET
@_login_or
def dashboard(request):
    """The VLAIO reach dashboard: filters, figures, map and table, charts, white spots."""
    _require(request, "reach.view_dashboard")
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    if "theme" in filters:
        filters["theme"] = filters["theme"].slug
    band = request.GET.get("age_band", "")
    bands = _white_spot_bands()
    if band not in {b for b, _label in bands}:
        band = ""
    figures = exports.dashboard_figures(filters, age_band=band)
    year = filters["year"]
    context = {
        "year_status": selectors.year_status(year),
        "form": form,
        "figures": figures,
        "summary": figures["summary"],
        "year": year,
        "vintage": vintage_for(year),
        "map": map_layer(figures["municipalities"]),
        "municipality_rows": _municipality_rows(figures),
        "school_rows": [
            {**s, "share_display": _percent(s["share"])} for s in figures["schools"]["schools"]
        ],
        "schools_share": _percent(figures["schools"]["share"]),
        "girls_share": _percent(figures["summary"]["girls_share"]),
        "population_loaded": any(
            row["population_5_18"] is not None for row in figures["population"]
        ),
        "charts": _charts(figures),
        "age_bands": bands,
        "age_band": band,
        "query": _query(request),
        "attribution": ATTRIBUTION,
        "merger_year": MERGER_YEAR,
    }
    template = "reach/reach_dashboard.html"
    if request.htmx and not request.htmx.boosted:
        template += "#results"
    return render(request, template, context)


def _export_filters(request) -> tuple[dict, str]:
    form = DashboardFilterForm(request.GET or None)
    filters = form.filters()
    if "theme" in filters:
        filters["theme"] = filters["theme"].slug
    band = request.GET.get("age_band", "")
    if band not in {b for b, _label in _white_spot_bands()}:
        band = ""
    return filters, band


def _filename(filters: dict, ext: str) -> str:
    parts = ["stemnet-bereik", str(filters["year"])]
    for name in ("province", "partnership", "organisation", "kind", "theme"):
        value = filters.get(name)
        if value:
            parts.append(str(getattr(value, "slug", value)).replace(" ", "-").lower())
    return "-".join(parts) + "." + ext


@require_GET
@_login_or
def export_xlsx(request):
    _require(request, "reach.view_dashboard")
    filters, band = _export_filters(request)
    figures = exports.dashboard_figures(filters, age_band=band)
    response = HttpResponse(
        exports.as_xlsx(figures),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{_filename(filters, "xlsx")}"'
    return response


@require_GET
@_login_or
def export_csv(request):
    _require(request, "reach.view_dashboard")
    filters, band = _export_filters(request)
    table = request.GET.get("table", "municipalities")
    if table not in exports.CSV_TABLES:
        raise Http404
    figures = exports.dashboard_figures(filters, age_band=band)
    response = HttpResponse(exports.as_csv(figures, table), content_type="text/csv; charset=utf-8")
    name = _filename(filters, "csv").replace(".csv", f"-{table}.csv")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- public page --------------------------------------------------------------------------------


# What each source of a participation row is, in the words of the public page.
_SOURCE_GROUPS = [
    ({"entry", "upload", "api"}, "recorded"),
    ({"history"}, "history"),
    ({"demo"}, "demo"),
]


def _provenance(year: int) -> dict:
    """The provenance sentences' facts, from the records (``selectors.figure_sources``):
    how many activity rows of ``year`` come from each kind of source, and which years hold
    history-import rows or demo rows. Nothing is claimed that the records do not show."""
    sources = selectors.figure_sources()
    rows = {key: 0 for _codes, key in _SOURCE_GROUPS}
    for source, n in sources.get(year, {}).items():
        for codes, key in _SOURCE_GROUPS:
            if source in codes:
                rows[key] += n
    return {
        "sources": rows,
        "history_years": sorted(y for y, s in sources.items() if s.get("history")),
        "demo_years": sorted(y for y, s in sources.items() if s.get("demo")),
        "demo_data": demo_data_loaded(),
    }


@require_GET
def public_figures(request):
    """STEM in cijfers: the headline figures and the map of a year, for everyone."""
    choice = selectors.reach_year_choice()
    chosen = choice.get(request.GET.get("year"))
    year = chosen.year
    # Public: counts of children under the small-cell limit are hidden (disclosure).
    limit = disclosure.threshold()
    summary = disclosure.public_summary(selectors.reach_summary(year=year), limit)
    provinces, municipalities = disclosure.public_areas(
        selectors.coverage_by_province(year=year),
        selectors.municipalities_reached(year=year),
        limit,
    )
    context = {
        "small_cell_note": disclosure.note(limit),
        **_provenance(year),
        "year": year,
        "years": choice.years,
        "year_status": chosen,
        "recording_days": settings.REACH_RECORDING_DAYS,
        "summary": summary,
        "provinces": provinces,
        "municipalities": municipalities,
        "map": map_layer(municipalities, small_cell=limit),
        "vintage": vintage_for(year),
        "attribution": ATTRIBUTION,
        "merger_year": MERGER_YEAR,
        "participants": disclosure.display(
            summary["participants"],
            "small" if "participants" in summary["suppressed"] else "",
            limit,
        ),
        "girls_share": _percent(summary["girls_share"]),
    }
    return render(request, "reach/reach_public.html", context)


# --- coordinator --------------------------------------------------------------------------------


def _coordinated(user):
    if user.is_superuser:
        return Organisation.objects.active().exclude(type=Organisation.Type.VLAIO).order_by("name")
    return organisations_for_user(user, role=Membership.Role.COORDINATOR)


def _my_organisation(request) -> tuple[Organisation | None, list[Organisation]]:
    organisations = list(_coordinated(request.user)[:200])
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug:
        organisation = get_object_or_404(Organisation, slug=slug)
        if not request.user.has_perm("reach.record_participation", organisation):
            raise PermissionDenied(_("You are not a coordinator of this organisation."))
        return organisation, organisations
    if not organisations:
        raise PermissionDenied(_("Only coordinators of an organisation can record participation."))
    return (organisations[0] if len(organisations) == 1 else None), organisations


@login_required
@require_GET
def coordinator(request):
    """A coordinator's view of their academy: activities with their participation and figures."""
    organisation, organisations = _my_organisation(request)
    if organisation is None:
        return render(request, "reach/reach_choose.html", {"organisations": organisations})
    if organisation.type == Organisation.Type.PARTNERSHIP:
        choice = selectors.reach_year_choice(partnership=organisation)
    else:
        choice = selectors.reach_year_choice(organisation=organisation)
    chosen = choice.get(request.GET.get("year"))
    year = chosen.year
    recorded = {}
    for p in selectors.participation_list(organisation=organisation):
        recorded.setdefault(p.activity_id, {})[p.year] = p
    activities = []
    for activity in selectors.activities_for_entry(organisation=organisation)[:200]:
        years = selectors.activity_years(activity)
        activities.append(
            {
                "activity": activity,
                "years": [
                    {"year": y, "participation": recorded.get(activity.pk, {}).get(y)}
                    for y in years
                ],
            }
        )
    history = [
        p for p in selectors.participation_list(organisation=organisation) if p.activity_id is None
    ][:100]
    region = None
    if organisation.type == Organisation.Type.PARTNERSHIP:
        # A partnership reports the reach of itself and its members in its region.
        summary = selectors.reach_summary(year=year, partnership=organisation)
        region = selectors.region_view(partnership=organisation, year=year)
    else:
        summary = selectors.reach_summary(year=year, organisation=organisation)
    context = {
        "organisation": organisation,
        "organisations": organisations,
        "activities": activities,
        "history": history,
        "summary": summary,
        "region": region,
        "year": year,
        "years": choice.years,
        "year_status": chosen,
        "org_query": urlencode({"organisation": organisation.slug}),
    }
    return render(request, "reach/reach_coordinator.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def participation_entry(request, pk: int):
    """The grid form: unique participants of one activity in one year and their breakdowns."""
    activity = get_object_or_404(Activity.objects.select_related("organiser"), pk=pk)
    if not request.user.has_perm("reach.record_participation", activity):
        raise PermissionDenied(_("You can only record participation for your own activities."))
    years = selectors.activity_years(activity)
    if not years:
        not_started = services.not_started_message(activity)
        if not_started is None:
            raise Http404(_("This activity has no sessions yet."))
        context = {"activity": activity, "not_started": not_started, "years": []}
        return render(request, "reach/participation_form.html", context)
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or years[-1])
    except ValueError:
        year = years[-1]
    if year not in years:
        year = years[-1]
    sessions = list(selectors.held_sessions(year).filter(activity=activity).order_by("starts_at"))
    groups = selectors.target_group_list()
    if not any(g.slug == "uitpas" for g in groups):
        uitpas = services.target_group_get("uitpas")
        groups = [uitpas, *groups] if uitpas else groups
    participation = selectors.participation_get(activity=activity, year=year)
    initial = grid_initial(participation, groups)
    existing_residences = sum(1 for key in initial if key.startswith("residence_count_"))
    rows = max(RESIDENCE_ROWS, existing_residences + 2)
    form_kwargs = {"target_groups": groups, "sessions": sessions, "residence_rows": rows}
    if request.method == "POST":
        form = ParticipationGridForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                services.participation_record(
                    activity=activity,
                    actor=request.user,
                    rows=form.rows(),
                    year=year,
                    session_attendances=form.session_attendances(),
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("The participation of “%(title)s” in %(year)s is saved.")
                    % {"title": activity.title, "year": year},
                )
                return redirect(
                    reverse("reach:coordinator")
                    + "?"
                    + urlencode({"organisation": activity.organiser.slug})
                )
    else:
        form = ParticipationGridForm(initial=initial, **form_kwargs)
    return render(
        request,
        "reach/participation_form.html",
        {
            "activity": activity,
            "form": form,
            "year": year,
            "years": years,
            "participation": participation,
            "ages": list(range(5, 19)),
            # Material from a STEMhub that served this activity ("kit X reached N children").
            "loans": lending_selectors.loans_of_activity(activity.pk),
        },
    )


def _add_service_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


@login_required
@require_http_methods(["GET", "POST"])
def participation_upload(request):
    """Upload participation of many activities at once (CSV or XLSX); every bad row shown."""
    organisation, organisations = _my_organisation(request)
    if organisation is None:
        return render(
            request, "reach/reach_choose.html", {"organisations": organisations, "upload": True}
        )
    result = None
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.participation_import(
                organisation=organisation, actor=request.user, file=form.cleaned_data["file"]
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            if result.ok:
                messages.success(
                    request,
                    " ".join(
                        [
                            _("The file is imported: %(created)s added, %(updated)s replaced.")
                            % {"created": result.created, "updated": result.updated},
                            *result.notes,
                        ]
                    ),
                )
                return redirect(
                    reverse("reach:coordinator")
                    + "?"
                    + urlencode({"organisation": organisation.slug})
                )
    return render(
        request,
        "reach/participation_upload.html",
        {
            "organisation": organisation,
            "form": form,
            "result": result,
            "columns": importing.PARTICIPATION_COLUMNS,
            "required": importing.PARTICIPATION_REQUIRED,
            "target_groups": selectors.target_group_list(),
            "org_query": urlencode({"organisation": organisation.slug}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def school_reach_entry(request):
    """A school's coordinator enters its pupils and how many took part in a year."""
    organisation, organisations = _my_organisation(request)
    if organisation is None:
        return render(request, "reach/reach_choose.html", {"organisations": organisations})
    if organisation.type != Organisation.Type.SCHOOL:
        raise Http404(_("Pupil counts are entered by schools."))
    form = SchoolReachForm(
        request.POST or None,
        initial={"year": selectors.reach_year_choice(organisation=organisation).default.year},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.school_reach_record(
                school=organisation,
                year=form.cleaned_data["year"],
                pupils_total=form.cleaned_data["pupils_total"],
                pupils_reached=form.cleaned_data["pupils_reached"],
                actor=request.user,
            )
        except ValidationError as error:
            _add_service_errors(form, error)
        else:
            messages.success(request, _("The pupil counts are saved."))
            return redirect(
                reverse("reach:coordinator") + "?" + urlencode({"organisation": organisation.slug})
            )
    return render(
        request,
        "reach/school_reach_form.html",
        {
            "organisation": organisation,
            "form": form,
            "org_query": urlencode({"organisation": organisation.slug}),
        },
    )


@login_required
@require_GET
def participation_template(request, fmt: str):
    """The upload template (header row and an example row) as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    _my_organisation(request)
    content = importing.template_csv()
    if fmt == "csv":
        response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    else:
        lines = content.decode("utf-8").splitlines()
        response = HttpResponse(
            exports.participation_template_xlsx(lines[0].split(","), lines[1].split(",")),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="stemnet-deelname.{fmt}"'
    return response


HISTORY_SESSION_KEY = "reach_history_upload"


@require_http_methods(["GET", "POST"])
@_login_or
def history_upload(request):
    """VLAIO staff: import reach of the years before the platform, in two steps: upload shows
    a preview (bad rows, organisations matched or to be created, rows added or replaced) and
    nothing is written until the preview is confirmed (as the command's ``--confirm``)."""
    _require(request, "reach.import_history")
    form = UploadForm()
    preview = None
    confirm_error = ""
    if request.method == "POST" and request.POST.get("confirm"):
        stored = request.session.get(HISTORY_SESSION_KEY)
        if not stored:
            messages.error(request, _("The previewed file is no longer there; upload it again."))
            return redirect("reach:history_upload")
        file = (stored["name"], base64.b64decode(stored["content"]))
        try:
            result = services.reach_history_import(
                file=file, actor=request.user, expected=request.POST.get("digest", "")
            )
        except ValidationError as error:
            confirm_error = " ".join(error.messages)
            preview = services.reach_history_preview(file=file, actor=request.user)
        else:
            del request.session[HISTORY_SESSION_KEY]
            messages.success(request, _history_done(result))
            return redirect("reach:history_upload")
    elif request.method == "POST":
        form = UploadForm(request.POST, request.FILES)
        if form.is_valid():
            name, content = importing.file_content(form.cleaned_data["file"])
            try:
                preview = services.reach_history_preview(file=(name, content), actor=request.user)
            except ValidationError as error:
                _add_service_errors(form, error)
            else:
                if preview.ok:
                    request.session[HISTORY_SESSION_KEY] = {
                        "name": name,
                        "content": base64.b64encode(content).decode("ascii"),
                    }
    return render(
        request,
        "reach/history_upload.html",
        {
            "form": form,
            "preview": preview,
            "confirm_error": confirm_error,
            "result": preview,  # bad rows, shown by reach/_row_errors.html
            "columns": importing.HISTORY_COLUMNS,
        },
    )


def _history_done(result) -> str:
    text = _("The history is imported: %(created)s rows added, %(updated)s replaced.") % {
        "created": result.created,
        "updated": result.updated,
    }
    if result.organisations_created:
        text += " " + _("New organisations: %(names)s.") % {
            "names": ", ".join(result.organisations_created)
        }
    return " ".join([text, *result.notes])
