"""Let anonymisation erase what a referral's history and messages say.

Migration 0002 made these rows unchangeable in the database. They can hold a
person's personal data (a message, a note on a status change), and erasing a
person must reach them. The triggers now let one change through, once per
row: ``erased_at`` goes from empty to a time, and only the text (``text``, or
``note``) changes with it; every other column must stay as it was. Anything
else is still refused, and deleting is refused as before.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations, models

_history = import_module("waypoint.referrals.migrations.0002_history_append_only")

MESSAGE = _history.MESSAGE
# The columns an erasure leaves as they were, per table.
KEPT = {
    "referrals_referralevent": (
        "id",
        "referral_id",
        "at",
        "actor_id",
        "external_email",
        "from_status",
        "to_status",
    ),
    "referrals_referralmessage": (
        "id",
        "referral_id",
        "author_id",
        "organization_id",
        "at",
    ),
}


def _sqlite_create(table: str) -> list[str]:
    same = " AND ".join(f"new.{c} IS old.{c}" for c in KEPT[table])
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
        WHEN NOT (old.erased_at IS NULL AND new.erased_at IS NOT NULL AND {same})
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
        WHEN waypoint_audit_locked() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    ]


def _postgresql_create(table: str) -> list[str]:
    kept = KEPT[table]
    new = ", ".join(f"NEW.{c}" for c in kept)
    old = ", ".join(f"OLD.{c}" for c in kept)
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND OLD.erased_at IS NULL
             AND NEW.erased_at IS NOT NULL
             AND ROW({new}) IS NOT DISTINCT FROM ROW({old}) THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END $$""",
        f"""CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_refuse()""",
    ]


ERASABLE = {"sqlite": _sqlite_create, "postgresql": _postgresql_create}


def _vendor(schema_editor: Any) -> str:
    vendor: str = schema_editor.connection.vendor
    if vendor not in ERASABLE:
        raise RuntimeError(f"no append-only triggers for the {vendor} database")
    return vendor


def _drop(schema_editor: Any) -> None:
    vendor = _vendor(schema_editor)
    for table in KEPT:
        for statement in _history.BUILDERS[vendor][1](table):
            schema_editor.execute(statement)


def _create_strict(schema_editor: Any) -> None:
    vendor = _vendor(schema_editor)
    for table in KEPT:
        for statement in _history.BUILDERS[vendor][0](table):
            schema_editor.execute(statement)


def _create_erasable(schema_editor: Any) -> None:
    vendor = _vendor(schema_editor)
    for table in KEPT:
        for statement in ERASABLE[vendor](table):
            schema_editor.execute(statement)


def strict_off(apps: Any, schema_editor: Any) -> None:
    _drop(schema_editor)


def strict_on(apps: Any, schema_editor: Any) -> None:
    _create_strict(schema_editor)


def erasable_on(apps: Any, schema_editor: Any) -> None:
    _create_erasable(schema_editor)


def erasable_off(apps: Any, schema_editor: Any) -> None:
    _drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_referral_statistics_indexes")]

    operations = [
        migrations.RunPython(strict_off, strict_on, elidable=False),
        migrations.AddField(
            model_name="referralevent",
            name="erased_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="referralmessage",
            name="erased_at",
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(erasable_on, erasable_off, elidable=False),
    ]
