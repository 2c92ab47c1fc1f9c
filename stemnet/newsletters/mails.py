"""The mails of the newsletters, each in the recipient's language: the sign-up confirmation,
the "already subscribed" reminder, and an issue (HTML and text) with its personal parts.

Every issue mail carries the RFC 8058 one-click unsubscribe headers (``List-Unsubscribe``
with an HTTPS link, ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``) and, in its
footer, links to the preferences page and to the unsubscribe page.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from stemnet.newsletters.models import Audience, Block, Issue, Subscriber
from stemnet.newsletters.tokens import confirm_token, link_token


def site_url(name: str, **kwargs) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _send(subject: str, text: str, html: str | None, to: str, headers=None):
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split())[:200], body=text, to=[to], headers=headers or {}
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send_confirmation(subscriber: Subscriber) -> None:
    with translation.override(subscriber.language):
        context = {
            "confirm_url": site_url("newsletters:confirm", token=confirm_token(subscriber)),
            "days": settings.NEWSLETTER_CONFIRM_DAYS,
        }
        text = render_to_string("newsletters/mail/confirm.txt", context)
        subject = _("Confirm your subscription to the STEMnet newsletter for parents")
    _send(subject, text, None, subscriber.email).send()


def send_already_subscribed(subscriber: Subscriber) -> None:
    with translation.override(subscriber.language):
        token = link_token(subscriber)
        context = {"preferences_url": site_url("newsletters:preferences", token=token)}
        text = render_to_string("newsletters/mail/already_subscribed.txt", context)
        subject = _("You are already subscribed to the STEMnet newsletter")
    _send(subject, text, None, subscriber.email).send()


# --- issues --------------------------------------------------------------------------------


@dataclass
class ActivityLine:
    title: str
    url: str
    start: dt.datetime | None
    place: str
    age_min: int | None
    age_max: int | None
    distance_km: float | None = None


def _selected_activities(block: Block) -> list[ActivityLine]:
    from stemnet.agenda.selectors import activity_get_public

    lines = []
    for pk in block.activity_ids:
        try:
            activity = activity_get_public(int(pk))
        except (Http404, ValueError, TypeError):
            continue  # unpublished or removed since the editor chose it
        session = next(iter(activity.sessions.all()), None)
        lines.append(
            ActivityLine(
                title=activity.title,
                url=settings.SITE_URL + activity.get_absolute_url(),
                start=session.starts_at if session else None,
                place=activity.municipality.name_nl if activity.municipality_id else "",
                age_min=activity.age_min,
                age_max=activity.age_max,
            )
        )
    return lines


def digest_lines(items: list[dict]) -> list[ActivityLine]:
    return [
        ActivityLine(
            title=item["title"],
            url=site_url("agenda:activity_detail", pk=item["id"], slug=item["slug"] or "-"),
            start=dt.datetime.fromisoformat(item["start"]) if item["start"] else None,
            place=item["place"],
            age_min=item["age_min"],
            age_max=item["age_max"],
            distance_km=item.get("distance_km"),
        )
        for item in items
    ]


def issue_blocks(issue: Issue) -> list[dict]:
    """The blocks with what they show (a selection's activities loaded once per render)."""
    out = []
    for block in issue.blocks.all():
        image_url = ""
        if block.kind == Block.Kind.IMAGE and block.image:
            image_url = block.image.url
            if image_url.startswith("/"):
                image_url = settings.SITE_URL + image_url
        activities = _selected_activities(block) if block.kind == Block.Kind.ACTIVITIES else []
        out.append({"block": block, "image_url": image_url, "activities": activities})
    return out


def issue_context(issue: Issue, *, blocks=None, digest=None, subscriber=None, issue_id=None):
    """What the issue templates need; without a subscriber it is the public (archive) view."""
    context = {
        "issue": issue,
        "blocks": issue_blocks(issue) if blocks is None else blocks,
        "digest": digest_lines(digest) if digest is not None else None,
        "personal": subscriber is not None,
        "archive_url": site_url("newsletters:archive_detail", pk=issue.pk) if issue.pk else "",
    }
    if subscriber is not None and subscriber.pk:
        token = link_token(subscriber, issue_id)
        context["preferences_url"] = site_url("newsletters:preferences", token=token)
        context["unsubscribe_url"] = site_url("newsletters:unsubscribe", token=token)
    return context


def issue_message(
    issue: Issue,
    subscriber: Subscriber,
    *,
    blocks: list[dict],
    digest: list[dict] | None,
    test: bool = False,
) -> EmailMultiAlternatives:
    """The mail of one issue to one subscriber, in the subscriber's language."""
    with translation.override(subscriber.language):
        context = issue_context(
            issue, blocks=blocks, digest=digest, subscriber=subscriber, issue_id=issue.pk
        )
        text = render_to_string("newsletters/mail/issue.txt", context)
        html = render_to_string("newsletters/mail/issue.html", context)
        subject = issue.subject
        if test:
            subject = _("[TEST] %(subject)s") % {"subject": subject}
    headers = {}
    if context.get("unsubscribe_url"):
        headers = {
            "List-Unsubscribe": f"<{context['unsubscribe_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        }
    return _send(subject, text, html, subscriber.email, headers)


def wants_digest(issue: Issue) -> bool:
    return issue.audience == Audience.PARENTS and issue.include_digest
