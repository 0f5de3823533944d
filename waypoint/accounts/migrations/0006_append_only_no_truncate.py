"""Refuse TRUNCATE of the audit table on PostgreSQL.

Migration 0003's row triggers refuse UPDATE and DELETE, but TRUNCATE empties
a table without touching a row, so row triggers never see it. A statement
trigger refuses it too, except in a session that set ``waypoint.truncatable``
to ``on``: only the test suite's flush between tests does
(``waypoint.accounts.audit_guard.audit_rows_erasable``). SQLite has no
TRUNCATE (its ``DELETE`` without ``WHERE`` is a row delete, which the DELETE
trigger already refuses): nothing to do there.

``postgresql_create`` and ``postgresql_drop`` serve the other append-only
tables' migrations too (cases, referrals).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "accounts_auditevent"
MESSAGE = "audit events are append-only"


def postgresql_create(table: str, message: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_refuse_truncate() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF current_setting('waypoint.truncatable', true) = 'on' THEN
            RETURN NULL;
          END IF;
          RAISE EXCEPTION '{message}: TRUNCATE {table} is refused'
            USING ERRCODE = 'insufficient_privilege';
        END $$""",
        f"""CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table}
        FOR EACH STATEMENT EXECUTE FUNCTION {table}_refuse_truncate()""",
    ]


def postgresql_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_refuse_truncate()",
    ]


def run(schema_editor: Any, statements: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        return
    if vendor != "postgresql":
        raise RuntimeError(f"no append-only triggers for the {vendor} database")
    for statement in statements:
        schema_editor.execute(statement)


def create(apps: Any, schema_editor: Any) -> None:
    run(schema_editor, postgresql_create(TABLE, MESSAGE))


def drop(apps: Any, schema_editor: Any) -> None:
    run(schema_editor, postgresql_drop(TABLE))


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_sentemail")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
