"""Background entry points of the agenda: load by id, call the service."""

import logging

from django.utils.translation import gettext as _

from stemnet.core.models import Job
from stemnet.core.tasks import task

logger = logging.getLogger(__name__)


@task()
def import_activities(job_id: int) -> None:
    """The dry run or the import of a CSV/XLSX file (see ``importing``)."""
    from stemnet.agenda.importing import activity_import_run

    try:
        activity_import_run(job_id=job_id)
    except Exception:
        # Never leave the progress page waiting for ever; the log has the details.
        logger.exception("Import job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.FAILED,
            errors=[
                {
                    "row": 0,
                    "column": "",
                    "message": _(
                        "The import stopped because of an unexpected error. Check your "
                        "list of activities to see what was saved, then try again or "
                        "contact us."
                    ),
                }
            ],
        )
        raise
