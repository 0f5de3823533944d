"""Make a referral's history and its messages append-only in the database.

Application code never updates or deletes these rows; the triggers make sure
no code path can (a ``QuerySet.update``, the admin, a shell). On SQLite the
DELETE trigger asks ``waypoint_audit_locked()`` like the audit table does
(``waypoint.accounts.audit_guard``): only emptying a test database may delete.
PostgreSQL's flush uses TRUNCATE, which row triggers do not see.
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLES = ("referrals_referralevent", "referrals_referralmessage")
MESSAGE = "referral history is append-only"


def _sqlite_create(table: str) -> list[str]:
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
        WHEN waypoint_audit_locked() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    ]


def _sqlite_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update",
        f"DROP TRIGGER IF EXISTS {table}_no_delete",
    ]


def _postgresql_create(table: str) -> list[str]:
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END $$""",
        f"""CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_refuse()""",
    ]


def _postgresql_drop(table: str) -> list[str]:
    return [
        f"DROP TRIGGER IF EXISTS {table}_no_update_delete ON {table}",
        f"DROP FUNCTION IF EXISTS {table}_refuse()",
    ]


BUILDERS = {
    "sqlite": (_sqlite_create, _sqlite_drop),
    "postgresql": (_postgresql_create, _postgresql_drop),
}


def _run(schema_editor: Any, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in BUILDERS:
        raise RuntimeError(f"no append-only triggers for the {vendor} database")
    for table in TABLES:
        for statement in BUILDERS[vendor][which](table):
            schema_editor.execute(statement)


def create(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 0)


def drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial"), ("accounts", "0003_audit_append_only")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
