"""The append-only tables refuse TRUNCATE on PostgreSQL, as they refuse
UPDATE and DELETE.

SQLite has no TRUNCATE (a ``DELETE`` without ``WHERE`` deletes row by row,
and the row triggers refuse it): these tests run in the PostgreSQL pass.
"""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from waypoint.accounts.audit_guard import audit_rows_erasable
from waypoint.accounts.models import AuditEvent, User
from waypoint.accounts.services import audit_event_record

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="SQLite has no TRUNCATE"
    ),
]

# Every table whose rows are evidence. A new append-only table (one with a
# trigger refusing UPDATE or DELETE) must be added here and get a TRUNCATE
# trigger: the listing test below fails until it has both.
APPEND_ONLY = {
    "accounts_auditevent",
    "cases_consent",
    "referrals_referralevent",
    "referrals_referralmessage",
    "referrals_externalaccess",
}

# pg_trigger.tgtype bits.
ROW, BEFORE, DELETE, UPDATE, TRUNCATE = 1, 2, 8, 16, 32


def _triggered_tables(kind: int, *, row: bool) -> set[str]:
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT c.relname, t.tgtype FROM pg_trigger t
            JOIN pg_class c ON c.oid = t.tgrelid
            WHERE NOT t.tgisinternal AND c.relnamespace = current_schema()::regnamespace
            """
        )
        return {
            table
            for table, tgtype in cursor.fetchall()
            if tgtype & kind and tgtype & BEFORE and bool(tgtype & ROW) == row
        }


def _truncate(table: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # The foreign keys of rows written in this test's transaction are
        # checked at commit, and PostgreSQL refuses any TRUNCATE while such
        # checks are pending: run them now, so that only the trigger refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {table} CASCADE")


def test_every_append_only_table_has_a_truncate_trigger() -> None:
    """The tables that refuse UPDATE or DELETE are exactly the listed ones,
    and each of them refuses TRUNCATE too."""
    assert _triggered_tables(UPDATE | DELETE, row=True) == APPEND_ONLY
    assert _triggered_tables(TRUNCATE, row=False) == APPEND_ONLY


@pytest.mark.parametrize("table", sorted(APPEND_ONLY))
def test_truncate_of_an_append_only_table_is_refused(
    table: str, outsider: User
) -> None:
    event = audit_event_record(actor=outsider, action="test.done", target=outsider)
    with pytest.raises(DatabaseError, match=r"TRUNCATE \w+ is refused"):
        _truncate(table)
    # CASCADE would have emptied the audit table with any of them.
    assert AuditEvent.objects.filter(pk=event.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_only_the_test_suites_flush_may_truncate(outsider: User) -> None:
    """Inside ``audit_rows_erasable`` (the test database's flush) TRUNCATE
    goes through; after it, it is refused again. (The flush after this
    test, a TRUNCATE of every table, goes through the same way.)"""
    audit_event_record(actor=outsider, action="test.done", target=outsider)
    with audit_rows_erasable(), transaction.atomic():
        _truncate("accounts_auditevent")
        assert not AuditEvent.objects.exists()
        transaction.set_rollback(True)
    assert AuditEvent.objects.exists()
    with pytest.raises(DatabaseError, match="TRUNCATE accounts_auditevent"):
        _truncate("accounts_auditevent")
