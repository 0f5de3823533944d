"""How django-axes names the username of a sign-in attempt (its address:
``waypoint.lib.ratelimit.client_address``)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest


def username_from_request(
    request: HttpRequest, credentials: Mapping[str, Any] | None = None
) -> str:
    """The name typed, folded, so that "Anna" and "anna " share one counter.

    Sign-in accepts a username or an email address in one field; allauth
    passes it to the backends as ``username`` either way.
    """
    value: Any = None
    if credentials:
        value = credentials.get("username") or credentials.get("email")
    if value is None:
        value = request.POST.get("username", "")
    return str(value).strip().casefold()
