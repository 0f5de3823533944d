"""Shared by the benchmarks: each time beside its floor, medians of repetitions.

A time alone does not survive a change of machine, or of load: runs of the
same code on the same kind of machine came out 1.5 to 4 times apart. So every
time a benchmark prints comes with a **floor**, the same work done directly
on the database, and the **ratio** of the two:

- The floor is the SQL the measured work sent to the database, recorded with
  an execute wrapper while the work ran and replayed right after on the same
  connection, every row fetched (``timed``, ``replay``): no ORM, no template,
  no decryption, no Python of the application. Writes are replayed on the
  state they were first made on (a benchmark restores a copy of the database
  first) and, unless the benchmark keeps them, rolled back.
- The ratio is time over floor (for a throughput, floor rate over rate): how
  many times the database's own share the whole work costs. A slower or
  busier machine slows both, so the ratio is the figure to compare across
  machines and runs; the times only on the same machine, minutes apart.
- Every benchmark repeats its measurement ``--repeat`` times (5 by default)
  and reports, per figure, the median over the repetitions of the time, of
  the floor and of the per-repetition ratio, with the ratio's spread
  (``Figures``). A regression moves the median ratio beyond that spread;
  noise does not.

The last line of every benchmark stays one line of ``key=value`` figures: for
each figure ``<name>_<unit>``, also ``<name>_floor_<unit>`` and
``<name>_ratio``, then ``repeat=R``. Nothing of the recorded statements (their
parameters hold encrypted personal data in some benchmarks) is ever printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

# One statement as the application sent it: SQL, parameters, executemany.
Statement = tuple[str, Any, bool]
UNITS = ("ms", "s", "per_s")
READS = ("SELECT", "WITH", "EXPLAIN", "PRAGMA")


def repeat_argument(parser: argparse.ArgumentParser, default: int = 5) -> None:
    """Add ``--repeat``: how many times the whole measurement runs."""
    parser.add_argument(
        "--repeat",
        type=int,
        default=default,
        help="repetitions of the measurement; figures are their medians",
    )


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 for no values)."""
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def load_note() -> str:
    """The machine's load, to print beside figures taken on a shared machine."""
    one, five, _fifteen = os.getloadavg()
    return f"load average {one:.1f} (5 min {five:.1f}) on {os.cpu_count()} cores"


class _Recorder:
    def __init__(self) -> None:
        self.statements: list[Statement] = []

    def __call__(
        self,
        execute: Callable[..., Any],
        sql: str,
        params: Any,
        many: bool,
        context: dict[str, Any],
    ) -> Any:
        if many:
            params = list(params)  # an iterator would be spent by the first run
        self.statements.append((sql, params, many))
        return execute(sql, params, many, context)


@contextmanager
def recording() -> Iterator[list[Statement]]:
    """Record every statement sent through Django's default connection."""
    from django.db import connection

    recorder = _Recorder()
    with connection.execute_wrapper(recorder):
        yield recorder.statements


def _transaction_control(sql: str) -> bool:
    words = sql.split(None, 2)
    if not words:
        return False
    first = words[0].upper()
    # The replay's own transaction stands in for the work's; savepoints stay.
    rollback = first == "ROLLBACK" and "TO" not in (w.upper() for w in words[1:])
    return first in ("BEGIN", "COMMIT", "END") or rollback


def _run(statements: list[Statement]) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for sql, params, many in statements:
            if _transaction_control(sql):
                continue
            try:
                if many:
                    cursor.executemany(sql, params)
                else:
                    cursor.execute(sql, params)
                if cursor.description is not None:
                    cursor.fetchall()
            except Exception as error:
                # The statement's beginning only: parameters may be personal.
                raise RuntimeError(f"replay failed at {sql[:60]!r}") from error


def replay(statements: list[Statement], *, keep: bool = False) -> float:
    """Seconds to send ``statements`` again and fetch every row.

    Reads run as the application ran them (in autocommit); statements that
    write run in one transaction, rolled back unless ``keep``.
    """
    from django.db import transaction

    writes = any(
        not sql.lstrip().upper().startswith(READS) for sql, _p, _m in statements
    )
    started = time.perf_counter()
    if not writes:
        _run(statements)
    else:
        with transaction.atomic():
            _run(statements)
            if not keep:
                transaction.set_rollback(True)
    return time.perf_counter() - started


def timed[T](work: Callable[[], T]) -> tuple[T, float, float]:
    """Run ``work`` once: its result, its seconds and its floor's seconds.

    What ``work`` writes (an audit row of a page) is replayed and rolled back.
    """
    with recording() as statements:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    return result, seconds, replay(statements)


def timed_write[T](
    work: Callable[[], T], *, restore: Callable[[], object]
) -> tuple[T, float, float]:
    """Run ``work`` (which writes and commits), then its floor on the same
    starting state: ``restore`` puts the database back as ``work`` found it,
    and the recorded statements are replayed and committed, so the database
    ends as ``work`` left it."""
    with recording() as statements:
        started = time.perf_counter()
        result = work()
        seconds = time.perf_counter() - started
    restore()
    return result, seconds, replay(statements, keep=True)


def sqlite_snapshot() -> Callable[[], None]:
    """Copy the SQLite database as it is now; return what puts it back.

    For the floor of work that writes (``timed_write``): the copy sits next
    to the database and is overwritten by the next snapshot.
    """
    from django.db import connection

    database = Path(str(connection.settings_dict["NAME"]))
    copy = database.with_name(f"{database.stem}-snapshot{database.suffix}")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    shutil.copyfile(database, copy)

    def restore() -> None:
        connection.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(copy, database)

    return restore


@dataclass
class Figure:
    """One figure of a benchmark: per repetition, its value and its floor."""

    name: str
    unit: str
    label: str
    values: list[float] = field(default_factory=list)
    floors: list[float] = field(default_factory=list)

    def ratios(self) -> list[float]:
        pairs = zip(self.values, self.floors, strict=True)
        if self.unit == "per_s":  # a rate: the floor is the higher one
            return [floor / value if value else 0.0 for value, floor in pairs]
        return [value / floor if floor else 0.0 for value, floor in pairs]


def _number(value: float, unit: str) -> str:
    if unit == "per_s":
        return f"{value:.0f}"
    if unit == "s":
        return f"{value:.3f}"
    return f"{value:.2f}" if value < 10 else f"{value:.1f}"


class Figures:
    """The figures of a run, one value and one floor per repetition each."""

    def __init__(self) -> None:
        self._figures: dict[str, Figure] = {}

    def add(self, name: str, unit: str, value: float, floor: float, label: str) -> None:
        """Add one repetition's ``value`` of ``name`` and its ``floor``.

        Times are in the unit given (``ms``, ``s``), throughputs in items per
        second (``per_s``).
        """
        if unit not in UNITS:
            raise ValueError(f"unit {unit!r} is not one of {UNITS}")
        figure = self._figures.setdefault(name, Figure(name, unit, label))
        figure.values.append(value)
        figure.floors.append(floor)

    def add_percentile(
        self,
        name: str,
        unit: str,
        pairs: Sequence[tuple[float, float]],
        q: float,
        label: str,
    ) -> None:
        """Add the ``q``-th percentile of (time, floor) ``pairs``: of the
        times and of the floors, each taken on its own."""
        self.add(
            name,
            unit,
            percentile([time for time, _floor in pairs], q),
            percentile([floor for _time, floor in pairs], q),
            label,
        )

    def median(self, name: str) -> float:
        """The median over the repetitions of the figure ``name``."""
        return statistics.median(self._figures[name].values)

    def table(self) -> str:
        """Per figure: medians of the value, the floor and the ratio, and the
        ratio's lowest and highest repetition."""
        width = max([len(f.label) for f in self._figures.values()] + [6])
        lines = [
            f"{'figure':<{width}}  {'unit':>5}  {'median':>9}  {'floor':>9}  "
            f"{'ratio':>7}  {'ratio min-max':>15}  reps"
        ]
        for figure in self._figures.values():
            ratios = figure.ratios()
            spread = f"{min(ratios):.2f}-{max(ratios):.2f}"
            lines.append(
                f"{figure.label:<{width}}  {figure.unit:>5}  "
                f"{_number(statistics.median(figure.values), figure.unit):>9}  "
                f"{_number(statistics.median(figure.floors), figure.unit):>9}  "
                f"{statistics.median(ratios):>7.2f}  {spread:>15}  {len(ratios)}"
            )
        return "\n".join(lines)

    def line(self, **leading: object) -> str:
        """The last line: ``leading`` figures, then each figure with its
        floor and ratio (medians over the repetitions), then ``repeat``."""
        parts = [f"{key}={value}" for key, value in leading.items()]
        repeats = 0
        for figure in self._figures.values():
            unit = figure.unit
            value = _number(statistics.median(figure.values), unit)
            floor = _number(statistics.median(figure.floors), unit)
            parts += [
                f"{figure.name}_{unit}={value}",
                f"{figure.name}_floor_{unit}={floor}",
                f"{figure.name}_ratio={statistics.median(figure.ratios()):.2f}",
            ]
            repeats = max(repeats, len(figure.values))
        parts.append(f"repeat={repeats}")
        return " ".join(parts)


class Samples:
    """Every sample of every repetition, per request: its time and its floor."""

    def __init__(self) -> None:
        self.times: dict[str, list[float]] = {}
        self.floors: dict[str, list[float]] = {}

    def add(self, label: str, seconds: float, floor: float) -> None:
        self.times.setdefault(label, []).append(seconds)
        self.floors.setdefault(label, []).append(floor)

    def table(self, *, unit: str = "ms") -> str:
        """Per request: p50, p95 and max of its time, p50 of its floor, and
        the ratio of the two p50s; in ms, or in s with ``unit="s"``."""
        scale = 1000.0 if unit == "ms" else 1.0
        width = max([len(label) for label in self.times] + [7])
        lines = [
            f"{'request':<{width}}  {'p50':>8}  {'p95':>8}  {'max':>8}  "
            f"{'floor':>8}  {'ratio':>6}   ({unit})"
        ]
        for label, times in self.times.items():
            p50 = statistics.median(times)
            floor = statistics.median(self.floors[label])
            lines.append(
                f"{label:<{width}}  {_number(p50 * scale, unit):>8}  "
                f"{_number(percentile(times, 95) * scale, unit):>8}  "
                f"{_number(max(times) * scale, unit):>8}  "
                f"{_number(floor * scale, unit):>8}  "
                f"{p50 / floor if floor else 0.0:>6.1f}"
            )
        return "\n".join(lines)
