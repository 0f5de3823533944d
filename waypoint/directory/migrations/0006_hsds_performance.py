"""An index for the HSDS API's list of services.

``/api/hsds/services`` pages through the public services in id order and
counts them. Without this index both walk the service rows themselves, whose
long texts spread them over many pages (about 150 ms at 100,000 services on
SQLite); (id, status) answers both from the index alone. Raw SQL leaves the
models' state alone (the index serves a query shape, not a model rule).
"""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    # Numbered 0004 as planned, after the search's 0005 that landed first.
    dependencies = [("directory", "0005_search_performance")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS directory_service_id_status "
            "ON directory_service (id, status)",
            "DROP INDEX IF EXISTS directory_service_id_status",
        )
    ]
