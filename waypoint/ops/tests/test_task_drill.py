"""Drills: the task queue under several workers, and a worker killed mid-task.

Real ``manage.py db_worker`` processes run against the test database (its
name read from the connection, the data committed: ``transaction=True``).

- Two, then three workers share 1,000 queued tasks: each runs exactly once
  (a unique key catches a second run) and ends SUCCESSFUL.
- A worker ``kill -9``-ed in the middle of a task that sends an email, before
  or after the send, leaves the task RUNNING; ``manage.py tasks_recover``
  (run before a worker starts) queues it again, the next worker completes it,
  and exactly one email went out (the send carries an idempotency key).

They run in both passes of ``make test``: on SQLite the workers share the
database file (WAL, immediate transactions, django-tasks-db's exclusive claim)
and on PostgreSQL they claim with ``SELECT … FOR UPDATE SKIP LOCKED``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from waypoint.accounts.models import SentEmail
from waypoint.ops.tests import drill_tasks

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]
TASKS = 1000
# Bounds of every wait: a drill that hangs fails instead.
RUN_TIMEOUT = 120.0
PAUSE_TIMEOUT = 60.0


def _database_url() -> str:
    """The test database, for processes of their own."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return (
        f"postgres://{quote(db['USER'], safe='')}{password}@{host}{port}/{db['NAME']}"
    )


@pytest.fixture
def worker_env(tmp_path: Path) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "WAYPOINT_TASKS_BACKEND": "database",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "DEBUG": "0",
    }
    env.pop("REDIS_URL", None)
    return env


@pytest.fixture
def database_queue(settings: Any) -> None:
    """The test process enqueues into the database, as the site does."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }


@pytest.fixture
def drill_tables() -> Iterator[None]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE {drill_tasks.RUNS} "
            "(task_id varchar(64) PRIMARY KEY, number integer NOT NULL)"
        )
        cursor.execute(f"CREATE TABLE {drill_tasks.ATTEMPTS} (task_id varchar(64))")
    yield
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {drill_tasks.RUNS}")
        cursor.execute(f"DROP TABLE {drill_tasks.ATTEMPTS}")


def _worker(
    env: dict[str, str], log: Path, name: str, *, batch: bool
) -> subprocess.Popen[bytes]:
    command = [
        sys.executable, "manage.py", "db_worker", "--queue-name", "default",
        "--interval", "0.05", "--no-startup-delay", "--no-reload",
        "--worker-id", name, "-v", "0",
    ]  # fmt: skip
    if batch:
        command.append("--batch")
    with log.open("ab") as output:
        return subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT
        )


def _wait_all(workers: list[subprocess.Popen[bytes]], log: Path) -> None:
    deadline = time.monotonic() + RUN_TIMEOUT
    try:
        for worker in workers:
            worker.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        for worker in workers:
            worker.kill()
        tail = log.read_text()[-3000:]
        raise AssertionError(f"workers still running: {tail}") from None
    assert [w.returncode for w in workers] == [0] * len(workers), log.read_text()


def _emails(folder: Path) -> int:
    if not folder.is_dir():
        return 0
    return sum(
        line.startswith("Subject: ")
        for path in folder.iterdir()
        for line in path.read_text().splitlines()
    )


@pytest.mark.parametrize("workers", [2, 3])
def test_several_workers_run_each_queued_task_exactly_once(
    workers: int,
    worker_env: dict[str, str],
    database_queue: None,
    drill_tables: None,
    tmp_path: Path,
) -> None:
    for number in range(TASKS):
        drill_tasks.drill_record.enqueue(number=number)
    log = tmp_path / "workers.log"
    started = time.perf_counter()
    _wait_all(
        [_worker(worker_env, log, f"w{n}", batch=True) for n in range(workers)], log
    )
    seconds = time.perf_counter() - started

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT task_id FROM {drill_tasks.ATTEMPTS}")  # noqa: S608
        attempts = Counter(task_id for (task_id,) in cursor.fetchall())
        cursor.execute(f"SELECT COUNT(*) FROM {drill_tasks.RUNS}")  # noqa: S608
        (recorded,) = cursor.fetchone()
    statuses = Counter(DBTaskResult.objects.values_list("status", flat=True))
    per_worker = Counter(
        worker
        for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
        for worker in ids
    )
    ran_once = sum(1 for count in attempts.values() if count == 1)
    doubled = sum(count - 1 for count in attempts.values())
    lost = TASKS - len(attempts)
    print(
        f"\nworkers={workers} tasks={TASKS} ran_once={ran_once} doubled={doubled} "
        f"lost={lost} successful={statuses['SUCCESSFUL']} "
        f"per_worker={','.join(str(per_worker[w]) for w in sorted(per_worker))} "
        f"seconds={seconds:.1f} db={connection.vendor}"
    )
    assert (ran_once, doubled, lost, recorded) == (TASKS, 0, 0, TASKS)
    assert statuses == {"SUCCESSFUL": TASKS}
    # They shared the queue (each task claimed once, by one of them).
    assert sum(per_worker.values()) == TASKS
    assert len(per_worker) >= 2, per_worker


@pytest.mark.parametrize("pause", ["before_send", "after_send"])
def test_a_worker_killed_mid_task_loses_nothing_and_sends_one_email(
    pause: str,
    worker_env: dict[str, str],
    database_queue: None,
    tmp_path: Path,
) -> None:
    flags = tmp_path / "flags"
    flags.mkdir()
    mail = Path(worker_env["EMAIL_FILE_PATH"])
    result = drill_tasks.drill_mail.enqueue(flags=str(flags), pause=pause)
    log = tmp_path / "workers.log"
    started = time.perf_counter()

    first = _worker(worker_env, log, "doomed", batch=False)
    deadline = time.monotonic() + PAUSE_TIMEOUT
    while not (flags / "paused").exists():
        assert first.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "the task never started"
        time.sleep(0.05)
    os.kill(first.pid, signal.SIGKILL)
    first.wait(timeout=30)

    # What django-tasks-db leaves: the task RUNNING, taken by a dead worker,
    # and no worker would ever take it again.
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.worker_ids) == ("RUNNING", ["doomed"])
    assert _emails(mail) == (1 if pause == "after_send" else 0)

    recover = subprocess.run(
        [
            sys.executable, "manage.py", "tasks_recover", "--stale-after", "0",
            "--actor", "worker-start",
        ],
        cwd=ROOT, env=worker_env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert recover.stdout.strip() == "requeued=1 failed=0", recover.stderr
    _wait_all([_worker(worker_env, log, "restarted", batch=True)], log)
    seconds = time.perf_counter() - started

    row.refresh_from_db()
    emails = _emails(mail)
    print(
        f"\nkill=-9 at={pause} runs={len(row.worker_ids)} status={row.status} "
        f"emails={emails} keys={SentEmail.objects.count()} seconds={seconds:.1f} "
        f"db={connection.vendor}"
    )
    assert (row.status, row.worker_ids) == ("SUCCESSFUL", ["doomed", "restarted"])
    assert row.return_value == (0 if pause == "after_send" else 1)
    assert emails == 1
    assert SentEmail.objects.count() == 1
