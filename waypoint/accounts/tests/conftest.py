from __future__ import annotations

from typing import Any

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_state(settings: Any, field_keys: None) -> None:
    """Rate-limit counters and used TOTP codes live in the cache: start clean.

    One period of clock tolerance keeps a code computed just before a
    30-second boundary valid when the request lands just after it. Argon2
    runs with its cheapest parameters: these tests sign in hundreds of times.
    """
    cache.clear()
    settings.MFA_TOTP_TOLERANCE = 1
    settings.PASSWORD_HASHERS = [
        "waypoint.accounts.testing.FastArgon2PasswordHasher",
        *settings.PASSWORD_HASHERS,
    ]
