"""What a publication's file may be: PDF, Word (DOCX), EPUB or OpenDocument
text, recognised by content (never by the name or the browser's word), and
at most ``MAX_PUBLICATION_FILE_BYTES``.

PDF and DOCX are recognised as the case documents are
(``waypoint.cases.documents.sniff_content_type``); EPUB and ODT are ZIP
archives whose first entry, ``mimetype``, names the format.
"""

from __future__ import annotations

import zipfile
from typing import IO, cast

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from waypoint.cases.documents import DOCX, PDF, sniff_content_type

MAX_PUBLICATION_FILE_BYTES = 25 * 1024 * 1024

EPUB = "application/epub+zip"
ODT = "application/vnd.oasis.opendocument.text"

EXTENSIONS = {PDF: ".pdf", DOCX: ".docx", EPUB: ".epub", ODT: ".odt"}

# Enough of the start of a file for the signatures; a ZIP's directory is at
# its end, so archives are opened from the file itself, not from this.
_HEAD_BYTES = 8


def _zip_mimetype(stream: IO[bytes]) -> str | None:
    """The ``mimetype`` entry of an EPUB or OpenDocument archive."""
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
            if "word/document.xml" in names:
                return DOCX
            if names[:1] != ["mimetype"]:
                return None
            value = archive.read("mimetype")[:100].decode("ascii", "replace").strip()
    except (zipfile.BadZipFile, KeyError, OSError):
        return None
    return value if value in (EPUB, ODT) else None


def publication_file_type(upload: UploadedFile[bytes]) -> str | None:
    """The accepted type of ``upload`` by its content, or ``None``."""
    upload.seek(0)
    head = upload.read(_HEAD_BYTES)
    upload.seek(0)
    if head.startswith(b"PK\x03\x04"):
        found = _zip_mimetype(cast(IO[bytes], upload))
        upload.seek(0)
        return found
    kind = sniff_content_type(head)
    return kind if kind == PDF else None


def publication_file_checked(upload: UploadedFile[bytes]) -> str:
    """The upload's content type; ``ValidationError`` when too big, empty or
    not one of the accepted formats."""
    size = upload.size or 0
    if size > MAX_PUBLICATION_FILE_BYTES:
        raise ValidationError(
            _("The file is larger than %(size)s MB.")
            % {"size": MAX_PUBLICATION_FILE_BYTES // (1024 * 1024)},
            code="file_too_large",
        )
    if size == 0:
        raise ValidationError(_("The file is empty."), code="file_empty")
    content_type = publication_file_type(upload)
    if content_type is None:
        raise ValidationError(
            _(
                "Only PDF, Word (DOCX), EPUB and OpenDocument text (ODT) files "
                "can be added."
            ),
            code="file_type",
        )
    return content_type
