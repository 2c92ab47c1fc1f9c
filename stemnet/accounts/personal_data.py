"""Registry of the personal data STEMnet holds about a person (GDPR right of access).

Every app that stores data about a person registers one function per kind of data; the
"download my data" page (``accounts:data_export``) calls :func:`collect` and offers the result as
a JSON file. Nothing is discovered by magic: if an app keeps personal data and does not register,
the export is incomplete, so register in your ``AppConfig.ready()``::

    from stemnet.accounts import personal_data

    class PortalConfig(AppConfig):
        def ready(self):
            from stemnet.portal import selectors

            personal_data.register("contact_messages", selectors.contact_messages_of_person)

The function takes the :class:`~stemnet.accounts.models.User` and returns anything the JSON
encoder of Django (``DjangoJSONEncoder``: dates, decimals, UUIDs, lazy strings) can write: a list
of dicts is usual. Never return secrets (password hashes, TOTP secrets, recovery codes, tokens).
Labels are unique; registering a label twice replaces the earlier function (so ``ready()`` running
twice in tests is harmless).
"""

from collections.abc import Callable
from typing import Any

_REGISTRY: dict[str, Callable[[Any], Any]] = {}


def register(label: str, fn: Callable[[Any], Any]) -> None:
    """Add (or replace) the function that returns the data kind ``label`` for a person."""
    _REGISTRY[label] = fn


def unregister(label: str) -> None:
    _REGISTRY.pop(label, None)


def labels() -> list[str]:
    return sorted(_REGISTRY)


def collect(user) -> dict[str, Any]:
    """Everything registered about ``user``, keyed by label, in label order."""
    return {label: _REGISTRY[label](user) for label in sorted(_REGISTRY)}
