from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    name = "stemnet.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self):
        from stemnet.funding.selectors import panel_budget, panel_overseen_by
        from stemnet.scoring.selectors import register_budget_source, register_panel_overseer

        # The consensus view of a round's panel draws the funding line at the round's budget.
        register_budget_source("funding", panel_budget)
        # A round's consensus and reviewer assignments are for that round's officers only.
        register_panel_overseer("funding", panel_overseen_by)
