"""The files of publications: uploaded on the staff form (checked by
content and size), downloaded from the public pages, removed with the
publication."""

from __future__ import annotations

import io
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.accounts.testing import staff_make
from waypoint.activities import publication_files
from waypoint.activities.models import (
    Project,
    Publication,
    PublicationFile,
    PublicationType,
)
from waypoint.directory.models import ChangeRecord

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _zip(entries: list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


EPUB_BYTES = _zip([("mimetype", b"application/epub+zip"), ("content.opf", b"<x/>")])
ODT_BYTES = _zip(
    [("mimetype", b"application/vnd.oasis.opendocument.text"), ("content.xml", b"")]
)
DOCX_BYTES = _zip([("[Content_Types].xml", b"<x/>"), ("word/document.xml", b"<x/>")])


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def project(org_a: MemberOrganization) -> Project:
    return Project.objects.create(
        title="Rights of victims in practice",
        funding_programme="justice",
        coordinator=org_a.organization,
        start_date=date(2024, 1, 1),
    )


@pytest.fixture
def coordinator_client(org_a: MemberOrganization) -> Client:
    client = Client()
    client.force_login(staff_make("coordinator_a", org_a, Role.EVENT_COORDINATOR))
    return client


def _post(project: Project, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "type": PublicationType.GUIDE,
        "title": "Guide for lawyers",
        "subtitle": "",
        "project": str(project.pk),
        "published": "2025-02-01",
        "published_precision": "month",
        "languages": ["en", "ro"],
        "audience": "Lawyers",
        "summary": "",
        "language": "en",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-language": "en",
        "files-0-title": "",
        "files-0-upload": SimpleUploadedFile("guide.pdf", PDF_BYTES, "text/plain"),
    }
    data.update(changes)
    return data


def test_a_pdf_is_uploaded_and_downloaded_from_the_library(
    coordinator_client: Client, project: Project, media: Path
) -> None:
    response = coordinator_client.post(
        reverse("activities:manage_publication_create"), _post(project)
    )
    assert response.status_code == 302, response.text
    publication = Publication.objects.get(title="Guide for lawyers")
    stored = publication.files.get()
    # The type comes from the content, not from what the browser said.
    assert stored.content_type == "application/pdf"
    assert stored.size == len(PDF_BYTES)
    on_disk = media / str(stored.file.name)
    assert on_disk.read_bytes() == PDF_BYTES
    assert "guide" not in str(stored.file.name)  # a random name on disk
    assert ChangeRecord.objects.filter(
        resource_id=stored.pk, field_name="file"
    ).exists()

    anonymous = Client()
    library = anonymous.get(reverse("activities:publications"))
    link = reverse("activities:publication_file", kwargs={"pk": stored.pk})
    assert f'href="{link}"' in library.text
    assert "English (PDF" in library.text
    project_page = anonymous.get(project.get_absolute_url())
    assert f'href="{link}"' in project_page.text

    download = anonymous.get(link)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == (
        'attachment; filename="guide-for-lawyers-en.pdf"'
    )
    assert b"".join(download.streaming_content) == PDF_BYTES  # type: ignore[attr-defined]


def test_a_file_that_only_claims_to_be_a_pdf_is_refused_on_its_field(
    coordinator_client: Client, project: Project
) -> None:
    fake = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = coordinator_client.post(
        reverse("activities:manage_publication_create"),
        _post(project, **{"files-0-upload": fake}),
    )
    assert response.status_code == 400
    assert (
        "File 1, File: Only PDF, Word (DOCX), EPUB and OpenDocument text (ODT) "
        "files can be added." in response.text
    )
    assert 'href="#id_files-0-upload"' in response.text
    assert not Publication.objects.filter(title="Guide for lawyers").exists()
    assert not PublicationFile.objects.exists()


def test_a_file_over_the_limit_and_a_row_without_a_file_are_refused(
    coordinator_client: Client, project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(publication_files, "MAX_PUBLICATION_FILE_BYTES", 10)
    url = reverse("activities:manage_publication_create")
    response = coordinator_client.post(url, _post(project))
    assert response.status_code == 400
    assert "File 1, File: The file is larger than 0 MB." in response.text
    response = coordinator_client.post(
        url, _post(project, **{"files-0-upload": "", "files-0-title": "Guide"})
    )
    assert response.status_code == 400
    assert "File 1, File: Choose the file to add." in response.text
    assert not Publication.objects.exists()


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PDF_BYTES, "application/pdf"),
        (
            DOCX_BYTES,
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (EPUB_BYTES, "application/epub+zip"),
        (ODT_BYTES, "application/vnd.oasis.opendocument.text"),
        (_zip([("mimetype", b"application/zip"), ("a", b"")]), None),
        (_zip([("content.xml", b""), ("mimetype", b"application/epub+zip")]), None),
        (b"\x89PNG\r\n\x1a\n....", None),
        (b"PK\x03\x04 broken archive", None),
    ],
)
def test_formats_are_recognised_by_their_content(
    data: bytes, expected: str | None
) -> None:
    upload = SimpleUploadedFile("any.pdf", data, "application/pdf")
    assert publication_files.publication_file_type(upload) == expected


def test_replacing_and_deleting_remove_the_stored_files(
    coordinator_client: Client,
    project: Project,
    media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("activities:manage_publication_create"), _post(project)
        )
    publication = Publication.objects.get(title="Guide for lawyers")
    first = publication.files.get()
    first_path = media / str(first.file.name)
    edit = reverse("activities:manage_publication_edit", kwargs={"pk": publication.pk})
    page = coordinator_client.get(edit)
    assert 'enctype="multipart/form-data"' in page.text
    assert "Choose a file only to replace it." in page.text
    replace = _post(
        project,
        **{
            "files-TOTAL_FORMS": "2",
            "files-INITIAL_FORMS": "1",
            "files-0-id": str(first.pk),
            "files-0-publication": str(publication.pk),
            "files-0-language": "ro",
            "files-0-title": "Ghid pentru avocați",
            "files-0-upload": SimpleUploadedFile("ghid.epub", EPUB_BYTES),
            "files-1-language": "",
            "files-1-title": "",
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(edit, replace)
    assert response.status_code == 302, response.text
    first.refresh_from_db()
    assert first.content_type == "application/epub+zip"
    assert first.language == "ro"
    assert not first_path.exists()
    second_path = media / str(first.file.name)
    assert second_path.read_bytes() == EPUB_BYTES
    download = Client().get(first.get_absolute_url())
    assert download["Content-Disposition"] == (
        'attachment; filename="ghid-pentru-avocati-ro.epub"'
    )

    delete = reverse(
        "activities:manage_publication_delete", kwargs={"pk": publication.pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert coordinator_client.post(delete).status_code == 302
    assert not Publication.objects.filter(pk=publication.pk).exists()
    assert not PublicationFile.objects.exists()
    assert not second_path.exists()
    assert Client().get(first.get_absolute_url()).status_code == 404


def test_another_organisations_coordinator_cannot_change_the_files(
    project: Project, org_b: MemberOrganization
) -> None:
    publication = Publication.objects.create(
        type=PublicationType.GUIDE, title="Guide", project=project
    )
    other = Client()
    user: User = staff_make("coordinator_b", org_b, Role.EVENT_COORDINATOR)
    other.force_login(user)
    edit = reverse("activities:manage_publication_edit", kwargs={"pk": publication.pk})
    assert other.post(edit, _post(project)).status_code == 404
    assert not PublicationFile.objects.exists()
