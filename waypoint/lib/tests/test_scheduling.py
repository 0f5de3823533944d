"""The scheduler enqueues each periodic task when its interval has passed."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.tasks import task
from django.test import override_settings

from waypoint.lib.scheduling import Scheduler

RUNS: list[str] = []


@task
def tick_task() -> None:
    RUNS.append("tick")


@task
def daily_task() -> None:
    RUNS.append("daily")


def not_a_task() -> None:
    """A plain function named as a periodic task by mistake."""


@pytest.fixture(autouse=True)
def _runs() -> None:
    RUNS.clear()


def test_it_enqueues_every_task_at_start_then_only_those_due() -> None:
    now = [1000.0]
    scheduler = Scheduler(
        intervals={
            f"{__name__}.tick_task": 60,
            f"{__name__}.daily_task": 86400,
        },
        clock=lambda: now[0],
    )

    assert len(scheduler.tick()) == 2
    assert sorted(RUNS) == ["daily", "tick"]

    now[0] += 59
    assert scheduler.tick() == []

    now[0] += 1
    assert scheduler.tick() == [f"{__name__}.tick_task"]
    assert RUNS.count("tick") == 2
    assert RUNS.count("daily") == 1


def test_it_refuses_a_path_that_is_not_a_task() -> None:
    scheduler = Scheduler(intervals={f"{__name__}.not_a_task": 60})

    with pytest.raises(TypeError, match="not a task"):
        scheduler.tick()


@override_settings(WAYPOINT_PERIODIC_TASKS={f"{__name__}.tick_task": 60})
def test_the_command_with_once_enqueues_each_task_once_and_stops() -> None:
    out = StringIO()

    call_command("tasks_scheduler", "--once", stdout=out)

    assert RUNS == ["tick"]
    assert f"enqueued {__name__}.tick_task" in out.getvalue()
