"""Public pages: the parents' sign-up, confirmation, preferences, unsubscribe (RFC 8058),
re-subscribe, and the archive of sent issues (without personal parts)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from stemnet.core.clientip import client_ip
from stemnet.newsletters import mails, selectors
from stemnet.newsletters.forms import PreferencesForm, SignUpForm
from stemnet.newsletters.models import Audience, Subscriber
from stemnet.newsletters.services import subscribers as services
from stemnet.newsletters.tokens import BadToken, ExpiredToken, read_confirm_token, read_link_token


def _preferences(data: dict) -> dict:
    return {k: data.get(k) for k in ("postcode", "radius_km", "ages", "themes", "frequency")}


def _language() -> str:
    return (get_language() or "nl")[:2]


@require_http_methods(["GET", "POST"])
def signup(request):
    status = 200
    if request.method == "POST":
        form = SignUpForm(request.POST)
        if form.is_valid():
            try:
                services.subscriber_sign_up(
                    email=form.cleaned_data["email"],
                    language=_language(),
                    preferences=_preferences(form.cleaned_data),
                    ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 429
            else:
                return render(request, "newsletters/signup_done.html")
        else:
            status = 400
    else:
        form = SignUpForm()
    return render(request, "newsletters/signup.html", {"form": form}, status=status)


def _invalid_link(request, *, expired: bool = False):
    context = {"expired": expired, "form": SignUpForm() if expired else None}
    return render(
        request, "newsletters/link_invalid.html", context, status=404 if not expired else 410
    )


@require_http_methods(["GET", "POST"])
def confirm(request, token: str):
    """GET shows a button (a mail scanner following the link confirms nothing); POST confirms."""
    try:
        subscriber = read_confirm_token(token)
    except ExpiredToken:
        return _invalid_link(request, expired=True)
    except BadToken:
        return _invalid_link(request)
    confirmed = None
    if request.method == "POST":
        confirmed = services.subscriber_confirm(subscriber=subscriber, ip=client_ip(request))
        subscriber.refresh_from_db()
    context = {
        "subscriber": subscriber,
        "confirmed": confirmed,
        "preferences_url": mails.site_url("newsletters:preferences", token=_link(subscriber)),
    }
    return render(request, "newsletters/confirm.html", context)


def _link(subscriber: Subscriber) -> str:
    from stemnet.newsletters.tokens import link_token

    return link_token(subscriber)


@require_http_methods(["GET", "POST"])
def preferences(request, token: str):
    try:
        subscriber, _issue_id = read_link_token(token)
    except BadToken:
        return _invalid_link(request)
    parents = subscriber.audience == Audience.PARENTS
    initial = {
        "postcode": subscriber.postcode,
        "radius_km": subscriber.radius_km or "",
        "ages": [str(a) for a in subscriber.ages],
        "themes": subscriber.themes,
        "frequency": subscriber.frequency,
    }
    saved = False
    status = 200
    form = PreferencesForm(request.POST or None, initial=initial) if parents else None
    if request.method == "POST":
        if form is None or form.is_valid():
            language = request.POST.get("language", subscriber.language)
            prefs = _preferences(form.cleaned_data) if form is not None else {}
            subscriber = services.subscriber_update_preferences(
                subscriber=subscriber, preferences=prefs, language=language
            )
            saved = True
        else:
            status = 400
    context = {"subscriber": subscriber, "form": form, "saved": saved, "token": token}
    return render(request, "newsletters/preferences.html", context, status=status)


@csrf_exempt  # RFC 8058: the mail client POSTs from outside; the signed token authorises
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """GET only shows the confirm page (scanners follow links); POST unsubscribes, be it the
    one-click POST of a mail client (body ``List-Unsubscribe=One-Click``) or the button."""
    try:
        subscriber, issue_id = read_link_token(token)
    except BadToken:
        return _invalid_link(request)
    done = False
    if request.method == "POST":
        services.subscriber_unsubscribe(
            subscriber=subscriber, ip=client_ip(request), issue_id=issue_id
        )
        subscriber.refresh_from_db()
        done = True
    context = {"subscriber": subscriber, "done": done, "token": token}
    return render(request, "newsletters/unsubscribe.html", context)


@require_POST
def resubscribe(request, token: str):
    try:
        subscriber, _issue_id = read_link_token(token)
    except BadToken:
        return _invalid_link(request)
    services.subscriber_resubscribe(subscriber=subscriber, ip=client_ip(request))
    subscriber.refresh_from_db()
    context = {"subscriber": subscriber, "done": False, "token": token, "renewed": True}
    return render(request, "newsletters/unsubscribe.html", context)


def archive_list(request):
    page = Paginator(selectors.archive_list(), 20).get_page(request.GET.get("page"))
    return render(request, "newsletters/archive_list.html", {"page": page})


def archive_detail(request, pk: int):
    issue = selectors.archive_get(pk)
    context = mails.issue_context(issue)
    return render(request, "newsletters/archive_detail.html", context)
