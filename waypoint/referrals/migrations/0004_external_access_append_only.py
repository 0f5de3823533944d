"""Make the external access log append-only, like the referral history.

On SQLite, migration 0003 rebuilt the history table to add a column, and a
rebuilt table loses its triggers: they are created again here (``IF NOT
EXISTS``). PostgreSQL adds columns in place, so only the new table needs them.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations

_history = import_module("waypoint.referrals.migrations.0002_history_append_only")

NEW_TABLE = "referrals_externalaccess"


def _tables(vendor: str) -> tuple[str, ...]:
    if vendor == "sqlite":
        return (*_history.TABLES, NEW_TABLE)
    return (NEW_TABLE,)


def create(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    if vendor not in _history.BUILDERS:
        raise RuntimeError(f"no append-only triggers for the {vendor} database")
    for table in _tables(vendor):
        for statement in _history.BUILDERS[vendor][0](table):
            schema_editor.execute(statement)


def drop(apps: Any, schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for statement in _history.BUILDERS[vendor][1](NEW_TABLE):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0003_external_recipients_attachments_links")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
