"""Background tasks of case management (run by the task worker)."""

from __future__ import annotations

import logging

from django.tasks import task

from waypoint.cases.services.data_requests import retention_apply

logger = logging.getLogger(__name__)


@task
def retention_apply_task() -> int:
    """Anonymise people past their organisation's retention period (daily)."""
    count = retention_apply()
    logger.info("retention: anonymised=%d", count)
    return count
