"""A task whose worker was lost is queued again (``manage.py tasks_recover``),
and one that keeps losing its worker ends FAILED."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waypoint.accounts.models import AuditEvent
from waypoint.ops.services import tasks_recover
from waypoint.ops.tasks import tasks_recover_task
from waypoint.ops.tests import drill_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture
def running(settings: Any) -> Any:
    """A task a worker took ``minutes`` ago, after ``lost`` lost workers."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}
    }

    def make(minutes: int, lost: int = 0) -> DBTaskResult[Any, Any]:
        result = drill_tasks.drill_record.enqueue(number=minutes)
        row = DBTaskResult.objects.get(pk=result.id)
        DBTaskResult.objects.filter(pk=row.pk).update(
            status="RUNNING",
            started_at=timezone.now() - datetime.timedelta(minutes=minutes),
            worker_ids=[f"w{n}" for n in range(lost + 1)],
        )
        return row

    return make


def test_a_task_running_past_the_timeout_is_queued_again(running: Any) -> None:
    stale, fresh = running(45), running(5)
    assert tasks_recover(actor="scheduler", stale_after=30 * 60).requeued == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, fresh.status) == ("READY", "RUNNING")
    # The history of who took it stays.
    assert stale.worker_ids == ["w0"]
    event = AuditEvent.objects.get(action="task.requeued")
    assert event.target_id == str(stale.pk)
    assert event.details["by"] == "scheduler"


def test_a_task_that_keeps_losing_its_worker_fails(running: Any) -> None:
    doomed = running(45, lost=2)
    recovery = tasks_recover(actor="scheduler", stale_after=60, max_attempts=3)
    assert (recovery.requeued, recovery.failed) == (0, 1)
    doomed.refresh_from_db()
    assert doomed.status == "FAILED"
    assert doomed.exception_class_path == "waypoint.ops.services.WorkerLost"


def test_the_command_uses_the_configured_timeout(
    running: Any, settings: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.WAYPOINT_TASKS_STALE_AFTER = 3600
    running(45)
    call_command("tasks_recover")
    assert capsys.readouterr().out.strip() == "requeued=0 failed=0"
    call_command("tasks_recover", "--stale-after", "600")
    assert capsys.readouterr().out.strip() == "requeued=1 failed=0"


def test_the_scheduler_runs_the_recovery_every_five_minutes(
    running: Any, settings: Any
) -> None:
    path = "waypoint.ops.tasks.tasks_recover_task"
    assert settings.WAYPOINT_PERIODIC_TASKS[path] == 300
    settings.WAYPOINT_TASKS_STALE_AFTER = 1800
    running(45)
    assert tasks_recover_task.call() == {"requeued": 1, "failed": 0}
