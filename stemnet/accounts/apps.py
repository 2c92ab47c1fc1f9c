from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "stemnet.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from stemnet.accounts import personal_data, selectors

        personal_data.register("account", selectors.personal_data_user)
        personal_data.register("memberships", selectors.personal_data_memberships)
        personal_data.register("email_addresses", selectors.personal_data_email_addresses)
        personal_data.register("mfa_authenticators", selectors.personal_data_authenticators)
        personal_data.register("audit_trail", selectors.personal_data_audit)
        personal_data.register("jobs", selectors.personal_data_jobs)
