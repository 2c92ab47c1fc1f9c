"""The coordinator side of the agenda: manage, import and API tokens (under /agenda/beheer/).

Views parse input, check the permission (403 for others; anonymous visitors go to the login
page), call a service and render. Organisation: ``?organisation=<slug>``, or the only one the
user coordinates.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stemnet.agenda import importing, services
from stemnet.agenda.forms import (
    ActivityForm,
    ApiTokenForm,
    CancelForm,
    DuplicateForm,
    ImportConfirmForm,
    ImportUploadForm,
    SessionForm,
    WeeklySessionsForm,
    apply_errors,
)
from stemnet.agenda.models import Activity, ApiToken, Session
from stemnet.core.models import Job
from stemnet.organisations.models import Membership, Organisation

PAGE_SIZE = 50

# --- helpers ----------------------------------------------------------------------------


def coordinated_organisations(user) -> QuerySet[Organisation]:
    if user.is_superuser:
        return Organisation.objects.active().order_by("name")
    return Organisation.objects.filter(
        memberships__user=user, memberships__role=Membership.Role.COORDINATOR
    ).order_by("name")


def _organisation(request, perm: str = "agenda.add_activity") -> Organisation | None:
    """The organisation to work for; None when the user must choose one of several."""
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug:
        organisation = get_object_or_404(Organisation, slug=slug)
        if not request.user.has_perm(perm, organisation):
            raise PermissionDenied(_("You are not a coordinator of this organisation."))
        return organisation
    if request.user.is_superuser:
        return None
    organisations = list(coordinated_organisations(request.user)[:2])
    if not organisations:
        raise PermissionDenied(_("Only coordinators of an organisation can manage its activities."))
    return organisations[0] if len(organisations) == 1 else None


def _activity(request, pk: int, perm: str = "agenda.manage_activity") -> Activity:
    activity = get_object_or_404(
        Activity.objects.select_related("organiser", "municipality"), pk=pk
    )
    if not request.user.has_perm(perm, activity):
        raise PermissionDenied(_("Only coordinators of the organiser can manage this activity."))
    return activity


def _writable(request, pk: int) -> Activity:
    activity = _activity(request, pk)
    if activity.read_only:
        raise PermissionDenied(
            _(
                "This activity was imported from UiTdatabank and is read-only here; "
                "change it in UiTdatabank."
            )
        )
    return activity


def _list_url(organisation: Organisation) -> str:
    return reverse("agenda:manage_list") + "?" + urlencode({"organisation": organisation.slug})


def _chooser(request, title: str, url_name: str):
    return render(
        request,
        "agenda/activity_manage_choose.html",
        {
            "title": title,
            "organisations": coordinated_organisations(request.user),
            "target": reverse(url_name),
        },
    )


# --- list, create, edit, preview ----------------------------------------------------------


@login_required
def manage_list(request):
    organisation = _organisation(request)
    if organisation is None:
        return _chooser(
            request, _("Choose the organisation whose activities you manage"), "agenda:manage_list"
        )
    status = request.GET.get("status", "")
    activities = Activity.objects.of_organisation(organisation)
    if status in Activity.Status.values:
        activities = activities.filter(status=status)
    else:
        status = ""
        activities = activities.exclude(status=Activity.Status.ARCHIVED)
    now = timezone.now()
    activities = (
        activities.select_related("municipality")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.filter(ends_at__gte=now).order_by("starts_at"),
                to_attr="upcoming",
            )
        )
        .order_by("-updated_at", "-pk")
    )
    page = Paginator(activities, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "agenda/activity_manage_list.html",
        {
            "organisation": organisation,
            "organisations": coordinated_organisations(request.user),
            "activities": page.object_list,
            "page": page,
            "status": status,
            "statuses": Activity.Status.choices,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_create(request):
    organisation = _organisation(request)
    if organisation is None:
        return _chooser(
            request, _("For which organisation is the new activity?"), "agenda:activity_create"
        )
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and not form.is_valid():
        form.add_all_errors(organisation=organisation)
    elif request.method == "POST":
        try:
            activity = services.activity_create(
                organisation=organisation, actor=request.user, data=form.to_data()
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The activity is saved as a draft. Now add its sessions."))
            return redirect("agenda:sessions", pk=activity.pk)
    return render(
        request,
        "agenda/activity_form.html",
        {"form": form, "organisation": organisation, "activity": None},
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int):
    activity = _writable(request, pk)
    if activity.status == Activity.Status.ARCHIVED:
        raise PermissionDenied(
            _("An archived activity cannot be changed. Duplicate it to offer it again.")
        )
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
        instance=activity,
    )
    if request.method == "POST" and not form.is_valid():
        form.add_all_errors(organisation=activity.organiser, instance=activity)
    elif request.method == "POST":
        try:
            services.activity_update(activity=activity, actor=request.user, data=form.to_data())
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("Your changes are saved."))
            return redirect(_list_url(activity.organiser))
    return render(
        request,
        "agenda/activity_form.html",
        {"form": form, "organisation": activity.organiser, "activity": activity},
    )


@login_required
def activity_preview(request, pk: int):
    activity = _activity(request, pk)
    return render(
        request,
        "agenda/activity_manage_preview.html",
        {
            "activity": activity,
            "sessions": activity.sessions.all(),
            "domains": activity.domains.all(),
            "themes": activity.themes.all(),
            "accessibility": activity.accessibility.all(),
        },
    )


# --- status changes ------------------------------------------------------------------------


def _status_action(request, pk: int, *, service, title: str, explanation: str, done: str):
    activity = _writable(request, pk)
    error = None
    if request.method == "POST":
        try:
            service(activity=activity, actor=request.user)
        except ValidationError as exc:
            error = exc.messages
        else:
            messages.success(request, done)
            return redirect(_list_url(activity.organiser))
    return render(
        request,
        "agenda/activity_manage_confirm.html",
        {
            "activity": activity,
            "title": title,
            "explanation": explanation,
            "errors": error,
        },
        status=422 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_publish(request, pk: int):
    return _status_action(
        request,
        pk,
        service=services.activity_publish,
        title=_("Publish activity"),
        explanation=_("The activity will appear in the public STEM agenda."),
        done=_("The activity is published."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_unpublish(request, pk: int):
    return _status_action(
        request,
        pk,
        service=services.activity_unpublish,
        title=_("Take the activity offline"),
        explanation=_("The activity becomes a draft again and disappears from the agenda."),
        done=_("The activity is a draft again."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_archive(request, pk: int):
    return _status_action(
        request,
        pk,
        service=services.activity_archive,
        title=_("Archive activity"),
        explanation=_(
            "An archived activity is no longer shown anywhere and cannot be changed. "
            "You can still duplicate it."
        ),
        done=_("The activity is archived."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_cancel(request, pk: int):
    activity = _writable(request, pk)
    form = CancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.activity_cancel(
                activity=activity, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("The activity is cancelled."))
            return redirect(_list_url(activity.organiser))
    return render(
        request,
        "agenda/activity_manage_cancel.html",
        {"activity": activity, "form": form},
        status=422 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def activity_duplicate(request, pk: int):
    activity = _activity(request, pk)
    form = DuplicateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            copy = services.activity_duplicate(
                activity=activity, actor=request.user, shift_weeks=form.cleaned_data["shift_weeks"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("A draft copy is made. Check it before publishing."))
            return redirect("agenda:activity_edit", pk=copy.pk)
    return render(
        request, "agenda/activity_manage_duplicate.html", {"activity": activity, "form": form}
    )


# --- sessions ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def sessions(request, pk: int):
    activity = _activity(request, pk)
    single = SessionForm(prefix="one")
    weekly = WeeklySessionsForm(prefix="weekly")
    error = None
    if request.method == "POST":
        if activity.read_only:
            raise PermissionDenied(_("This activity is read-only here."))
        action = request.POST.get("action")
        try:
            if action == "add":
                single = SessionForm(request.POST, prefix="one")
                if single.is_valid():
                    services.session_add(
                        activity=activity,
                        actor=request.user,
                        starts_at=single.cleaned_data["starts_at"],
                        ends_at=single.cleaned_data["ends_at"],
                    )
                    messages.success(request, _("The session is added."))
                    return redirect("agenda:sessions", pk=activity.pk)
            elif action == "weekly":
                weekly = WeeklySessionsForm(request.POST, prefix="weekly")
                if weekly.is_valid():
                    data = weekly.cleaned_data
                    added = services.sessions_add_weekly(
                        activity=activity,
                        actor=request.user,
                        first_start=data["first_start"],
                        duration=data["first_end"] - data["first_start"],
                        weeks=data["weeks"],
                        skip_dates=data["skip_dates"],
                    )
                    messages.success(
                        request, _("%(n)s weekly sessions are added.") % {"n": len(added)}
                    )
                    return redirect("agenda:sessions", pk=activity.pk)
            elif action == "remove":
                session = get_object_or_404(
                    Session, pk=request.POST.get("session") or 0, activity=activity
                )
                services.session_remove(session=session, actor=request.user)
                messages.success(request, _("The session is removed."))
                return redirect("agenda:sessions", pk=activity.pk)
            else:
                error = [_("Unknown action.")]
        except ValidationError as exc:
            if action == "add":
                apply_errors(single, exc)
            elif action == "weekly":
                apply_errors(weekly, exc)
            else:
                error = exc.messages
    invalid = error or single.errors or weekly.errors
    return render(
        request,
        "agenda/activity_manage_sessions.html",
        {
            "activity": activity,
            "sessions": activity.sessions.all(),
            "single": single,
            "weekly": weekly,
            "errors": error,
        },
        status=422 if invalid else 200,
    )


# --- import ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request):
    organisation = _organisation(request)
    if organisation is None:
        return _chooser(
            request, _("For which organisation do you import activities?"), "agenda:import_start"
        )
    form = ImportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = importing.activity_import_start(
                organisation=organisation,
                actor=request.user,
                name=upload.name,
                content=upload.read(),
                language=get_language() or "nl",
            )
        except ValidationError as exc:
            form.add_error("file", exc)
        else:
            return redirect("agenda:import_job", pk=job.pk)
    return render(
        request,
        "agenda/activity_import.html",
        {
            "form": form,
            "organisation": organisation,
            "columns": importing.COLUMNS,
        },
        status=422 if form.errors else 200,
    )


@login_required
def import_template(request):
    _organisation(request)  # coordinators only
    fmt = request.GET.get("format", "csv")
    if fmt == "xlsx":
        response = HttpResponse(
            importing.template_xlsx(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = 'attachment; filename="stem-activiteiten.xlsx"'
        return response
    if fmt != "csv":
        raise Http404(_("Choose csv or xlsx."))
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="stem-activiteiten.csv"'
    return response


def _job(request, pk: int) -> tuple[Job, Organisation]:
    job = get_object_or_404(Job, pk=pk, kind=importing.JOB_KIND)
    organisation = get_object_or_404(Organisation, pk=job.result.get("organisation"))
    if not (job.owner_id == request.user.pk or request.user.is_superuser):
        raise PermissionDenied(_("This import belongs to someone else."))
    if not request.user.has_perm("agenda.add_activity", organisation):
        raise PermissionDenied(_("You are not a coordinator of this organisation."))
    return job, organisation


def _job_context(job: Job, organisation: Organisation) -> dict:
    result = job.result
    return {
        "job": job,
        "organisation": organisation,
        "phase": result.get("phase"),
        "stage": result.get("stage", ""),
        "counts": result.get("counts", {}),
        "errors": job.errors[:1000],
        "more_errors": max(0, len(job.errors) - 1000),
        "error_rows": len({e.get("row") for e in job.errors}),
        "confirm": ImportConfirmForm(),
    }


@login_required
def import_job(request, pk: int):
    job, organisation = _job(request, pk)
    template = "agenda/activity_import_job.html"
    if request.htmx:
        template += "#progress"
    return render(request, template, _job_context(job, organisation))


@login_required
@require_POST
def import_confirm(request, pk: int):
    job, organisation = _job(request, pk)
    form = ImportConfirmForm(request.POST)
    if form.is_valid():
        try:
            importing.activity_import_confirm(
                job=job, actor=request.user, mode=form.cleaned_data["mode"]
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
    else:
        messages.error(request, _("Choose whether to import all rows or only the valid ones."))
    return redirect("agenda:import_job", pk=job.pk)


# --- API tokens ----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request):
    organisation = _organisation(request, "agenda.manage_api_tokens")
    if organisation is None:
        return _chooser(
            request, _("For which organisation do you manage API tokens?"), "agenda:api_tokens"
        )
    form = ApiTokenForm(
        request.POST if request.method == "POST" else None, organisation=organisation
    )
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            new = services.api_token_create(
                organisation=organisation,
                actor=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                valid_days=form.cleaned_data["valid_days"],
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            new_key = new.key
            form = ApiTokenForm(organisation=organisation)
    return render(
        request,
        "agenda/activity_manage_tokens.html",
        {
            "organisation": organisation,
            "tokens": ApiToken.objects.filter(organisation=organisation).select_related("user"),
            "form": form,
            "new_key": new_key,
        },
        status=422 if form.errors else 200,
    )


@login_required
@require_POST
def api_token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken.objects.select_related("organisation"), pk=pk)
    if not request.user.has_perm("agenda.manage_api_tokens", token.organisation):
        raise PermissionDenied(_("You are not a coordinator of this organisation."))
    services.api_token_revoke(token=token, actor=request.user)
    messages.success(request, _("The token is revoked; it no longer works."))
    return redirect(
        reverse("agenda:api_tokens") + "?" + urlencode({"organisation": token.organisation.slug})
    )
