from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from waypoint.activities.services.participants import registrations_anonymise


class Command(BaseCommand):
    help = (
        "Clear the names, email addresses and institutions of event "
        "registrations older than WAYPOINT_REGISTRATION_RETENTION_DAYS after "
        "their event; the counts stay. Safe to run again."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = registrations_anonymise()
        days = settings.WAYPOINT_REGISTRATION_RETENTION_DAYS
        self.stdout.write(f"Registrations anonymised: {count} (retention {days} days).")
