"""Back up this instance with its files and a manifest (``waypoint.ops.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.ops.backup import BackupError, backup_create


class Command(BaseCommand):
    help = (
        "Write a consistent backup of this running instance into a new folder: "
        "the database (SQLite's online backup, or pg_dump of one snapshot), the "
        "private and media files, and manifest.json with every table's row "
        "count and checksum. The encryption keys are not in it: keep them apart."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("destination", type=Path, help="A new or empty folder.")
        parser.add_argument("--actor", default="operator")

    def handle(self, *args: Any, destination: Path, actor: str, **options: Any) -> None:
        try:
            summary = backup_create(actor=actor, destination=destination)
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Backup written to {summary.path}: {summary.tables} tables, "
            f"{summary.rows} rows, {summary.files} files in {summary.seconds:.1f}s. "
            "The encryption keys are not in it."
        )
