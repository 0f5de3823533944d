"""Repeated failed sign-ins lock the username+address pair for a while."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import User
from waypoint.accounts.testing import PASSWORD

pytestmark = pytest.mark.django_db


def _try(client: Client, username: str, password: str = "wrong!") -> Any:  # noqa: S107
    return client.post(
        reverse("accounts:login"), {"username": username, "password": password}
    )


def _page(response: Any) -> bytes:
    """The page without its per-request nonces and tokens."""
    return re.sub(rb'(nonce|value)="[^"]*"', b"", response.content)


def test_five_failures_lock_the_account_even_for_the_right_password(
    client: Client, editor: User
) -> None:
    """After five wrong passwords the right one is refused too, with 429."""
    for _ in range(4):
        assert _try(client, "editor").status_code == 200
    locked = _try(client, "editor")
    assert locked.status_code == 429
    assert b'role="alert"' in locked.content
    assert _try(client, "editor", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_unknown_usernames_lock_the_same_way_with_the_same_page(
    client: Client, editor: User
) -> None:
    """The lockout page does not tell whether the account exists."""
    for _ in range(5):
        existing = _try(client, "editor")
    other = Client()
    for _ in range(5):
        unknown = _try(other, "no-such-person")
    assert existing.status_code == unknown.status_code == 429
    assert _page(existing) == _page(unknown)
    assert b"editor" not in existing.content


def test_the_lock_is_per_username_and_address(client: Client, editor: User) -> None:
    """Another address, or another username from this address, is not locked."""
    for _ in range(5):
        _try(client, "editor")
    elsewhere = Client(REMOTE_ADDR="192.0.2.7")
    response = elsewhere.post(
        reverse("accounts:login"), {"username": "editor", "password": PASSWORD}
    )
    assert response.status_code == 302


def test_the_lock_ends_after_the_cool_off_time(
    client: Client, editor: User, settings: Any
) -> None:
    """Locking for good would let anyone shut a colleague out."""
    assert timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    for _ in range(5):
        _try(client, "editor")
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=16)
    )
    assert _try(client, "editor", PASSWORD).status_code == 302


def test_usernames_are_counted_case_insensitively(client: Client, editor: User) -> None:
    """ "Editor" and "editor " share one counter."""
    for name in ("Editor", "editor ", "EDITOR", "editor", "eDitor"):
        _try(client, name)
    assert _try(client, "editor", PASSWORD).status_code == 429
