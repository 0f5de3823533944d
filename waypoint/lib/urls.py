"""Links that leave the platform: in emails, and in documents sent elsewhere."""

from __future__ import annotations

from django.conf import settings


def absolute_url(path: str) -> str:
    """``path`` on this platform as a link that works outside a request.

    ``WAYPOINT_BASE_URL`` ("https://waypoint.example.org") makes it absolute;
    without it the link stays a path on the platform (a local run).
    """
    base: str = getattr(settings, "WAYPOINT_BASE_URL", "")
    return base.rstrip("/") + path
