"""Process-wide switches that SQLite triggers ask through a SQL function.

Some tables refuse changes in the database itself (the audit log, a
referral's history and messages). A few legitimate writers must get past
them: emptying a test database, re-encrypting under a new key. On SQLite a
trigger cannot read application state, so this process registers a function
of no arguments on each connection (``waypoint_audit_locked()``,
``waypoint_rotating()``) and the trigger's condition calls it. A connection
without the function (the sqlite3 shell, another program) cannot get past
either: the unknown function makes the trigger fail.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created


class TriggerFlag:
    """A SQL function answering ``usual``, or the other value inside
    ``flipped()`` (blocks may nest, in any thread of the process)."""

    def __init__(self, function: str, *, usual: int) -> None:
        self.function = function
        self.usual = usual
        self._flipped = 0
        connection_created.connect(self._register, weak=False, dispatch_uid=function)

    def value(self) -> int:
        return 1 - self.usual if self._flipped else self.usual

    def _register(
        self, sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any
    ) -> None:
        if connection.vendor == "sqlite":
            connection.connection.create_function(self.function, 0, self.value)

    @contextmanager
    def flipped(self) -> Iterator[None]:
        self._flipped += 1
        try:
            yield
        finally:
            self._flipped -= 1
