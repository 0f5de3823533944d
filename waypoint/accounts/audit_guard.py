"""The database-side lock on the audit table.

Triggers (migration 0003) refuse every UPDATE and DELETE of an audit row. On
SQLite the DELETE trigger asks ``waypoint_audit_locked()``, a function this
process registers on each connection and which answers "locked" except inside
``audit_rows_erasable()``: the test suite's database flush is the one place
that uses it. A connection without the function (the sqlite3 shell, another
program) cannot delete either: the unknown function makes the trigger fail.
PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper

_unlocked = False


def _locked() -> int:
    return 0 if _unlocked else 1


def register_sqlite_function(
    sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("waypoint_audit_locked", 0, _locked)


@contextmanager
def audit_rows_erasable() -> Iterator[None]:
    """Only for emptying a test database."""
    global _unlocked
    _unlocked = True
    try:
        yield
    finally:
        _unlocked = False
