"""Running a ``core.Job``: whatever happens, a started job ends as done or failed."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import timezone
from django.utils.translation import gettext as _

from stemnet.core.models import Job

logger = logging.getLogger(__name__)


def _fail(job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED,
        errors=[{"row": 0, "column": "", "message": message}],
        updated_at=timezone.now(),
    )


def job_run(*, job_id: int, work: Callable[[], object], failure_message: str) -> None:
    """Run ``work`` (which moves the job on) so the job never stays queued or running.

    An exception marks the job failed with ``failure_message`` (the log has the traceback)
    and is raised again for the task backend. If ``work`` returns, or the worker is stopped
    (KeyboardInterrupt, SystemExit), while the job is still running, it is failed too: the
    progress page must never wait for ever.
    """
    try:
        work()
    except Exception:
        logger.exception("Job %s failed", job_id)
        _fail(job_id, failure_message)
        raise
    finally:
        if Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).exists():
            logger.error("Job %s stopped while running", job_id)
            _fail(job_id, _("The job stopped before it finished.") + " " + failure_message)
