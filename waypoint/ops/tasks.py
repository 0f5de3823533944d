"""The periodic task of operations: the scheduler enqueues it every five
minutes (``WAYPOINT_PERIODIC_TASKS``), so a task whose worker was lost runs
again even when no worker restarts."""

from __future__ import annotations

from django.tasks import task

from waypoint.ops.services import tasks_recover


@task
def tasks_recover_task() -> dict[str, int]:
    recovery = tasks_recover(actor="scheduler")
    return {"requeued": recovery.requeued, "failed": recovery.failed}
