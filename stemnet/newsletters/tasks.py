"""Background entry points of the newsletters: load by id, call a service."""

from stemnet.core.tasks import task


@task()
def issue_send_batch_task(issue_id: int) -> int:
    from stemnet.newsletters.services.sending import issue_send_batch

    return issue_send_batch(issue_id=issue_id)
