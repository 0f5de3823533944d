"""Enqueue periodic tasks (see ``waypoint.lib.scheduling``) for the worker."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from waypoint.lib.scheduling import scheduler_from_settings


class Command(BaseCommand):
    help = (
        "Enqueue the periodic tasks of WAYPOINT_PERIODIC_TASKS when they are due; "
        "`manage.py db_worker` runs them. With --once, enqueue every periodic task "
        "once and stop (for cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true")
        parser.add_argument(
            "--poll", type=float, default=15.0, help="Seconds between checks."
        )

    def handle(self, *args: Any, once: bool, poll: float, **options: Any) -> None:
        scheduler = scheduler_from_settings()
        while True:
            for path in scheduler.tick():
                self.stdout.write(f"enqueued {path}")
            if once:
                return
            time.sleep(poll)
