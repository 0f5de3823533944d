"""Refuse TRUNCATE of a referral's history, its messages and the external
access log on PostgreSQL, as the audit table does (``accounts`` migration
0006 explains; SQLite has no TRUNCATE)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations

_truncate = import_module("waypoint.accounts.migrations.0006_append_only_no_truncate")
_history = import_module("waypoint.referrals.migrations.0002_history_append_only")
_external = import_module(
    "waypoint.referrals.migrations.0004_external_access_append_only"
)

TABLES = (*_history.TABLES, _external.NEW_TABLE)


def create(apps: Any, schema_editor: Any) -> None:
    for table in TABLES:
        _truncate.run(
            schema_editor, _truncate.postgresql_create(table, _history.MESSAGE)
        )


def drop(apps: Any, schema_editor: Any) -> None:
    for table in TABLES:
        _truncate.run(schema_editor, _truncate.postgresql_drop(table))


class Migration(migrations.Migration):
    dependencies = [
        ("referrals", "0006_erasure"),
        ("accounts", "0006_append_only_no_truncate"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
