"""The public agenda: the search page, an activity's page and their iCalendar files."""

import json

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from stemnet.agenda import ical, search, selectors
from stemnet.agenda.models import AccessibilityFeature, Activity, Domain, Theme
from stemnet.agenda.search import ActivityFilters, Facet
from stemnet.places import selectors as places
from stemnet.places.models import BRUSSELS, Province

MAP_PAGE_SIZE = 100
FEED_LIMIT = 500
TEXT_FIELDS = (
    "q",
    "postcode",
    "radius_km",
    "age",
    "age_min",
    "age_max",
    "when",
    "date_from",
    "date_to",
    "max_price",
    "sort",
)
FIELD_ERROR_IDS = {
    "q": "f-q-error",
    "age": "f-age-error",
    "postcode": "f-postcode-error",
    "radius_km": "f-radius-error",
    "when": "f-when-error",
    "age_min": "f-age-min-error",
    "age_max": "f-age-max-error",
    "date_from": "f-date-from-error",
    "date_to": "f-date-to-error",
    "max_price": "f-max-price-error",
    "municipality": "f-municipality-error",
    "sort": "f-sort-error",
}
GROUPS = ("kind", "domain", "theme", "province", "accessibility", "source")
MORE_FILTERS = (
    "kind",
    "domain",
    "province",
    "free",
    "uitpas",
    "places_left",
    "theme",
    "accessibility",
    "source",
    "age_min",
    "age_max",
    "date_from",
    "date_to",
    "max_price",
    "municipality",
)


def _group_legends() -> dict[str, str]:
    return {
        "kind": _("Kind of activity"),
        "domain": _("STEM domain"),
        "theme": _("Theme"),
        "province": _("Province"),
        "accessibility": _("Accessibility and inclusion"),
        "source": _("Source"),
    }


def _page_number(raw) -> int:
    try:
        return max(1, min(int(raw), search.MAX_PAGE))
    except (TypeError, ValueError):
        return 1


def _blank_facets(data: QueryDict) -> dict[str, list[Facet]]:
    """Filter options without counts, for a search that could not run (bad input)."""
    out: dict[str, list[Facet]] = {
        "kind": [
            Facet(v, str(label), None, v in data.getlist("kind"))
            for v, label in Activity.Kind.choices
        ],
        "source": [
            Facet(v, str(label), None, v in data.getlist("source"))
            for v, label in Activity.Source.choices
        ],
    }
    vocabularies = (("domain", Domain), ("theme", Theme), ("accessibility", AccessibilityFeature))
    for name, model in vocabularies:
        out[name] = [
            Facet(t.slug, t.name, None, t.slug in data.getlist(name)) for t in model.objects.all()
        ]

    provinces = [(p.pk, p.name_nl) for p in Province.objects.order_by("name_nl")]
    provinces.append((BRUSSELS, _("Brussels")))
    out["province"] = [
        Facet(pk, name, None, pk in data.getlist("province")) for pk, name in provinces
    ]
    out["municipality"] = []
    for name in search.FLAGS:
        out[name] = [Facet("1", "", None, (data.get(name) or "") in ("1", "true", "on"))]
    return out


def _municipality_name(code: str) -> str:
    """A chosen municipality without matches keeps its name in the select (not its code)."""
    found = places.municipality_get(code) if code.isdigit() else None
    return found.name_nl if found else code


def _page_url(request, data: QueryDict, page: int) -> str:
    query = data.copy()
    query.pop("page", None)
    if page > 1:
        query["page"] = str(page)
    return f"{request.path}?{query.urlencode()}" if query else request.path


def _query(data: QueryDict, *drop: str) -> str:
    query = data.copy()
    for key in ("page", *drop):
        query.pop(key, None)
    return query.urlencode()


def _widen(filters: ActivityFilters, data: QueryDict) -> list[tuple[str, str]]:
    """Links that each drop one active filter (or enlarge the radius), for the empty state."""
    base = reverse("agenda:activity_list")
    names = {
        "q": _("without the search words"),
        "age": _("for every age"),
        "when": _("on any date"),
        "date_from": _("on any date"),
        "kind": _("of any kind"),
        "domain": _("in every STEM domain"),
        "theme": _("with any theme"),
        "province": _("in every province"),
        "municipality": _("in every municipality"),
        "accessibility": _("without accessibility requirements"),
        "free": _("also paying activities"),
        "max_price": _("at any price"),
        "uitpas": _("also without UiTPAS reduction"),
        "places_left": _("also fully booked activities"),
        "source": _("from every source"),
    }
    links: list[tuple[str, str]] = []
    if filters.radius_km and filters.radius_km < 50:
        bigger = next(r for r in search.PAGE_RADII if r > filters.radius_km)
        query = filters.to_query()
        query["radius_km"] = str(bigger)
        links.append((_("within %(km)s km") % {"km": bigger}, f"{base}?{query.urlencode()}"))
    elif filters.radius_km:
        links.append((_("at any distance"), f"{base}?{_drop(filters, 'radius_km')}"))
    seen = set()
    for name, label in names.items():
        value = getattr(filters, name)
        if value in (None, "", False, []) or label in seen:
            continue
        seen.add(label)
        links.append((label, f"{base}?{filters.without(name).to_query().urlencode()}"))
    return links


def _drop(filters: ActivityFilters, name: str) -> str:
    query = filters.to_query()
    query.pop(name, None)
    return query.urlencode()


@require_GET
def activity_list(request):
    data = request.GET
    view = "map" if data.get("view") == "map" else "list"
    page = _page_number(data.get("page"))
    errors: dict[str, list[str]] = {}
    result = None
    filters = None
    try:
        filters = ActivityFilters.parse(data)
    except ValidationError as error:
        errors = error.message_dict
    if filters is not None:
        result = search.run(
            filters, page=page, page_size=MAP_PAGE_SIZE if view == "map" else search.PAGE_SIZE
        )
        facets = result.facets
        if page > result.num_pages:
            # Past the last page (an old link, a shrunken search): go to the last one, so
            # the address and the page say the same ("Page 56 of 56", never "57 of 56").
            return redirect(_page_url(request, data, result.num_pages))
    else:
        facets = _blank_facets(data)

    present = {option.value for option in facets["municipality"]}
    facets["municipality"] += [
        Facet(code, _municipality_name(code), 0, True)
        for code in data.getlist("municipality")
        if code not in present
    ]
    legends = _group_legends()
    groups = [{"name": name, "legend": legends[name], "options": facets[name]} for name in GROUPS]
    context = {
        "raw": {name: data.get(name, "") for name in TEXT_FIELDS},
        "groups": {g["name"]: g for g in groups},
        "flags": [(name, facets[name][0]) for name in search.FLAGS],
        "municipalities": facets["municipality"],
        # "every municipality" is marked selected when no other option is, so the select
        # swapped in after a search never has to pick an option itself.
        "municipality_chosen": any(option.selected for option in facets["municipality"]),
        "radii": search.PAGE_RADII,
        "when_choices": search.when_choices(),
        "sorts": [
            ("", _("Best match or date")),
            ("relevance", _("Best match")),
            ("date", _("Date")),
            ("distance", _("Distance")),
        ],
        "errors": errors,
        "error_list": [
            (_error_labels().get(name, name), messages) for name, messages in errors.items()
        ],
        "result": result,
        "filters": filters,
        "view": view,
        "query": _query(data),
        "query_without_view": _query(data, "view"),
        "feed_query": _query(data, "view", "sort"),
        "more_open": any(data.get(name) for name in MORE_FILTERS),
        "widen": _widen(filters, data) if result is not None and not result.count else [],
        "markers": _markers(result) if result is not None and view == "map" else [],
        "feed_limit": FEED_LIMIT,
    }
    template = "agenda/activity_list.html"
    status = 400 if errors else 200
    if request.htmx and not request.htmx.boosted:
        # Only the results; facet counts, field errors and the municipality options follow
        # as out-of-band swaps, so the form (and what is being typed in it) stays put.
        template += "#results"
        context["oob"] = True
        context["field_errors"] = [
            (dom_id, errors.get(name, [])) for name, dom_id in FIELD_ERROR_IDS.items()
        ]
        status = 200  # HTMX swaps only 2xx answers; the errors are in the content
    return render(request, template, context, status=status)


def _error_labels() -> dict[str, str]:
    return {
        "q": _("Search words"),
        "age": _("Age of the child"),
        "age_min": _("Minimum age"),
        "age_max": _("Maximum age"),
        "when": _("When"),
        "date_from": _("From"),
        "date_to": _("Until"),
        "kind": _("Kind of activity"),
        "domain": _("STEM domain"),
        "theme": _("Theme"),
        "province": _("Province"),
        "municipality": _("Municipality"),
        "accessibility": _("Accessibility and inclusion"),
        "source": _("Source"),
        "postcode": _("Postcode"),
        "radius_km": _("Distance"),
        "free": _("Free"),
        "max_price": _("Maximum price"),
        "uitpas": _("UiTPAS"),
        "places_left": _("Places left"),
        "sort": _("Sort by"),
    }


def _markers(result) -> list[dict]:
    return [
        {
            "lat": a.lat,
            "lon": a.lon,
            "title": a.title,
            "url": a.get_absolute_url(),
            "place": a.municipality.name_nl,
            "when": timezone.localtime(a.next_session).strftime("%d/%m/%Y %H:%M")
            if a.next_session
            else "",
        }
        for a in result.results
    ]


@require_GET
def activity_detail(request, pk: int, slug: str = ""):
    activity = selectors.activity_get_public(pk)
    if slug != activity.slug:
        return redirect(activity, permanent=True)
    now = timezone.now()
    sessions = list(activity.sessions.all())
    upcoming = [s for s in sessions if s.ends_at >= now]
    past = [s for s in sessions if s.ends_at < now]
    context = {
        "activity": activity,
        "upcoming": upcoming,
        "past": past,
        "json_ld": _json_ld(request, activity, upcoming or sessions),
        "markers": [
            {
                "lat": activity.lat,
                "lon": activity.lon,
                "title": activity.venue_name or activity.title,
                "place": activity.municipality.name_nl,
            }
        ],
        "is_uit": activity.source == Activity.Source.UIT,
    }
    return render(request, "agenda/activity_detail.html", context)


def _json_ld(request, activity: Activity, sessions: list) -> str:
    """schema.org Event of the activity (the first upcoming session; the others as subEvent)."""
    url = request.build_absolute_uri(activity.get_absolute_url())
    status = (
        "https://schema.org/EventCancelled"
        if activity.status == Activity.Status.CANCELLED
        else "https://schema.org/EventScheduled"
    )
    location = {
        "@type": "Place",
        "name": activity.venue_name or activity.municipality.name_nl,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": activity.street,
            "postalCode": activity.postcode,
            "addressLocality": activity.municipality.name_nl,
            "addressCountry": "BE",
        },
        "geo": {"@type": "GeoCoordinates", "latitude": activity.lat, "longitude": activity.lon},
    }
    organiser = {
        "@type": "Organization",
        "name": activity.organiser.name,
        "url": request.build_absolute_uri(activity.organiser.get_absolute_url()),
    }
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": activity.title,
        "description": activity.description,
        "url": url,
        "eventStatus": status,
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": location,
        "organizer": organiser,
        "typicalAgeRange": f"{activity.age_min}-{activity.age_max}",
        "offers": {
            "@type": "Offer",
            "price": str(activity.price),
            "priceCurrency": "EUR",
            "url": activity.booking_url or url,
            "availability": "https://schema.org/SoldOut"
            if activity.places_left == 0
            else "https://schema.org/InStock",
        },
    }
    if activity.image:
        data["image"] = request.build_absolute_uri(activity.image.url)
    if sessions:
        first = sessions[0]
        data["startDate"] = timezone.localtime(first.starts_at).isoformat()
        data["endDate"] = timezone.localtime(first.ends_at).isoformat()
        if len(sessions) > 1:
            data["subEvent"] = [
                {
                    "@type": "Event",
                    "name": activity.title,
                    "startDate": timezone.localtime(s.starts_at).isoformat(),
                    "endDate": timezone.localtime(s.ends_at).isoformat(),
                    "eventStatus": status,
                    "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
                    "location": location,
                }
                for s in sessions[1:50]
            ]
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    # Never let the text close the script element.
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(text)  # noqa: S308


def _ics_response(body: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_GET
def activity_ical(request, pk: int):
    activity = selectors.activity_get_public(pk)
    base = request.build_absolute_uri("/").rstrip("/")
    return _ics_response(ical.activity_calendar(activity, base_url=base), f"{activity.slug}.ics")


@require_GET
def search_ical(request):
    try:
        filters = ActivityFilters.parse(request.GET)
    except ValidationError as error:
        return HttpResponse(
            "\n".join(error.messages), status=400, content_type="text/plain; charset=utf-8"
        )
    found = search.run(filters, page_size=FEED_LIMIT, facets=False, calendar=True)
    activities, total = found.results, found.count
    base = request.build_absolute_uri("/").rstrip("/")
    name = _("STEM agenda")
    if filters.q:
        name = f"{name}: {filters.q}"
    description = ""
    if total > len(activities):
        # Say so in the calendar itself (apps show its description) and in the headers.
        query = _query(request.GET)
        search_url = base + reverse("agenda:activity_list") + (f"?{query}" if query else "")
        description = _(
            "The %(shown)s soonest of the %(total)s activities of this search. Narrow the "
            "search (age, place, kind, dates) to get every one: %(url)s"
        ) % {
            "shown": number_format(len(activities), force_grouping=True),
            "total": number_format(total, force_grouping=True),
            "url": search_url,
        }
    body = ical.search_calendar(activities, base_url=base, name=name, description=description)
    response = _ics_response(body, "stem-agenda.ics")
    response["X-Total-Count"] = str(total)
    response["X-Feed-Activities"] = str(len(activities))
    return response
