"""Editors' pages (gangmakers, VLAIO staff): issues, blocks, preview, test send, sending
with a progress bar, pause and resume, figures, the subscribers' counts and the sync."""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from stemnet.newsletters import mails, selectors
from stemnet.newsletters.forms import BlockForm, IssueForm, PreviewForm
from stemnet.newsletters.models import Block
from stemnet.newsletters.services import issues as issue_services
from stemnet.newsletters.services import sending
from stemnet.newsletters.services.subscribers import subscribers_sync_directory


def editor_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("newsletters.edit"):
            raise PermissionDenied(_("Only the newsletters' editors can do this."))
        return view(request, *args, **kwargs)

    return wrapped


def _issue_fields(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k != "audience"}


@require_GET
@editor_required
def issue_list(request):
    context = {"issues": selectors.issue_list(), "counts": selectors.subscriber_counts()}
    return render(request, "newsletters/issue_list.html", context)


@editor_required
def issue_create(request):
    form = IssueForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        issue = issue_services.issue_create(
            audience=form.cleaned_data["audience"], actor=request.user, **_issue_fields(form)
        )
        return redirect("newsletters:issue_detail", pk=issue.pk)
    status = 400 if form.is_bound else 200
    return render(request, "newsletters/issue_form.html", {"form": form}, status=status)


@editor_required
def issue_edit(request, pk: int):
    issue = selectors.issue_get(pk)
    form = IssueForm(request.POST or None, instance=issue)
    if request.method == "POST" and form.is_valid():
        try:
            issue_services.issue_update(issue=issue, actor=request.user, **_issue_fields(form))
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("newsletters:issue_detail", pk=issue.pk)
    status = 400 if form.is_bound else 200
    context = {"form": form, "issue": issue}
    return render(request, "newsletters/issue_form.html", context, status=status)


def _detail_context(issue, *, block_form=None, preview_form=None) -> dict:
    preview_form = preview_form or PreviewForm(initial={"language": "nl"})
    return {
        "issue": issue,
        "blocks": issue.blocks.all(),
        "block_form": block_form or BlockForm(),
        "preview_form": preview_form,
        "figures": selectors.issue_figures(issue),
        "job": issue.job,
    }


@require_GET
@editor_required
def issue_detail(request, pk: int):
    issue = selectors.issue_get(pk)
    return render(request, "newsletters/issue_detail.html", _detail_context(issue))


@require_POST
@editor_required
def block_add(request, pk: int):
    issue = selectors.issue_get(pk)
    form = BlockForm(request.POST, request.FILES)
    if form.is_valid():
        fields = {k: v for k, v in form.cleaned_data.items() if k not in ("kind", "activities")}
        try:
            issue_services.block_add(
                issue=issue,
                actor=request.user,
                kind=form.cleaned_data["kind"],
                activity_ids=form.cleaned_data["activities"],
                **fields,
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return redirect("newsletters:issue_detail", pk=issue.pk)
    context = _detail_context(issue, block_form=form)
    return render(request, "newsletters/issue_detail.html", context, status=400)


@require_POST
@editor_required
def block_action(request, pk: int, action: str):
    if action not in ("remove", "up", "down"):
        raise Http404
    block = get_object_or_404(Block, pk=pk)
    try:
        if action == "remove":
            issue_services.block_remove(block=block, actor=request.user)
        else:
            issue_services.block_move(block=block, actor=request.user, up=action == "up")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("newsletters:issue_detail", pk=block.issue_id)


@require_GET
@editor_required
def issue_preview(request, pk: int):
    """The issue as one segment's subscriber gets it (their digest included), and how many
    subscribers the issue's segment holds."""
    issue = selectors.issue_get(pk)
    form = PreviewForm(request.GET or None, initial={"language": "nl"})
    prefs = form.cleaned_data if form.is_bound and form.is_valid() else {}
    language = prefs.get("language") or "nl"
    subscriber = issue_services.preview_subscriber(issue, language=language, preferences=prefs)
    digest = selectors.digest_search(subscriber) if mails.wants_digest(issue) else None
    from django.utils import translation

    with translation.override(language):
        context = _detail_context(issue, preview_form=form)
        context.update(mails.issue_context(issue, digest=digest, subscriber=subscriber))
        context["recipients"] = selectors.recipients_count(issue)
        return render(request, "newsletters/issue_preview.html", context)


@require_POST
@editor_required
def issue_test_send(request, pk: int):
    issue = selectors.issue_get(pk)
    form = PreviewForm(request.POST)
    prefs = form.cleaned_data if form.is_valid() else {}
    try:
        issue_services.issue_test_send(issue=issue, actor=request.user, preferences=prefs)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request, _("A test was sent to %(email)s.") % {"email": request.user.email}
        )
    return redirect("newsletters:issue_detail", pk=issue.pk)


@require_POST
@editor_required
def issue_send(request, pk: int, action: str):
    if action not in ("start", "pause", "resume"):
        raise Http404
    issue = selectors.issue_get(pk)
    try:
        if action == "start":
            sending.issue_send_start(issue=issue, actor=request.user)
        elif action == "pause":
            sending.issue_send_pause(issue=issue, actor=request.user)
        else:
            sending.issue_send_resume(issue=issue, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("newsletters:issue_detail", pk=issue.pk)


@require_GET
@editor_required
def issue_progress(request, pk: int):
    issue = selectors.issue_get(pk)
    context = {"issue": issue, "job": issue.job, "figures": selectors.issue_figures(issue)}
    return render(request, "newsletters/issue_detail.html#progress", context)


@require_POST
@editor_required
def subscriber_sync(request):
    counts = subscribers_sync_directory(actor=request.user)
    messages.success(
        request,
        _("Synced with the directory: %(added)s added, %(returned)s back, %(left)s left.") % counts,
    )
    return redirect("newsletters:issue_list")
