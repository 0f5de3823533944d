"""The database-side lock on the audit table.

Triggers (migration 0003) refuse every UPDATE and DELETE of an audit row. On
SQLite the DELETE trigger asks ``waypoint_audit_locked()``, which answers
"locked" except inside ``audit_rows_erasable()``: the test suite's database
flush is the one place that uses it (see ``waypoint.lib.trigger_flags``).
PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from waypoint.lib.trigger_flags import TriggerFlag

AUDIT_LOCKED = TriggerFlag("waypoint_audit_locked", usual=1)


@contextmanager
def audit_rows_erasable() -> Iterator[None]:
    """Only for emptying a test database."""
    with AUDIT_LOCKED.flipped():
        yield
