"""Private files: stored outside MEDIA_ROOT, served only after a permission check.

A FileField takes ``storage=private_storage``. The view that checks the permission answers with
``serve(field_file, filename)``: an ``X-Accel-Redirect`` to the proxy's internal location when
``settings.PRIVATE_MEDIA_X_ACCEL_PREFIX`` is set, else the file itself (FileResponse).
"""

from __future__ import annotations

from urllib.parse import quote

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.http import FileResponse, HttpResponse


class PrivateFileSystemStorage(FileSystemStorage):
    """Files on disk without a URL: a template that asks for one fails loudly."""

    def url(self, name):
        raise ValueError("A private file has no public URL: link to its permission-checked view.")


def private_storage():
    """The storage of private files (``STORAGES["private"]``), for ``FileField(storage=...)``."""
    return storages["private"]


def serve(field_file, filename: str) -> HttpResponse:
    """A download of ``field_file`` as ``filename``, never cached by shared caches."""
    prefix = settings.PRIVATE_MEDIA_X_ACCEL_PREFIX
    if prefix:
        response = HttpResponse(content_type="application/octet-stream")
        response["X-Accel-Redirect"] = prefix.rstrip("/") + "/" + quote(field_file.name)
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    else:
        response = FileResponse(field_file.open("rb"), as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
