from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from waypoint.demo.directory import ORGANIZATIONS, SERVICES, demo_load
from waypoint.directory.taxonomies import taxonomies_sync


class Command(BaseCommand):
    help = (
        "Load the organisations named in Waypoint's source documents into the "
        "directory. Safe to run again: nothing already loaded is duplicated."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        taxonomies_sync()
        result = demo_load()
        self.stdout.write(
            f"Demo directory: {len(ORGANIZATIONS)} organisations, "
            f"{len(SERVICES)} services; {result.written} objects written, "
            f"{result.unchanged} already up to date."
        )
