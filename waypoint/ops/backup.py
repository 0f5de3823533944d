"""Backups of a running instance, and their restore into an empty one.

A backup is a folder:

* ``database.sqlite3`` (SQLite's online backup API, a consistent copy while
  the instance keeps serving) or ``database.pgdump`` (``pg_dump -Fc`` on a
  snapshot exported from the transaction that also reads the checksums, so
  the dump and the manifest describe the same moment);
* ``files/private/`` and ``files/media/``: the encrypted documents
  (``WAYPOINT_PRIVATE_FILES_DIR``) and the files of publications
  (``WAYPOINT_MEDIA_DIR``), copied after the snapshot; a file the snapshot
  names that vanished meanwhile fails the backup;
* ``manifest.json``: the format, the database vendor, the applied
  migrations, each table's row count and SHA-256 of its rows in primary-key
  order, each file's size and SHA-256, and fingerprints of the keys (an HMAC
  under each key, which tells whether an instance has the same keys and
  reveals nothing of them).

The encryption keys are **not** in the backup: whoever holds a backup without
the keys holds ciphertext only. Keep them apart (docs/operating.md).

A restore goes only into an empty instance (no table, no file), refuses a
backup whose keys the instance lacks or whose migrations this release does
not know, and then checks what it restored against the manifest: every
table, every file, and every encrypted value and file opened with the keys.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection, models, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from waypoint.accounts.services import audit_instance_event_record
from waypoint.lib.crypto import (
    DecryptionError,
    decrypt_bytes,
    decrypt_str,
    encrypted_fields,
    encrypted_models,
    key_fingerprints,
)
from waypoint.lib.crypto_files import EncryptedFileSystemStorage, stored_files

FORMAT = 1
MANIFEST = "manifest.json"
SQLITE_FILE = "database.sqlite3"
PG_FILE = "database.pgdump"
# Rows hashed per round trip.
_CHUNK = 2000


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why and what to do."""


@dataclass
class Verification:
    """What a restore found when it compared the instance with the manifest."""

    tables: int = 0
    tables_identical: int = 0
    files: int = 0
    files_identical: int = 0
    values: int = 0
    values_failed: int = 0
    files_opened: int = 0
    files_failed: int = 0
    differences: list[str] = field(default_factory=list)

    @property
    def decrypt_ok(self) -> bool:
        return self.values_failed == 0 and self.files_failed == 0

    @property
    def identical(self) -> bool:
        return (
            self.tables_identical == self.tables
            and self.files_identical == self.files
            and self.decrypt_ok
        )

    def line(self) -> str:
        return (
            f"tables_identical={self.tables_identical}/{self.tables} "
            f"files_identical={self.files_identical}/{self.files} "
            f"decrypt_ok={int(self.decrypt_ok)}"
        )


# --- What is compared -----------------------------------------------------------


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def table_fingerprints(db: Any, vendor: str) -> dict[str, dict[str, Any]]:
    """Row count and SHA-256 of every table, rows in primary-key order.

    ``db`` is a DB-API connection of ``vendor``: the rows of SQLite are hashed
    as Python values, PostgreSQL's as the server's text of each row, so two
    databases of the same vendor compare equal exactly when their rows do.
    """
    cursor = db.cursor()
    if vendor == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    else:
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() "
            "ORDER BY tablename"
        )
    tables = [row[0] for row in cursor.fetchall()]
    result: dict[str, dict[str, Any]] = {}
    for table in tables:
        # A table without a primary key (none of Waypoint's): its rows' text.
        order = ", ".join(_quote(c) for c in _primary_key(cursor, vendor, table))
        order = order or "t::text"
        if vendor == "sqlite":
            cursor.execute(f"SELECT * FROM {_quote(table)} t ORDER BY {order}")  # noqa: S608
        else:
            cursor.execute(
                f"SELECT t::text FROM {_quote(table)} t ORDER BY {order}"  # noqa: S608
            )
        digest = hashlib.sha256()
        count = 0
        while rows := cursor.fetchmany(_CHUNK):
            for row in rows:
                values = [bytes(v) if isinstance(v, memoryview) else v for v in row]
                digest.update(repr(values).encode("utf-8", "surrogatepass") + b"\n")
            count += len(rows)
        result[table] = {"rows": count, "sha256": digest.hexdigest()}
    cursor.close()
    return result


def _primary_key(cursor: Any, vendor: str, table: str) -> list[str]:
    if vendor == "sqlite":
        cursor.execute(f"PRAGMA table_info({_quote(table)})")
        columns: list[tuple[int, str]] = [
            (row[5], row[1]) for row in cursor.fetchall() if row[5]
        ]
        if columns:
            return [name for _position, name in sorted(columns)]
        return ["rowid"]
    cursor.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a "
        "ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey) "
        "WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY a.attnum",
        [_quote(table)],
    )
    return [str(row[0]) for row in cursor.fetchall()]


def _file_roots() -> dict[str, Path]:
    return {
        "private": Path(settings.WAYPOINT_PRIVATE_FILES_DIR),
        "media": Path(settings.MEDIA_ROOT),
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_fields() -> list[tuple[type[models.Model], models.FileField]]:
    from django.apps import apps

    return [
        (model, model_field)
        for model in apps.get_models()
        for model_field in model._meta.local_concrete_fields
        if isinstance(model_field, models.FileField)
    ]


def _referenced_files(db: Any) -> dict[str, set[str]]:
    """The names each root's files have in the database read by ``db``."""
    names: dict[str, set[str]] = {"private": set(), "media": set()}
    cursor = db.cursor()
    for model, file_field in _file_fields():
        root = (
            "private"
            if isinstance(file_field.storage, EncryptedFileSystemStorage)
            else "media"
        )
        table, column = _quote(model._meta.db_table), _quote(str(file_field.column))
        cursor.execute(
            f"SELECT {column} FROM {table} WHERE {column} IS NOT NULL "  # noqa: S608
            f"AND {column} <> ''"
        )
        names[root].update(row[0] for row in cursor.fetchall())
    cursor.close()
    return names


def _applied_migrations(db: Any) -> list[str]:
    cursor = db.cursor()
    cursor.execute(
        f"SELECT app, name FROM {_quote(MigrationRecorder.Migration._meta.db_table)}"  # noqa: S608
    )
    applied = sorted(f"{app}.{name}" for app, name in cursor.fetchall())
    cursor.close()
    return applied


# --- Backup ---------------------------------------------------------------------


@dataclass(frozen=True)
class BackupSummary:
    path: Path
    tables: int
    rows: int
    files: int
    seconds: float


def _pg_environment() -> dict[str, str]:
    """libpq's environment for this instance's database (no password on a
    command line)."""
    database = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    env["PGDATABASE"] = str(database["NAME"])
    return env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is not on PATH: install the PostgreSQL client of the "
            "server's major version (Debian: postgresql-client)."
        )
    return found


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    done = subprocess.run(  # noqa: S603
        command, env=env, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise BackupError(f"{what} failed: {done.stderr.strip()[-2000:]}")


def backup_create(*, actor: str, destination: Path) -> BackupSummary:
    """Write a backup of this instance into ``destination`` (a new folder)."""
    started = timezone.now()
    if destination.exists() and not destination.is_dir():
        raise BackupError(f"{destination} is a file: name a new folder.")
    if destination.exists() and any(destination.iterdir()):
        raise BackupError(f"{destination} exists and is not empty: name a new folder.")
    destination.mkdir(parents=True, exist_ok=True, mode=0o700)
    destination.chmod(0o700)
    vendor = connection.vendor
    try:
        if vendor == "sqlite":
            snapshot = _sqlite_snapshot(destination / SQLITE_FILE)
        elif vendor == "postgresql":
            snapshot = _pg_snapshot(destination / PG_FILE)
        else:
            raise BackupError(f"Backups of {vendor} databases are not supported.")
        files = _copy_files(destination / "files", snapshot["referenced"])
    except BaseException:
        shutil.rmtree(destination, ignore_errors=True)
        raise
    manifest = {
        "format": FORMAT,
        "created_at": started.isoformat(),
        "vendor": vendor,
        "database_file": SQLITE_FILE if vendor == "sqlite" else PG_FILE,
        "migrations": snapshot["migrations"],
        "tables": snapshot["tables"],
        "files": files,
        "keys": key_fingerprints(),
    }
    (destination / MANIFEST).touch(mode=0o600)
    (destination / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True))
    seconds = (timezone.now() - started).total_seconds()
    rows = sum(table["rows"] for table in snapshot["tables"].values())
    audit_instance_event_record(
        action="instance.backup",
        details={
            "tables": len(snapshot["tables"]),
            "rows": rows,
            "files": len(files),
            "folder": destination.name,
            "by": actor,
        },
    )
    return BackupSummary(
        path=destination,
        tables=len(snapshot["tables"]),
        rows=rows,
        files=len(files),
        seconds=seconds,
    )


def _sqlite_snapshot(target: Path) -> dict[str, Any]:
    """SQLite's online backup API: pages copied while writers go on, restarted
    by SQLite when one writes meanwhile, so the copy is one moment."""
    connection.ensure_connection()
    source = connection.connection
    target.touch(mode=0o600)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")  # one file, no -wal beside it
        return {
            "tables": table_fingerprints(copy, "sqlite"),
            "migrations": _applied_migrations(copy),
            "referenced": _referenced_files(copy),
        }
    finally:
        copy.close()


def _pg_snapshot(target: Path) -> dict[str, Any]:
    """One REPEATABLE READ transaction exports its snapshot; ``pg_dump`` dumps
    exactly that snapshot while the same transaction reads the checksums."""
    pg_dump = _tool("pg_dump")
    target.touch(mode=0o600)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot_id = cursor.fetchone()[0]
        _run(
            [
                pg_dump,
                "--format=custom",
                f"--snapshot={snapshot_id}",
                "--no-owner",
                "--no-privileges",
                f"--file={target}",
            ],
            _pg_environment(),
            "pg_dump",
        )
        db = connection.connection
        return {
            "tables": table_fingerprints(db, "postgresql"),
            "migrations": _applied_migrations(db),
            "referenced": _referenced_files(db),
        }


def _copy_files(
    destination: Path, referenced: dict[str, set[str]]
) -> dict[str, dict[str, Any]]:
    """Copy both roots; every file the snapshot names must be there."""
    files: dict[str, dict[str, Any]] = {}
    for root_name, root in _file_roots().items():
        present = set()
        for path in stored_files(root):
            relative = path.relative_to(root).as_posix()
            copy = destination / root_name / relative
            copy.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            try:
                shutil.copyfile(path, copy)
            except FileNotFoundError:
                continue  # deleted meanwhile; checked against the snapshot below
            os.chmod(copy, 0o600)
            present.add(relative)
            files[f"{root_name}/{relative}"] = {
                "bytes": copy.stat().st_size,
                "sha256": _sha256(copy),
            }
        missing = sorted(referenced[root_name] - present)
        if missing:
            raise BackupError(
                f"{len(missing)} files the database names are not in {root} "
                f"(first: {missing[0]}); if they were deleted while the backup "
                "ran, run it again."
            )
    return files


# --- Restore --------------------------------------------------------------------


def backup_read(source: Path) -> dict[str, Any]:
    """The manifest of the backup in ``source``, checked for what a restore needs."""
    path = source / MANIFEST
    if not path.is_file():
        raise BackupError(f"{source} holds no {MANIFEST}: it is not a backup folder.")
    try:
        manifest: dict[str, Any] = json.loads(path.read_text())
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(f"{path} is not valid JSON: {error}") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"{path} is not a backup manifest (not a JSON object).")
    if manifest.get("format") != FORMAT:
        raise BackupError(
            f"{path}: backup format {manifest.get('format')!r}, this release "
            f"reads format {FORMAT}."
        )
    for key, kind in _MANIFEST_KEYS.items():
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"{path}: {key!r} is missing or not a {kind.__name__}.")
    if manifest["database_file"] not in (SQLITE_FILE, PG_FILE):
        raise BackupError(
            f"{path}: unknown database file {manifest['database_file']!r}."
        )
    if not (source / manifest["database_file"]).is_file():
        raise BackupError(
            f"{source} lacks its database file {manifest['database_file']}."
        )
    for name in manifest["files"]:
        _file_target(path, name)
    entries = [*manifest["tables"].values(), *manifest["files"].values()]
    if not all(isinstance(entry, dict) for entry in entries):
        raise BackupError(f"{path}: a table or file entry is not a JSON object.")
    return manifest


# What a manifest holds, and the type of each.
_MANIFEST_KEYS: dict[str, type] = {
    "created_at": str,
    "vendor": str,
    "database_file": str,
    "migrations": list,
    "tables": dict,
    "files": dict,
    "keys": dict,
}


def _file_target(manifest: Path, name: str) -> tuple[str, str]:
    """The root and the path inside it of a file the manifest names; a name
    that would leave its root (``..``, an absolute path) is refused."""
    root_name, _slash, relative = str(name).partition("/")
    parts = Path(relative).parts
    if (
        root_name not in ("private", "media")
        or not parts
        or Path(relative).is_absolute()
        or ".." in parts
    ):
        raise BackupError(f"{manifest}: the file name {name!r} is not a backup file.")
    return root_name, relative


def _check_keys(manifest: dict[str, Any]) -> None:
    ours = key_fingerprints()
    theirs = {
        name: [str(mark) for mark in manifest["keys"].get(name) or []]
        for name in ("field_keys", "blind_index_key")
    }
    if theirs["field_keys"] and not set(theirs["field_keys"]) & set(ours["field_keys"]):
        raise BackupError(
            "None of this instance's WAYPOINT_FIELD_KEYS is a key of the backup: "
            "its personal data and files would not open. Set the keys kept with "
            "the backup (they are never inside it)."
        )
    if theirs["blind_index_key"] != ours["blind_index_key"]:
        raise BackupError(
            "WAYPOINT_BLIND_INDEX_KEY differs from the backup's: people and "
            "documents could not be found by their encrypted values. Set the "
            "key kept with the backup."
        )


def _check_migrations(manifest: dict[str, Any]) -> list[str]:
    """Refuse a backup of a newer release; the migrations still to apply."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = {f"{app}.{name}" for app, name in loader.graph.nodes}
    unknown = sorted(set(manifest["migrations"]) - known)
    if unknown:
        raise BackupError(
            f"The backup is of a newer release: {len(unknown)} of its migrations "
            f"are unknown here (first: {unknown[0]}). Restore it with the "
            "release that made it."
        )
    return sorted(known - set(manifest["migrations"]))


def _check_empty() -> None:
    tables = connection.introspection.table_names()
    if tables:
        raise BackupError(
            f"The database of this instance is not empty ({len(tables)} tables): "
            "restore only into a new, empty database."
        )
    for root_name, root in _file_roots().items():
        if stored_files(root):
            raise BackupError(
                f"The {root_name} files folder {root} is not empty: restore only "
                "into an instance without files."
            )


@dataclass(frozen=True)
class RestoreSummary:
    verification: Verification
    migrations_to_apply: list[str]


def backup_restore(*, actor: str, source: Path) -> RestoreSummary:
    """Restore the backup in ``source`` into this empty instance and verify it."""
    manifest = backup_read(source)
    if manifest["vendor"] != connection.vendor:
        raise BackupError(
            f"The backup is of a {manifest['vendor']} database; this instance "
            f"uses {connection.vendor}."
        )
    _check_keys(manifest)
    pending = _check_migrations(manifest)
    _check_empty()
    database_file = source / manifest["database_file"]
    if connection.vendor == "sqlite":
        _sqlite_restore(database_file)
    else:
        _pg_restore(database_file)
    _restore_files(source / "files", manifest["files"])
    verification = backup_verify(manifest, source)
    audit_instance_event_record(
        action="instance.restored",
        details={
            "by": actor,
            "backup_created_at": manifest["created_at"],
            "tables_identical": verification.tables_identical,
            "tables": verification.tables,
            "files_identical": verification.files_identical,
            "files": verification.files,
            "values_decrypted": verification.values - verification.values_failed,
            "decrypt_ok": verification.decrypt_ok,
        },
    )
    return RestoreSummary(verification=verification, migrations_to_apply=pending)


def _sqlite_restore(database_file: Path) -> None:
    target = Path(str(connection.settings_dict["NAME"]))
    connection.close()
    source = sqlite3.connect(f"file:{database_file}?mode=ro", uri=True)
    copy = sqlite3.connect(target)
    try:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode = WAL")
    finally:
        copy.close()
        source.close()


def _pg_restore(database_file: Path) -> None:
    pg_restore = _tool("pg_restore")
    env = _pg_environment()
    connection.close()
    _run(
        [
            pg_restore,
            "--single-transaction",
            "--exit-on-error",
            "--no-owner",
            "--no-privileges",
            f"--dbname={env['PGDATABASE']}",
            str(database_file),
        ],
        env,
        "pg_restore",
    )


def _restore_files(source: Path, files: dict[str, Any]) -> None:
    roots = _file_roots()
    for name in files:
        root_name, relative = _file_target(source, name)
        target = roots[root_name] / relative
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        shutil.copyfile(source / root_name / relative, target)
        os.chmod(target, 0o600)


def backup_verify(manifest: dict[str, Any], source: Path) -> Verification:
    """Compare this instance with the manifest and open everything encrypted."""
    result = Verification()
    ours = table_fingerprints_here()
    theirs: dict[str, Any] = manifest["tables"]
    result.tables = len(theirs)
    for table, expected in sorted(theirs.items()):
        found = ours.get(table)
        if found == expected:
            result.tables_identical += 1
        elif found is None:
            result.differences.append(f"table {table}: missing")
        else:
            result.differences.append(
                f"table {table}: {expected.get('rows')} rows in the backup, "
                f"{found['rows']} here"
                + (
                    ", with other contents"
                    if found["rows"] == expected.get("rows")
                    else ""
                )
            )
    for table in sorted(set(ours) - set(theirs)):
        result.differences.append(f"table {table}: not in the backup")
    roots = _file_roots()
    result.files = len(manifest["files"])
    for name, expected in sorted(manifest["files"].items()):
        root_name, relative = _file_target(source, name)
        path = roots[root_name] / relative
        if path.is_file() and _sha256(path) == expected.get("sha256"):
            result.files_identical += 1
        else:
            result.differences.append(f"file {name}: missing or changed")
    values, failed = encrypted_values_open()
    result.values, result.values_failed = values, failed
    for path in stored_files(roots["private"]):
        result.files_opened += 1
        try:
            decrypt_bytes(path.read_bytes())
        except DecryptionError:
            result.files_failed += 1
    if failed:
        result.differences.append(f"{failed} of {values} encrypted values did not open")
    if result.files_failed:
        result.differences.append(
            f"{result.files_failed} of {result.files_opened} private files did not open"
        )
    return result


def table_fingerprints_here() -> dict[str, dict[str, Any]]:
    """This instance's tables, read as a backup reads them: on SQLite through a
    plain ``sqlite3`` connection (Django's converts dates and decimals)."""
    if connection.vendor == "sqlite":
        name = Path(str(connection.settings_dict["NAME"]))
        plain = sqlite3.connect(f"file:{name}?mode=ro", uri=True)
        try:
            return table_fingerprints(plain, "sqlite")
        finally:
            plain.close()
    connection.ensure_connection()
    return table_fingerprints(connection.connection, connection.vendor)


def encrypted_values_open() -> tuple[int, int]:
    """Decrypt every stored token of every encrypted column; nothing is kept."""
    values = failed = 0
    for model in encrypted_models():
        for token in _raw_tokens(model):
            values += 1
            try:
                decrypt_str(token)
            except DecryptionError:
                failed += 1
    return values, failed


def _raw_tokens(model: type[models.Model]) -> Iterator[str]:
    """The tokens of ``model``'s encrypted columns that the database has: a
    backup of an earlier release, not migrated yet, may lack some."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if table not in connection.introspection.table_names(cursor):
            return
        present = {
            column.name
            for column in connection.introspection.get_table_description(cursor, table)
        }
        columns = [
            str(encrypted.column)
            for encrypted in encrypted_fields(model)
            if encrypted.column in present
        ]
        if not columns:
            return
        cursor.execute(
            f"SELECT {', '.join(_quote(c) for c in columns)} "  # noqa: S608
            f"FROM {_quote(model._meta.db_table)}"
        )
        while rows := cursor.fetchmany(_CHUNK):
            yield from _tokens(rows)


def _tokens(rows: Iterable[tuple[Any, ...]]) -> Iterator[str]:
    for row in rows:
        for token in row:
            if token:  # NULL, or emptied by an erasure: nothing encrypted
                yield str(token)
