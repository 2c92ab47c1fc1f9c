"""Editors' writes: issues, their blocks, a test send."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from stemnet.core import audit
from stemnet.newsletters import mails, selectors
from stemnet.newsletters.models import Block, Issue, Subscriber

ISSUE_FIELDS = (
    "subject",
    "intro",
    "include_digest",
    "segment_provinces",
    "segment_ages",
    "segment_themes",
)


def _ensure_draft(issue: Issue) -> None:
    if issue.status != Issue.Status.DRAFT:
        raise ValidationError(
            _("This issue is being sent or has been sent; it can no longer be changed."),
            code="not_draft",
        )


@transaction.atomic
def issue_create(*, audience: str, actor, **fields) -> Issue:
    issue = Issue(audience=audience, created_by=actor)
    for name in ISSUE_FIELDS:
        if name in fields:
            setattr(issue, name, fields[name])
    issue.full_clean()
    issue.save()
    audit.record(issue, "newsletters.issue.created", actor=actor)
    return issue


@transaction.atomic
def issue_update(*, issue: Issue, actor, **fields) -> Issue:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _ensure_draft(issue)
    for name in ISSUE_FIELDS:
        if name in fields:
            setattr(issue, name, fields[name])
    issue.full_clean()
    issue.save()
    audit.record(issue, "newsletters.issue.changed", actor=actor)
    return issue


@transaction.atomic
def block_add(*, issue: Issue, actor, kind: str, **fields) -> Block:
    issue = Issue.objects.select_for_update().get(pk=issue.pk)
    _ensure_draft(issue)
    last = issue.blocks.aggregate(m=Max("position"))["m"]
    block = Block(issue=issue, kind=kind, position=(last or 0) + 1, **fields)
    block.full_clean()
    block.save()
    audit.record(issue, "newsletters.issue.block_added", actor=actor, data={"kind": kind})
    return block


@transaction.atomic
def block_remove(*, block: Block, actor) -> None:
    issue = Issue.objects.select_for_update().get(pk=block.issue_id)
    _ensure_draft(issue)
    block.delete()
    audit.record(issue, "newsletters.issue.block_removed", actor=actor)


def block_move(*, block: Block, actor, up: bool) -> None:
    with transaction.atomic():
        issue = Issue.objects.select_for_update().get(pk=block.issue_id)
        _ensure_draft(issue)
        blocks = list(issue.blocks.all())
        index = next(i for i, b in enumerate(blocks) if b.pk == block.pk)
        other = index - 1 if up else index + 1
        if 0 <= other < len(blocks):
            blocks[index], blocks[other] = blocks[other], blocks[index]
            for position, b in enumerate(blocks, start=1):
                Block.objects.filter(pk=b.pk).update(position=position)


def preview_subscriber(issue: Issue, *, language: str, preferences: dict) -> Subscriber:
    """An unsaved subscriber for a preview or test send (no links, nothing stored)."""
    subscriber = Subscriber(audience=issue.audience, language=language)
    subscriber.postcode = preferences.get("postcode", "")
    subscriber.radius_km = preferences.get("radius_km")
    subscriber.ages = list(preferences.get("ages", []))
    subscriber.themes = list(preferences.get("themes", []))
    return subscriber


def issue_test_send(*, issue: Issue, actor, preferences: dict | None = None) -> None:
    """Mail the issue as a subscriber would see it to the editor's own address."""
    if not actor.email:
        raise ValidationError(_("Your account has no e-mail address to send a test to."))
    subscriber = preview_subscriber(
        issue, language=getattr(actor, "language", "") or "nl", preferences=preferences or {}
    )
    subscriber.email = actor.email
    digest = selectors.digest_search(subscriber) if mails.wants_digest(issue) else None
    message = mails.issue_message(
        issue, subscriber, blocks=mails.issue_blocks(issue), digest=digest, test=True
    )
    with transaction.atomic():
        message.send()
        audit.record(issue, "newsletters.issue.test_sent", actor=actor)
