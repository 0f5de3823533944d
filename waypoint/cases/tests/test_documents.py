"""Documents are accepted by content type and size, not by their name."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from waypoint.accounts.models import User
from waypoint.cases.documents import (
    DOCX,
    JPEG,
    MAX_DOCUMENT_BYTES,
    PNG,
    sniff_content_type,
)
from waypoint.cases.models import Case, Document
from waypoint.cases.services import document_add

pytestmark = pytest.mark.django_db


def _docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def test_the_accepted_types_are_recognised_by_their_first_bytes() -> None:
    """JPEG, PNG and DOCX by magic bytes; a plain ZIP is not a Word file."""
    assert sniff_content_type(b"\xff\xd8\xff\xe0rest") == JPEG
    assert sniff_content_type(b"\x89PNG\r\n\x1a\nrest") == PNG
    assert sniff_content_type(_docx()) == DOCX
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        archive.writestr("a.txt", "x")
    assert sniff_content_type(plain.getvalue()) is None


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("report.pdf", b"<html><script>alert(1)</script>"),
        ("virus.exe", b"MZ\x90\x00"),
        ("empty.pdf", b""),
    ],
)
def test_a_file_of_another_type_is_refused_whatever_its_name(
    caseworker_a: User,
    case_a: Case,
    settings: Any,
    tmp_path: Path,
    name: str,
    content: bytes,
) -> None:
    """Nothing is stored when the content is not an accepted type."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    with pytest.raises(ValidationError):
        document_add(
            actor=caseworker_a,
            case=case_a,
            kind="other",
            title="x",
            upload=SimpleUploadedFile(name, content),
        )
    assert not Document.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]


def test_a_file_over_ten_megabytes_is_refused(
    caseworker_a: User, case_a: Case, settings: Any, tmp_path: Path
) -> None:
    """The size limit holds even for an accepted type."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    big = b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES
    with pytest.raises(ValidationError, match="10 MB"):
        document_add(
            actor=caseworker_a,
            case=case_a,
            kind="other",
            title="x",
            upload=SimpleUploadedFile("big.pdf", big),
        )


def test_a_word_document_is_kept_with_its_detected_type(
    caseworker_a: User, case_a: Case, settings: Any, tmp_path: Path
) -> None:
    """The stored type comes from the content, not the upload's claim."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    document = document_add(
        actor=caseworker_a,
        case=case_a,
        kind="legal",
        title="Statement",
        upload=SimpleUploadedFile("s.bin", _docx(), content_type="text/plain"),
    )
    assert document.content_type == DOCX
    assert document.size == len(_docx())
