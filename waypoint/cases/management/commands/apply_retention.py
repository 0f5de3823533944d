"""Anonymise the people whose organisation's retention period has passed.

Schedule it daily (cron, a systemd timer or the task worker).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from waypoint.cases.services.data_requests import retention_apply


class Command(BaseCommand):
    help = "Anonymise people whose cases closed longer ago than the retention policy."

    def handle(self, *args: Any, **options: Any) -> None:
        count = retention_apply()
        self.stdout.write(f"anonymised={count}")
