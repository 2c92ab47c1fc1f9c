"""The one import site of the tasks API (Django 6's ``django.tasks`` or its 5.2 backport),
a helper for deferred work, and core's own background entry points."""

from __future__ import annotations

import datetime as dt

try:  # pragma: no cover - Django 6
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:  # Django 5.2 with django-tasks
    from django_tasks import task

__all__ = ["enqueue_later", "outbox_send", "task"]


def enqueue_later(work, run_after: dt.datetime, **kwargs) -> bool:
    """Enqueue ``work`` to run at ``run_after`` when the backend can defer (database, RQ).

    Returns False when it cannot (the immediate backend of tests): the periodic command
    that sweeps due rows (``send_outbox``, ``uit_retry``) then picks the work up.
    """
    if not work.get_backend().supports_defer:
        return False
    work.using(run_after=run_after).enqueue(**kwargs)
    return True


@task()
def outbox_send(message_id: int) -> str:
    """Send one outbox message (``stemnet.core.outbox``)."""
    from stemnet.core.outbox import outbox_deliver

    row = outbox_deliver(message_id=message_id)
    return row.status if row else "not due"
