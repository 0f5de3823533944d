"""Fixed-window request limits kept in Django's cache.

One counter per scope, client and window: the public API counts requests per
client, the event registration form its submissions per client, the partner
API its requests per token. With ``REDIS_URL`` set, every server process
shares the counters; without it each process keeps its own.
"""

from __future__ import annotations

import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address the request came from.

    Behind the reverse proxy (``BEHIND_PROXY=1``) every request reaches the
    server from the proxy: the client is the last hop the proxy added to
    ``X-Forwarded-For`` (earlier hops are whatever the client sent).
    """
    if getattr(settings, "AXES_TRUST_FORWARDED_FOR", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return str(hops[-1])
    return str(request.META.get("REMOTE_ADDR", ""))


def client_key(request: HttpRequest) -> str:
    """Whom a per-client limit counts: the IPv4 address, or the IPv6 /64.

    One IPv6 connection usually holds a whole /64 and could change address
    at every request.
    """
    address = client_address(request)
    try:
        parsed = ipaddress.ip_address(address)
    except ValueError:
        return address or "unknown"
    if isinstance(parsed, ipaddress.IPv6Address):
        if parsed.ipv4_mapped is not None:  # ::ffff:a.b.c.d is a.b.c.d
            return str(parsed.ipv4_mapped)
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


def configured(limit_setting: str, period_setting: str) -> tuple[int, int]:
    """A limit and its window in seconds (at least one), from two settings."""
    limit = int(getattr(settings, limit_setting))
    period = int(getattr(settings, period_setting))
    return limit, max(period, 1)


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
    return max(1, math.ceil((window + 1) * period - now))
