"""Attachments are private: stored outside MEDIA_ROOT, served only to who may read the
application (they lived under /media/funding/<id>/<file> without any check)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from stemnet.accounts.tests.factories import UserFactory
from stemnet.funding import services
from stemnet.funding.tests.factories import (
    ApplicationFactory,
    coordinator_of,
    officer,
    pdf_upload,
    reviewer,
)
from stemnet.organisations.tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db
CONTENT = b"%PDF-1.4\n% vertrouwelijk plan\n"


@pytest.fixture
def attachment():
    application = ApplicationFactory()
    owner = coordinator_of(application.organisation)
    item = services.attachment_add(
        application=application, label="Plan", upload=pdf_upload(content=CONTENT), actor=owner
    )
    return item, owner


def _download(client, item):
    return client.get(reverse("funding:attachment_download", args=[item.pk]))


def test_only_who_reads_the_application_gets_the_file(client, attachment):
    item, owner = attachment
    assert _download(client, item).status_code == 302  # to the login
    for outsider in (UserFactory(), coordinator_of(OrganisationFactory()), reviewer()):
        client.force_login(outsider)
        assert _download(client, item).status_code == 403
    for reader in (owner, officer()):
        client.force_login(reader)
        response = _download(client, item)
        assert response.status_code == 200
        assert b"".join(response.streaming_content) == CONTENT
        assert response["Content-Disposition"].startswith("attachment;")
        assert response["Cache-Control"] == "private, no-store"


def test_behind_the_proxy_the_view_answers_with_x_accel_redirect(client, attachment, settings):
    settings.PRIVATE_MEDIA_X_ACCEL_PREFIX = "/private/"
    item, owner = attachment
    client.force_login(owner)
    response = _download(client, item)
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/private/{item.file.name}"
    assert response.content == b""


def test_private_files_are_never_under_the_public_media_root():
    from stemnet.core.private_files import PrivateFileSystemStorage

    root = Path(settings.PRIVATE_MEDIA_ROOT).resolve()
    assert not root.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
    with pytest.raises(ValueError):
        PrivateFileSystemStorage(location=root).url("funding/1/plan.pdf")


def test_the_edit_page_links_the_view_not_a_media_path(client, attachment):
    item, owner = attachment
    client.force_login(owner)
    html = client.get(reverse("funding:application_edit", args=[item.application_id])).content
    assert reverse("funding:attachment_download", args=[item.pk]).encode() in html
    assert settings.MEDIA_URL.encode() + b"funding" not in html
