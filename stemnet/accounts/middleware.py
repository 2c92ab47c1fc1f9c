from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from stemnet.accounts import selectors


class RequireMFAMiddleware:
    """VLAIO staff, reviewers and superusers must use two-factor authentication (TOTP).

    A logged-in person who requires it (``selectors.user_requires_mfa``) and has no authenticator
    app yet is sent to allauth's activation page from every page except allauth's own pages
    (login, logout, e-mail, password, MFA), static files and the language switch. API calls get a
    403 with the reason instead of a redirect.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and not self._exempt(request)
            and selectors.user_requires_mfa(user)
            and not selectors.user_has_totp(user)
        ):
            return self._refuse(request)
        return self.get_response(request)

    @staticmethod
    def _exempt(request) -> bool:
        path = request.path_info
        for prefix in (settings.STATIC_URL, settings.MEDIA_URL):
            if prefix and path.startswith(prefix):
                return True
        try:
            match = resolve(path)
        except Resolver404:
            return True  # a 404 page reveals nothing
        if match.url_name == "set_language":
            return True
        view = getattr(match.func, "view_class", match.func)
        return view.__module__.startswith("allauth.")

    @staticmethod
    def _refuse(request):
        reason = _(
            "Your role at STEMnet (VLAIO staff, reviewer or administrator) requires "
            "two-factor authentication. Set up an authenticator app to continue."
        )
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": reason}, status=403)
        messages.warning(request, reason)
        url = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return HttpResponseRedirect(url)
