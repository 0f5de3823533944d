"""A damaged or hostile backup manifest is refused with a message, never
with a traceback, and never names a file outside the instance's folders."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from waypoint.ops.backup import SQLITE_FILE, BackupError, backup_read

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=12,
)
GOOD: dict[str, Any] = {
    "format": 1,
    "created_at": "2026-12-08T03:00:00+00:00",
    "vendor": "sqlite",
    "database_file": SQLITE_FILE,
    "migrations": ["cases.0001_initial"],
    "tables": {"cases_case": {"rows": 1, "sha256": "0" * 64}},
    "files": {"private/ab/" + "0" * 32: {"bytes": 3, "sha256": "0" * 64}},
    "keys": {"field_keys": ["0" * 16], "blind_index_key": ["1" * 16]},
}


@contextmanager
def _folder(manifest: object) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="waypoint-manifest-") as name:
        folder = Path(name)
        (folder / SQLITE_FILE).write_bytes(b"")
        (folder / "manifest.json").write_text(json.dumps(manifest))
        yield folder


def test_a_sound_manifest_is_read() -> None:
    with _folder(GOOD) as folder:
        assert backup_read(folder)["vendor"] == "sqlite"


@pytest.mark.parametrize(
    "name",
    [
        "private/../../etc/passwd",
        "media/../private/x",
        "private//etc/passwd",
        "/etc/passwd",
        "private",
        "secrets/ab/cd",
    ],
)
def test_a_file_name_that_leaves_its_folder_is_refused(name: str) -> None:
    manifest = {**GOOD, "files": {name: {"bytes": 1, "sha256": "0" * 64}}}
    with _folder(manifest) as folder, pytest.raises(BackupError, match="not a backup"):
        backup_read(folder)


@settings(max_examples=200, deadline=None)
@given(key=st.sampled_from(sorted(GOOD)), value=JSON)
def test_any_value_in_any_place_is_read_or_refused_with_a_message(
    key: str, value: object
) -> None:
    with _folder({**GOOD, key: value}) as folder:
        try:
            manifest = backup_read(folder)
        except BackupError as error:
            assert str(folder) in str(error)
            return
    for name in manifest["files"]:
        root, _slash, relative = name.partition("/")
        assert root in ("private", "media") and ".." not in Path(relative).parts


@settings(max_examples=50, deadline=None)
@given(value=JSON)
def test_a_manifest_that_is_not_an_object_is_refused(value: object) -> None:
    if isinstance(value, dict):
        value = [value]
    with _folder(value) as folder, pytest.raises(BackupError):
        backup_read(folder)
