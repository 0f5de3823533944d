"""Personas shared by every test (see STYLE.md): an editor, an admin, an outsider."""

from __future__ import annotations

import pytest
from django.test import Client

from waypoint.accounts.models import User
from waypoint.accounts.services import directory_editor_grant

pytest_plugins = ["waypoint.lib.browser"]


@pytest.fixture
def editor(db: None) -> User:
    user = User.objects.create_user(
        username="editor", email="editor@example.org", password="correct horse battery"
    )
    directory_editor_grant(user=user)
    return user


@pytest.fixture
def outsider(db: None) -> User:
    return User.objects.create_user(
        username="outsider", password="correct horse battery"
    )


@pytest.fixture
def platform_admin(db: None) -> User:
    return User.objects.create_superuser(
        username="root", password="correct horse battery"
    )


@pytest.fixture
def editor_client(client: Client, editor: User) -> Client:
    client.force_login(editor)
    return client

