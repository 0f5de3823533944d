"""What a case document may be: its type, recognised by content, and its size."""

from __future__ import annotations

import io
import zipfile

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

EXTENSIONS = {PDF: ".pdf", JPEG: ".jpg", PNG: ".png", DOCX: ".docx"}


def sniff_content_type(data: bytes) -> str | None:
    """The accepted type ``data`` is, by its first bytes (never by its name)."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"PK\x03\x04"):
        # Any ZIP starts so; a Word document holds word/document.xml.
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return DOCX
        except zipfile.BadZipFile:
            return None
    return None


def document_read_checked(upload: UploadedFile[bytes]) -> tuple[bytes, str]:
    """The upload's bytes and type; ``ValidationError`` if too big or not allowed."""
    size = upload.size or 0
    if size > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is larger than 10 MB."), code="document_too_large"
        )
    data = b"".join(upload.chunks())
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is larger than 10 MB."), code="document_too_large"
        )
    if not data:
        raise ValidationError(_("The file is empty."), code="document_empty")
    content_type = sniff_content_type(data)
    if content_type is None:
        raise ValidationError(
            _("Only PDF, JPEG, PNG and Word (DOCX) files can be added."),
            code="document_type",
        )
    return data, content_type
