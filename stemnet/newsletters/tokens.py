"""Signed links in mails: confirm a sign-up (expires), preferences and unsubscribe (no account).

A link carries the subscriber's id, the issue it came from (for the figures) and a signature
over the subscriber's ``secret``: a new secret revokes every old link.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from stemnet.newsletters.models import Subscriber

CONFIRM_SALT = "newsletters.confirm"
LINK_SALT = "newsletters.link"


def _sign(subscriber: Subscriber, salt: str, issue_id: int | None = None) -> str:
    payload = {"s": subscriber.pk, "k": subscriber.secret[:8]}
    if issue_id:
        payload["i"] = issue_id
    return signing.dumps(payload, salt=salt, compress=True)


def confirm_token(subscriber: Subscriber) -> str:
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(_sign(subscriber, CONFIRM_SALT))


def link_token(subscriber: Subscriber, issue_id: int | None = None) -> str:
    return _sign(subscriber, LINK_SALT, issue_id)


class BadToken(Exception):
    """The link is unknown, altered or revoked."""


class ExpiredToken(BadToken):
    """The confirmation link is older than ``NEWSLETTER_CONFIRM_DAYS``."""


def _load(token: str, salt: str) -> tuple[Subscriber, int | None]:
    try:
        payload = signing.loads(token, salt=salt)
    except signing.BadSignature as exc:
        raise BadToken from exc
    subscriber = Subscriber.objects.filter(pk=payload.get("s")).first()
    if subscriber is None or subscriber.secret[:8] != payload.get("k"):
        raise BadToken
    return subscriber, payload.get("i")


def read_confirm_token(token: str) -> Subscriber:
    max_age = settings.NEWSLETTER_CONFIRM_DAYS * 86400
    try:
        inner = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ExpiredToken from exc
    except signing.BadSignature as exc:
        raise BadToken from exc
    return _load(inner, CONFIRM_SALT)[0]


def read_link_token(token: str) -> tuple[Subscriber, int | None]:
    return _load(token, LINK_SALT)
