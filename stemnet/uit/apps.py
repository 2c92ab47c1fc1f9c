from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UitConfig(AppConfig):
    name = "stemnet.uit"
    label = "uit"
    verbose_name = _("UiTdatabank exchange")

    def ready(self) -> None:
        from stemnet.agenda import hooks
        from stemnet.uit.services import activity_changed

        hooks.register(activity_changed)
