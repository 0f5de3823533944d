"""Queue again the tasks whose worker was lost (``waypoint.ops.services``)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from waypoint.ops.services import tasks_recover


class Command(BaseCommand):
    help = (
        "Queue again every task RUNNING for longer than WAYPOINT_TASKS_STALE_AFTER "
        "seconds (its worker was lost), or mark it FAILED after "
        "WAYPOINT_TASKS_MAX_ATTEMPTS lost workers. Run it before each worker "
        "starts; the scheduler also runs it every five minutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-after",
            type=float,
            default=None,
            help="Seconds (default: WAYPOINT_TASKS_STALE_AFTER). 0 when you know "
            "that no worker is running.",
        )
        parser.add_argument("--actor", default="operator")

    def handle(
        self, *args: Any, stale_after: float | None, actor: str, **options: Any
    ) -> None:
        recovery = tasks_recover(actor=actor, stale_after=stale_after)
        self.stdout.write(f"requeued={recovery.requeued} failed={recovery.failed}")
