"""Re-encrypt every encrypted value and file under the newest field key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.lib.crypto import (
    Rotation,
    configuration_problems,
    encrypted_models,
    registered_rotations,
    rotate_model,
)
from waypoint.lib.crypto_files import EncryptedFileSystemStorage, rotate_files


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field of every installed model, every "
        "registered token and every private file under the newest key of "
        "WAYPOINT_FIELD_KEYS. Run it after putting a new key first; remove the "
        "old key only once `rotate_keys --check` reports nothing stale."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only count the values not under the newest key; exit 1 if any.",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=500,
            help="Rows per transaction (default 500).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        check_only: bool = options["check"]
        batch_size: int = options["batch_size"]
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1")
        problems = configuration_problems()
        if problems:
            raise CommandError(" ".join(problems))
        results: list[Rotation] = [
            rotate_model(model, batch_size=batch_size, check_only=check_only)
            for model in encrypted_models()
        ]
        results.extend(
            source(check_only, batch_size) for source in registered_rotations().values()
        )
        for result in results:
            self._report(result, check_only=check_only)
        files = rotate_files(EncryptedFileSystemStorage(), check_only=check_only)
        if check_only:
            self.stdout.write(
                f"private files: {files.files} files, {files.stale} not under the "
                "newest key"
            )
        else:
            self.stdout.write(
                f"private files: {files.files} files, {files.rotated} re-encrypted"
            )
        stale = sum(result.stale for result in results) + files.stale
        if check_only and stale:
            raise CommandError(
                f"{stale} values or files are not under the newest key: run "
                "`manage.py rotate_keys`"
            )
        if check_only:
            self.stdout.write(self.style.SUCCESS("Everything is under the newest key."))
        else:
            self.stdout.write(self.style.SUCCESS("Rotation finished."))

    def _report(self, result: Rotation, *, check_only: bool) -> None:
        if check_only:
            self.stdout.write(
                f"{result.label}: {result.rows} rows, {result.values} values, "
                f"{result.stale} not under the newest key"
            )
            return
        line = (
            f"{result.label}: {result.rows} rows, {result.values} values, "
            f"{result.rotated} re-encrypted"
        )
        if result.changed_meanwhile:
            line += f", {result.changed_meanwhile} saved meanwhile (already current)"
        self.stdout.write(line)
