"""Second-factor secrets are encrypted in the database."""

from __future__ import annotations

import pytest
from django.db import connection

from waypoint.accounts.models import User
from waypoint.accounts.testing import totp_enable

pytestmark = pytest.mark.django_db


def test_the_totp_secret_is_not_stored_in_clear(caseworker_a: User) -> None:
    """The raw column holds a Fernet token, not the base32 secret."""
    secret = totp_enable(caseworker_a)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT data FROM mfa_authenticator WHERE user_id = %s",
            [caseworker_a.pk],
        )
        raw = " ".join(str(row[0]) for row in cursor.fetchall())
    assert secret not in raw
    assert secret.lower() not in raw.lower()
    assert "gAAAAA" in raw  # Fernet tokens begin so
