"""Search latency at directory scale: through HTTP and in the database alone.

    .venv/bin/python bench/search.py --services 100000

Uses its own SQLite database under var/bench/ (generated once per size and
seed, then reused), runs a fixed set of realistic searches through the whole
Django stack (test client on /en/search/) and the same searches straight
through ``run_search``, several rounds each, ``--repeat`` times. Each request
and each search has its floor: the SQL it sent, replayed on the connection
(bench/timing.py). Prints a table per query and one of the figures, and ends
with one summary line (medians over the repetitions):

    services=N http_over_db=… p50_ms=… p50_floor_ms=… p50_ratio=… p95_ms=… …
    db_p95_ms=… db_p95_floor_ms=… db_p95_ratio=… repeat=R

(http_over_db is the HTTP p95 over the run_search p95.)
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import urlencode

from generate import var_dir
from timing import Figures, load_note, repeat_argument, timed

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
    bench_dir = var_dir() / "bench"
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=10)
    repeat_argument(parser)
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
    # Per query, every sample of every repetition: (time, floor) in ms.
    http: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in prepared}
    db: dict[str, list[tuple[float, float]]] = {label: [] for label, *_ in prepared}
    totals: dict[str, int] = {}

    def page(label: str, url: str) -> tuple[float, float]:
        response, seconds, floor = timed(lambda: client.get(url))
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code} for {url}")
        return seconds * 1000, floor * 1000

    def search(params: dict[str, str | list[str]]) -> tuple[int, float, float]:
        query = _search_query(params, per_page)
        assert isinstance(query, SearchQuery)
        result, seconds, floor = timed(lambda: run_search(query, now=timezone.now()))
        return result.total, seconds * 1000, floor * 1000

    # A first, separately reported round: nothing cached yet (the search
    # summaries), then the timed repetitions.
    cold: dict[str, tuple[float, float]] = {}
    for label, url, params in prepared:
        cold[label] = page(label, url)
        totals[label] = search(params)[0]

    figures = Figures()
    for _repetition in range(args.repeat):
        samples: list[tuple[float, float]] = []
        db_samples: list[tuple[float, float]] = []
        for _round in range(args.rounds):
            for label, url, params in prepared:
                samples.append(page(label, url))
                db_samples.append(search(params)[1:])
                http[label].append(samples[-1])
                db[label].append(db_samples[-1])
        for q in (50, 95, 99):
            figures.add_percentile(f"p{q}", "ms", samples, q, f"HTTP p{q}")
        figures.add_percentile("db_p95", "ms", db_samples, 95, "run_search p95")

    width = max(len(label) for label, *_ in prepared)
    print(
        f"\n{'query':<{width}}  {'results':>7}  {'first':>6}  {'floor':>6}  "
        f"{'http p50':>8}  {'floor':>5}  {'ratio':>5}  "
        f"{'db p50':>6}  {'floor':>5}  {'ratio':>5}   (ms)"
    )
    for label, *_ in prepared:
        http_p50 = statistics.median(t for t, _f in http[label])
        http_floor = statistics.median(f for _t, f in http[label])
        db_p50 = statistics.median(t for t, _f in db[label])
        db_floor = statistics.median(f for _t, f in db[label])
        print(
            f"{label:<{width}}  {totals[label]:>7}  {cold[label][0]:>6.1f}  "
            f"{cold[label][1]:>6.1f}  {http_p50:>8.1f}  {http_floor:>5.1f}  "
            f"{http_p50 / http_floor:>5.1f}  {db_p50:>6.1f}  {db_floor:>5.1f}  "
            f"{db_p50 / db_floor:>5.1f}"
        )
    print(f"\n{figures.table()}\n({load_note()})")
    # The page's cost over the search's, the target of issue #3 (≤ 2).
    http_over_db = figures.median("p95") / figures.median("db_p95")
    print(figures.line(services=args.services, http_over_db=f"{http_over_db:.2f}"))


if __name__ == "__main__":
    main()
