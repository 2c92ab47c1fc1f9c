from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReachConfig(AppConfig):
    name = "stemnet.reach"
    label = "reach"
    verbose_name = _("Reach")

    def ready(self):
        from stemnet.accounts import personal_data
        from stemnet.reach import selectors

        personal_data.register("reach_participation_recorded", selectors.participation_recorded_by)
        from stemnet.lending import hooks as lending_hooks

        # "Kit X reached N children": the hub's page adds up its loans' activities.
        lending_hooks.register_reach(selectors.children_by_activity)
