import sys
import uuid

from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from stemnet.core.middleware import DATABASE_ERRORS, database_unavailable


def csrf_failure(request, reason=""):
    """A CSRF-less POST gets a clear message in the user's language, with a way back."""
    return render(
        request,
        "core/error.html",
        {
            "title": _("Your form could not be sent"),
            "message": _(
                "For your safety this form has expired or was sent from elsewhere. "
                "Go back, reload the page and send it again; what you typed is usually "
                "still in the form when you go back."
            ),
        },
        status=403,
    )


def permission_denied(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": _("You may not do this"),
            "message": str(exception)
            if exception and str(exception)
            else _("You do not have permission to view or change this page."),
        },
        status=403,
    )


def page_not_found(request, exception=None):
    return render(
        request,
        "core/error.html",
        {
            "title": _("Page not found"),
            "message": _("This page does not exist (any more). Try the search or the home page."),
        },
        status=404,
    )


def server_error(request):
    if isinstance(sys.exc_info()[1], DATABASE_ERRORS):  # raised outside a view: still a 503
        return database_unavailable(request)
    return render(
        request,
        "core/error.html",
        {
            "title": _("Something went wrong"),
            "message": _("An unexpected error occurred. We have been notified. Try again later."),
        },
        status=500,
    )


@never_cache
def healthz(request):
    """The process is up and answers (for the load balancer); touches neither database nor cache."""
    return HttpResponse("ok\n", content_type="text/plain")


@never_cache
def readyz(request):
    """Ready to serve: the database and the cache answer; 503 with what failed otherwise."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        checks["database"] = "ok"
    except DATABASE_ERRORS as exc:
        checks["database"] = f"unavailable: {type(exc).__name__}"
    try:
        probe = uuid.uuid4().hex
        cache.set("stemnet:readyz", probe, 10)
        checks["cache"] = "ok" if cache.get("stemnet:readyz") == probe else "unavailable: no value"
    except Exception as exc:  # any cache backend's connection error
        checks["cache"] = f"unavailable: {type(exc).__name__}"
    ready = all(value == "ok" for value in checks.values())
    return JsonResponse({"ready": ready, **checks}, status=200 if ready else 503)


def bad_request(request, exception=None, message: str = ""):
    return render(
        request,
        "core/error.html",
        {
            "title": _("The request could not be read"),
            "message": message
            or _("Part of the address or the form is not valid. Go back and try again."),
        },
        status=400,
    )
