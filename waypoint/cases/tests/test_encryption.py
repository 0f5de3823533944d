"""Personal data is stored encrypted: the raw columns hold no clear text."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from waypoint.accounts.models import User
from waypoint.cases.models import Case, Document, Note, Person
from waypoint.cases.services import (
    document_add,
    note_add,
    session_record,
)
from waypoint.cases.tests.conftest import DISTINCTIVE_FAMILY, DISTINCTIVE_GIVEN

pytestmark = pytest.mark.django_db


def _raw_rows(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
        return repr(cursor.fetchall())


def test_the_person_table_holds_no_name_contact_or_document_number_in_clear(
    case_a: Case,
) -> None:
    """Raw SQL sees tokens where the name, contacts and documents are."""
    raw = _raw_rows("cases_person")
    for secret in (DISTINCTIVE_GIVEN, DISTINCTIVE_FAMILY, "721 000 111", "RX 123456"):
        assert secret not in raw
    person = Person.objects.get(pk=case_a.person_id)
    assert person.given_name == DISTINCTIVE_GIVEN
    assert person.identity_documents == "RX 123456"


def test_notes_and_session_notes_are_encrypted(
    caseworker_a: User, case_a: Case
) -> None:
    """Free text about the person never reaches a column in clear."""
    note_add(actor=caseworker_a, case=case_a, text="Lives at Strada Secreta 7")
    session_record(
        actor=caseworker_a,
        case=case_a,
        kind="legal_counselling",
        held_on=datetime.date(2026, 3, 1),
        duration_minutes=45,
        notes="Talked about Strada Secreta 7",
    )
    assert "Secreta" not in _raw_rows("cases_note")
    assert "Secreta" not in _raw_rows("cases_assistancesession")
    assert Note.objects.get(case=case_a).text == "Lives at Strada Secreta 7"


def test_a_document_is_encrypted_on_disk_under_a_random_name(
    caseworker_a: User, case_a: Case, settings: Any, tmp_path: Path
) -> None:
    """Neither the file's bytes nor its title are readable where they are kept."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    content = b"%PDF-1.7 " + DISTINCTIVE_FAMILY.encode() + b" passport scan"
    document = document_add(
        actor=caseworker_a,
        case=case_a,
        kind="identity",
        title=f"Passport of {DISTINCTIVE_FAMILY}",
        upload=SimpleUploadedFile("passport-oltenescu.pdf", content),
    )
    stored = list(tmp_path.rglob("*"))
    files = [path for path in stored if path.is_file()]
    assert len(files) == 1
    assert DISTINCTIVE_FAMILY.encode() not in files[0].read_bytes()
    assert "oltenescu" not in str(files[0]).lower()
    assert DISTINCTIVE_FAMILY not in _raw_rows("cases_document")
    with document.file.open("rb") as handle:
        assert handle.read() == content


def test_rotating_the_keys_re_encrypts_case_data_and_documents(
    caseworker_a: User, case_a: Case, settings: Any, tmp_path: Path
) -> None:
    """After rotate_keys the old key can be removed and everything still reads."""
    from cryptography.fernet import Fernet
    from django.core.management import call_command

    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    note_add(actor=caseworker_a, case=case_a, text="rotated note")
    document = document_add(
        actor=caseworker_a,
        case=case_a,
        kind="other",
        title="t",
        upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\nrotated"),
    )
    new_key = Fernet.generate_key().decode()
    settings.WAYPOINT_FIELD_KEYS = [new_key, *settings.WAYPOINT_FIELD_KEYS]
    call_command("rotate_keys", stdout=_Sink())
    settings.WAYPOINT_FIELD_KEYS = [new_key]
    assert Person.objects.get(pk=case_a.person_id).given_name == DISTINCTIVE_GIVEN
    assert Note.objects.get().text == "rotated note"
    with Document.objects.get(pk=document.pk).file.open("rb") as handle:
        assert handle.read().endswith(b"rotated")


class _Sink:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        return None
