"""Drill: the public API's rate limit holds per client across every worker.

gunicorn runs three sync workers on one listening socket (no
``--reuse-port``), so whichever worker the kernel wakes takes a connection.
With ``REDIS_URL`` the workers count a client's requests in one Redis
counter: exactly the limit is served, whichever workers served it, and the
rest get 429 with ``Retry-After``. The control run, without ``REDIS_URL``
(each worker's own local-memory cache), admits more than the limit: the same
traffic, so the drill can fail.

The servers use a throw-away SQLite database in the test's folder (a copy
of the migrated test database) and a Redis database of their own (emptied
before and after), so the drill runs once per ``make test``, in its SQLite
pass.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.db import connection

from waypoint.ops.tests.servers import get, gunicorn

pytestmark = pytest.mark.drill

ROOT = Path(__file__).resolve().parents[3]
REDIS_URL = os.environ.get("WAYPOINT_DRILL_REDIS_URL", "redis://127.0.0.1:6379/13")
LIMIT = 20
PERIOD = 600
REQUESTS = 60


def _redis_flush() -> None:
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5)
    try:
        client.flushdb()
    finally:
        client.close()


@pytest.fixture
def redis_db() -> Iterator[str]:
    try:
        _redis_flush()
    except Exception as error:  # any failure to reach Redis
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis is not reachable at {REDIS_URL}: {error}")
        pytest.skip(f"Redis is not reachable at {REDIS_URL}")
    try:
        yield REDIS_URL
    finally:
        _redis_flush()


@pytest.fixture
def database(transactional_db: None, tmp_path: Path) -> str:
    """A copy of the migrated test database, in the test's folder (a copy
    takes milliseconds where migrating a new file takes many seconds)."""
    if connection.vendor != "sqlite":
        pytest.skip("runs once per make test, in the SQLite pass (own database)")
    name = Path(str(connection.settings_dict["NAME"]))
    assert name.is_file() and name.name.startswith("test"), name
    copy = tmp_path / "drill.sqlite3"
    source = sqlite3.connect(f"file:{name}?mode=ro", uri=True)
    target = sqlite3.connect(copy)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()
    return f"sqlite:///{copy}"


def _status(url: str) -> tuple[int, str | None]:
    """Status and Retry-After of a GET, whatever the status."""
    status, headers, _body = get(url)
    return status, headers.get("Retry-After")


@contextlib.contextmanager
def _gunicorn(database_url: str, redis_url: str | None, log: Path) -> Iterator[str]:
    """Three workers, production settings, the limit set small; the access
    log names the pid of the worker that served each request."""
    settings = {
        "DATABASE_URL": database_url,
        "WAYPOINT_API_RATE_LIMIT": str(LIMIT),
        "WAYPOINT_API_RATE_PERIOD": str(PERIOD),
    }
    if redis_url:
        settings["REDIS_URL"] = redis_url
    with gunicorn(
        settings,
        log.parent / f"{log.stem}-server.log",
        workers=3,
        options=(
            "--access-logfile", str(log), "--access-logformat", "%(p)s %(s)s %(U)s",
        ),
    ) as base:  # fmt: skip
        yield base


def _burst(base: str) -> list[tuple[int, str | None]]:
    """``REQUESTS`` API requests, eight at a time, all in one window."""
    if time.time() % PERIOD > PERIOD - 10:  # the window is about to turn
        time.sleep(PERIOD - time.time() % PERIOD + 0.1)
    with ThreadPoolExecutor(max_workers=8) as pool:
        return list(pool.map(_status, [f"{base}/api/hsds/services"] * REQUESTS))


def _pids(log: Path) -> set[str]:
    return {
        line.split()[0]
        for line in log.read_text().splitlines()
        if line.endswith("/api/hsds/services")
    }


def test_the_api_limit_is_shared_by_every_worker_through_redis(
    database: str, redis_db: str, tmp_path: Path
) -> None:
    """Three workers serve a burst of one client's requests: exactly the
    limit is answered, the rest is refused with 429 and Retry-After, and more
    than one worker took part. Without Redis the same burst gets more than
    the limit through, because each worker counts alone."""
    shared_log, local_log = tmp_path / "shared.log", tmp_path / "local.log"
    with _gunicorn(database, redis_db, shared_log) as base:
        shared = _burst(base)
    with _gunicorn(database, None, local_log) as base:
        local = _burst(base)

    statuses = Counter(status for status, _retry in shared)
    assert statuses == {200: LIMIT, 429: REQUESTS - LIMIT}
    waits = [int(retry) for status, retry in shared if status == 429 and retry]
    assert len(waits) == REQUESTS - LIMIT
    assert all(1 <= wait <= PERIOD for wait in waits)
    assert len(_pids(shared_log)) > 1, "one worker served every request"

    admitted = sum(1 for status, _retry in local if status == 200)
    assert admitted > LIMIT, "without Redis the workers should count alone"
    assert len(_pids(local_log)) > 1
