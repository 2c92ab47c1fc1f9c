"""Public event pages and the attendee's own pages (register, cancel, QR, certificate)."""

from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.events import selectors, services
from stemnet.events.forms import FeedbackForm, GroupForm, RegisterForm, StandForm
from stemnet.events.ical import calendar_bytes
from stemnet.events.models import Event, Registration
from stemnet.organisations import selectors as organisations


def _event_or_404(slug: str, user) -> Event:
    try:
        return selectors.event_get(slug, user=user)
    except Event.DoesNotExist as exc:
        raise Http404(_("No such event.")) from exc


def event_list(request):
    past = request.GET.get("past") == "1"
    events = selectors.events_public(past=past)[:200]
    return render(request, "events/event_list.html", {"events": events, "past": past})


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


def _detail_context(request, event: Event, form=None) -> dict:
    user = request.user
    context = {
        "event": event,
        "tracks": event.tracks.prefetch_related("speakers"),
        "speakers": event.speakers.all(),
        "audiences": event.audiences.all(),
        "stands": event.stands.select_related("partnership"),
        "taken": services.places_taken(event),
        "may_manage": selectors.may_manage(user, event),
        "tiles": settings.CSP_MAP_TILES,
    }
    if user.is_authenticated:
        mine = event.registrations.active().filter(email__iexact=user.email).first()
        context["mine"] = mine
        context["form"] = form or RegisterForm(
            event=event, organisations=organisations.organisations_for_user(user)
        )
        context["coordinates"] = organisations.organisations_for_user(user, role="coordinator")
        if event.stand_capacity:
            partnerships = selectors.partnerships_coordinated_by(user)
            if partnerships:
                context["stand_form"] = StandForm(partnerships=partnerships)
    return context


def event_detail(request, slug: str):
    event = _event_or_404(slug, request.user)
    return render(request, "events/event_detail.html", _detail_context(request, event))


@login_required
@require_POST
def event_register(request, slug: str):
    event = _event_or_404(slug, request.user)
    form = RegisterForm(
        request.POST, event=event, organisations=organisations.organisations_for_user(request.user)
    )
    if form.is_valid():
        try:
            registration = services.registration_create(
                event=event,
                actor=request.user,
                organisation=form.cleaned_data.get("organisation"),
                tracks=form.cleaned_data.get("tracks") or [],
            )
        except (ValidationError, PermissionDenied) as exc:
            if isinstance(exc, PermissionDenied):
                exc = ValidationError(str(exc))
            _add_errors(form, exc)
        else:
            if registration.status == Registration.Status.CONFIRMED:
                messages.success(request, _("You are registered. We sent you a confirmation."))
            else:
                messages.info(request, _("The event is full: you are on the waiting list."))
            return redirect("events:registration_mine")
    context = _detail_context(request, event, form)
    return render(request, "events/event_detail.html", context, status=400)


@login_required
def event_register_group(request, slug: str):
    event = _event_or_404(slug, request.user)
    coordinated = organisations.organisations_for_user(request.user, role="coordinator")
    if not coordinated.exists():
        raise PermissionDenied(_("Only a coordinator of an organisation registers a group."))
    form = GroupForm(request.POST or None, event=event, organisations=coordinated)
    if request.method == "POST" and form.is_valid():
        try:
            made = services.registration_create_group(
                event=event,
                actor=request.user,
                organisation=form.cleaned_data["organisation"],
                attendees=form.cleaned_data["people"],
                tracks=form.cleaned_data.get("tracks") or [],
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            waiting = sum(r.status == Registration.Status.WAITING for r in made)
            messages.success(
                request,
                _("%(n)s people registered, %(w)s of them on the waiting list.")
                % {"n": len(made), "w": waiting},
            )
            return redirect("events:registration_mine")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "events/event_register_group.html",
        {"event": event, "form": form},
        status=status,
    )


def _own_registration(request, pk: int) -> Registration:
    registration = get_object_or_404(Registration.objects.select_related("event"), pk=pk)
    if not (
        services.may_act_for(request.user, registration)
        or selectors.may_manage(request.user, registration.event)
    ):
        raise PermissionDenied(_("This is not your registration."))
    return registration


@login_required
def registration_mine(request):
    return render(
        request,
        "events/registration_mine.html",
        {
            "registrations": selectors.registrations_of(request.user),
            "group": selectors.registrations_registered_by(request.user),
            "path": selectors.trainer_path(request.user),
        },
    )


@login_required
@require_POST
def registration_cancel(request, pk: int):
    registration = _own_registration(request, pk)
    try:
        services.registration_cancel(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Your registration is cancelled."))
    if request.POST.get("next") == "participants":
        return redirect("events:event_participants", slug=registration.event.slug)
    return redirect("events:registration_mine")


@login_required
@require_POST
def registration_accept(request, pk: int):
    registration = _own_registration(request, pk)
    try:
        services.registration_accept_offer(registration=registration, actor=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The place is yours. We sent you a confirmation."))
    return redirect("events:registration_mine")


@login_required
def registration_qr(request, pk: int):
    registration = _own_registration(request, pk)
    if registration.status != Registration.Status.CONFIRMED:
        raise Http404(_("Only a confirmed registration has a check-in code."))
    svg = segno.make(registration.code, error="m").svg_inline(scale=6, title=registration.code)
    return HttpResponse(svg, content_type="image/svg+xml")


@login_required
def registration_certificate(request, pk: int):
    from stemnet.events.certificates import certificate_pdf

    registration = _own_registration(request, pk)
    try:
        pdf = certificate_pdf(registration=registration)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("events:registration_mine")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attest-{registration.event.slug}.pdf"'
    return response


@login_required
def registration_feedback(request, pk: int):
    registration = _own_registration(request, pk)
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(
                registration=registration, actor=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("Thank you for your feedback."))
            return redirect("events:registration_mine")
    return render(
        request,
        "events/registration_feedback.html",
        {"registration": registration, "form": form},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def stand_book(request, slug: str):
    event = _event_or_404(slug, request.user)
    form = StandForm(request.POST, partnerships=selectors.partnerships_coordinated_by(request.user))
    if form.is_valid():
        try:
            stand = services.stand_book(event=event, actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Stand %(n)s is booked.") % {"n": stand.number})
    else:
        messages.error(request, _("Choose a partnership you coordinate."))
    return redirect(event)


def event_ical(request, slug: str):
    event = _event_or_404(slug, request.user)
    return _ics([event], event.title, event.slug)


def events_ical(request):
    return _ics(selectors.events_public()[:500], _("STEMnet events"), "stemnet-events")


def _ics(events, name: str, filename: str) -> HttpResponse:
    response = HttpResponse(calendar_bytes(events, name=name), content_type="text/calendar")
    response["Content-Disposition"] = f'attachment; filename="{filename}.ics"'
    return response
