"""Make consent records unchangeable in the database itself.

A consent is evidence of what a person agreed to: a change or a withdrawal is
a new row (``Consent.replaces``). These triggers refuse every UPDATE, whatever
the code path (a ``QuerySet.update``, the admin, a shell).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

TABLE = "cases_consent"
MESSAGE = "consents are never changed: record a new consent"

STATEMENTS = {
    "sqlite": (
        [
            f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
            BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END"""
        ],
        [f"DROP TRIGGER IF EXISTS {TABLE}_no_update"],
    ),
    "postgresql": (
        [
            f"""CREATE OR REPLACE FUNCTION {TABLE}_refuse() RETURNS trigger
            LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
            END $$""",
            f"""CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE}
            FOR EACH ROW EXECUTE FUNCTION {TABLE}_refuse()""",
        ],
        [
            f"DROP TRIGGER IF EXISTS {TABLE}_no_update ON {TABLE}",
            f"DROP FUNCTION IF EXISTS {TABLE}_refuse()",
        ],
    ),
}


def _run(schema_editor: Any, which: int) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in STATEMENTS:
        raise RuntimeError(f"no consent triggers for the {vendor} database")
    for statement in STATEMENTS[vendor][which]:
        schema_editor.execute(statement)


def create(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 0)


def drop(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, 1)


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
