"""Pairing with sponsor companies and the award: staff pages, the school's entry, the jury's
dossier and the public winners page."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from stemnet.organisations.models import Organisation
from stemnet.stempact import award, pairing, selectors
from stemnet.stempact.models import Aspect, Cohort, Measurement, PairingLock, Trajectory
from stemnet.stempact.views import add_errors, check, results_context


class OfferForm(forms.Form):
    company = forms.ModelChoiceField(
        label=gettext_lazy("Company"),
        queryset=Organisation.objects.filter(type=Organisation.Type.COMPANY, is_active=True),
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Schools it can sponsor"), min_value=1, initial=1
    )
    expertise = forms.MultipleChoiceField(
        label=gettext_lazy("Expertise"), choices=Aspect.choices, widget=forms.CheckboxSelectMultiple
    )


class RunForm(forms.Form):
    max_distance_km = forms.FloatField(
        label=gettext_lazy("Maximum distance (km)"), min_value=1, max_value=300, initial=25
    )


class AwardOpenForm(forms.Form):
    criteria = forms.CharField(
        label=gettext_lazy("Award criteria (one per line)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=gettext_lazy("The formal STEMpact criteria are not published; name yours."),
    )


class EntryForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Why your action plan deserves the award"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


def _staff_cohort(request, pk: int) -> Cohort:
    check(request.user, "stempact.staff_area")
    return get_object_or_404(Cohort.objects.select_related("programme", "award_panel"), pk=pk)


def _pairing_rows(cohort: Cohort) -> list[dict]:
    scores = selectors.cohort_scores(cohort, Measurement.Kind.BASELINE)
    names = dict(cohort.sponsor_offers.values_list("company_id", "company__name"))
    locks = {}
    for lock in PairingLock.objects.filter(trajectory__cohort=cohort).select_related("company"):
        locks.setdefault(lock.trajectory_id, []).append(lock)
    rows = []
    for t in selectors.trajectories_of(cohort, status=Trajectory.Status.SELECTED):
        weak = selectors.weakest_aspects(list(scores.get(t.pk, {}).values()))
        alternative = (t.pairing or {}).get("alternative")
        rows.append(
            {
                "trajectory": t,
                "weakest": [Aspect(a).label for a in weak],
                "pairing": t.pairing,
                "reason": pairing.unmatched_label(t.unmatched_reason) if t.unmatched_reason else "",
                "alternative": names.get(alternative["company"]) if alternative else None,
                "locks": locks.get(t.pk, []),
            }
        )
    return rows


def _pairing_page(request, cohort: Cohort, status: int = 200, **forms_):
    context = {
        "cohort": cohort,
        "offers": cohort.sponsor_offers.select_related("company__municipality"),
        "offer_form": forms_.get("offer_form") or OfferForm(),
        "run_form": forms_.get("run_form") or RunForm(),
        "rows": _pairing_rows(cohort),
        "lock_kinds": PairingLock.Kind.choices,
    }
    return render(request, "stempact/pairing.html", context, status=status)


@login_required
def pairing_overview(request, pk: int):
    return _pairing_page(request, _staff_cohort(request, pk))


@login_required
@require_POST
def offer_save(request, pk: int):
    cohort = _staff_cohort(request, pk)
    form = OfferForm(request.POST)
    if form.is_valid():
        try:
            pairing.offer_save(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("stempact:pairing", pk=cohort.pk)
    return _pairing_page(request, cohort, status=400, offer_form=form)


@login_required
@require_POST
def pairing_run(request, pk: int):
    cohort = _staff_cohort(request, pk)
    form = RunForm(request.POST)
    if form.is_valid():
        try:
            result = pairing.pairing_run(cohort=cohort, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Paired: %(n)s schools.") % {"n": result.matched})
            return redirect("stempact:pairing", pk=cohort.pk)
    return _pairing_page(request, cohort, status=400, run_form=form)


@login_required
@require_POST
def pairing_lock(request, pk: int):
    check(request.user, "stempact.staff_area")
    trajectory = get_object_or_404(Trajectory, pk=pk)
    company = Organisation.objects.filter(pk=request.POST.get("company") or 0).first()
    kind = request.POST.get("kind") or None
    if company is None:
        messages.error(request, _("Choose a company."))
    else:
        try:
            pairing.lock_set(trajectory=trajectory, company=company, kind=kind, actor=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Adjustment saved; run the pairing again to apply it."))
    return redirect("stempact:pairing", pk=trajectory.cohort_id)


@login_required
@require_POST
def introductions_send(request, pk: int):
    cohort = _staff_cohort(request, pk)
    sent = pairing.introductions_send(cohort=cohort, actor=request.user)
    messages.success(request, _("Introductions sent for %(n)s pairs.") % {"n": sent})
    return redirect("stempact:pairing", pk=cohort.pk)


@login_required
def award_overview(request, pk: int):
    cohort = _staff_cohort(request, pk)
    form = AwardOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            award.award_open(
                cohort=cohort,
                criteria=form.cleaned_data["criteria"].splitlines(),
                actor=request.user,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            return redirect("stempact:award", pk=cohort.pk)
    return render(
        request,
        "stempact/award.html",
        {"cohort": cohort, "form": form, "rows": award.ranking(cohort)},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def nominee_set(request, pk: int):
    check(request.user, "stempact.staff_area")
    trajectory = get_object_or_404(Trajectory, pk=pk)
    try:
        award.nominee_set(
            trajectory=trajectory, nominated=request.POST.get("on") == "1", actor=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("stempact:award", pk=trajectory.cohort_id)


@login_required
@require_POST
def winner_publish(request, pk: int):
    check(request.user, "stempact.staff_area")
    trajectory = get_object_or_404(Trajectory, pk=pk)
    try:
        award.winner_publish(trajectory=trajectory, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The winner is published."))
    return redirect("stempact:award", pk=trajectory.cohort_id)


@login_required
@require_POST
def award_enter(request, pk: int):
    trajectory = get_object_or_404(Trajectory, pk=pk)
    if not selectors.is_school_member(request.user, trajectory):  # not even a superuser
        raise PermissionDenied(_("Only the school itself enters the award."))
    form = EntryForm(request.POST)
    if form.is_valid():
        try:
            award.award_enter(trajectory=trajectory, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Your award entry is saved."))
    else:
        messages.error(request, _("Write a short text about your action plan."))
    return redirect(trajectory.get_absolute_url() + "#award")


@login_required
def award_dossier(request, pk: int):
    trajectory = get_object_or_404(
        Trajectory.objects.select_related("cohort", "school", "sponsor"), pk=pk
    )
    if not award.may_read_dossier(request.user, trajectory):
        raise PermissionDenied(_("You may not see or change this."))
    context = {
        "trajectory": trajectory,
        "cohort": trajectory.cohort,
        "actions": trajectory.actions.all(),
    }
    if request.user.has_perm("stempact.view_results", trajectory):
        context.update(results_context(trajectory))
    return render(request, "stempact/award_dossier.html", context)


def winners(request):
    return render(request, "stempact/winners.html", {"cohorts": award.winners_published()})
