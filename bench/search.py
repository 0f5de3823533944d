"""Search latency at directory scale: through HTTP and in the database alone.

    .venv/bin/python bench/search.py --services 100000

Uses its own SQLite database under var/bench/ (generated once per size and
seed, then reused), runs a fixed set of realistic searches through the whole
Django stack (test client on /en/search/) and the same searches straight
through ``run_search``, several rounds each, prints a table per query and
ends with one summary line:

    services=N p50_ms=… p95_ms=… p99_ms=… db_p95_ms=… ratio=…

(ratio is HTTP p95 over database p95).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent

# Each query is what a person would put in the search form.
QUERIES: list[tuple[str, dict[str, str | list[str]]]] = [
    ("browse everything", {}),
    ("text en: legal counselling", {"q": "legal counselling"}),
    ("text ro: consiliere juridică", {"q": "consiliere juridică"}),
    ("text bg: правно консултиране", {"q": "правно консултиране"}),
    ("text el: ψυχολογική Θεσσαλονίκη", {"q": "ψυχολογική Θεσσαλονίκη"}),
    ("text de: Rechtsberatung München", {"q": "Rechtsberatung München"}),
    ("text sv: skyddat boende malmo", {"q": "skyddat boende malmo"}),
    ("text folded city: bucuresti", {"q": "bucuresti"}),
    ("text es: asilo madrid", {"q": "asilo madrid"}),
    ("filter: shelter in Romania", {"type": "shelter", "country": "RO"}),
    (
        "filter: trafficking, English, free",
        {"target": "thb", "lang": "en", "free": "1"},
    ),
    ("filter: city Θεσσαλονίκη", {"city": "Θεσσαλονίκη"}),
    ("open now in Germany", {"open": "1", "country": "DE"}),
    ("text + open now: hotline", {"q": "hotline", "open": "1"}),
    (
        "distance from Bucharest: psychological",
        {"q": "psychological", "lat": "44.43", "lon": "26.10"},
    ),
    ("page 2: legal", {"q": "legal", "page": "2"}),
]


def _configure(services: int, seed: int) -> Path:
    bench_dir = ROOT / "var" / "bench"
    bench_dir.mkdir(parents=True, exist_ok=True)
    database = bench_dir / f"search-{services}-{seed}.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["WAYPOINT_HTTPS"] = "0"
    os.environ["WAYPOINT_PLAIN_STATIC"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    return database


def _prepare(database: Path, services: int, seed: int) -> None:
    from django.core.management import call_command

    from waypoint.directory.models import Service

    marker = database.with_suffix(".done")
    if marker.exists():
        # Brings a reused database up to the code's schema (new indexes).
        call_command("migrate", verbosity=0, skip_checks=True)
        if Service.objects.count() == services:
            print(f"Reusing {database} ({services} services, seed {seed}).")
            return
    from django.db import connection

    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    marker.unlink(missing_ok=True)
    print(f"Building {database} …")
    call_command("migrate", verbosity=0, skip_checks=True)
    call_command("generate_directory", services=services, seed=seed, skip_checks=True)
    marker.write_text(f"{services} {seed}\n")


def _search_query(params: dict[str, str | list[str]], per_page: int) -> object:
    from waypoint.directory.search import SearchQuery

    def one(key: str) -> str:
        value = params.get(key, "")
        return value if isinstance(value, str) else value[0]

    def many(key: str) -> list[str]:
        value = params.get(key)
        if value is None:
            return []
        return [value] if isinstance(value, str) else list(value)

    lat, lon = one("lat"), one("lon")
    return SearchQuery(
        text=one("q"),
        country=one("country"),
        city=one("city"),
        types=many("type"),
        targets=many("target"),
        languages=many("lang"),
        free=one("free") == "1",
        open_now=one("open") == "1",
        near=(round(float(lat), 2), round(float(lon), 2)) if lat and lon else None,
        page=int(one("page") or 1),
        per_page=per_page,
    )


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    database = _configure(args.services, args.seed)
    import django

    django.setup()
    from django.conf import settings
    from django.test import Client
    from django.utils import timezone

    from waypoint.directory.search import SearchQuery, run_search

    _prepare(database, args.services, args.seed)

    client = Client()
    per_page = settings.SEARCH_PAGE_SIZE
    prepared = [
        (label, "/en/search/?" + urlencode(params, doseq=True), params)
        for label, params in QUERIES
    ]
    http: dict[str, list[float]] = {label: [] for label, _u, _p in prepared}
    db: dict[str, list[float]] = {label: [] for label, _u, _p in prepared}
    totals: dict[str, int] = {}

    # A first, separately reported round: nothing cached yet (the search
    # summaries), then the timed rounds.
    cold: dict[str, float] = {}
    for label, url, params in prepared:
        started = time.perf_counter()
        response = client.get(url)
        cold[label] = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code} for {url}")
        query = _search_query(params, per_page)
        assert isinstance(query, SearchQuery)
        totals[label] = run_search(query, now=timezone.now()).total

    for _round in range(args.rounds):
        for label, url, params in prepared:
            started = time.perf_counter()
            response = client.get(url)
            http[label].append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise SystemExit(f"{label}: HTTP {response.status_code}")
            query = _search_query(params, per_page)
            assert isinstance(query, SearchQuery)
            started = time.perf_counter()
            run_search(query, now=timezone.now())
            db[label].append((time.perf_counter() - started) * 1000)

    width = max(len(label) for label, _u, _p in prepared)
    print(
        f"\n{'query':<{width}}  {'results':>8}  {'first':>7}  {'http p50':>9}  "
        f"{'http p95':>9}  {'db p50':>8}  {'db p95':>8}"
    )
    for label, _url, _params in prepared:
        print(
            f"{label:<{width}}  {totals[label]:>8}  {cold[label]:>7.1f}  "
            f"{statistics.median(http[label]):>9.1f}  "
            f"{_percentile(http[label], 95):>9.1f}  "
            f"{statistics.median(db[label]):>8.1f}  "
            f"{_percentile(db[label], 95):>8.1f}"
        )
    all_http = [v for values in http.values() for v in values]
    all_db = [v for values in db.values() for v in values]
    p95 = _percentile(all_http, 95)
    db_p95 = _percentile(all_db, 95)
    print(
        f"services={args.services} p50_ms={_percentile(all_http, 50):.1f} "
        f"p95_ms={p95:.1f} p99_ms={_percentile(all_http, 99):.1f} "
        f"db_p95_ms={db_p95:.1f} ratio={p95 / db_p95 if db_p95 else 0:.2f}"
    )


if __name__ == "__main__":
    main()
