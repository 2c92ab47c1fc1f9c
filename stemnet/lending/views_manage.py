"""The hub's staff: loans to approve, hand out and take back; the catalogue; lab sessions."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.lending import selectors, services
from stemnet.lending.forms import (
    AccessoryForm,
    ItemForm,
    LabSessionForm,
    ManualForm,
    PhotoForm,
    RefuseForm,
    UnitForm,
    apply_errors,
)
from stemnet.lending.models import Hub, Item, Loan, Unit
from stemnet.lending.views_public import _loan_for


def _hub_for(request, slug: str) -> Hub:
    hub = get_object_or_404(Hub.objects.select_related("organisation"), organisation__slug=slug)
    if not request.user.has_perm("lending.manage_hub", hub):
        raise PermissionDenied(
            _("Only the staff of %(name)s may do this.") % {"name": hub.organisation.name}
        )
    return hub


STATUS_TABS = ["requested", "approved", "handed_out", "overdue", "returned"]


@login_required
def hub_manage(request, slug):
    hub = _hub_for(request, slug)
    status = request.GET.get("status", "requested")
    if status not in STATUS_TABS:
        status = "requested"
    loans = selectors.loans_of_hub(hub, status=status).order_by("start_at")[:200]
    return render(
        request,
        "lending/hub_manage.html",
        {
            "hub": hub,
            "loans": loans,
            "status": status,
            "tabs": [(s, _status_label(s)) for s in STATUS_TABS],
            "items": hub.items.order_by("name").prefetch_related("units"),
            "maintenance": Unit.objects.filter(
                item__hub=hub, status=Unit.Status.MAINTENANCE
            ).select_related("item"),
            "lab_form": LabSessionForm(),
            "sessions": selectors.lab_sessions_upcoming(hub),
        },
    )


def _status_label(status: str) -> str:
    return _("overdue") if status == "overdue" else Loan.Status(status).label


def _done(request, loan: Loan, call, success: str):
    try:
        call()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, success)
    return redirect(loan)


@login_required
@require_POST
def loan_approve(request, pk):
    loan = _loan_for(request, pk, "lending.manage_loan")
    return _done(
        request,
        loan,
        lambda: services.loan_approve(loan=loan, actor=request.user),
        _("The loan is approved."),
    )


@login_required
@require_POST
def loan_refuse(request, pk):
    loan = _loan_for(request, pk, "lending.manage_loan")
    form = RefuseForm(request.POST)
    form.is_valid()
    reason = form.cleaned_data.get("reason", "")
    return _done(
        request,
        loan,
        lambda: services.loan_refuse(loan=loan, actor=request.user, reason=reason),
        _("The loan is refused."),
    )


@login_required
@require_POST
def loan_hand_out(request, pk):
    loan = _loan_for(request, pk, "lending.manage_loan")
    checked = set(request.POST.getlist("checked"))
    return _done(
        request,
        loan,
        lambda: services.loan_hand_out(loan=loan, actor=request.user, checked=checked),
        _("Handed out."),
    )


@login_required
@require_POST
def loan_take_back(request, pk):
    loan = _loan_for(request, pk, "lending.manage_loan")
    returns = {}
    for reservation in loan.reservations.all():
        unit_id = reservation.unit_id
        returns[unit_id] = {
            "condition": request.POST.get(f"condition-{unit_id}", "")[:2000],
            "missing": request.POST.getlist(f"missing-{unit_id}"),
            "maintenance": request.POST.get(f"maintenance-{unit_id}") == "on",
        }
    return _done(
        request,
        loan,
        lambda: services.loan_take_back(loan=loan, actor=request.user, returns=returns),
        _("Taken back."),
    )


@login_required
@require_POST
def unit_repair(request, pk):
    unit = get_object_or_404(Unit.objects.select_related("item__hub__organisation"), pk=pk)
    hub = _hub_for(request, unit.item.hub.organisation.slug)
    try:
        services.unit_repair(unit=unit, actor=request.user, note=request.POST.get("note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("%(unit)s is available again.") % {"unit": unit})
    return redirect("lending:hub_manage", slug=hub.organisation.slug)


@login_required
def hub_calendar(request, slug):
    hub = _hub_for(request, slug)
    try:
        start = dt.date.fromisoformat(request.GET.get("from", ""))
    except ValueError:
        start = timezone.localdate()
    return render(
        request,
        "lending/hub_calendar.html",
        {
            "hub": hub,
            "calendar": selectors.calendar(start=start, days=28, hub=hub),
            "previous": start - dt.timedelta(days=28),
            "next": start + dt.timedelta(days=28),
        },
    )


@login_required
def item_create(request, slug):
    hub = _hub_for(request, slug)
    form = ItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        themes = data.pop("themes")
        try:
            item = services.item_create(hub=hub, actor=request.user, themes=themes, **data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Item added. Now add its units."))
            return redirect("lending:item_edit", pk=item.pk)
    return render(request, "lending/item_form.html", {"hub": hub, "form": form})


SUB_FORMS = {"unit": UnitForm, "accessory": AccessoryForm, "photo": PhotoForm, "manual": ManualForm}


def _sub_save(kind: str, item: Item, data: dict, actor):
    if kind == "unit":
        return services.unit_add(item=item, code=data["code"], actor=actor)
    if kind == "accessory":
        return services.accessory_add(item=item, actor=actor, **data)
    if kind == "photo":
        return services.photo_add(item=item, actor=actor, **data)
    return services.manual_add(item=item, upload=data["file"], title=data["title"], actor=actor)


@login_required
def item_edit(request, pk):
    item = get_object_or_404(Item.objects.select_related("hub__organisation"), pk=pk)
    hub = _hub_for(request, item.hub.organisation.slug)
    kind = request.POST.get("form", "item") if request.method == "POST" else ""
    form = ItemForm(request.POST if kind == "item" else None, instance=item)
    subs = {
        name: cls(request.POST, request.FILES) if kind == name else cls()
        for name, cls in SUB_FORMS.items()
    }
    bound = form if kind == "item" else subs.get(kind)
    if bound is not None and bound.is_valid():
        try:
            if kind == "item":
                data = dict(form.cleaned_data)
                themes = data.pop("themes")
                services.item_update(item=item, actor=request.user, themes=themes, **data)
            else:
                _sub_save(kind, item, bound.cleaned_data, request.user)
        except ValidationError as error:
            apply_errors(bound, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("lending:item_edit", pk=item.pk)
    return render(
        request,
        "lending/item_form.html",
        {"hub": hub, "item": item, "form": form, "subs": subs},
        status=400 if bound is not None and bound.errors else 200,
    )


@login_required
@require_POST
def lab_session_create(request, slug):
    hub = _hub_for(request, slug)
    form = LabSessionForm(request.POST)
    if form.is_valid():
        try:
            services.lab_session_create(hub=hub, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
    if form.errors:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    else:
        messages.success(request, _("The session is published on the hub's page."))
    return redirect("lending:hub_manage", slug=slug)
