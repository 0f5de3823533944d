"""Covering indexes for the search on SQLite.

A search entry's row holds its long body document before the short columns
the search reads (``is_active``, ``service_id``, ``timezone``, coordinates):
reading any of them from the table walks the row's overflow pages, once per
matching service. These indexes hold exactly those columns, so both shapes
of search (full-text matches joined by rowid, and lists in name order) never
touch the table rows. PostgreSQL keeps such short columns where it reads
them at once and needs nothing here.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_FORWARD = [
    # Full-text matches come as rowids: look each one up here.
    "CREATE INDEX IF NOT EXISTS directory_se_id_cover ON directory_searchentry "
    "(id, is_active, service_id, timezone, latitude, longitude, name_doc)",
    # Lists without text walk the services in name order.
    "CREATE INDEX IF NOT EXISTS directory_se_name_cover ON directory_searchentry "
    "(is_active, name_doc, service_id, timezone, latitude, longitude)",
]
SQLITE_BACKWARD = [
    "DROP INDEX IF EXISTS directory_se_name_cover",
    "DROP INDEX IF EXISTS directory_se_id_cover",
]


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_FORWARD:
            schema_editor.execute(statement)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in SQLITE_BACKWARD:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0003_searchentry_active_name")]

    operations = [migrations.RunPython(forward, backward)]
