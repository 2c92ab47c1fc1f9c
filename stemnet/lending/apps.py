from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LendingConfig(AppConfig):
    name = "stemnet.lending"
    label = "lending"
    verbose_name = _("Lending service")

    def ready(self) -> None:
        from stemnet.lending.sections import hub_section
        from stemnet.organisations import sections

        # A hub's public page shows its catalogue, opening hours and lab sessions
        # (organisations cannot import lending; it renders what is registered here).
        sections.register(hub_section)
