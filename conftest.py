"""Personas shared by every test (see STYLE.md).

A caseworker and a supervisor of organisation A, its administrator, a
caseworker of organisation B, a directory editor, an outsider (an account with
no role) and a platform administrator. ``*_client`` fixtures are signed in,
with the second factor proven where the role requires one.
"""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.test import Client

from waypoint.accounts.models import MemberOrganization, Profession, Role, User
from waypoint.accounts.services import directory_editor_grant
from waypoint.accounts.testing import login_with_second_factor, staff_make
from waypoint.directory.testing import member_organization_make

# Tasks run inside the call that enqueues them, unless a test says otherwise
# (scripts/test sets the same).
os.environ.setdefault("WAYPOINT_TASKS_BACKEND", "immediate")

# The demo data reaches the apps' tests only as fixtures: nothing under
# waypoint/ but waypoint/demo imports waypoint.demo.
pytest_plugins = ["waypoint.lib.browser", "waypoint.demo.fixtures"]

_TEST_FIELD_KEY = Fernet.generate_key().decode("ascii")
_TEST_INDEX_KEY = secrets.token_urlsafe(32)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(
    django_db_modify_db_settings_parallel_suffix: None,
) -> Iterator[None]:
    """On SQLite the test database is a file (on a RAM disk when there is one),
    not Django's shared in-memory database.

    With an in-memory database Django hands the test thread's own connection
    to the live server, so two browser requests at once, or a request and the
    test's own queries, run on one SQLite connection and read each other's
    rows (seen as ``User.MultipleObjectsReturned`` for a primary key). A file
    gives every thread its own connection, as in production, and lets the
    concurrency tests run on SQLite too. Each pytest process (each xdist
    worker) has its own folder, so parallel runs never share a file.
    """
    from django.conf import settings

    database = settings.DATABASES["default"]
    folder: Path | None = None
    if database["ENGINE"] == "django.db.backends.sqlite3" and not database.get(
        "TEST", {}
    ).get("NAME"):
        ram = Path("/dev/shm")  # noqa: S108 (mkdtemp: a private, random folder)
        folder = Path(
            tempfile.mkdtemp(prefix="waypoint-test-", dir=ram if ram.is_dir() else None)
        )
        database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    yield
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(autouse=True, scope="session")
def _audit_rows_flushable() -> Iterator[None]:
    """Let the test database's flush empty the append-only audit table."""
    from django.core.management.commands import flush

    from waypoint.accounts.audit_guard import audit_rows_erasable

    original = flush.Command.handle

    def handle(self: Any, *args: Any, **options: Any) -> Any:
        with audit_rows_erasable():
            return original(self, *args, **options)

    flush.Command.handle = handle  # type: ignore[method-assign]
    yield
    flush.Command.handle = original  # type: ignore[method-assign]


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    """Each test starts with an empty cache: no rate-limit window, cached
    page or list left by an earlier test in the same worker."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _english_by_default() -> Iterator[None]:
    """Each test starts in English, whatever language an earlier test's request
    left active in this thread (LocaleMiddleware activates the URL's language
    and nothing resets it)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture
def field_keys(settings: Any) -> None:
    """Encryption keys for tests that store secrets (TOTP, case data)."""
    if not settings.WAYPOINT_FIELD_KEYS:
        settings.WAYPOINT_FIELD_KEYS = [_TEST_FIELD_KEY]
    if not settings.WAYPOINT_BLIND_INDEX_KEY:
        settings.WAYPOINT_BLIND_INDEX_KEY = _TEST_INDEX_KEY


@pytest.fixture
def org_a(db: None) -> MemberOrganization:
    return member_organization_make("Organisation A", country="RO")


@pytest.fixture
def org_b(db: None) -> MemberOrganization:
    return member_organization_make("Organisation B", country="DE")


@pytest.fixture
def caseworker_a(org_a: MemberOrganization) -> User:
    return staff_make("caseworker_a", org_a, Role.CASEWORKER, Profession.LAWYER)


@pytest.fixture
def supervisor_a(org_a: MemberOrganization) -> User:
    return staff_make("supervisor_a", org_a, Role.SUPERVISOR)


@pytest.fixture
def org_admin_a(org_a: MemberOrganization) -> User:
    return staff_make("org_admin_a", org_a, Role.ORG_ADMIN)


@pytest.fixture
def caseworker_b(org_b: MemberOrganization) -> User:
    return staff_make("caseworker_b", org_b, Role.CASEWORKER, Profession.PSYCHOLOGIST)


@pytest.fixture
def caseworker_a_client(field_keys: None, caseworker_a: User) -> Client:
    return login_with_second_factor(Client(), caseworker_a)


@pytest.fixture
def supervisor_a_client(field_keys: None, supervisor_a: User) -> Client:
    return login_with_second_factor(Client(), supervisor_a)


@pytest.fixture
def org_admin_a_client(field_keys: None, org_admin_a: User) -> Client:
    return login_with_second_factor(Client(), org_admin_a)


@pytest.fixture
def caseworker_b_client(field_keys: None, caseworker_b: User) -> Client:
    return login_with_second_factor(Client(), caseworker_b)


@pytest.fixture
def platform_admin_client(field_keys: None, platform_admin: User) -> Client:
    return login_with_second_factor(Client(), platform_admin)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    client = Client()
    client.force_login(outsider)
    return client


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
