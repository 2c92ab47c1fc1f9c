"""Reads for the public pages: key figures, published news and the vendored libraries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from stemnet.organisations.models import Organisation
from stemnet.places.models import Municipality
from stemnet.portal.models import ContactMessage, NewsArticle


@dataclass(frozen=True)
class KeyFigures:
    academies: int
    municipalities_with_academy: int
    municipalities_total: int
    partnerships: int


def key_figures() -> KeyFigures:
    """Figures for the home page, computed from the directory.

    A municipality counts when an active academy has its address there or serves it. An
    address or served municipality of the 2019-2024 set counts as the 2025 one it became.
    """
    academies = Organisation.objects.active().academies()
    served = Organisation.municipalities_served.through.objects.filter(
        organisation__in=academies.values("pk")
    )
    place_ids = Municipality.objects.filter(
        Q(pk__in=academies.exclude(municipality=None).values("municipality_id"))
        | Q(pk__in=served.values("municipality_id"))
    ).values("pk")
    current = Municipality.objects.current()
    with_academy = (
        current.filter(Q(pk__in=place_ids) | Q(predecessors__pk__in=place_ids)).distinct().count()
    )
    return KeyFigures(
        academies=academies.count(),
        municipalities_with_academy=with_academy,
        municipalities_total=current.count(),
        partnerships=Organisation.objects.active().partnerships().count(),
    )


def news_list(*, limit: int | None = None) -> QuerySet[NewsArticle]:
    """Published articles, newest first."""
    qs = NewsArticle.objects.published().order_by("-publish_at", "-id")
    return qs[:limit] if limit else qs


def news_get(slug: str) -> NewsArticle:
    """One published article; Http404 for unknown, scheduled or unpublished ones."""
    try:
        return NewsArticle.objects.published().select_related("author").get(slug=slug)
    except NewsArticle.DoesNotExist:
        raise Http404(_("There is no news article at this address.")) from None


@dataclass(frozen=True)
class VendoredLibrary:
    file: str
    package: str
    version: str
    licence: str


VERSIONS_FILE = Path(settings.BASE_DIR) / "stemnet" / "static" / "vendor" / "VERSIONS.md"
_ROW = re.compile(r"^\|\s*`?([^|`]+?)`?\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|")


def vendored_libraries(path: Path = VERSIONS_FILE) -> list[VendoredLibrary]:
    """The rows of static/vendor/VERSIONS.md, so the sources page never drifts from it."""
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line.strip())
        if not match or match.group(1).strip() in {"file", "---"} or set(match.group(1)) <= {"-"}:
            continue
        file, package, version, licence = (g.replace("`", "").strip() for g in match.groups())
        rows.append(VendoredLibrary(file=file, package=package, version=version, licence=licence))
    return rows


def contact_messages_of_person(user) -> list[dict]:
    """Contact messages sent from the person's e-mail address, for the export of their data.

    The contact form needs no account, so messages are matched on the e-mail address.
    """
    email = getattr(user, "email", "") or ""
    if not email:
        return []
    return [
        {
            "name": m.name,
            "email": m.email,
            "subject": m.subject,
            "message": m.message,
            "language": m.language,
            "received": m.created_at,
            "handled": m.handled,
        }
        for m in ContactMessage.objects.filter(email__iexact=email).order_by("created_at", "pk")
    ]
