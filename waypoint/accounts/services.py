from __future__ import annotations

import secrets

from django.contrib.auth.models import Group
from django.db import transaction

from waypoint.accounts.models import User
from waypoint.accounts.roles import DIRECTORY_EDITORS, ensure_role_groups


@transaction.atomic
def admin_ensure(*, username: str = "admin", email: str = "") -> str | None:
    """Create the platform administrator once; return its new password.

    Returns ``None`` when the account already exists, so a second run never
    changes or reveals anything.
    """
    if User.objects.filter(username=username).exists():
        return None
    password = secrets.token_urlsafe(18)
    User.objects.create_superuser(username=username, email=email, password=password)
    return password


@transaction.atomic
def directory_editor_grant(*, user: User) -> None:
    ensure_role_groups()
    user.groups.add(Group.objects.get(name=DIRECTORY_EDITORS))
