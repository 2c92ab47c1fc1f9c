import json

from django.contrib import messages


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
