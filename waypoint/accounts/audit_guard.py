"""The database-side lock on the append-only tables.

Triggers (migration 0003, and those of the referral history and consents)
refuse every UPDATE and DELETE of an audit row. On SQLite the DELETE trigger
asks ``waypoint_audit_locked()``, which answers "locked" except inside
``audit_rows_erasable()``: the test suite's database flush is the one place
that uses it (see ``waypoint.lib.trigger_flags``). PostgreSQL's flush uses
TRUNCATE, which row triggers do not see; statement triggers (migration 0006)
refuse it unless the session set ``waypoint.truncatable`` to ``on``, which
``audit_rows_erasable()`` does on each PostgreSQL connection of the thread
for as long as it lasts. Any session may set that variable: the triggers stop
mistakes (a stray ``manage.py flush``, a TRUNCATE in a shell), not a database
owner who could drop them anyway.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections

from waypoint.lib.trigger_flags import TriggerFlag

AUDIT_LOCKED = TriggerFlag("waypoint_audit_locked", usual=1)
TRUNCATABLE = "waypoint.truncatable"


def _truncatable(value: str) -> None:
    for connection in connections.all():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, %s, false)", [TRUNCATABLE, value])


@contextmanager
def audit_rows_erasable() -> Iterator[None]:
    """Only for emptying a test database."""
    with AUDIT_LOCKED.flipped():
        _truncatable("on")
        try:
            yield
        finally:
            _truncatable("off")
