from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from waypoint.demo.generator import Generator, generate_directory
from waypoint.directory.models import Organization
from waypoint.directory.taxonomies import taxonomies_sync


class Command(BaseCommand):
    help = (
        "Fill the directory with invented organisations and services, all "
        "marked as demo data, for demonstrations and benchmarks. The same seed "
        "always gives the same data."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--services", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args: Any, **options: Any) -> None:
        count: int = options["services"]
        seed: int = options["seed"]
        if count < 1:
            raise CommandError("--services must be at least 1.")
        if Organization.objects.filter(pk=Generator(seed).uid()).exists():
            raise CommandError(
                f"This database already holds the directory generated with seed "
                f"{seed}; use a fresh database or another seed."
            )
        taxonomies_sync()
        started = time.monotonic()
        result = generate_directory(
            services=count,
            seed=seed,
            batch_size=options["batch"],
            progress=self.stdout.write,
        )
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {result.organizations} organisations and "
                f"{result.services} services ({result.rows} rows) in "
                f"{elapsed:.1f} s, seed {seed}."
            )
        )
