"""The import as a background job: start (dry run), confirm, run. Progress in ``core.Job``."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from stemnet.agenda import services
from stemnet.agenda.importing.reading import read_rows
from stemnet.agenda.importing.rows import Planner, RowError, RowPlan, write_row
from stemnet.core.models import Job

JOB_KIND = "agenda.import"
CHUNK = 50
PROGRESS_EVERY = 25


def _save_progress(job: Job, **fields) -> None:
    for key, value in fields.items():
        setattr(job, key, value)
    Job.objects.filter(pk=job.pk).update(updated_at=timezone.now(), **fields)


def activity_import_start(*, organisation, actor, name: str, content: bytes, language: str) -> Job:
    """Read the file and queue the dry run. ValidationError for a bad file (nothing queued)."""
    from stemnet.agenda.tasks import import_activities

    rows, ignored = read_rows(name, content)
    with transaction.atomic():
        job = Job.objects.create(
            kind=JOB_KIND,
            owner=actor,
            status=Job.Status.QUEUED,
            total=len(rows),
            result={
                "organisation": organisation.pk,
                "file_name": name[:200],
                "language": language,
                "phase": "validate",
                "mode": "",
                "rows": rows,
                "ignored_columns": ignored,
                "notes": rows.notes,
            },
        )
        transaction.on_commit(lambda: import_activities.enqueue(job_id=job.pk))
    return job


def activity_import_confirm(*, job: Job, actor, mode: str) -> Job:
    """Start the real import after the dry run: ``all`` rows (no errors allowed) or ``valid``."""
    from stemnet.agenda.tasks import import_activities

    with transaction.atomic():
        job = Job.objects.select_for_update().get(pk=job.pk)
        if job.result.get("phase") != "validated" or job.status != Job.Status.DONE:
            raise ValidationError(_("This import has already started or is not checked yet."))
        if mode not in {"all", "valid"}:
            raise ValidationError(_("Choose whether to import all rows or only the valid ones."))
        if mode == "all" and job.errors:
            raise ValidationError(
                _(
                    "Some rows have errors, so not all rows can be imported. Correct the file "
                    "and upload it again, or import only the valid rows."
                )
            )
        if mode == "valid" and not job.result.get("counts", {}).get("valid"):
            raise ValidationError(_("No row is valid, so there is nothing to import."))
        job.result = {**job.result, "phase": "import", "mode": mode, "stage": "checking"}
        job.status = Job.Status.QUEUED
        job.done = 0
        job.save(update_fields=["result", "status", "done", "updated_at"])
        transaction.on_commit(lambda: import_activities.enqueue(job_id=job.pk))
    return job


def _validate_all(job: Job, planner: Planner, rows: list[dict]) -> list[RowPlan]:
    plans = []
    for i, row in enumerate(rows, start=1):
        plans.append(planner.plan(row))
        if i % PROGRESS_EVERY == 0 or i == len(rows):
            _save_progress(job, done=i)
    return plans


def _counts(plans: list[RowPlan]) -> dict:
    return {
        "create": sum(1 for p in plans if p.action == "create"),
        "update": sum(1 for p in plans if p.action == "update"),
        "invalid": sum(1 for p in plans if not p.action),
        "valid": sum(1 for p in plans if p.action),
    }


def _errors(plans: list[RowPlan]) -> list[dict]:
    return [e.as_dict() for p in plans for e in p.errors]


def activity_import_run(*, job_id: int) -> Job:
    """The background part: the dry run, or the import after confirmation."""
    from stemnet.organisations.models import Organisation

    job = Job.objects.select_related("owner").get(pk=job_id)
    if job.kind != JOB_KIND or job.status not in {Job.Status.QUEUED}:
        return job
    result = dict(job.result)
    organisation = Organisation.objects.get(pk=result["organisation"])
    actor = job.owner
    rows = result.get("rows", [])
    _save_progress(job, status=Job.Status.RUNNING, done=0)
    with translation.override(result.get("language") or "nl"):
        planner = Planner(organisation)
        if result["phase"] == "validate":
            plans = _validate_all(job, planner, rows)
            result.update(phase="validated", counts=_counts(plans))
            _save_progress(job, status=Job.Status.DONE, errors=_errors(plans), result=result)
            return job
        if result["phase"] != "import":
            return job
        if result["mode"] == "all":
            plans = _validate_all(job, planner, rows)
            if any(p.errors for p in plans):
                # Something changed since the dry run: write nothing, show the new report.
                result.update(phase="validated", counts=_counts(plans), stage="")
                _save_progress(job, status=Job.Status.DONE, errors=_errors(plans), result=result)
                return job
            result["stage"] = "saving"
            _save_progress(job, result=result)
            created = updated = 0
            current = 0
            try:
                with transaction.atomic(), services.deferred_reindex():
                    for plan in plans:
                        current = plan.row
                        write_row(plan, organisation=organisation, actor=actor)
                        created += plan.action == "create"
                        updated += plan.action == "update"
            except ValidationError as exc:
                # Rolled back: nothing of this file is written.
                result.update(phase="failed", stage="", rows=[])
                failed = [RowError(current, "", m).as_dict() for m in exc.messages]
                _save_progress(job, status=Job.Status.FAILED, errors=failed, result=result)
                return job
            result.update(phase="imported", stage="", created=created, updated=updated, rows=[])
            _save_progress(job, status=Job.Status.DONE, done=len(rows), result=result, errors=[])
            return job
        # Only the valid rows: chunks of CHUNK rows, one transaction each, progress between.
        created = updated = 0
        errors: list[dict] = []
        result["stage"] = "saving"
        for start in range(0, len(rows), CHUNK):
            with transaction.atomic(), services.deferred_reindex():
                for row in rows[start : start + CHUNK]:
                    plan = planner.plan(row)
                    if plan.errors:
                        errors.extend(e.as_dict() for e in plan.errors)
                        continue
                    try:
                        write_row(plan, organisation=organisation, actor=actor)
                    except ValidationError as exc:
                        errors.extend(RowError(plan.row, "", m).as_dict() for m in exc.messages)
                        continue
                    created += plan.action == "create"
                    updated += plan.action == "update"
            _save_progress(job, done=min(len(rows), start + CHUNK))
        result.update(
            phase="imported",
            stage="",
            created=created,
            updated=updated,
            skipped=len({e["row"] for e in errors}),
            rows=[],
        )
        _save_progress(job, status=Job.Status.DONE, done=len(rows), result=result, errors=errors)
        return job
