from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "stemnet.portal"
    label = "portal"
    verbose_name = _("Portal")

    def ready(self):
        from stemnet.accounts import personal_data
        from stemnet.portal import selectors

        personal_data.register("contact_messages", selectors.contact_messages_of_person)
