from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpResponseRedirect
from django.utils import translation

from stemnet.accounts.i18n import set_language_cookie, url_in_language
from stemnet.core.clientip import client_ip


class AccountAdapter(DefaultAccountAdapter):
    """Allauth adapter: remembers the language a person signs up in and uses it after login."""

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = getattr(request, "LANGUAGE_CODE", None)
        if language:
            user.language = language
        if commit:
            user.save()
        return user

    def get_client_ip(self, request) -> str:
        """Rate limits count the client's address, not the TLS proxy's (TRUSTED_PROXIES)."""
        return client_ip(request)

    def send_mail(self, template_prefix, email, context):
        """E-mail goes out in the recipient's preferred language when we know them."""
        user = context.get("user")
        language = getattr(user, "language", "")
        if not language:
            from stemnet.accounts.models import User

            language = (
                User.objects.filter(email__iexact=email).values_list("language", flat=True).first()
            )
        with translation.override(language or translation.get_language()):
            super().send_mail(template_prefix, email, context)

    def post_login(self, request, user, **kwargs):
        """Send the person on in their preferred language (URL prefix and language cookie)."""
        response = super().post_login(request, user, **kwargs)
        language = getattr(user, "language", "")
        if isinstance(response, HttpResponseRedirect) and language:
            response["Location"] = url_in_language(response["Location"], language)
            set_language_cookie(response, language)
        return response


class MFAAdapter(DefaultMFAAdapter):
    """Allauth MFA adapter: whoever must use MFA cannot switch their authenticator app off."""

    def can_delete_authenticator(self, authenticator) -> bool:
        from stemnet.accounts.selectors import user_requires_mfa

        if authenticator.type == authenticator.Type.TOTP and user_requires_mfa(authenticator.user):
            return False
        return super().can_delete_authenticator(authenticator)
