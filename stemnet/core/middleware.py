import json
import logging

from django.contrib import messages
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse

logger = logging.getLogger(__name__)


class HtmxMessagesMiddleware:
    """Hand Django messages to HTMX requests in an ``HX-Trigger`` header (as Hypha does)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not getattr(request, "htmx", False) or 300 <= response.status_code < 400:
            return response
        if "HX-Redirect" in response.headers:
            return response
        pending = [
            {"level": m.level_tag, "message": str(m)} for m in messages.get_messages(request)
        ]
        if pending:
            trigger = {}
            if response.headers.get("HX-Trigger"):
                try:
                    trigger = json.loads(response.headers["HX-Trigger"])
                except ValueError:
                    trigger = {response.headers["HX-Trigger"]: True}
            trigger["messages"] = pending
            response.headers["HX-Trigger"] = json.dumps(trigger)
        return response


class ApiLanguageMiddleware:
    """The API has no language prefix: answer in the language the client asks for.

    LocaleMiddleware gives every unprefixed path the default language (Dutch) because the
    site uses ``i18n_patterns(prefix_default_language=False)``; API clients say what they
    want with ``Accept-Language`` instead.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        from django.utils import translation

        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


DATABASE_ERRORS = (OperationalError, InterfaceError)


def database_unavailable(request) -> HttpResponse:
    """503 with Retry-After while the database is away: a static page, no database access."""
    from django.conf import settings
    from django.template.loader import render_to_string
    from django.utils.translation import gettext as _

    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"detail": _("The database is not available. Try again in a moment.")}, status=503
        )
    else:
        response = HttpResponse(render_to_string("core/unavailable.html"), status=503)
    response["Retry-After"] = str(settings.UNAVAILABLE_RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """While PostgreSQL restarts or is away, answer 503 with Retry-After instead of 500.

    Listed first, so errors raised by views (``process_exception``) and by any middleware below
    it (``__call__``) are caught; errors raised elsewhere reach ``core.views.server_error``,
    which answers the same. Nothing here touches the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            return self.get_response(request)
        except DATABASE_ERRORS as exc:
            return self._answer(request, exc)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            return self._answer(request, exception)
        return None

    @staticmethod
    def _answer(request, exc) -> HttpResponse:
        logger.warning(
            "Database unavailable (%s: %s): 503 for %s", type(exc).__name__, exc, request.path
        )
        return database_unavailable(request)


class RejectNulBytesMiddleware:
    """A NUL byte in the path, the query string or a form field is a 400 with a reason.

    No text we store may hold one (PostgreSQL refuses it in the middle of a query, which
    was a 500), and no person types one; refusing here covers every view and the API.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self._has_nul(request):
            from django.http import JsonResponse
            from django.utils.translation import gettext as _

            from stemnet.core.views import bad_request

            message = _("The request holds a NUL character (%00), which no field accepts.")
            if request.path_info.startswith("/api/"):
                return JsonResponse({"detail": message}, status=400)
            return bad_request(request, message=message)
        return self.get_response(request)

    @staticmethod
    def _has_nul(request) -> bool:
        if "\x00" in request.path:
            return True
        sources = [request.GET] + ([request.POST] if request.method == "POST" else [])
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in v for v in values):
                    return True
        # JSON bodies are the API schemas' to check: they name the field (422).
        return False


class IntegerOutOfRangeMiddleware:
    """A number too large for SQLite's integers (e.g. a tampered choice id of 23 digits in a
    multiple-choice field) is a 400 with a reason, not a 500.

    PostgreSQL answers such a lookup with "no such row" and the form shows its message;
    SQLite's driver raises ``OverflowError`` before the query runs. Only that error is turned
    into a 400: any other ``OverflowError`` is a bug and stays a 500.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not (isinstance(exception, OverflowError) and "SQLite INTEGER" in str(exception)):
            return None
        from django.http import JsonResponse
        from django.utils.translation import gettext as _

        from stemnet.core.views import bad_request

        message = _("A number in the request is too large for any field.")
        if request.path_info.startswith("/api/"):
            return JsonResponse({"detail": message}, status=400)
        return bad_request(request, message=message)
