"""Human texts for the engine's codes (the engine itself stays free of Django)."""

from django.utils.translation import gettext_lazy as _

from stemnet.matching import engine

PART_LABELS = {
    "distance": _("Distance"),
    "expertise": _("Expertise covering the weakest points"),
    "themes": _("Shared themes"),
    "ages": _("Shared ages"),
    "capacity": _("Places left"),
}

UNMATCHED_REASONS = {
    engine.REASON_NO_OFFER_IN_RANGE: _("Nobody within the maximum distance."),
    engine.REASON_ALL_EXCLUDED: _("Everyone within reach is excluded or locked out."),
    engine.REASON_NO_AGE_OVERLAP: _("Nobody within reach works with these ages."),
    engine.REASON_NO_THEME_OVERLAP: _("Nobody within reach works on these themes."),
    engine.REASON_TOO_FEW_OFFERS: _("Fewer candidates within reach than wanted."),
    engine.REASON_OFFERS_FULL: _(
        "The candidates within reach are full: their places went to others for a better total."
    ),
}

ALTERNATIVE_WHY = {
    engine.ALT_OFFER_FULL: _("full: its places went to others for a better total"),
    engine.ALT_LOWER_SCORE: _("lower score"),
}

ERRORS = {
    engine.ERROR_RADIUS: _("The maximum distance must be more than 0 and at most 300 km."),
    engine.ERROR_CAPACITY: _("A capacity must be at least 1."),
    engine.ERROR_DUPLICATE_ID: _("The same participant appears twice."),
    engine.ERROR_UNKNOWN_ID: _("A lock names someone who is not in this run."),
    engine.ERROR_LOCK_CONFLICT: _("A pair cannot be locked and excluded at the same time."),
    engine.ERROR_LOCK_CAPACITY: _("More locked pairs than places."),
    engine.ERROR_POINT: _("A place lies outside the map."),
    engine.ERROR_WEIGHT: _("Weights must be numbers of at least 0."),
}


def error_message(error: engine.EngineInputError) -> str:
    return str(ERRORS.get(error.code, error))
