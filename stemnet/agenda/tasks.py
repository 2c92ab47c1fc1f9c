"""Background entry points of the agenda: load by id, call the service."""

from django.utils.translation import gettext as _

from stemnet.core.jobs import job_run
from stemnet.core.tasks import task


@task()
def import_activities(job_id: int) -> None:
    """The dry run or the import of a CSV/XLSX file (see ``importing``)."""
    from stemnet.agenda.importing import activity_import_run

    job_run(
        job_id=job_id,
        work=lambda: activity_import_run(job_id=job_id),
        failure_message=_(
            "The import stopped because of an unexpected error. Check your "
            "list of activities to see what was saved, then try again or "
            "contact us."
        ),
    )
