"""Benchmark of the HSDS import, export and API on SQLite.

    .venv/bin/python bench/hsds.py --services 10000

Uses its own database under var/bench-hsds/. The input is an export of a
generated directory (``manage.py generate_directory`` when it exists,
otherwise a synthetic HSDS feed built here). Prints import throughput for
JSON and for the CSV package, export throughput, and p50/p95 latencies of
three API requests through Django's full HTTP stack (after the imports'
writes have reached the disk), the whole ``--repeat`` times. Each figure has
its floor (bench/timing.py): an import's statements replayed, and committed,
on a copy of the empty directory it started from; the export's and each
request's SQL replayed on the connection. It ends with one line (medians over
the repetitions; for each figure also ``<name>_floor_<unit>`` and
``<name>_ratio``): services=N import_json_per_s=… export_per_s=…
import_csv_per_s=… page50_p95_ms=… search_p95_ms=… by_id_p95_ms=… repeat=R
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import time
import uuid
from functools import partial
from pathlib import Path
from typing import Any

from generate import var_dir
from timing import (
    Figures,
    load_note,
    percentile,
    repeat_argument,
    sqlite_snapshot,
    timed,
    timed_write,
)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORK = var_dir() / "bench-hsds"

CITIES = [
    ("București", "RO", 44.43, 26.10),
    ("Sofia", "BG", 42.70, 23.32),
    ("Berlin", "DE", 52.52, 13.40),
    ("Stockholm", "SE", 59.33, 18.07),
    ("Madrid", "ES", 40.42, -3.70),
    ("Athens", "GR", 37.98, 23.73),
    ("Roma", "IT", 41.90, 12.50),
    ("Bruxelles", "BE", 50.85, 4.35),
]
WORDS = [
    "legal",
    "social",
    "psychological",
    "counselling",
    "shelter",
    "interpretation",
    "medical",
    "support",
    "victims",
    "trafficking",
    "refugees",
    "asylum",
]


def _id(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def synthetic_feed(count: int) -> list[dict[str, Any]]:
    """HSDS services with organisation, location, address, phone, schedule, language."""
    rng = random.Random(42)
    services = []
    organizations: list[dict[str, Any]] = []
    for n in range(count):
        if n % 3 == 0 or not organizations:
            city, country, lat, lon = rng.choice(CITIES)
            organizations.append(
                {
                    "id": _id(rng),
                    "name": f"Organisation {len(organizations)} {city}",
                    "description": "Supports victims of crime.",
                    "x_country": country,
                    "x_language": "en",
                }
            )
        organization = organizations[-1]
        city, country, lat, lon = rng.choice(CITIES)
        service_id, location_id, sal_id = _id(rng), _id(rng), _id(rng)
        words = " ".join(rng.sample(WORDS, 4))
        services.append(
            {
                "id": service_id,
                "name": f"Service {n} {words.split()[0]}",
                "description": f"{words} in {city}",
                "status": "active",
                "organization": organization,
                "x_language": "en",
                "x_translations": {"ro": {"name": f"Serviciul {n}"}},
                "phones": [
                    {"id": _id(rng), "number": f"+40 21 {n:07d}", "type": "voice"}
                ],
                "languages": [
                    {"id": _id(rng), "code": rng.choice(["en", "ro", "de", "bg"])}
                ],
                "schedules": [
                    {
                        "id": _id(rng),
                        "freq": "WEEKLY",
                        "byday": "MO,TU,WE,TH,FR",
                        "opens_at": "09:00:00",
                        "closes_at": "17:00:00",
                    }
                ],
                "cost_options": [{"id": _id(rng), "amount": 0, "currency": "EUR"}],
                "service_at_locations": [
                    {
                        "id": sal_id,
                        "location": {
                            "id": location_id,
                            "location_type": "physical",
                            "organization_id": organization["id"],
                            "name": f"{city} office {n}",
                            "latitude": lat + rng.uniform(-0.2, 0.2),
                            "longitude": lon + rng.uniform(-0.2, 0.2),
                            "addresses": [
                                {
                                    "id": _id(rng),
                                    "address_1": f"{n} Main Street",
                                    "city": city,
                                    "state_province": city,
                                    "postal_code": f"{10000 + n % 9000}",
                                    "country": country,
                                    "address_type": "physical",
                                }
                            ],
                        },
                    }
                ],
            }
        )
    return services


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=10000)
    parser.add_argument(
        "--requests", type=int, default=100, help="of each API request, per repetition"
    )
    parser.add_argument(
        "--api-only",
        action="store_true",
        help="measure the API alone, on the database the last full run left",
    )
    repeat_argument(parser)
    args = parser.parse_args()

    if args.api_only and not (WORK / "bench.sqlite3").exists():
        parser.error("--api-only needs the database of an earlier full run")
    if not args.api_only:
        if WORK.exists():
            shutil.rmtree(WORK)
        WORK.mkdir(parents=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'bench.sqlite3'}"
    os.environ.setdefault("SECRET_KEY", "bench")
    os.environ.setdefault("WAYPOINT_HTTPS", "0")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command, get_commands

    from waypoint.directory.hsds.exporter import hsds_export
    from waypoint.directory.hsds.importer import hsds_import
    from waypoint.directory.models import (
        Attribute,
        ChangeRecord,
        ImportSource,
        Location,
        Organization,
        Service,
    )

    settings.WAYPOINT_API_RATE_LIMIT = 0
    settings.ALLOWED_HOSTS = ["*"]
    call_command("migrate", verbosity=0)

    def wipe() -> None:
        Attribute.objects.all().delete()
        Organization.objects.all().delete()
        Location.objects.all().delete()
        ChangeRecord.objects.all().delete()
        ImportSource.objects.all().delete()

    figures = Figures()
    if args.api_only:
        for _repetition in range(args.repeat):
            api_figures(args, Service, figures)
        print(f"\n{figures.table()}\n({load_note()})")
        print(figures.line(services=Service.objects.count()))
        return

    source = WORK / "source"
    if "generate_directory" in get_commands():
        call_command("generate_directory", services=args.services)
        hsds_export(path=source)
        wipe()
        feed = source / "services.json"
    else:
        source.mkdir()
        feed = source / "services.json"
        feed.write_text(json.dumps(synthetic_feed(args.services)))

    def imported(path: Path, name: str, label: str) -> None:
        """One import into an empty directory, and its floor: the same
        statements replayed on the same empty directory, and kept."""
        _report, seconds, floor = timed_write(
            partial(hsds_import, path=path, source=f"bench-{name}"),
            restore=sqlite_snapshot(),
        )
        if Service.objects.count() != args.services:  # the replay's result
            raise SystemExit(f"{label}: {Service.objects.count()} services")
        rate, floor_rate = args.services / seconds, args.services / floor
        figures.add(f"import_{name}", "per_s", rate, floor_rate, label)
        print(f"{label}: {rate:,.0f} services/s, floor {floor_rate:,.0f}", flush=True)

    for repetition in range(args.repeat):
        if repetition:
            wipe()
        imported(feed, "json", "import JSON")

        exported, seconds, floor = timed(partial(hsds_export, path=WORK / "export"))
        rate, floor_rate = exported.services / seconds, exported.services / floor
        figures.add("export", "per_s", rate, floor_rate, "export")
        print(
            f"export: {rate:,.0f} services/s, floor {floor_rate:,.0f} "
            f"({exported.services} services)",
            flush=True,
        )

        wipe()
        imported(WORK / "export", "csv", "import CSV package")

        settle()
        api_figures(args, Service, figures)

    print(f"\n{figures.table()}\n({load_note()})")
    print(figures.line(services=args.services))


def _dirty_kb() -> int:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("Dirty:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def settle() -> None:
    """Let the imports' writes reach the disk before the API is timed.

    An import leaves gigabytes of written pages (the write-ahead log, then the
    database file) for the kernel to flush; timed while it does, the API
    measures that flush. This empties the write-ahead log into the database
    and waits for the disk, and says how long that took.
    """
    from django.db import connection

    started = time.perf_counter()
    dirty = _dirty_kb()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    os.sync()
    print(
        f"settled: {dirty / 1024:,.0f} MB waiting to be written, "
        f"{time.perf_counter() - started:.1f} s to checkpoint and flush"
    )


def api_figures(args: Any, service_model: Any, figures: Figures) -> None:
    """p50 and p95 of the three requests, through Django's whole HTTP stack,
    with the floors of the same percentiles."""
    from django.test import Client

    client = Client()
    ids = list(service_model.objects.values_list("pk", flat=True))
    rng = random.Random(7)
    pages = max(1, len(ids) // 50)

    def measure(name: str, label: str, urls: list[str]) -> None:
        times, floors = [], []
        for url in urls:
            response, seconds, floor = timed(partial(client.get, url))
            assert response.status_code == 200, (url, response.status_code)
            times.append(seconds * 1000)
            floors.append(floor * 1000)
        p95, floor_p95 = percentile(times, 95), percentile(floors, 95)
        figures.add(f"{name}_p95", "ms", p95, floor_p95, f"{label} p95")
        print(
            f"{label}: p50={statistics.median(times):.1f} ms "
            f"(floor {statistics.median(floors):.2f}) "
            f"p95={p95:.1f} ms (floor {floor_p95:.2f})",
            flush=True,
        )

    n = args.requests
    client.get("/api/hsds/services?per_page=50")  # warm up
    measure(
        "page50",
        "/services?per_page=50&full=true",
        [
            f"/api/hsds/services?per_page=50&full=true&page={rng.randint(1, pages)}"
            for _ in range(n)
        ],
    )
    measure(
        "search",
        "/services?search=…",
        [
            f"/api/hsds/services?per_page=50&search={rng.choice(WORDS)}"
            for _ in range(n)
        ],
    )
    measure(
        "by_id",
        "/services/{id}",
        [f"/api/hsds/services/{rng.choice(ids)}" for _ in range(n)],
    )


if __name__ == "__main__":
    main()
