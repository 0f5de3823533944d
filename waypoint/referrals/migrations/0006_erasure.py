"""Let anonymisation erase what a referral's history and messages say.

Migration 0002 made these rows unchangeable in the database. They can hold a
person's personal data (a message, a note on a status change), and erasing a
person must reach them. The triggers now let one change through, once per
row: ``erased_at`` goes from empty to a time, the text (``text``, or
``note``) becomes the raw empty string (``waypoint.lib.crypto.emptied_text``:
no token, so no other text can pass for it), and every other column stays as
it was. Anything else is still refused, and deleting is refused as before.

The triggers read no other table (such as whether the person is anonymised):
on SQLite a trigger naming another table makes every later rebuild of that
table fail. Only ``person_anonymise`` erases, through
``referrals_erase_for_anonymisation``.

Rotating the encryption keys (``manage.py rotate_keys``) must re-encrypt these
texts too: while a rotation writes (``waypoint.lib.crypto.rotation_writes``),
a new token may replace the text's token, every other column as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module
from typing import Any

from django.db import migrations, models

_history = import_module("waypoint.referrals.migrations.0002_history_append_only")

MESSAGE = _history.MESSAGE
# Per table: the column an erasure empties, and the columns it must leave as
# they were (every other column but ``erased_at``; a test compares them with
# the models).
ERASED = {
    "referrals_referralevent": (
        "note",
        (
            "id",
            "referral_id",
            "at",
            "actor_id",
            "external_email",
            "from_status",
            "to_status",
        ),
    ),
    "referrals_referralmessage": (
        "text",
        ("id", "referral_id", "author_id", "organization_id", "at"),
    ),
}
def _sqlite_create(table: str) -> list[str]:
    text, kept = ERASED[table]
    same = " AND ".join(f"new.{c} IS old.{c}" for c in kept)
    erasure = (
        f"old.erased_at IS NULL AND new.erased_at IS NOT NULL "
        f"AND new.{text} = '' AND {same}"
    )
    rotation = (
        f"waypoint_rotating() AND old.{text} != '' AND new.{text} != '' "
        f"AND {same} AND new.erased_at IS old.erased_at"
    )
    return [
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_update BEFORE UPDATE ON {table}
        WHEN NOT (({erasure}) OR ({rotation}))
        BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
        f"""CREATE TRIGGER IF NOT EXISTS {table}_no_delete BEFORE DELETE ON {table}
        WHEN waypoint_audit_locked() BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END""",
    ]


def _postgresql_create(table: str) -> list[str]:
    text, kept = ERASED[table]
    new = ", ".join(f"NEW.{c}" for c in kept)
    old = ", ".join(f"OLD.{c}" for c in kept)
    return [
        f"""CREATE OR REPLACE FUNCTION {table}_refuse() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
          IF TG_OP = 'UPDATE' AND OLD.erased_at IS NULL
             AND NEW.erased_at IS NOT NULL AND NEW.{text} = ''
             AND ROW({new}) IS NOT DISTINCT FROM ROW({old}) THEN
            RETURN NEW;
          END IF;
          IF TG_OP = 'UPDATE'
             AND current_setting('waypoint.rotating', true) = 'on'
             AND OLD.{text} <> '' AND NEW.{text} <> ''
             AND ROW({new}, NEW.erased_at) IS NOT DISTINCT FROM ROW({old}, OLD.erased_at)
          THEN
            RETURN NEW;
          END IF;
          RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
        END $$""",
        f"""CREATE TRIGGER {table}_no_update_delete BEFORE UPDATE OR DELETE ON {table}
        FOR EACH ROW EXECUTE FUNCTION {table}_refuse()""",
    ]


ERASABLE = {"sqlite": _sqlite_create, "postgresql": _postgresql_create}


Builder = Callable[[str], list[str]]


def _run(schema_editor: Any, builder_of: Callable[[str], Builder]) -> None:
    """Every statement of the vendor's builder, for both tables."""
    vendor: str = schema_editor.connection.vendor
    if vendor not in ERASABLE:
        raise RuntimeError(f"no append-only triggers for the {vendor} database")
    for table in ERASED:
        for statement in builder_of(vendor)(table):
            schema_editor.execute(statement)


def strict_on(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, lambda vendor: _history.BUILDERS[vendor][0])


def triggers_off(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, lambda vendor: _history.BUILDERS[vendor][1])


def erasable_on(apps: Any, schema_editor: Any) -> None:
    _run(schema_editor, ERASABLE.__getitem__)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0005_referral_statistics_indexes")]

    operations = [
        migrations.RunPython(triggers_off, strict_on, elidable=False),
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
        migrations.RunPython(erasable_on, triggers_off, elidable=False),
    ]
