"""Encrypted storage for the documents of the people assisted.

Files live under ``WAYPOINT_PRIVATE_FILES_DIR`` (``var/private/`` by default),
outside the static and media web roots, under random names: nothing on disk
tells whose document it is, what it was called or what type it is. The content
is one Fernet token (see :mod:`waypoint.lib.crypto`), so a file is encrypted and
decrypted whole, in memory: callers cap upload sizes. Storage has no URL; a
document is served only by a view that checks access.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.utils.functional import cached_property

from waypoint.lib.crypto import (
    decrypt_bytes,
    encrypt_bytes,
    rotate_bytes,
    token_is_current,
)

# Temporary files of an interrupted rotation start with this; they are never
# names the storage hands out (those are hexadecimal).
_ROTATING_PREFIX = ".rotating-"


class EncryptedFileSystemStorage(FileSystemStorage):
    """A ``FileSystemStorage`` that encrypts on save and decrypts on open.

    Use it as ``models.FileField(storage=EncryptedFileSystemStorage())``; the
    name stored in the database is ``ab/<32 hex digits>``, whatever the
    uploaded file was called.
    """

    def __init__(self, location: str | os.PathLike[str] | None = None) -> None:
        self._private_location = location
        super().__init__(
            location=location,
            base_url=None,
            file_permissions_mode=0o600,
            directory_permissions_mode=0o700,
        )
        setting_changed.connect(self._forget_location)

    @cached_property
    def base_location(self) -> str:
        return str(
            self._private_location
            if self._private_location is not None
            else settings.WAYPOINT_PRIVATE_FILES_DIR
        )

    @cached_property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def _forget_location(self, *, setting: str, **kwargs: object) -> None:
        if setting == "WAYPOINT_PRIVATE_FILES_DIR":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def get_available_name(self, name: str, max_length: int | None = None) -> str:
        """A fresh random name; the original name and folder are dropped."""
        while True:
            token = secrets.token_hex(16)
            candidate = f"{token[:2]}/{token}"
            if not self.exists(candidate):
                return candidate

    def _save(self, name: str, content: File[Any]) -> str:
        data = b"".join(
            chunk if isinstance(chunk, bytes) else chunk.encode("utf-8")
            for chunk in content.chunks()
        )
        # FileSystemStorage._save creates the folders and the file exclusively
        # with the permissions above; django-stubs does not declare it.
        saved = super()._save(name, ContentFile(encrypt_bytes(data)))  # type: ignore[misc]
        return str(saved)

    def _open(self, name: str, mode: str = "rb") -> File[Any]:
        if mode != "rb":
            raise ValueError("Encrypted files open only for reading, in 'rb' mode")
        with open(self.path(name), "rb") as handle:
            token = handle.read()
        return ContentFile(decrypt_bytes(token), name=name)

    def size(self, name: str) -> int:
        """The size of the decrypted content (the file on disk is larger)."""
        with self._open(name) as handle:
            return len(handle.read())

    def url(self, name: str | None) -> str:
        raise ValueError(
            "Encrypted files have no URL: serve them through an access-checked view."
        )

    def listdir(self, path: str) -> tuple[list[str], list[str]]:
        directories, files = super().listdir(path)
        return directories, [f for f in files if not f.startswith(_ROTATING_PREFIX)]


@dataclass
class FileRotation:
    """What :func:`rotate_files` found and did."""

    files: int = 0
    stale: int = 0
    rotated: int = 0


def stored_files(root: Path) -> list[Path]:
    """Every file under ``root`` (none if it does not exist), without the
    temporary files of an interrupted rotation."""
    if not root.is_dir():
        return []
    return sorted(
        path
        for path in root.rglob("*")
        if path.is_file() and not path.name.startswith(_ROTATING_PREFIX)
    )


def rotate_files(
    storage: EncryptedFileSystemStorage | None = None, *, check_only: bool = False
) -> FileRotation:
    """Re-encrypt every stored file that is not under the newest key.

    Each file is rewritten to a temporary file beside it, flushed, and renamed
    over the original, so a crash leaves either the old or the new token, never
    half of one. Files already under the newest key are left alone, so running
    it again does nothing.
    """
    storage = storage or EncryptedFileSystemStorage()
    result = FileRotation()
    for path in stored_files(Path(storage.location)):
        try:
            token = path.read_bytes()
        except FileNotFoundError:
            continue  # deleted while the rotation ran
        result.files += 1
        if token_is_current(token):
            continue
        result.stale += 1
        if check_only:
            continue
        rotated = rotate_bytes(token)
        temporary = path.with_name(f"{_ROTATING_PREFIX}{path.name}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(rotated)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
        result.rotated += 1
    return result
