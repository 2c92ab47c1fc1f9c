"""The one import site of the tasks API: Django 6's ``django.tasks`` or its 5.2 backport."""

try:  # pragma: no cover - Django 6
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:  # Django 5.2 with django-tasks
    from django_tasks import task

__all__ = ["task"]
