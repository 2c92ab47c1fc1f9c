"""Facet counts: per filter value, how many matches it would have with every *other* active
filter applied (``facets``), each the bits its bitmap shares with those matches."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.db import connection
from django.db.models import CharField, F, IntegerField, Value
from django.db.models.functions import Cast
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from stemnet.agenda.models import AccessibilityFeature, Activity, Domain, Theme
from stemnet.agenda.search.filters import BRUSSELS_VALUE, FLAGS, ActivityFilters
from stemnet.agenda.search.keys import FLAG_KEYS, value_key
from stemnet.agenda.search.match import Matched
from stemnet.places.models import Municipality, Province


@dataclass
class Facet:
    value: str
    label: str
    count: int
    selected: bool = False


def facets(filters: ActivityFilters, matched: Matched) -> dict[str, list[Facet]]:
    """Counts per filter value, each with every *other* active filter applied.

    ``matched`` is what ``match.match`` gives for these filters. Each count is the number of
    bits a value's bitmap shares with the matches of every other filter.
    """
    found = matched.keys
    english = (get_language() or "nl").startswith("en")
    terms = _vocabularies()
    scopes: dict[str, int] = {}

    def counter(name: str):
        if name not in scopes:
            scopes[name] = matched.without(name)
        scope = scopes[name]
        return lambda key: (scope & found[key]).bit_count() if key in found else 0

    out: dict[str, list[Facet]] = {}
    for name, choices in (("kind", Activity.Kind.choices), ("source", Activity.Source.choices)):
        selected = getattr(filters, name)
        count = counter(name)
        out[name] = [
            Facet(value, str(label), count(value_key(name, value)), value in selected)
            for value, label in choices
        ]

    for name in ("domain", "theme", "accessibility"):
        count = counter(name)
        out[name] = [
            Facet(
                slug,
                name_en if english else name_nl,
                count(value_key(name, bit)) if bit is not None else 0,
                slug in getattr(filters, name),
            )
            for _pk, slug, name_nl, name_en, bit in terms[name]
        ]

    count = counter("province")
    provinces = [(slug, name_nl) for _pk, slug, name_nl, _en, _bit in terms["province"]]
    provinces.append((BRUSSELS_VALUE, _("Brussels")))
    out["province"] = [
        Facet(value, name, count(value_key("province", value)), value in filters.province)
        for value, name in provinces
    ]

    count = counter("municipality")
    per_nis: dict[str, list] = {}
    for pk, nis, name, _en, _bit in terms["municipality"]:
        n = count(value_key("municipality", pk))
        if n:
            entry = per_nis.setdefault(nis, [name, 0])
            entry[1] += n
    out["municipality"] = [
        Facet(nis, name, n, nis in filters.municipality)
        for nis, (name, n) in sorted(per_nis.items(), key=lambda item: item[1][0])
    ]

    flag_labels = {
        "free": _("Free"),
        "uitpas": _("UiTPAS reduction"),
        "places_left": _("Places left"),
    }
    for name in FLAGS:
        total = counter(name)(FLAG_KEYS[name])
        out[name] = [Facet("1", flag_labels[name], total, getattr(filters, name))]
    return out


def _vocabularies() -> dict[str, list[tuple[str, str, str, str, int | None]]]:
    """Every term of the facet vocabularies, the provinces and the municipalities, in one
    UNION query.

    Gives {facet: [(pk as text, slug, Dutch name, English name, bit), ...]} in display order.
    """
    sql, params = _vocabulary_sql(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    out: dict[str, list] = {f: [] for f in ("domain", "theme", "accessibility", "province")}
    out["municipality"] = []
    for facet, key, code, name_nl, name_en, _rank, bit in sorted(
        rows,
        key=lambda r: (r[0], r[5], r[2] if r[0] in ("domain", "theme", "accessibility") else r[3]),
    ):
        out[facet].append((key, code, name_nl, name_en, bit))
    return out


@lru_cache(maxsize=2)
def _vocabulary_sql(vendor: str | None = None) -> tuple[str, tuple]:
    """The SQL of ``_vocabularies`` (built once per process and database vendor)."""

    def rows(model, name: str, slug: str, name_en: str, position, bit):
        return (
            model.objects.annotate(
                facet=Value(name, output_field=CharField()),
                key=Cast("pk", output_field=CharField()),
                code=F(slug),
                english=F(name_en),
                rank=position,
                index_bit=bit,
            )
            .values_list("facet", "key", "code", "name_nl", "english", "rank", "index_bit")
            .order_by()
        )

    query = rows(Domain, "domain", "slug", "name_en", F("position"), F("bit")).union(
        rows(Theme, "theme", "slug", "name_en", F("position"), F("bit")),
        rows(AccessibilityFeature, "accessibility", "slug", "name_en", F("position"), F("bit")),
        rows(Province, "province", "nis_code", "name_nl", Value(0), Value(None, IntegerField())),
        rows(
            Municipality,
            "municipality",
            "nis_code",
            "name_nl",
            Value(0),
            Value(None, IntegerField()),
        ),
        all=True,
    )
    sql, params = query.query.sql_with_params()
    return sql, tuple(params)
