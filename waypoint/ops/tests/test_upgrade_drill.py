"""Drill: the backup of the release before restores and migrates to this code.

``fixtures/release-sqlite/`` and ``fixtures/release-postgresql/`` are
backups written by ``scripts/release_fixture.py`` with the code of the
previous release (a small instance: two organisations, a case with a
document and a consent, a referral with an attachment; the SQLite database
gzipped), their test-only keys in ``fixtures/release-keys.env``. In each
pass the drill restores that database's fixture into a fresh instance, runs
``migrate`` (the fixtures predate migration ``directory.0009``), and checks
that no table of the backup lost a row, that every encrypted value and file
still opens, and that the case page and the document still read through the
app.
"""

from __future__ import annotations

import gzip
import json
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from django.db import connection

from waypoint.ops.tests.servers import instance_environment, manage

pytestmark = pytest.mark.drill

FIXTURES = Path(__file__).resolve().parent / "fixtures"

CHECK = textwrap.dedent(
    """
    import json
    from pathlib import Path
    from django.db import connection
    from django.test import Client
    from waypoint.accounts.models import User
    from waypoint.accounts.testing import login_with_second_factor
    from waypoint.cases.models import Case, Document
    from waypoint.ops.backup import encrypted_values_open, table_fingerprints_here

    manifest = json.loads(Path({manifest!r}).read_text())
    now = table_fingerprints_here()
    lost = [
        table for table, before in manifest["tables"].items()
        if now.get(table, {{"rows": -1}})["rows"] < before["rows"]
    ]
    values, failed = encrypted_values_open()
    staff = login_with_second_factor(
        Client(), User.objects.get(username="fixture_caseworker")
    )
    case = Case.objects.get()
    page = staff.get(f"/en/cases/{{case.pk}}/")
    document = Document.objects.get(case=case)
    with document.file.open("rb") as handle:
        pdf = handle.read()
    print(
        "lost", len(lost), "values", values, "failed", failed,
        "case_page", page.status_code, "Fixturescu" in page.content.decode(),
        "document", pdf.startswith(b"%PDF-1.4"),
    )
    """
)


def _keys() -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in (FIXTURES / "release-keys.env").read_text().splitlines()
        if line and not line.startswith("#")
    )


def test_the_previous_release_restores_and_migrates_with_nothing_lost(
    tmp_path: Path, fresh_database: Callable[[str], str]
) -> None:
    backup = tmp_path / "backup"
    shutil.copytree(FIXTURES / f"release-{connection.vendor}", backup)
    packed = backup / "database.sqlite3.gz"
    if packed.exists():
        with (
            gzip.open(packed, "rb") as source,
            (backup / "database.sqlite3").open("wb") as target,
        ):
            shutil.copyfileobj(source, target)
        packed.unlink()
    manifest = json.loads((backup / "manifest.json").read_text())
    env = instance_environment(
        fresh_database("upgraded"),
        tmp_path / "instance",
        keys=_keys(),
        secret_key="upgrade-drill-secret-key-0123456789abcdefghijklmn",
    )

    restored = manage(env, "restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    assert "migrations of this release are not applied yet" in restored.stdout
    tables, files = len(manifest["tables"]), len(manifest["files"])
    assert (
        f"tables_identical={tables}/{tables} files_identical={files}/{files} "
        "decrypt_ok=1"
    ) in restored.stdout
    migrated = manage(env, "migrate", "--no-input")
    assert migrated.returncode == 0, migrated.stderr
    unapplied = manage(env, "migrate", "--check")
    assert unapplied.returncode == 0, unapplied.stdout

    checked = manage(
        env,
        "shell",
        "-v",
        "0",
        "-c",
        CHECK.format(manifest=str(backup / "manifest.json")),
    )
    assert checked.returncode == 0, checked.stderr
    words = checked.stdout.split()
    assert words[:2] == ["lost", "0"], checked.stdout
    assert int(words[3]) >= 8 and words[5] == "0", checked.stdout
    assert words[6:] == ["case_page", "200", "True", "document", "True"]
