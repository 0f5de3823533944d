"""Recovery of the task queue after a lost worker.

django-tasks-db marks a task RUNNING when a worker takes it and SUCCESSFUL or
FAILED when the task returns; a worker killed in between (``kill -9``, out of
memory, a machine gone) leaves the row RUNNING for ever, and no worker takes
it again. ``tasks_recover`` queues such a task again once it has been RUNNING
for longer than ``WAYPOINT_TASKS_STALE_AFTER`` seconds, or marks it FAILED
after ``WAYPOINT_TASKS_MAX_ATTEMPTS`` lost workers. Each change is a
compare-and-swap on the row (a worker finishing it meanwhile wins) and leaves
an audit row; the task table holds ids only, so nothing personal is logged.

A task queued again while it was in fact still running runs twice: keep the
timeout above the longest task. The emails of tasks are sent once whatever
the number of runs (``waypoint.accounts.services.email_send_once``).
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from waypoint.accounts.services import audit_event_record

logger = logging.getLogger(__name__)

READY = "READY"
RUNNING = "RUNNING"
FAILED = "FAILED"
LOST = "waypoint.ops.services.WorkerLost"


@dataclass(frozen=True)
class Recovery:
    requeued: int
    failed: int


@transaction.atomic
def tasks_recover(
    *,
    actor: str,
    stale_after: float | None = None,
    max_attempts: int | None = None,
    now: datetime.datetime | None = None,
) -> Recovery:
    """Queue again (or fail) every task RUNNING for longer than
    ``stale_after`` seconds; ``actor`` names the caller (``"worker-start"``,
    ``"scheduler"``, ``"operator"``)."""
    if stale_after is None:
        stale_after = settings.WAYPOINT_TASKS_STALE_AFTER
    if max_attempts is None:
        max_attempts = settings.WAYPOINT_TASKS_MAX_ATTEMPTS
    cutoff = (now or timezone.now()) - datetime.timedelta(seconds=stale_after)
    stale = DBTaskResult.objects.filter(status=RUNNING, started_at__lte=cutoff)
    requeued = failed = 0
    for row in stale.order_by("started_at"):
        attempts = len(row.worker_ids)
        same = DBTaskResult.objects.filter(
            pk=row.pk, status=RUNNING, started_at=row.started_at
        )
        if attempts >= max_attempts:
            changed = same.update(
                status=FAILED,
                finished_at=timezone.now(),
                exception_class_path=LOST,
                traceback=f"its worker was lost {attempts} times",
            )
            action = "task.failed_lost_worker"
            failed += changed
        else:
            changed = same.update(status=READY)
            action = "task.requeued"
            requeued += changed
        if changed:
            audit_event_record(
                actor=None,
                action=action,
                target=row,
                details={"task": row.task_path, "attempts": attempts, "by": actor},
            )
            logger.warning(
                "tasks: %s id=%s task=%s attempts=%d",
                action,
                row.pk,
                row.task_path,
                attempts,
            )
    return Recovery(requeued=requeued, failed=failed)
