from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgendaConfig(AppConfig):
    name = "stemnet.agenda"
    label = "agenda"
    verbose_name = _("Agenda")

    def ready(self) -> None:
        from stemnet.agenda import signals  # noqa: F401 (connects the receivers)
        from stemnet.agenda.sections import upcoming_activities
        from stemnet.organisations import sections

        # An academy's public page lists its upcoming activities (organisations cannot
        # import the agenda; it renders what is registered here).
        sections.register(upcoming_activities)
