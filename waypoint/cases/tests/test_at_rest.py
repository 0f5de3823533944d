"""A distinctive name and document are nowhere in clear where data rests.

On SQLite the case is written by a separate process into a real database file
(the server's settings: WAL journal), and the test reads the file's raw bytes,
its WAL and shared memory, and the private files folder. On PostgreSQL it
reads every case table's rows as text (``SELECT t::text FROM table t``).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from waypoint.accounts.models import User
from waypoint.cases.models import Case
from waypoint.cases.services import document_add, note_add
from waypoint.cases.tests.at_rest_writer import (
    SECRET_DOCUMENT,
    SECRET_NAME,
    SECRET_PHONE,
)

ROOT = Path(__file__).resolve().parents[3]
# Pieces of the secrets, in the encodings a database might store text in.
NEEDLES = [
    piece.encode(encoding)
    for piece in ("Zamfiraqueen", "Oltenescu", "721 555 432", "RX-987654")
    for encoding in ("utf-8", "utf-16-le")
]


def _leaks(data: bytes) -> list[bytes]:
    return [needle for needle in NEEDLES if needle in data]


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="the raw file exists on SQLite only"
)
def test_the_sqlite_file_and_its_wal_hold_neither_the_name_nor_the_document(
    tmp_path: Path,
) -> None:
    """Every byte of the database file, WAL and private folder is searched."""
    database = tmp_path / "at-rest.sqlite3"
    private = tmp_path / "private"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "WAYPOINT_PRIVATE_FILES_DIR": str(private),
        "SECRET_KEY": "at-rest-test-only",
        "WAYPOINT_HTTPS": "0",
        "WAYPOINT_FIELD_KEYS": ",".join(django_settings.WAYPOINT_FIELD_KEYS)
        or _fresh_key(),
        "WAYPOINT_BLIND_INDEX_KEY": django_settings.WAYPOINT_BLIND_INDEX_KEY
        or "at-rest-blind-index-key-0123456789abcdef",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("DEBUG", None)
    done = subprocess.run(
        [sys.executable, "-m", "waypoint.cases.tests.at_rest_writer"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.startswith("case=")

    files = [
        path
        for path in [*tmp_path.glob("at-rest.sqlite3*"), *private.rglob("*")]
        if path.is_file()
    ]
    assert database in files
    assert any(path.parent != tmp_path for path in files), "no document stored"
    searched = 0
    for path in files:
        data = path.read_bytes()
        searched += len(data)
        assert not _leaks(data), f"{path.name} holds {_leaks(data)}"
        assert SECRET_DOCUMENT not in data
    assert searched > 100_000  # the schema alone is that big: the file was read


def _fresh_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's table data")
def test_postgresql_table_data_holds_neither_the_name_nor_the_document(
    field_keys: None,
    caseworker_a: User,
    case_a: Case,
    settings: Any,
    tmp_path: Path,
) -> None:
    """Each row of every case table, cast to text, has no clear secret."""
    from waypoint.cases.services import person_correct, person_details_of

    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    details = person_details_of(case_a.person)
    details.given_name, details.family_name = SECRET_NAME.split(" ")
    details.contact_details = SECRET_PHONE
    details.identity_documents = "RX-987654"
    person_correct(actor=caseworker_a, case=case_a, details=details)
    document_add(
        actor=caseworker_a,
        case=case_a,
        kind="identity",
        title=f"Passport of {SECRET_NAME}",
        upload=SimpleUploadedFile("passport.pdf", SECRET_DOCUMENT),
    )
    note_add(actor=caseworker_a, case=case_a, text=f"Met {SECRET_NAME}")
    tables = [
        model._meta.db_table for model in apps.get_app_config("cases").get_models()
    ] + ["accounts_auditevent"]
    rows = 0
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT t::text FROM {table} t")  # noqa: S608 (model tables)
            for (text,) in cursor.fetchall():
                rows += 1
                assert not _leaks(text.encode()), f"{table}: {text[:200]}"
    assert rows > 5
    stored = [path for path in tmp_path.rglob("*") if path.is_file()]
    assert stored
    for path in stored:
        assert not _leaks(path.read_bytes())
