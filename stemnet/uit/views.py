"""The coordinator's page: their activities' state on UiTdatabank, with a retry button."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stemnet.agenda.models import Activity
from stemnet.organisations.models import Organisation
from stemnet.uit import selectors, services
from stemnet.uit.models import UitSync

PAGE_SIZE = 50


def _organisation(request) -> tuple[Organisation, list[Organisation]]:
    organisations = list(selectors.organisations_with_sync(request.user))
    slug = request.GET.get("organisation") or request.POST.get("organisation")
    if slug:
        organisation = get_object_or_404(Organisation, slug=slug)
        if not request.user.has_perm("uit.view_sync", organisation):
            raise PermissionDenied(_("You are not a coordinator of this organisation."))
        return organisation, organisations
    if not organisations:
        raise PermissionDenied(_("Only coordinators of an organisation see its UiT state."))
    return organisations[0], organisations


@login_required
def sync_list(request):
    organisation, organisations = _organisation(request)
    page = Paginator(selectors.activities_with_sync(organisation), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "uit/uitsync_list.html",
        {
            "organisation": organisation,
            "organisations": organisations,
            "page": page,
            "activities": page.object_list,
            "configured": services.is_configured(),
            "states": UitSync.State,
        },
    )


@login_required
@require_POST
def sync_retry(request, pk: int):
    activity = get_object_or_404(Activity.objects.select_related("organiser"), pk=pk)
    if not request.user.has_perm("uit.retry_sync", activity):
        raise PermissionDenied(_("You are not a coordinator of this activity's organiser."))
    if activity.source == Activity.Source.UIT:
        raise PermissionDenied(_("This activity comes from UiTdatabank; it is not sent back."))
    sync = services.uit_sync_retry(activity=activity, actor=request.user)
    if sync.state == UitSync.State.NOT_SENT:
        messages.warning(request, _("Nothing was sent: UiTdatabank is not configured."))
    else:
        messages.success(
            request, _("“%(title)s” is queued for UiTdatabank.") % {"title": activity.title}
        )
    url = reverse("uit:sync_list") + f"?organisation={activity.organiser.slug}"
    return redirect(url)
