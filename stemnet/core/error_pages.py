"""The site's own 404 and 500 pages also with ``DEBUG=1`` (the demo).

With ``DEBUG`` on, Django answers an unknown address with its technical 404 page (the whole
URL list) and an exception with the technical 500 page. The demo runs with ``DEBUG=1``, so a
visitor would see those. This middleware shows ``handler404``/``handler500`` instead, unless
a developer asks for the technical pages with ``DEBUG_TECHNICAL_PAGES=1``. Without ``DEBUG``
it does nothing: Django already uses the handlers.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, SuspiciousOperation
from django.http import Http404
from django.views import defaults

from stemnet.core import views

logger = logging.getLogger("django.request")


def _active() -> bool:
    return settings.DEBUG and not getattr(settings, "DEBUG_TECHNICAL_PAGES", False)


class SiteErrorPagesMiddleware:
    """Last in MIDDLEWARE, so that it sees a view's exception first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        # No view matched the address: Django has already rendered its technical 404.
        if (
            response.status_code == 404
            and _active()
            and getattr(request, "resolver_match", None) is None
        ):
            return views.page_not_found(request)
        return response

    def process_exception(self, request, exception):
        if not _active():
            return None
        if isinstance(exception, Http404):
            return views.page_not_found(request, exception)
        if isinstance(exception, PermissionDenied):
            return None  # handler403 is used with DEBUG too
        if isinstance(exception, BadRequest | SuspiciousOperation):
            return defaults.bad_request(request, exception)
        logger.error("Internal Server Error: %s", request.path, exc_info=exception)
        return views.server_error(request)
