"""Restore a backup into this empty instance and verify it (``waypoint.ops.backup``)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore a folder written by `manage.py backup` into this instance, whose "
        "database and files folders must be empty and whose keys must be the "
        "backup's. Then compares every table and file with the manifest and "
        "opens every encrypted value and file; exits 1 if anything differs."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("source", type=Path, help="The backup folder.")
        parser.add_argument("--actor", default="operator")

    def handle(self, *args: Any, source: Path, actor: str, **options: Any) -> None:
        try:
            summary = backup_restore(actor=actor, source=source)
        except BackupError as error:
            raise CommandError(str(error)) from None
        verification = summary.verification
        for difference in verification.differences:
            self.stderr.write(difference)
        self.stdout.write(
            f"{verification.values - verification.values_failed} of "
            f"{verification.values} encrypted values and "
            f"{verification.files_opened - verification.files_failed} of "
            f"{verification.files_opened} private files opened with the keys."
        )
        self.stdout.write(verification.line())
        if not verification.identical:
            raise CommandError("The restored instance differs from the backup.")
        if summary.migrations_to_apply:
            self.stdout.write(
                f"{len(summary.migrations_to_apply)} migrations of this release are "
                "not applied yet: run `manage.py migrate`."
            )
