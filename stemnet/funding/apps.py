from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "stemnet.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from stemnet.funding.selectors import panel_budget
        from stemnet.scoring.selectors import register_budget_source

        # The consensus view of a round's panel draws the funding line at the round's budget.
        register_budget_source("funding", panel_budget)
