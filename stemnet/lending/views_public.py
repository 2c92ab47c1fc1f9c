"""Catalogue, reservations and a borrower's loans: parse, authorise, call, render."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.agenda.models import Activity
from stemnet.lending import selectors, services
from stemnet.lending.forms import (
    CatalogueSearchForm,
    LabBookingForm,
    LinkActivityForm,
    LoanRequestForm,
    apply_errors,
)
from stemnet.lending.ical import loans_calendar
from stemnet.lending.models import Item, LabBooking, LabSession, Loan
from stemnet.organisations.models import Organisation

PAGE_SIZE = 24


def item_list(request):
    form = CatalogueSearchForm(request.GET)
    page, free, period = None, {}, None
    if form.is_valid():
        data = form.cleaned_data
        items = selectors.item_search(
            q=data["q"], theme=data["theme"], age=data["age"], kind=data["kind"]
        )
        page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
        if data["start"] and data["end"]:
            period = (data["start"], data["end"])
            free = selectors.availability(list(page.object_list), *period)
    query = request.GET.copy()
    query.pop("page", None)
    template = "lending/item_list.html" + ("#results" if request.htmx else "")
    rows = [(item, free.get(item.pk, 0)) for item in page.object_list] if page else []
    return render(
        request,
        template,
        {"form": form, "page": page, "rows": rows, "period": period, "query": query.urlencode()},
    )


def _borrowers(user, item: Item):
    orgs = selectors.borrower_organisations(user)
    types = item.hub.borrower_types or []
    return orgs.filter(type__in=types) if types else orgs


def _activities(borrowers):
    return Activity.objects.filter(organiser__in=borrowers).order_by("-created_at")


def item_detail(request, pk):
    try:
        item = selectors.item_get(pk)
    except Item.DoesNotExist as error:
        raise Http404 from error
    start = timezone.localdate()
    return render(
        request,
        "lending/item_detail.html",
        {
            "item": item,
            "free_now": selectors.availability([item], *_next_days(start, 1)).get(item.pk, 0),
            "reach": selectors.item_reach(item),
            "can_borrow": _borrowers(request.user, item).exists(),
            "is_staff": selectors.is_hub_staff(request.user, item.hub),
            "calendar": selectors.calendar(start=start, days=28, item=item),
        },
    )


def _next_days(start: dt.date, days: int):
    tz = timezone.get_current_timezone()
    first = dt.datetime.combine(start, dt.time.min, tzinfo=tz)
    return first, first + dt.timedelta(days=days)


@login_required
def loan_request(request, pk):
    item = get_object_or_404(
        Item.objects.select_related("hub__organisation"), pk=pk, is_active=True
    )
    borrowers = _borrowers(request.user, item)
    if not borrowers.exists():
        raise PermissionDenied(
            _("Only people of an organisation that may borrow here can reserve this item.")
        )
    form = LoanRequestForm(
        request.POST or None, borrowers=borrowers, activities=_activities(borrowers)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            loan = services.loan_request(
                item=item, actor=request.user, **{k: data[k] for k in LOAN_FIELDS}
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your request has been sent to the hub."))
            return redirect(loan)
    return render(
        request,
        "lending/loan_request.html",
        {"item": item, "form": form},
        status=400 if form.errors else 200,
    )


LOAN_FIELDS = ("borrower", "quantity", "start_at", "end_at", "activity", "note")


@login_required
def loan_mine(request):
    organisations = selectors.borrower_organisations(request.user)
    loans = selectors.loans_of_borrowers(organisations)[:200]
    return render(
        request,
        "lending/loan_mine.html",
        {
            "loans": loans,
            "organisations": organisations,
            "hubs": selectors.hubs_managed_by(request.user),
            "bookings": selectors.lab_bookings_of(request.user),
            "now": timezone.now(),
        },
    )


@login_required
def loan_ical(request, slug):
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("lending.view_loans_of", organisation):
        raise PermissionDenied(
            _("Only the people of %(name)s see its loans.") % {"name": organisation.name}
        )
    loans = selectors.loans_of_borrowers([organisation]).order_by("start_at")[:500]
    body = loans_calendar(
        loans, name=_("Loans of %(name)s") % {"name": organisation.name}, base_url=settings.SITE_URL
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{slug}-uitleningen.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _loan_for(request, pk: int, perm: str) -> Loan:
    try:
        loan = selectors.loan_get(pk)
    except Loan.DoesNotExist as error:
        raise Http404 from error
    if not request.user.has_perm(perm, loan):
        raise PermissionDenied(_("You may not do this with this loan."))
    return loan


@login_required
def loan_detail(request, pk):
    loan = _loan_for(request, pk, "lending.view_loan")
    user = request.user
    staff = user.has_perm("lending.manage_loan", loan)
    borrower = user.has_perm("lending.change_loan", loan)
    return render(
        request,
        "lending/loan_detail.html",
        {
            "loan": loan,
            "is_staff": staff,
            "is_borrower": borrower,
            "checklist": services.checklist(loan) if staff else {},
            "accessories": list(loan.item.accessories.all()),
            "link_form": LinkActivityForm(
                initial={"activity": loan.activity_id},
                activities=Activity.objects.filter(organiser=loan.borrower),
            )
            if borrower
            else None,
        },
    )


@login_required
@require_POST
def loan_cancel(request, pk):
    loan = _loan_for(request, pk, "lending.change_loan")
    try:
        services.loan_cancel(loan=loan, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The loan is cancelled."))
    return redirect(loan)


@login_required
@require_POST
def loan_link_activity(request, pk):
    loan = _loan_for(request, pk, "lending.change_loan")
    form = LinkActivityForm(
        request.POST, activities=Activity.objects.filter(organiser=loan.borrower)
    )
    if form.is_valid():
        services.loan_link_activity(
            loan=loan, activity=form.cleaned_data["activity"], actor=request.user
        )
        messages.success(request, _("The loan's activity is saved."))
    else:
        messages.error(request, _("Choose one of your organisation's activities."))
    return redirect(loan)


@login_required
@require_POST
def lab_book(request, pk):
    session = get_object_or_404(LabSession.objects.select_related("hub__organisation"), pk=pk)
    form = LabBookingForm(
        request.POST, organisations=selectors.borrower_organisations(request.user)
    )
    if form.is_valid():
        try:
            services.lab_booking_create(session=session, user=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Booked: %(title)s.") % {"title": session.title})
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(session.hub.organisation.get_absolute_url() + "#lab")


@login_required
@require_POST
def lab_booking_cancel(request, pk):
    booking = get_object_or_404(LabBooking, pk=pk, user=request.user)
    services.lab_booking_cancel(booking=booking, actor=request.user)
    messages.success(request, _("Your booking is cancelled."))
    return redirect("lending:loan_mine")
