"""Background work on the production broker: django-tasks' RQ backend on a real Redis.

Uses Redis database 13 on 127.0.0.1:6379 (the server this machine and CI run), emptied
before and after. A real RQ worker (``SimpleWorker``, burst mode: it stops when the queue is
empty) runs the jobs in this process, against the test database.
"""

import pytest
import redis
from django.core import mail
from django.core.mail import send_mail
from django_tasks import task_backends
from django_tasks.base import TaskResultStatus
from rq import Queue, SimpleWorker
from rq.registry import ScheduledJobRegistry

from stemnet.core.models import OutboxMessage

REDIS_URL = "redis://127.0.0.1:6379/13"
pytestmark = pytest.mark.django_db


@pytest.fixture
def rq_broker(settings, outbox_locmem):
    connection = redis.Redis.from_url(REDIS_URL)
    connection.flushdb()
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 60}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    yield connection
    connection.flushdb()
    connection.close()


def run_worker(connection) -> None:
    import django_rq
    from django_tasks_rq import Job  # what ``rqworker --job-class django_tasks_rq.Job`` uses

    queue = django_rq.get_queue("default", job_class=Job)
    SimpleWorker([queue], connection=connection, job_class=Job).work(burst=True)


def test_mail_is_sent_by_a_real_rq_worker(rq_broker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Via RQ", "Tekst", None, ["an@example.org"])
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.QUEUED  # enqueued in Redis, not run yet
    assert Queue("default", connection=rq_broker).count == 1
    assert mail.outbox == []

    run_worker(rq_broker)
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT
    assert [m.subject for m in mail.outbox] == ["Via RQ"]
    [job_id] = Queue("default", connection=rq_broker).finished_job_registry.get_job_ids()
    result = task_backends["default"].get_result(job_id)
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == "sent"


def test_a_failed_send_is_scheduled_again_in_rq(
    rq_broker, settings, django_capture_on_commit_callbacks
):
    settings.OUTBOX_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Later", "Tekst", None, ["an@example.org"])
    run_worker(rq_broker)
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxMessage.Status.QUEUED, 1)
    scheduled = ScheduledJobRegistry("default", connection=rq_broker)
    [job_id] = scheduled.get_job_ids()
    at = scheduled.get_scheduled_time(job_id)
    assert abs((at - row.next_attempt_at).total_seconds()) < 1
