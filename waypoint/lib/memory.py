"""Python's memory management around bulk work."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_pauses = 0
_resume = False


@contextmanager
def garbage_collection_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while bulk work runs.

    An HSDS import or export holds hundreds of thousands of small dictionaries
    until it ends, and an API page of fifty full services builds about a
    hundred thousand. The collector runs every few hundred new containers,
    moves the survivors to older generations and, once enough have piled up
    there, walks everything the process holds, finding nothing to free: on a
    10,000-service import that was 5 of 21 CPU seconds, and on a page it was
    a 90 ms stall every dozen requests. Reference counting still frees
    everything as usual; only reference cycles wait for the collector.

    The collector is one per process: pauses that overlap (nested, or in
    several threads) are counted, and the last one to end turns it back on,
    unless it was off before the first began.
    """
    global _pauses, _resume
    with _lock:
        if _pauses == 0:
            _resume = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _lock:
            _pauses -= 1
            if _pauses == 0 and _resume:
                gc.enable()
