"""Bounce reports from a bounce mailbox: delivery status notifications (RFC 3464).

A report whose recipient has ``Action: failed`` and a permanent ``Status: 5.x.x`` is a hard
bounce: the address gets no more mail (``subscriber_record_bounce``). Temporary failures
(4.x.x) and delays are ignored; the outbox retries those itself.
"""

from __future__ import annotations

import email
import email.policy
import re

from stemnet.newsletters.services.subscribers import subscriber_record_bounce

_ADDRESS = re.compile(r"^\s*rfc822\s*;\s*<?([^>\s]+@[^>\s]+)>?\s*$", re.IGNORECASE)


def hard_bounces(raw: bytes) -> list[tuple[str, str]]:
    """(address, status) of every permanently failed recipient in one DSN message."""
    message = email.message_from_bytes(raw, policy=email.policy.compat32)
    found = []
    for part in message.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        groups = part.get_payload() if part.is_multipart() else []
        for group in groups[1:]:  # the first group describes the reporting server
            action = (group.get("Action") or "").strip().lower()
            status = (group.get("Status") or "").strip()
            match = _ADDRESS.match(group.get("Final-Recipient") or "")
            if action == "failed" and status.startswith("5") and match:
                found.append((match.group(1).lower(), status))
    return found


def bounces_process(*, raw: bytes) -> int:
    """Record the hard bounces of one DSN; returns how many subscriptions were stopped."""
    return sum(
        subscriber_record_bounce(email=address, reason=f"DSN {status}")
        for address, status in hard_bounces(raw)
    )
