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
