"""The contact point: public intake and follow page, staff triage, academies' answers."""

import secrets

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stemnet.core.clientip import client_ip
from stemnet.matching import engine, labels, selectors, services
from stemnet.matching.forms import AnswerForm, IntakeForm, NoteForm, StatusForm
from stemnet.matching.models import CompanyRequest, Introduction
from stemnet.organisations.models import Organisation


def _staff(view):
    """Anonymous visitors log in; everyone but VLAIO staff and superusers gets 403."""

    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("matching.triage"):
            raise PermissionDenied(_("Only VLAIO staff work the contact point's queue."))
        return view(request, *args, **kwargs)

    wrapped.__name__ = view.__name__
    return wrapped


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


# ---------------------------------------------------------------- public


@require_http_methods(["GET", "POST"])
def intake(request):
    status = 200
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_bot():  # same answer as a person; nothing stored or sent
            messages.success(request, _("Thank you: we received your request."))
            return redirect("matching:intake")
        if form.is_valid():
            try:
                company_request, _created = services.request_submit(
                    data=form.request_data(),
                    submission_key=form.cleaned_data["submission_key"],
                    language=get_language() or "nl",
                    ip=client_ip(request),
                )
            except ValidationError as error:
                form.add_error(None, error)
                status = 429 if getattr(error, "code", "") == "rate_limited" else 400
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: we received your request and sent you an e-mail with "
                        "this page's link."
                    ),
                )
                return redirect("matching:follow", token=company_request.follow_token)
        else:
            status = 400
    else:
        form = IntakeForm(initial={"submission_key": secrets.token_urlsafe(24)})
    return render(request, "matching/companyrequest_form.html", {"form": form}, status=status)


@require_http_methods(["GET", "POST"])
def follow(request, token):
    company_request = selectors.request_by_token(token)
    if company_request is None:
        raise Http404
    if request.method == "POST":
        if company_request.follow_up_sent_at is None:
            raise Http404
        services.follow_up_answer(
            request=company_request, happened=request.POST.get("happened") == "yes"
        )
        messages.success(request, _("Thank you for letting us know."))
        return redirect("matching:follow", token=token)
    return render(
        request,
        "matching/companyrequest_follow.html",
        {
            "req": company_request,
            "introductions": company_request.introductions.select_related("academy"),
        },
    )


def figures_public(request):
    return render(
        request,
        "matching/figures_public.html",
        {"figures": selectors.figures(include_demo=True)},
    )


# ---------------------------------------------------------------- staff


@_staff
def queue(request):
    status = request.GET.get("status", "")
    if status and status not in CompanyRequest.Status.values:
        status = ""
    mine = request.GET.get("mine") == "1"
    rows = list(selectors.request_queue(status=status, owner_id=request.user.pk if mine else None))
    for row in rows:
        row.sla_due = selectors.sla_due(row)
        row.sla_overdue = selectors.sla_overdue(row)
        row.follow_up_due = selectors.follow_up_due_at(row)
    return render(
        request,
        "matching/companyrequest_queue.html",
        {
            "rows": rows,
            "status": status,
            "mine": mine,
            "statuses": CompanyRequest.Status.choices,
            "figures": selectors.figures(),
        },
    )


def _suggestions(company_request):
    runs = list(selectors.runs_for(f"request:{company_request.pk}")[:2])
    if not runs:
        return None
    run, previous = runs[0], (runs[1] if len(runs) > 1 else None)
    _offers, by_key = selectors.academy_offers()
    result = engine.Result.from_dict(run.result)
    locks = {
        lock.offer_key: lock.kind for lock in selectors.locks_for(f"request:{company_request.pk}")
    }
    pairs = [
        {
            "pair": pair,
            "academy": by_key.get(pair.offer_id),
            "parts": [(labels.PART_LABELS[p.name], p) for p in pair.parts if p.weight],
            "alternative": by_key.get(pair.alternative.offer_id) if pair.alternative else None,
            "alternative_why": labels.ALTERNATIVE_WHY.get(pair.alternative.why)
            if pair.alternative
            else "",
            "lock": locks.get(pair.offer_id, ""),
        }
        for pair in result.pairs
    ]
    unmatched = [
        (u.missing, labels.UNMATCHED_REASONS.get(u.reason, u.reason)) for u in result.unmatched
    ]
    locked_out = [(by_key.get(k), k) for k, kind in locks.items() if kind == "must_not"]
    return {
        "run": run,
        "previous": previous,
        "change": run.total_points - previous.total_points if previous else None,
        "pairs": pairs,
        "unmatched": unmatched,
        "locked_out": locked_out,
    }


@_staff
def request_detail(request, pk):
    company_request = get_object_or_404(CompanyRequest, pk=pk)
    company_request = selectors.request_get(company_request.pk)
    return render(
        request,
        "matching/companyrequest_detail.html",
        {
            "req": company_request,
            "status_form": StatusForm(initial={"status": company_request.status}),
            "note_form": NoteForm(),
            "staff": selectors.staff_users(),
            "sla_due": selectors.sla_due(company_request),
            "sla_overdue": selectors.sla_overdue(company_request),
            "follow_up_due": selectors.follow_up_due_at(company_request),
            "suggestions": _suggestions(company_request),
            "follow_url": services.follow_url(company_request),
        },
    )


def _post_on_request(handler):
    @_staff
    @require_POST
    def view(request, pk):
        company_request = get_object_or_404(CompanyRequest, pk=pk)
        try:
            message = handler(request, company_request)
        except ValidationError as error:
            _errors(request, error)
        else:
            if message:
                messages.success(request, message)
        return redirect("matching:request_detail", pk=pk)

    view.__name__ = handler.__name__
    return view


@_post_on_request
def request_status(request, company_request):
    form = StatusForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Choose a status."))
    services.request_set_status(
        request=company_request,
        status=form.cleaned_data["status"],
        reason=form.cleaned_data["reason"],
        actor=request.user,
    )
    return _("Status changed; the company received an e-mail.")


@_post_on_request
def request_owner(request, company_request):
    owner_id = request.POST.get("owner") or None
    owner = selectors.staff_users().filter(pk=owner_id).first() if owner_id else None
    if owner_id and owner is None:
        raise ValidationError(_("Only VLAIO staff can own a request."))
    services.request_assign(request=company_request, owner=owner, actor=request.user)
    return _("Owner saved.")


@_post_on_request
def request_note(request, company_request):
    form = NoteForm(request.POST)
    if not form.is_valid():
        raise ValidationError(_("Write a note first."))
    services.request_note_add(
        request=company_request, text=form.cleaned_data["text"], actor=request.user
    )
    return _("Note saved.")


@_post_on_request
def request_suggest(request, company_request):
    run = services.request_suggest(request=company_request, actor=request.user)
    return _("Suggestions computed (version %(version)s).") % {"version": run.version}


@_post_on_request
def request_lock(request, company_request):
    key = request.POST.get("academy", "")
    kind = request.POST.get("kind", "")
    _offers, by_key = selectors.academy_offers()
    if key not in by_key or kind not in ("", "must", "must_not"):
        raise ValidationError(_("Choose an academy and a lock."))
    services.lock_set(request=company_request, academy_key=key, kind=kind, actor=request.user)
    services.request_suggest(request=company_request, actor=request.user)
    return _("Lock saved and suggestions computed again.")


@_post_on_request
def request_introduce(request, company_request):
    key = request.POST.get("academy", "")
    _offers, by_key = selectors.academy_offers()
    academy = by_key.get(key)
    if academy is None:
        raise ValidationError(_("Choose an academy."))
    runs = selectors.runs_for(f"request:{company_request.pk}")
    pair = None
    if runs.exists():
        pair = next((p for p in runs.first().result["pairs"] if p["offer_id"] == key), None)
    services.introduction_send(
        request=company_request, academy=academy, pair=pair, actor=request.user
    )
    return _("Introduction sent to %(academy)s and to the company.") % {"academy": academy}


@_post_on_request
def request_follow_up(request, company_request):
    services.follow_up_send(request=company_request, actor=request.user)
    return _("Follow-up sent to the company.")


# ---------------------------------------------------------------- academies


def introductions(request):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    slug = request.GET.get("organisation", "")
    mine = Organisation.objects.filter(
        type=Organisation.Type.ACADEMY, memberships__user=request.user
    ).order_by("name")
    academy = Organisation.objects.filter(slug=slug).first() if slug else mine.first()
    if academy is None or not request.user.has_perm("matching.answer_introduction", academy):
        raise PermissionDenied(_("Only the academy's members see its introductions."))
    return render(
        request,
        "matching/introduction_list.html",
        {"academy": academy, "introductions": selectors.introductions_received(academy)},
    )


@require_POST
def introduction_answer(request, pk):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    intro = get_object_or_404(Introduction.objects.select_related("academy"), pk=pk)
    if not request.user.has_perm("matching.answer_introduction", intro):
        raise PermissionDenied(_("Only the academy's members answer its introductions."))
    form = AnswerForm(request.POST)
    if form.is_valid():
        services.introduction_answer(
            introduction=intro, answer=form.cleaned_data["answer"], actor=request.user
        )
        messages.success(request, _("Answer saved; VLAIO sees it."))
    else:
        messages.error(request, _("Choose interested or not now."))
    return redirect(f"{_introductions_url()}?organisation={intro.academy.slug}")


def _introductions_url():
    from django.urls import reverse

    return reverse("matching:introductions")
