"""Public pages: home, news, contact form and the statements. Thin: selectors and services."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from stemnet.agenda import selectors as agenda_selectors
from stemnet.core.clientip import client_ip
from stemnet.portal import selectors, services
from stemnet.portal.forms import ContactForm

NEWS_PER_PAGE = 10


def home(request):
    return render(
        request,
        "portal/home.html",
        {
            "figures": selectors.key_figures(),
            "news": list(selectors.news_list(limit=3)),
            "radii": agenda_selectors.PAGE_RADII,
        },
    )


def news_list(request):
    page = Paginator(selectors.news_list(), NEWS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "portal/newsarticle_list.html", {"page": page})


def news_detail(request, slug):
    return render(request, "portal/newsarticle_detail.html", {"article": selectors.news_get(slug)})


def _thank_you(request):
    messages.success(
        request,
        _("Thank you for your message. We usually answer within five working days."),
    )
    return redirect("portal:contact")


@require_http_methods(["GET", "POST"])
def contact(request):
    status = 200
    if request.method == "POST":
        form = ContactForm(request.POST)
        if form.is_bot():
            # A robot gets the same answer as a person, but nothing is stored or sent.
            return _thank_you(request)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.contact_message_create(
                    name=data["name"],
                    email=data["email"],
                    subject=data["subject"],
                    message=data["message"],
                    language=get_language() or settings.LANGUAGE_CODE,
                    ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 429 if error.code == "rate_limited" else 400
            else:
                return _thank_you(request)
        else:
            status = 400
    else:
        form = ContactForm()
    return render(
        request,
        "portal/contactmessage_form.html",
        {"form": form, "contact_email": settings.CONTACT_EMAIL},
        status=status,
    )


def privacy(request):
    return render(request, "portal/privacy.html", {"contact_email": settings.CONTACT_EMAIL})


def accessibility(request):
    return render(request, "portal/accessibility.html", {"contact_email": settings.CONTACT_EMAIL})


def sources(request):
    return render(request, "portal/sources.html", {"libraries": selectors.vendored_libraries()})
