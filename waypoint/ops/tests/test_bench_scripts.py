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
