"""SQLite's full-text index holds only the entries the public may find.

The search ranks text matches inside the FTS5 table alone (see
``search._ranked_candidates``) and reads the search entries of the best few
only; that is exact only if every full-text match is an active service.
Inactive entries therefore stay out of the index: the triggers add and remove
an entry only while it is active, and the index is rebuilt from the active
entries. PostgreSQL needs nothing here.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

FTS = "directory_searchentry_fts"
_DROP = [
    "DROP TRIGGER IF EXISTS directory_searchentry_au",
    "DROP TRIGGER IF EXISTS directory_searchentry_ad",
    "DROP TRIGGER IF EXISTS directory_searchentry_ai",
]
ACTIVE_ONLY = [
    *_DROP,
    f"""
    CREATE TRIGGER directory_searchentry_ai AFTER INSERT ON directory_searchentry
    WHEN new.is_active
    BEGIN
        INSERT INTO {FTS}(rowid, name_doc, body_doc)
        VALUES (new.id, new.name_doc, new.body_doc);
    END
    """,
    f"""
    CREATE TRIGGER directory_searchentry_ad AFTER DELETE ON directory_searchentry
    WHEN old.is_active
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, name_doc, body_doc)
        VALUES ('delete', old.id, old.name_doc, old.body_doc);
    END
    """,
    # One trigger, so that the old row always leaves before the new one comes.
    f"""
    CREATE TRIGGER directory_searchentry_au AFTER UPDATE ON directory_searchentry
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, name_doc, body_doc)
        SELECT 'delete', old.id, old.name_doc, old.body_doc WHERE old.is_active;
        INSERT INTO {FTS}(rowid, name_doc, body_doc)
        SELECT new.id, new.name_doc, new.body_doc WHERE new.is_active;
    END
    """,
    f"INSERT INTO {FTS}({FTS}) VALUES ('delete-all')",
    f"INSERT INTO {FTS}(rowid, name_doc, body_doc) "
    "SELECT id, name_doc, body_doc FROM directory_searchentry WHERE is_active",
]
EVERY_ENTRY = [
    *_DROP,
    f"""
    CREATE TRIGGER directory_searchentry_ai AFTER INSERT ON directory_searchentry
    BEGIN
        INSERT INTO {FTS}(rowid, name_doc, body_doc)
        VALUES (new.id, new.name_doc, new.body_doc);
    END
    """,
    f"""
    CREATE TRIGGER directory_searchentry_ad AFTER DELETE ON directory_searchentry
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, name_doc, body_doc)
        VALUES ('delete', old.id, old.name_doc, old.body_doc);
    END
    """,
    f"""
    CREATE TRIGGER directory_searchentry_au AFTER UPDATE ON directory_searchentry
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, name_doc, body_doc)
        VALUES ('delete', old.id, old.name_doc, old.body_doc);
        INSERT INTO {FTS}(rowid, name_doc, body_doc)
        VALUES (new.id, new.name_doc, new.body_doc);
    END
    """,
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
]


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in ACTIVE_ONLY:
            schema_editor.execute(statement)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    if schema_editor.connection.vendor == "sqlite":
        for statement in EVERY_ENTRY:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("directory", "0006_hsds_performance")]

    operations = [migrations.RunPython(forward, backward)]
