from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from waypoint.directory.hsds.exporter import hsds_export


class Command(BaseCommand):
    help = (
        "Write the public directory as HSDS 3.0 into a folder: a tabular data "
        "package (CSV files and datapackage.json) and services.json."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = hsds_export(path=options["path"])
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Exported {result.services} services to {options['path']} "
            f"({len(result.files)} files) in {seconds:.1f} s"
        )
