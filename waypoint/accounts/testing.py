"""Test builders for accounts: staff and second factors.

Member organisations, which need a directory listing, are built by
``waypoint.directory.testing.member_organization_make``.

Used by the shared personas in ``conftest.py`` and by later apps' tests.
"""

from __future__ import annotations

import time

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.test import Client

from waypoint.accounts.models import MemberOrganization, Membership, Role, User
from waypoint.accounts.session_security import SESSION_KEY

PASSWORD = "correct horse battery"  # noqa: S105 (test accounts only)


def staff_make(
    username: str,
    organization: MemberOrganization,
    role: str,
    profession: str = "",
) -> User:
    user = User.objects.create_user(
        username=username, email=f"{username}@example.org", password=PASSWORD
    )
    if role == Role.CASEWORKER and not profession:
        profession = "lawyer"
    Membership.objects.create(
        user=user, organization=organization, role=role, profession=profession
    )
    return user


def totp_enable(user: User) -> str:
    """Give ``user`` an authenticator app (and recovery codes); return its secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    RecoveryCodes.activate(user)
    return str(secret)


def totp_code(secret: str, *, offset: int = 0) -> str:
    """The code an authenticator app shows now (``offset`` periods later)."""
    return str(format_hotp_value(hotp_value(secret, int(time.time()) // 30 + offset)))


def login_with_second_factor(client: Client, user: User) -> Client:
    """Sign ``client`` in as ``user`` as if the code had been typed."""
    if not Authenticator.objects.filter(
        user=user, type=Authenticator.Type.TOTP
    ).exists():
        totp_enable(user)
    client.force_login(user)
    session = client.session
    session[SESSION_KEY] = user.pk
    session.save()
    return client


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    """Argon2 with the cheapest parameters: for tests only, where hundreds of
    sign-ins would otherwise spend seconds hashing. Hashes stay Argon2 (the
    parameters are stored in each hash), so production verifies them too."""

    time_cost = 1
    memory_cost = 8
    parallelism = 1
