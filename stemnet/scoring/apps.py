from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "stemnet.scoring"
    label = "scoring"
    verbose_name = _("Scoring")

    def ready(self):
        from stemnet.accounts import personal_data
        from stemnet.scoring import selectors

        personal_data.register("scoring_reviews", selectors.reviews_of_person)
        from stemnet.core.audit import register_labels

        register_labels(AUDIT_LABELS)


AUDIT_LABELS = {
    "scoring.panel.created": _("Panel created"),
    "scoring.panel.updated": _("Panel changed"),
    "scoring.panel.closed": _("Panel closed"),
    "scoring.entry.created": _("Entry added"),
    "scoring.entry.updated": _("Entry changed"),
    "scoring.assignment.created": _("Reviewer assigned"),
    "scoring.assignment.deleted": _("Assignment withdrawn"),
    "scoring.assignment.declared": _("No conflict of interest declared"),
    "scoring.assignment.recused": _("Reviewer recused (conflict of interest)"),
    "scoring.score.saved": _("Score saved"),
    "scoring.assignment.submitted": _("Scores submitted"),
}
