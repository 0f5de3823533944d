"""The garbage collector pause around bulk work (imports, exports, API pages)."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from waypoint.lib.memory import garbage_collection_paused


@pytest.fixture
def collector_on() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.enable()
    yield
    if not was_enabled:
        gc.disable()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_runs_again_once_the_bulk_work_ends() -> None:
    with garbage_collection_paused():
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_the_collector_runs_again_when_the_bulk_work_fails() -> None:
    with pytest.raises(RuntimeError), garbage_collection_paused():
        raise RuntimeError
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_a_nested_pause_leaves_the_outer_one_paused() -> None:
    with garbage_collection_paused():
        with garbage_collection_paused():
            pass
        assert not gc.isenabled()
    assert gc.isenabled()


@pytest.mark.usefixtures("collector_on")
def test_overlapping_pauses_in_two_threads_resume_when_the_last_ends() -> None:
    first_paused = threading.Event()
    first_may_end = threading.Event()

    def first() -> None:
        with garbage_collection_paused():
            first_paused.set()
            first_may_end.wait(5)

    thread = threading.Thread(target=first)
    thread.start()
    assert first_paused.wait(5)
    with garbage_collection_paused():
        # The first thread's pause ends while this one still runs.
        first_may_end.set()
        thread.join(5)
        assert not gc.isenabled()
    assert gc.isenabled()


def test_a_collector_turned_off_before_stays_off() -> None:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        with garbage_collection_paused():
            pass
        assert not gc.isenabled()
    finally:
        if was_enabled:
            gc.enable()
