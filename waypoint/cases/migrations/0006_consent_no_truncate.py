"""Refuse TRUNCATE of the consent records on PostgreSQL, as the audit table
does (``accounts`` migration 0006 explains; SQLite has no TRUNCATE)."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.db import migrations

_truncate = import_module("waypoint.accounts.migrations.0006_append_only_no_truncate")
_consent = import_module("waypoint.cases.migrations.0002_consent_append_only")


def create(apps: Any, schema_editor: Any) -> None:
    _truncate.run(
        schema_editor, _truncate.postgresql_create(_consent.TABLE, _consent.MESSAGE)
    )


def drop(apps: Any, schema_editor: Any) -> None:
    _truncate.run(schema_editor, _truncate.postgresql_drop(_consent.TABLE))


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0005_case_organization_person_index"),
        ("accounts", "0006_append_only_no_truncate"),
    ]

    operations = [migrations.RunPython(create, drop, elidable=False)]
