"""Staff pages: upload, read the check, confirm the import; download the export."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import User
from waypoint.directory.models import ChangeRecord, Service
from waypoint.directory.testing import service_make

SERVICE_ID = "00000000-0000-4000-8000-000000000001"


def _feed(status: str = "active") -> SimpleUploadedFile:
    data = [
        {
            "id": SERVICE_ID,
            "name": "Uploaded service",
            "status": status,
            "organization": {
                "id": "10000000-0000-4000-8000-000000000001",
                "name": "Partner",
                "description": "A partner",
            },
        }
    ]
    return SimpleUploadedFile(
        "partner.json", json.dumps(data).encode(), "application/json"
    )


def test_the_upload_shows_the_check_and_writes_nothing_until_confirmed(
    editor_client: Client, editor: User
) -> None:
    """A dry run first; the import happens on confirmation, by the editor."""
    page = editor_client.get(reverse("directory:hsds_import"))
    assert page.status_code == 200
    checked = editor_client.post(reverse("directory:hsds_import"), {"file": _feed()})
    assert checked.status_code == 200
    assert b"created=2" in checked.content
    assert not Service.objects.exists()
    done = editor_client.post(reverse("directory:hsds_import_confirm"))
    assert done.status_code == 200
    assert Service.objects.filter(pk=SERVICE_ID).exists()
    change = ChangeRecord.objects.filter(resource_id=SERVICE_ID).first()
    assert change is not None
    assert change.actor == editor
    assert change.actor_label == "import:partner.json"


def test_a_bad_file_shows_its_problems_and_offers_no_import(
    editor_client: Client,
) -> None:
    """The check names the field; no confirm button; nothing written."""
    checked = editor_client.post(
        reverse("directory:hsds_import"), {"file": _feed(status="unknown")}
    )
    assert b"status: must be one of" in checked.content
    assert reverse("directory:hsds_import_confirm").encode() not in checked.content
    assert not Service.objects.exists()


def test_editors_download_the_export_as_a_zip(editor_client: Client) -> None:
    """The zip holds the data package and services.json."""
    service_make()
    response = editor_client.get(reverse("directory:hsds_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert {"services.csv", "datapackage.json", "services.json"} <= set(names)


@pytest.mark.parametrize("name", ["hsds_import", "hsds_export"])
def test_it_denies_the_outsider(client: Client, outsider: User, name: str) -> None:
    """Logged in without the directory permission: 403; anonymous: login page."""
    assert client.get(reverse(f"directory:{name}")).status_code == 302
    client.force_login(outsider)
    assert client.get(reverse(f"directory:{name}")).status_code == 403
    assert client.post(reverse("directory:hsds_import_confirm")).status_code == 403
