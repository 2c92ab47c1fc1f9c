"""A started job always ends as done or failed, with its reason."""

import pytest

from stemnet.core.jobs import job_run
from stemnet.core.models import Job

pytestmark = pytest.mark.django_db


def _start() -> Job:
    return Job.objects.create(kind="test", status=Job.Status.RUNNING)


def test_an_exception_fails_the_job_with_the_reason_and_is_raised_again():
    job = _start()

    def crash():
        raise OverflowError("cannot convert Infinity to integer")

    with pytest.raises(OverflowError):
        job_run(job_id=job.pk, work=crash, failure_message="Stopped by an error.")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.errors == [{"row": 0, "column": "", "message": "Stopped by an error."}]


def test_a_stopped_worker_fails_the_job():
    job = _start()

    def interrupted():
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        job_run(job_id=job.pk, work=interrupted, failure_message="Try again.")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert "Try again." in job.errors[0]["message"]


def test_work_that_returns_while_running_fails_the_job():
    job = _start()
    job_run(job_id=job.pk, work=lambda: None, failure_message="Try again.")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED


def test_a_finished_job_is_left_alone():
    job = _start()

    def finish():
        Job.objects.filter(pk=job.pk).update(status=Job.Status.DONE)

    job_run(job_id=job.pk, work=finish, failure_message="Try again.")
    job.refresh_from_db()
    assert job.status == Job.Status.DONE and job.errors == []
