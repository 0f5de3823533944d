"""Fixed-window request limits kept in Django's cache.

One counter per scope, client and window: the public API counts requests per
address, the event registration form its submissions per address, the partner
API its requests per token. With ``REDIS_URL`` set, every server process
shares the counters; without it each process keeps its own.
"""

from __future__ import annotations

import time

from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from, as the web server saw it."""
    return str(request.META.get("REMOTE_ADDR", "") or "unknown")


def over_limit(scope: str, client: str, *, limit: int, period: int) -> int | None:
    """Count one request; over ``limit`` in this window, the seconds to wait.

    ``limit`` of 0 (or less) turns the limit off. Returns ``None`` while the
    client is within its limit.
    """
    if limit <= 0:
        return None
    period = max(period, 1)
    now = time.time()
    window = int(now // period)
    key = f"rate:{scope}:{client}:{window}"
    cache.add(key, 0, period + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # evicted between add and incr
        cache.set(key, 1, period + 1)
        count = 1
    if count <= limit:
        return None
    return max(1, int((window + 1) * period - now) + 1)
