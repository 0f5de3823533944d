from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.directory.hsds.importer import (
    ImportRefusedError,
    ImportReport,
    hsds_import,
)


class Command(BaseCommand):
    help = (
        "Import HSDS 3.0 data: a JSON file (one object, an array of services "
        "or an API page) or a tabular data package (folder or zip of CSV files "
        "with datapackage.json). All or nothing, unless --skip-invalid."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--source",
            default="",
            help="Name of the partner file or feed (default: the file name).",
        )
        parser.add_argument(
            "--skip-invalid",
            action="store_true",
            help="Import the valid records and report the others.",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and count; write nothing."
        )

    def _problems(self, report: ImportReport) -> None:
        for problem in report.problems:
            self.stderr.write(f"error: {problem}")
        for warning in report.warnings[:200]:
            self.stderr.write(f"warning: {warning}")
        if len(report.warnings) > 200:
            self.stderr.write(f"warning: … {len(report.warnings) - 200} more")

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["path"]
        if not path.exists():
            raise CommandError(f"{path}: no such file or folder")
        try:
            report = hsds_import(
                path=path,
                source=options["source"],
                dry_run=options["dry_run"],
                skip_invalid=options["skip_invalid"],
                progress=True,
            )
        except ImportRefusedError as refused:
            self._problems(refused.report)
            raise CommandError(
                f"Import refused, nothing written: {len(refused.report.problems)} "
                f"problem(s). {refused.report.summary()}"
            ) from None
        self._problems(report)
        if report.ignored:
            ignored = ", ".join(f"{k}={v}" for k, v in sorted(report.ignored.items()))
            self.stdout.write(f"Not kept by Waypoint: {ignored}")
        prefix = "Dry run, nothing written: " if report.dry_run else ""
        self.stdout.write(f"{prefix}{report.summary()}")
