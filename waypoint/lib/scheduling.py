"""Enqueue the periodic tasks named in ``settings.WAYPOINT_PERIODIC_TASKS``.

Django's tasks framework runs tasks but does not schedule them. The scheduler
keeps, per task, the time it was last enqueued (in memory: after a restart,
every task is enqueued once at start, which is harmless because each periodic
task is idempotent) and enqueues the ones whose interval has passed.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.tasks import Task
from django.utils.module_loading import import_string


@dataclass
class Scheduler:
    intervals: Mapping[str, int]
    clock: Callable[[], float] = time.monotonic
    last_enqueued: dict[str, float] = field(default_factory=dict)

    def due(self) -> list[str]:
        now = self.clock()
        return [
            path
            for path, interval in self.intervals.items()
            if path not in self.last_enqueued
            or now - self.last_enqueued[path] >= interval
        ]

    def tick(self) -> list[str]:
        """Enqueue every due task; returns the dotted paths enqueued."""
        enqueued = []
        for path in self.due():
            task = import_string(path)
            if not isinstance(task, Task):
                raise TypeError(f"{path} is not a task (decorate it with @task)")
            task.enqueue()
            self.last_enqueued[path] = self.clock()
            enqueued.append(path)
        return enqueued


def scheduler_from_settings() -> Scheduler:
    return Scheduler(intervals=dict(settings.WAYPOINT_PERIODIC_TASKS))
