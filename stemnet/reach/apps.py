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
