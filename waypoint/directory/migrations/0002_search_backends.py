"""Full-text indexes that the ORM cannot describe, per database engine.

SQLite: an FTS5 external-content table over directory_searchentry, kept in
step by triggers. PostgreSQL: a stored generated tsvector column with a GIN
index. Both index text already folded to ASCII by waypoint.lib.text.fold.
"""

from __future__ import annotations

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

SQLITE_FORWARD = [
    """
    CREATE VIRTUAL TABLE directory_searchentry_fts USING fts5(
        name_doc, body_doc,
        content='directory_searchentry', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2',
        prefix='2 3'
    )
    """,
    """
    CREATE TRIGGER directory_searchentry_ai AFTER INSERT ON directory_searchentry
    BEGIN
        INSERT INTO directory_searchentry_fts(rowid, name_doc, body_doc)
        VALUES (new.id, new.name_doc, new.body_doc);
    END
    """,
    """
    CREATE TRIGGER directory_searchentry_ad AFTER DELETE ON directory_searchentry
    BEGIN
        INSERT INTO directory_searchentry_fts(directory_searchentry_fts, rowid, name_doc, body_doc)
        VALUES ('delete', old.id, old.name_doc, old.body_doc);
    END
    """,
    """
    CREATE TRIGGER directory_searchentry_au AFTER UPDATE ON directory_searchentry
    BEGIN
        INSERT INTO directory_searchentry_fts(directory_searchentry_fts, rowid, name_doc, body_doc)
        VALUES ('delete', old.id, old.name_doc, old.body_doc);
        INSERT INTO directory_searchentry_fts(rowid, name_doc, body_doc)
        VALUES (new.id, new.name_doc, new.body_doc);
    END
    """,
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS directory_searchentry_au",
    "DROP TRIGGER IF EXISTS directory_searchentry_ad",
    "DROP TRIGGER IF EXISTS directory_searchentry_ai",
    "DROP TABLE IF EXISTS directory_searchentry_fts",
]
POSTGRES_FORWARD = [
    """
    ALTER TABLE directory_searchentry ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (
        setweight(to_tsvector('simple', name_doc), 'A')
        || setweight(to_tsvector('simple', body_doc), 'B')
    ) STORED
    """,
    "CREATE INDEX directory_searchentry_vector ON directory_searchentry "
    "USING gin (search_vector)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS directory_searchentry_vector",
    "ALTER TABLE directory_searchentry DROP COLUMN IF EXISTS search_vector",
]


def _run(statements: dict[str, list[str]], schema_editor: BaseDatabaseSchemaEditor) -> None:
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def forward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run({"sqlite": SQLITE_FORWARD, "postgresql": POSTGRES_FORWARD}, schema_editor)


def backward(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _run({"sqlite": SQLITE_BACKWARD, "postgresql": POSTGRES_BACKWARD}, schema_editor)


class Migration(migrations.Migration):
    dependencies = [("directory", "0001_initial")]

    operations = [migrations.RunPython(forward, backward)]
