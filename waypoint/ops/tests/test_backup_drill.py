"""Drill: a backup of a populated instance restores into a fresh one, whole.

The instance of the test (the demo directory and activities, a case with a
document, a referral with an attachment, a publication file, the audit they
leave) is backed up with ``manage.py backup``; ``manage.py restore`` runs in
another process, configured as a new instance (its own database and
folders, the same keys), and prints ``tables_identical=N/N
files_identical=N/N decrypt_ok=1``. The restored instance then serves the
case page and the document through the app. With other keys the restore
refuses before writing anything, and on the restored data nothing opens.

Runs in both passes: SQLite (a database file in the test's folder) and
PostgreSQL (a database of its own on the shared server, dropped afterwards).
"""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection

from waypoint.accounts.models import AuditEvent, MemberOrganization, User
from waypoint.activities.models import Publication, PublicationFile
from waypoint.cases.models import Case
from waypoint.cases.tests.conftest import DISTINCTIVE_FAMILY, intake
from waypoint.ops.backup import BackupError, backup_restore
from waypoint.ops.testing import PDF, casework_make
from waypoint.ops.tests.servers import instance_environment, manage
from waypoint.referrals.models import Referral

pytestmark = pytest.mark.drill

LINE = re.compile(
    r"tables_identical=(\d+)/(\d+) files_identical=(\d+)/(\d+) decrypt_ok=(\d)"
)


def _keys(values: Any) -> str:
    return values if isinstance(values, str) else ",".join(values)


@pytest.fixture
def populated(
    transactional_db: None,
    demo: None,
    field_keys: None,
    settings: Any,
    tmp_path: Path,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
    caseworker_a: User,
    caseworker_b: User,
) -> Case:
    """Every kind of thing a backup holds: directory, case, document,
    referral with an attachment, publication file, audit rows."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path / "source" / "private"
    settings.MEDIA_ROOT = tmp_path / "source" / "media"
    case = intake(caseworker_a, org_a, staff=(caseworker_a,))
    casework_make(caseworker=caseworker_a, case=case, recipient=org_b, attachment=True)
    publication = Publication.objects.order_by("pk").first()
    assert publication is not None
    PublicationFile.objects.create(
        publication=publication,
        file=ContentFile(PDF, name="report.pdf"),
        language="en",
        content_type="application/pdf",
        size=len(PDF),
    )
    return case


def _instance(
    database_url: str, folder: Path, *, field_keys: str, index_key: str
) -> dict[str, str]:
    return instance_environment(
        database_url,
        folder,
        keys={"WAYPOINT_FIELD_KEYS": field_keys, "WAYPOINT_BLIND_INDEX_KEY": index_key},
        secret_key=str(django_settings.SECRET_KEY),
    )


SERVE = textwrap.dedent(
    """
    from django.test import Client
    from waypoint.accounts.models import User
    from waypoint.accounts.testing import login_with_second_factor
    from waypoint.cases.models import Case, Document
    from waypoint.directory.models import Service

    staff = login_with_second_factor(
        Client(), User.objects.get(username={username!r})
    )
    case = Case.objects.get(pk={case_pk})
    page = staff.get(f"/en/cases/{{case.pk}}/")
    document = Document.objects.get(case=case)
    download = staff.get(f"/en/cases/{{case.pk}}/documents/{{document.pk}}/")
    service = Service.objects.order_by("pk").first()
    public = Client().get(f"/en/services/{{service.pk}}/")
    print(
        "case_page", page.status_code, {family!r} in page.content.decode(),
        "document", download.status_code,
        b"".join(download.streaming_content if download.streaming else
                 [download.content]) == {pdf!r},
        "service_page", public.status_code,
    )
    """
)

OPEN_WITH_OTHER_KEYS = textwrap.dedent(
    """
    import json
    from pathlib import Path
    from waypoint.ops.backup import backup_verify

    source = Path({source!r})
    manifest = json.loads((source / "manifest.json").read_text())
    result = backup_verify(manifest, source)
    print(result.values, result.values_failed, result.files_opened,
          result.files_failed, result.line())
    """
)


def test_a_backup_restores_into_a_fresh_instance_table_for_table(
    populated: Case,
    caseworker_a: User,
    fresh_database: Any,
    tmp_path: Path,
) -> None:
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    manifest = json.loads((backup / "manifest.json").read_text())
    tables = connection.introspection.table_names()
    files = sorted(
        path
        for root in (
            Path(django_settings.WAYPOINT_PRIVATE_FILES_DIR),
            Path(django_settings.MEDIA_ROOT),
        )
        for path in root.rglob("*")
        if path.is_file()
    )
    # A document, an attachment (both encrypted) and a publication file.
    assert len(files) == 3
    assert set(manifest["tables"]) == set(tables)
    for key in _keys(django_settings.WAYPOINT_FIELD_KEYS).split(","):
        for path in backup.rglob("*"):
            assert not path.is_file() or key.encode() not in path.read_bytes()
    assert AuditEvent.objects.filter(action="instance.backup").count() == 1

    keys = {
        "field_keys": _keys(django_settings.WAYPOINT_FIELD_KEYS),
        "index_key": str(django_settings.WAYPOINT_BLIND_INDEX_KEY),
    }
    restored = _instance(fresh_database("restored"), tmp_path / "restored", **keys)
    done = manage(restored, "restore", str(backup))
    assert done.returncode == 0, done.stderr
    found = LINE.search(done.stdout)
    assert found, done.stdout
    print(found[0])
    assert found.groups() == (
        str(len(tables)),
        str(len(tables)),
        str(len(files)),
        str(len(files)),
        "1",
    )

    served = manage(
        restored,
        "shell",
        "-v",
        "0",
        "-c",
        SERVE.format(
            username=caseworker_a.username,
            case_pk=populated.pk,
            family=DISTINCTIVE_FAMILY,
            pdf=PDF,
        ),
    )
    assert served.returncode == 0, served.stderr
    assert served.stdout.split() == [
        "case_page", "200", "True", "document", "200", "True", "service_page", "200",
    ]  # fmt: skip

    # The keys of another instance: nothing opens on the restored data ...
    others = {
        "field_keys": Fernet.generate_key().decode(),
        "index_key": "another-blind-index-key-0123456789abcdefghij",
    }
    other_keys = _instance(restored["DATABASE_URL"], tmp_path / "restored", **others)
    opened = manage(
        other_keys,
        "shell",
        "-v",
        "0",
        "-c",
        OPEN_WITH_OTHER_KEYS.format(source=str(backup)),
    )
    assert opened.returncode == 0, opened.stderr
    values, values_failed, files_opened, files_failed, *line = opened.stdout.split()
    assert int(values) > 10 and values_failed == values
    assert files_opened == files_failed == "2"
    assert line[-1] == "decrypt_ok=0"

    # ... and a restore with them is refused before anything is written.
    refused_database = fresh_database("refused")
    refused = manage(
        _instance(refused_database, tmp_path / "refused", **others),
        "restore",
        str(backup),
    )
    assert refused.returncode == 1
    assert "WAYPOINT_FIELD_KEYS" in refused.stderr
    assert "Traceback" not in refused.stderr
    assert not (tmp_path / "refused" / "private").exists()


def test_a_restore_goes_only_into_an_empty_instance(
    populated: Case, tmp_path: Path
) -> None:
    """Restoring over the instance that was backed up is refused, and nothing
    of it changes."""
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    cases, referrals = Case.objects.count(), Referral.objects.count()
    with pytest.raises(BackupError, match="not empty"):
        backup_restore(actor="operator", source=backup)
    assert (Case.objects.count(), Referral.objects.count()) == (cases, referrals)


def test_a_backup_of_a_newer_release_or_into_a_used_folder_is_refused(
    populated: Case, tmp_path: Path
) -> None:
    backup = tmp_path / "backup"
    call_command("backup", str(backup))
    with pytest.raises(Exception, match="not empty: name a new folder"):
        call_command("backup", str(backup))
    with pytest.raises(Exception, match="is a file: name a new folder"):
        call_command("backup", str(backup / "manifest.json"))
    manifest_path = backup / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest["migrations"].append("cases.9999_from_the_future")
    manifest_path.write_text(json.dumps(manifest))
    with pytest.raises(
        BackupError, match=r"newer release.*cases\.9999_from_the_future"
    ):
        backup_restore(actor="operator", source=backup)
    manifest_path.write_text("{not json")
    with pytest.raises(BackupError, match=r"manifest\.json is not valid JSON"):
        backup_restore(actor="operator", source=backup)
