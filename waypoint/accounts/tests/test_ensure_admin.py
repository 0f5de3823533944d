from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import call_command

from waypoint.accounts.models import User


@pytest.mark.django_db
def test_the_administrator_gets_a_random_password_shown_once() -> None:
    first = StringIO()
    call_command("ensure_admin", stdout=first)
    match = re.search(r"password '([^']+)'", first.getvalue())
    assert match is not None
    admin = User.objects.get(username="admin")
    assert admin.is_superuser
    assert admin.check_password(match.group(1))
    assert len(match.group(1)) >= 20

    second = StringIO()
    call_command("ensure_admin", stdout=second)
    assert "already exists" in second.getvalue()
    assert match.group(1) not in second.getvalue()
    admin.refresh_from_db()
    assert admin.check_password(match.group(1))


@pytest.mark.django_db
def test_two_setups_make_two_different_passwords() -> None:
    out_a, out_b = StringIO(), StringIO()
    call_command("ensure_admin", "--username", "a", stdout=out_a)
    call_command("ensure_admin", "--username", "b", stdout=out_b)
    assert re.findall(r"password '([^']+)'", out_a.getvalue()) != re.findall(
        r"password '([^']+)'", out_b.getvalue()
    )


def test_passwords_are_hashed_with_argon2(db: None) -> None:
    user = User.objects.create_user(username="x", password="a long passphrase 12")
    assert user.password.startswith("argon2")
