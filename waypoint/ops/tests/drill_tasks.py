"""The tasks of the task drills (``test_task_drill.py``), imported by the
``db_worker`` processes the drills start. They write only to the drill's own
tables and to the drill's mail folder."""

from __future__ import annotations

import time
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
from django.tasks import TaskContext, task

from waypoint.accounts.services import email_send_once

RUNS = "ops_drill_run"
ATTEMPTS = "ops_drill_attempt"
# A paused task waits this long at most for the drill to kill its worker.
PAUSE_LIMIT = 120.0


@task(takes_context=True)
def drill_record(context: TaskContext[..., int], number: int) -> int:
    """Record every attempt, and the run under a unique key: a second run of
    the same task would fail on the constraint (and show as FAILED)."""
    task_id = str(context.task_result.id)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {ATTEMPTS} (task_id) VALUES (%s)", [task_id])  # noqa: S608
        cursor.execute(
            f"INSERT INTO {RUNS} (task_id, number) VALUES (%s, %s)",  # noqa: S608
            [task_id, number],
        )
    return number


@task(takes_context=True)
def drill_mail(context: TaskContext[..., int], flags: str, pause: str) -> int:
    """Send one email under the run's key; the first attempt stops before or
    after the send (``pause``) and waits there for the drill's ``kill -9``."""
    first = len(context.task_result.worker_ids) == 1
    if first and pause == "before_send":
        _wait_to_be_killed(Path(flags))
    sent = email_send_once(
        actor="task:drill_mail",
        key=f"{context.task_result.id}:drill",
        compose=lambda: EmailMessage(
            "Task drill",
            "One email.",
            settings.DEFAULT_FROM_EMAIL,
            ["drill@example.org"],
        ),
    )
    if first and pause == "after_send":
        _wait_to_be_killed(Path(flags))
    return int(sent)


def _wait_to_be_killed(flags: Path) -> None:
    (flags / "paused").touch()
    deadline = time.monotonic() + PAUSE_LIMIT
    while time.monotonic() < deadline:
        time.sleep(0.05)
