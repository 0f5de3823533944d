"""Smoke test of the benchmark scripts of ``bench/``: each one runs, at tiny
sizes, and ends with its one line of figures, every time beside its floor and
their ratio.

The scripts are run as an operator runs them (``.venv/bin/python
bench/<script>.py``), each in a temporary folder of its own
(``WAYPOINT_BENCH_DIR``) so that the databases of real runs under ``var/``
are left alone. They build SQLite databases of their own, so the test runs
once per ``make test``, in its SQLite pass.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.drill

ROOT = Path(__file__).resolve().parents[3]
# Tiny sizes: each script builds its data and measures in a few seconds.
SCRIPTS = {
    "search": ["--services", "150", "--rounds", "1"],
    "hsds": ["--services", "60", "--requests", "3"],
    "cases": ["--cases", "40", "--rounds", "1"],
    "referrals": ["--open", "80", "--inbox", "20", "--rounds", "1"],
    "reports": ["--cases", "60", "--rounds", "1"],
}
TIME_KEY = re.compile(r"^(?P<name>.+?)_(?P<unit>ms|s|per_s)$")
# The family names bench/generate.py gives the people of the generated cases.
FAMILY_NAMES = ["Popescu", "Ionescu", "Dumitru", "Haddad", "Rahimi", "Petrov"]


def _run(script: str, arguments: list[str], folder: Path) -> tuple[str, str]:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    }
    environment["WAYPOINT_BENCH_DIR"] = str(folder)
    environment.setdefault("SECRET_KEY", "bench-smoke-test-only")
    result = subprocess.run(  # noqa: S603 (our own scripts, fixed arguments)
        [sys.executable, str(ROOT / "bench" / f"{script}.py"), *arguments],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, (
        f"bench/{script}.py exited with {result.returncode}:\n{result.stderr[-3000:]}"
    )
    return result.stdout, result.stderr


def _last_line_figures(stdout: str) -> dict[str, str]:
    last = stdout.strip().splitlines()[-1]
    figures = {}
    for part in last.split():
        key, equals, value = part.partition("=")
        assert equals, f"not key=value: {last!r}"
        figures[key] = value
    return figures


@pytest.mark.parametrize("script", sorted(SCRIPTS))
def test_each_bench_script_prints_every_time_with_its_floor_and_ratio(
    script: str, tmp_path: Path
) -> None:
    """A reader of the last line can compare each time with its floor: for
    every ``<name>_<unit>`` figure there are ``<name>_floor_<unit>`` and
    ``<name>_ratio``, the ratio is the time over its floor, and the line says
    how many repetitions its medians come from."""
    if connection.vendor != "sqlite":
        pytest.skip("the benchmarks use SQLite databases of their own")
    stdout, stderr = _run(script, [*SCRIPTS[script], "--repeat", "2"], tmp_path)

    figures = _last_line_figures(stdout)
    assert figures.get("repeat") == "2"
    times = {
        key: match
        for key in figures
        if (match := TIME_KEY.match(key)) and "_floor_" not in key
    }
    assert times, f"no time in the last line of bench/{script}.py"
    for key, match in times.items():
        name, unit = match["name"], match["unit"]
        value = float(figures[key])
        floor = float(figures[f"{name}_floor_{unit}"])
        ratio = float(figures[f"{name}_ratio"])
        assert value > 0 and floor > 0 and ratio > 0, key
        # The ratio is the median of each repetition's ratio: with two
        # repetitions it lies between their ratios, near value over floor.
        expected = floor / value if unit == "per_s" else value / floor
        assert expected / 3 < ratio < expected * 3, (key, value, floor, ratio)
    for name in FAMILY_NAMES:
        assert name not in stdout and name not in stderr


def test_the_load_bench_serves_the_mix_in_the_production_shape_and_cleans_up(
    tmp_path: Path,
) -> None:
    """bench/load.py at tiny sizes: gunicorn, PostgreSQL, Redis and the task
    worker serve the mix (signed-in caseworkers included) without an error or
    an unexpected status, through the fixed phase and one saturation step,
    and the last line holds every figure of issue 14; the scratch database is
    gone afterwards. It takes its own database on the shared PostgreSQL
    server, so it runs in both passes."""
    import psycopg
    import redis

    name = f"waypoint_load_smoke_{os.getpid()}"
    server = "postgres://postgres@127.0.0.1:5432"
    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=5).close()
        redis.Redis.from_url("redis://127.0.0.1:6379/12").ping()
    except Exception as error:  # PostgreSQL or Redis not reachable
        if os.environ.get("CI") == "true":
            pytest.fail(f"bench/load.py needs PostgreSQL and Redis: {error}")
        pytest.skip("bench/load.py needs PostgreSQL and Redis on 127.0.0.1")
    arguments = [
        "--database-url", f"{server}/{name}", "--redis-url",
        "redis://127.0.0.1:6379/12", "--workers", "2", "--services", "50",
        "--cases", "20", "--referrals", "4", "--caseworkers", "1",
        "--warmup", "0", "--rate", "5", "--duration", "3", "--step", "5",
        "--step-seconds", "2", "--max-rate", "10",
    ]  # fmt: skip
    stdout, _stderr = _run("load", arguments, tmp_path)

    figures = _last_line_figures(stdout)
    assert list(figures)[:9] == [
        "offered_rps", "achieved_rps", "search_p99_ms", "case_p99_ms",
        "api_p99_ms", "errors", "non_2xx", "max_rps", "workers",
    ]  # fmt: skip
    assert figures["offered_rps"] == "5"
    assert (figures["errors"], figures["non_2xx"]) == ("0", "0")
    assert figures["workers"] == "2"
    assert float(figures["achieved_rps"]) > 4
    for key in ("search_p99_ms", "case_p99_ms", "api_p99_ms", "floor_search_ms"):
        assert float(figures[key]) > 0, key
    with psycopg.connect(f"{server}/postgres") as check:
        left = check.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        assert left.fetchone() is None
