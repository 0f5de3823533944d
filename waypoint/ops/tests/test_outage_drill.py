"""Drills: the database goes away, fills up or turns read-only under a
running site.

A database restart while the web server runs costs only the requests in
flight: they get the clean 503 page (no 500, no traceback in the server's
log), and the same server serves again once the database is back, without
being restarted. A full disk or a read-only database gives the 503 page too,
and the form that was being sent leaves no half-written record.

Both drills run once per ``make test``, in its SQLite pass: the restart drill
starts a PostgreSQL cluster of its own on a free port (never the shared one
the suite's PostgreSQL pass uses), so running it again in that pass would
prove nothing more; the full-disk drill works on SQLite's own file.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.db import OperationalError, connection
from django.test import Client

from waypoint.accounts.models import User
from waypoint.ops.tests.servers import START_TIMEOUT, get, gunicorn

pytestmark = pytest.mark.drill

ROOT = Path(__file__).resolve().parents[3]
PG_BIN = Path(os.environ.get("WAYPOINT_PG_BIN", "/usr/lib/postgresql/15/bin"))
PORTS = range(18200, 18300)


def _sqlite_pass() -> bool:
    return connection.vendor == "sqlite"


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {PORTS.start}-{PORTS.stop - 1}")


class Cluster:
    """A throw-away PostgreSQL 15 cluster in a temporary folder, run by the
    ``postgres`` user when the tests run as root (initdb refuses root)."""

    def __init__(self, folder: Path, port: int) -> None:
        self.folder = folder
        self.data = folder / "data"
        self.port = port
        self.url = f"postgres://postgres@127.0.0.1:{port}/postgres"

    def run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603
            [*prefix, *command], check=True, capture_output=True, timeout=START_TIMEOUT
        )

    def init(self) -> None:
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self.run(
            str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
            "-A", "trust", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.folder}"
        self.run(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l",
            str(self.folder / "postgres.log"), "-o", options, "-w", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        self.run(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop")


@pytest.fixture
def cluster() -> Iterator[Cluster]:
    if not (PG_BIN / "initdb").exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL 15 binaries are missing at {PG_BIN}")
        pytest.skip(f"PostgreSQL 15 binaries are missing at {PG_BIN}")
    folder = Path(tempfile.mkdtemp(prefix="waypoint-pg-drill-"))
    own = Cluster(folder, _free_port())
    try:
        own.init()
        own.start()
        yield own
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            own.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


def test_a_database_restart_costs_only_the_requests_in_flight(
    cluster: Cluster, tmp_path: Path
) -> None:
    if not _sqlite_pass():
        pytest.skip("runs once per make test, in the SQLite pass (own cluster)")
    env = {**os.environ, "DATABASE_URL": cluster.url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
        cwd=ROOT, env=env, check=True, capture_output=True, timeout=600,
    )  # fmt: skip
    log = tmp_path / "gunicorn.log"
    with gunicorn(
        {"DATABASE_URL": cluster.url, "WAYPOINT_TASKS_BACKEND": "database"},
        log,
        workers=2,
        options=("--access-logfile", "-"),
    ) as base:
        page = f"{base}/ro/search/?q=ajutor"
        assert get(page)[0] == 200
        assert get(f"{base}/readyz")[0] == 200

        cluster.stop("fast")
        for _ in range(6):  # both workers, more than once each
            status, headers, body = get(page)
            assert status == 503, body[:500]
            assert headers["Retry-After"] == "30"
            assert "Serviciul este temporar indisponibil" in body
            assert "data-quick-exit" in body
        assert get(f"{base}/readyz")[:3:2] == (503, "unavailable\n")
        assert get(f"{base}/healthz")[0] == 200
        status, headers, body = get(f"{base}/api/hsds/services")
        assert (status, headers["Content-Type"]) == (503, "application/json")

        cluster.start()
        # The same server, not restarted: every worker serves again.
        assert [get(page)[0] for _ in range(6)] == [200] * 6
        assert get(f"{base}/readyz")[0] == 200
    server_log = log.read_text()
    assert "Database unavailable (OperationalError" in server_log
    assert "Traceback" not in server_log
    assert "Internal Server Error" not in server_log


# --- A full disk, a read-only database ------------------------------------------

INTAKE = {
    "given_name": "Drill",
    "family_name": "Person",
    "birth_date": "1999-04-01",
    "nationality": "MD",
    "languages": ["ro"],
    "gender": "female",
    "age_band": "25-34",
    "case_type": "thb_labour",
    "country_of_origin": "MD",
    "country_of_destination": "DE",
}


def _row_counts() -> dict[str, int]:
    """Rows of every table but the sessions (which the request may touch)."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.db_table != "django_session" and model._meta.managed
    }


@contextlib.contextmanager
def _full_disk() -> Iterator[None]:
    """The disk fills up in the middle of the form's service: its first write
    goes through, the next fails as SQLite does on a full disk (SQLITE_FULL),
    so the rollback has something to undo."""
    writes = 0

    def fill_up(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        nonlocal writes
        if sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")):
            writes += 1
            if writes > 1:
                raise OperationalError("database or disk is full")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fill_up):
        yield
    assert writes >= 2, "the disk filled before the service wrote anything"


@contextlib.contextmanager
def _read_only() -> Iterator[None]:
    """Every write is refused ("attempt to write a readonly database")."""
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA query_only = ON")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA query_only = OFF")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("fault", [_full_disk, _read_only], ids=["full", "readonly"])
def test_a_full_or_read_only_database_answers_503_and_writes_nothing(
    fault: Any,
    caseworker_a_client: Client,
    caseworker_a: User,
    caplog: pytest.LogCaptureFixture,
) -> None:
    if not _sqlite_pass():
        pytest.skip("simulated on SQLite's own file: runs in the SQLite pass")
    organization = caseworker_a.memberships.get().organization_id
    caseworker_a_client.raise_request_exception = False
    before = _row_counts()
    with fault(), caplog.at_level("WARNING"):
        response = caseworker_a_client.post(
            "/en/cases/new/", {**INTAKE, "organization": organization}
        )
    assert response.status_code == 503
    html = response.content.decode()
    assert "The service is temporarily unavailable" in html
    assert "Nothing you sent was saved" in html
    assert "data-quick-exit" in html
    assert "Drill" not in html  # nothing of what was typed comes back
    assert _row_counts() == before
    assert all(record.exc_info is None for record in caplog.records)
    assert "Drill" not in caplog.text and "Person" not in caplog.text
    # Once the fault is gone, the same form writes the case.
    response = caseworker_a_client.post(
        "/en/cases/new/", {**INTAKE, "organization": organization}
    )
    assert response.status_code == 302
