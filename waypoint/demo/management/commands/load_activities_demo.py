from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from waypoint.demo.activities import (
    EVENTS,
    PROJECTS,
    PUBLICATIONS,
    activities_demo_load,
)


class Command(BaseCommand):
    help = (
        "Load the projects, events, publications, partners, departments and "
        "2019 annual report of Waypoint's source documents. Run load_demo "
        "first. Safe to run again: nothing already loaded is duplicated."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            tally = activities_demo_load()
        except LookupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"Demo activities: {len(PROJECTS)} projects, {len(EVENTS)} events, "
            f"{len(PUBLICATIONS)} publications; {tally.written} records written, "
            f"{tally.unchanged} already up to date."
        )
