"""The preview of a reach history import: which organisations the file's names match, which
would be created, how many rows would be added or replaced. Reads only;
``services.reach_history_import`` writes, and only what a preview showed.

Names are matched to existing organisations in this order (academies first, then the oldest):

1. ``exact``: the same name in any case (``STEM-academie Mechelen`` = ``stem-academie mechelen``);
2. ``normalised``: the same after leaving out accents, punctuation and spaces
   (``Wetenschapsatelier De Pipet Genk`` = ``wetenschaps-atelier de pipét  genk``);
3. ``near``: the closest name by ``difflib`` with a similarity of at least
   ``NEAR_MATCH_CUTOFF`` (a misspelling such as ``STEM-acadmie Mechlen``), shown with its
   score so the person importing can check it before confirming;
4. ``new``: no match; confirming creates a new academy with the name as written.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models.functions import Lower

from stemnet.organisations.models import Organisation
from stemnet.reach.importing import HistoryRow, RowError
from stemnet.reach.models import Participation

NEAR_MATCH_CUTOFF = 0.85
EXACT, NORMALISED, NEAR, NEW = "exact", "normalised", "near", "new"


def name_key(name: str) -> str:
    """A name without case, accents, punctuation or spaces (``stemacademiemechelen``)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "", ascii_name.casefold())


@dataclass
class OrganisationMatch:
    name: str  # as written in the file
    rows: int = 0
    organisation: Organisation | None = None
    how: str = NEW
    score: float = 1.0

    @property
    def score_percent(self) -> int:
        return round(self.score * 100)


def _preferred(organisations: list[Organisation]) -> Organisation:
    academies = [o for o in organisations if o.type == Organisation.Type.ACADEMY]
    return min(academies or organisations, key=lambda o: o.pk)


def organisation_matches(names: list[str]) -> dict[str, OrganisationMatch]:
    """The match of each distinct name (compared in lower case), as described above."""
    wanted = {}
    for name in names:
        wanted.setdefault(name.lower(), OrganisationMatch(name=name))
    exact: dict[str, list[Organisation]] = {}
    for org in Organisation.objects.annotate(lname=Lower("name")).filter(lname__in=list(wanted)):
        exact.setdefault(org.lname, []).append(org)
    by_key: dict[str, list[Organisation]] | None = None
    for lname, match in wanted.items():
        if lname in exact:
            match.organisation, match.how = _preferred(exact[lname]), EXACT
            continue
        if by_key is None:
            by_key = {}
            for org in Organisation.objects.only("pk", "name", "type", "slug"):
                by_key.setdefault(name_key(org.name), []).append(org)
        key = name_key(match.name)
        if key in by_key:
            match.organisation, match.how = _preferred(by_key[key]), NORMALISED
            continue
        close = difflib.get_close_matches(key, list(by_key), n=1, cutoff=NEAR_MATCH_CUTOFF)
        if close:
            match.organisation, match.how = _preferred(by_key[close[0]]), NEAR
            match.score = difflib.SequenceMatcher(None, key, close[0]).ratio()
    return wanted


@dataclass
class HistoryPreview:
    """What confirming the import would do; ``digest`` identifies exactly this preview."""

    organisations: list[OrganisationMatch] = field(default_factory=list)
    rows_new: int = 0
    rows_replaced: int = 0
    errors: list[RowError] = field(default_factory=list)
    digest: str = ""
    notes: list[str] = field(default_factory=list)  # how the file was read (its encoding)
    matches: dict[str, OrganisationMatch] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def to_create(self) -> list[OrganisationMatch]:
        return [m for m in self.organisations if m.organisation is None]

    @property
    def to_check(self) -> list[OrganisationMatch]:
        return [m for m in self.organisations if m.how in (NORMALISED, NEAR)]

    def organisation_for(self, row: HistoryRow) -> Organisation | None:
        return self.matches[row.organisation.lower()].organisation


def history_preview(parsed: list[HistoryRow], errors: list[RowError]) -> HistoryPreview:
    """The preview of parsed rows (``importing.parse_history``); nothing is written."""
    notes = list(getattr(parsed, "notes", []))
    if errors:
        return HistoryPreview(errors=errors, notes=notes)
    matches = organisation_matches([r.organisation for r in parsed])
    for row in parsed:
        matches[row.organisation.lower()].rows += 1
    existing = set(
        Participation.objects.filter(
            activity__isnull=True,
            organisation__in=[m.organisation.pk for m in matches.values() if m.organisation],
            year__in={r.year for r in parsed},
        )
        .annotate(lname=Lower("history_activity_name"))
        .values_list("organisation_id", "lname", "year")
    )
    replaced = 0
    for row in parsed:
        organisation = matches[row.organisation.lower()].organisation
        if organisation and (organisation.pk, row.activity.lower(), row.year) in existing:
            replaced += 1
    fingerprint = {
        "rows": [
            [r.year, r.organisation, r.activity, r.kind, r.municipality.pk, r.age_min, r.age_max]
            + [r.participants, r.girls, r.uitpas]
            for r in parsed
        ],
        "matches": sorted(
            [k, m.organisation.pk if m.organisation else None] for k, m in matches.items()
        ),
    }
    digest = hashlib.sha256(json.dumps(fingerprint, sort_keys=True).encode()).hexdigest()
    return HistoryPreview(
        organisations=sorted(matches.values(), key=lambda m: (m.how == EXACT, m.name.lower())),
        rows_new=len(parsed) - replaced,
        rows_replaced=replaced,
        digest=digest,
        notes=notes,
        matches=matches,
    )
