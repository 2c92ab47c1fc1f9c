"""The organiser's pages: participants and attendance, check-in, export, needs, feedback."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.events import selectors, services
from stemnet.events.forms import NeedForm
from stemnet.events.models import Event


def _managed(request, slug: str) -> Event:
    try:
        event = Event.objects.select_related("organiser").get(slug=slug)
    except Event.DoesNotExist as exc:
        raise Http404(_("No such event.")) from exc
    if not selectors.may_manage(request.user, event):
        raise PermissionDenied(_("Only the organiser manages this event."))
    return event


@login_required
def event_manage_list(request):
    events = selectors.events_managed_by(request.user).select_related("organiser")
    return render(request, "events/event_manage_list.html", {"events": events[:300]})


@login_required
def event_participants(request, slug: str):
    event = _managed(request, slug)
    need_form = NeedForm()
    return render(
        request,
        "events/event_participants.html",
        {
            "event": event,
            "registrations": selectors.participants(event),
            "taken": services.places_taken(event),
            "checked_in": event.registrations.filter(checked_in_at__isnull=False).count(),
            "feedback": selectors.feedback_summary(event),
            "topics": selectors.topics_of(event.organiser),
            "need_form": need_form,
        },
    )


@login_required
@require_POST
def need_capture(request, slug: str):
    event = _managed(request, slug)
    form = NeedForm(request.POST)
    if form.is_valid():
        try:
            services.need_capture(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The need is on the list of training topics."))
    else:
        messages.error(request, _("Name the topic of the need."))
    return redirect("events:event_participants", slug=event.slug)


@login_required
def event_checkin(request, slug: str):
    event = _managed(request, slug)
    result = None
    if request.method == "POST":
        try:
            registration = services.checkin(
                event=event, code=request.POST.get("code", ""), actor=request.user
            )
        except ValidationError as exc:
            result = {"ok": False, "message": " ".join(exc.messages)}
        else:
            result = {
                "ok": True,
                "message": _("%(name)s is checked in.") % {"name": registration.name},
            }
    return render(
        request,
        "events/event_checkin.html",
        {
            "event": event,
            "result": result,
            "checked_in": event.registrations.filter(checked_in_at__isnull=False).count(),
            "confirmed": event.registrations.filter(status="confirmed").count(),
        },
        status=400 if result and not result["ok"] else 200,
    )


@login_required
@require_POST
def event_checkin_sync(request, slug: str):
    """The phone page's queue: ``{"items": [{"code", "at"}, …]}`` → a result per code."""
    event = _managed(request, slug)
    try:
        if request.content_type != "application/json":
            raise ValueError
        items = json.loads(request.body or b"{}").get("items", [])
        if not isinstance(items, list) or not all(isinstance(i, dict) for i in items):
            raise ValueError
    except (ValueError, AttributeError):
        return JsonResponse({"detail": _("Send a list of scanned codes.")}, status=400)
    results = services.checkins_sync(event=event, items=items, actor=request.user)
    return JsonResponse({"results": results})


@login_required
def event_export(request, slug: str):
    from openpyxl import Workbook

    from stemnet.core.tabular import sheet_append

    event = _managed(request, slug)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Participants")[:31]
    sheet_append(
        sheet,
        [
            _("Name"),
            _("E-mail address"),
            _("Organisation"),
            _("Status"),
            _("Programme parts"),
            _("Price"),
            _("Checked in"),
            _("Registered"),
        ],
    )
    for r in selectors.participants(event):
        sheet_append(
            sheet,
            [
                r.name,
                r.email,
                r.organisation.name if r.organisation else "",
                r.get_status_display(),
                ", ".join(t.title for t in r.tracks.all()),
                float(r.price),
                timezone.localtime(r.checked_in_at).strftime("%Y-%m-%d %H:%M")
                if r.checked_in_at
                else "",
                timezone.localtime(r.created_at).strftime("%Y-%m-%d %H:%M"),
            ],
        )
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="deelnemers-{event.slug}.xlsx"'
    book.save(response)
    return response
