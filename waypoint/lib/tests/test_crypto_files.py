"""Encrypted private file storage: ciphertext on disk, random names, rotation."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.core.files.base import ContentFile
from pytest_django.fixtures import Settings as SettingsWrapper

from waypoint.lib.crypto import DecryptionError, token_is_current
from waypoint.lib.crypto_files import EncryptedFileSystemStorage, rotate_files

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
CONTENT = "Declarație: Μαρία Παπαδοπούλου, pașaport RO-0571939\n".encode()


@pytest.fixture(autouse=True)
def keys(settings: SettingsWrapper, tmp_path: Path) -> None:
    settings.WAYPOINT_FIELD_KEYS = [KEY_A]
    settings.WAYPOINT_BLIND_INDEX_KEY = "blind-index-key-for-the-file-tests-0123456789"
    settings.WAYPOINT_EPHEMERAL_KEYS = False
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path / "private"


def _disk_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def test_a_saved_file_reads_back_and_is_ciphertext_on_disk(tmp_path: Path) -> None:
    storage = EncryptedFileSystemStorage()
    name = storage.save("Maria_Papadopoulou_passport.pdf", ContentFile(CONTENT))

    with storage.open(name) as handle:
        assert handle.read() == CONTENT
    assert storage.size(name) == len(CONTENT)
    (on_disk,) = _disk_files(tmp_path / "private")
    raw = on_disk.read_bytes()
    assert raw.startswith(b"gAAAAA")
    for clear in (b"Maria", "Μαρία".encode(), b"0571939", b"passport", b"pdf"):
        assert clear not in raw


def test_file_names_are_random_and_reveal_nothing(tmp_path: Path) -> None:
    storage = EncryptedFileSystemStorage()
    first = storage.save("cases/ABC-123/Maria.pdf", ContentFile(b"a"))
    second = storage.save("cases/ABC-123/Maria.pdf", ContentFile(b"a"))
    assert first != second
    for name in (first, second):
        assert "Maria" not in name
        assert "ABC" not in name
        assert "." not in name
        folder, _, stem = name.partition("/")
        assert len(stem) == 32
        assert folder == stem[:2]


def test_files_and_folders_are_private_to_the_owner(tmp_path: Path) -> None:
    storage = EncryptedFileSystemStorage()
    name = storage.save("x.txt", ContentFile(b"x"))
    path = Path(storage.path(name))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert path.is_relative_to(tmp_path / "private")


def test_encrypted_files_have_no_url_and_open_only_for_reading() -> None:
    storage = EncryptedFileSystemStorage()
    name = storage.save("x.txt", ContentFile(b"x"))
    with pytest.raises(ValueError, match="access-checked view"):
        storage.url(name)
    with pytest.raises(ValueError, match="rb"):
        storage.open(name, "wb")


def test_rotation_re_encrypts_files_under_the_newest_key(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    """Save under A, put B first, rotate, drop A: the file still opens."""
    storage = EncryptedFileSystemStorage()
    names = [storage.save(f"doc{n}.pdf", ContentFile(CONTENT * n)) for n in range(3)]
    settings.WAYPOINT_FIELD_KEYS = [KEY_B, KEY_A]
    checked = rotate_files(storage, check_only=True)
    assert (checked.files, checked.stale, checked.rotated) == (3, 3, 0)
    done = rotate_files(storage)
    assert (done.files, done.stale, done.rotated) == (3, 3, 3)
    assert rotate_files(storage).rotated == 0

    settings.WAYPOINT_FIELD_KEYS = [KEY_B]
    for n, name in enumerate(names):
        with storage.open(name) as handle:
            assert handle.read() == CONTENT * n
    assert all(
        token_is_current(path.read_bytes())
        for path in _disk_files(tmp_path / "private")
    )
    assert not [p for p in _disk_files(tmp_path / "private") if "rotating" in p.name]


def test_a_file_under_a_removed_key_cannot_be_opened(
    settings: SettingsWrapper,
) -> None:
    storage = EncryptedFileSystemStorage()
    name = storage.save("x.txt", ContentFile(CONTENT))
    settings.WAYPOINT_FIELD_KEYS = [KEY_B]
    with pytest.raises(DecryptionError) as caught:
        storage.open(name)
    assert "Maria" not in str(caught.value)


def test_the_storage_follows_the_private_files_setting(
    settings: SettingsWrapper, tmp_path: Path
) -> None:
    storage = EncryptedFileSystemStorage()
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path / "elsewhere"
    name = storage.save("x.txt", ContentFile(b"x"))
    assert Path(storage.path(name)).is_relative_to(tmp_path / "elsewhere")
    explicit = EncryptedFileSystemStorage(location=tmp_path / "explicit")
    assert explicit.deconstruct()[0] == (
        "waypoint.lib.crypto_files.EncryptedFileSystemStorage"
    )
