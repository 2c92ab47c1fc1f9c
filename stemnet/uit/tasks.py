"""Background entry points of the UiTdatabank exchange: load by id, call a service."""

from stemnet.core.tasks import task


@task()
def sync_activity(activity_id: int) -> str:
    from stemnet.uit.services import uit_sync_activity

    sync = uit_sync_activity(activity_id=activity_id)
    return sync.state if sync else "skipped"


@task()
def import_from_search() -> int:
    """The scheduled import (run by cron/worker through ``manage.py uit_import``)."""
    from stemnet.uit.services import uit_import_run

    return uit_import_run().pk
