from django.shortcuts import render
from django.utils.translation import gettext as _


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
    return render(
        request,
        "core/error.html",
        {
            "title": _("Something went wrong"),
            "message": _("An unexpected error occurred. We have been notified. Try again later."),
        },
        status=500,
    )
