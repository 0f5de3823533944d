"""The load balancer's probes: /healthz (liveness) and /readyz (readiness).

They answer a plain ``ok`` or ``unavailable`` and nothing more, whatever the
Host header, over plain HTTP, without a cookie or a rate limit; which check
failed is in the log only.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from django.db import OperationalError, connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from waypoint.ops import views

pytestmark = pytest.mark.django_db


def _refuse(*args: Any) -> Any:
    raise OperationalError("connection refused")


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_answers_ok_and_sets_nothing(path: str) -> None:
    response = Client().get(path)
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert response["Content-Type"] == "text/plain"
    assert response.cookies == {}
    assert "Content-Language" not in response
    assert "Vary" not in response


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_a_probe_by_the_instance_address_over_http_is_answered(
    path: str, settings: Any
) -> None:
    """The balancer asks by IP, without TLS: no 400 for the host, no redirect."""
    settings.ALLOWED_HOSTS = ["waypoint.example.org"]
    settings.SECURE_SSL_REDIRECT = True
    response = Client(HTTP_HOST="10.0.0.5:8000").get(path)
    assert response.status_code == 200


def test_probes_are_never_rate_limited(settings: Any) -> None:
    settings.WAYPOINT_API_RATE_LIMIT = 1
    client = Client()
    assert {client.get("/readyz").status_code for _ in range(5)} == {200}


def test_liveness_needs_no_database() -> None:
    with connection.execute_wrapper(_refuse):
        assert Client().get("/healthz").status_code == 200


def test_readiness_fails_plainly_when_the_database_refuses(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING), connection.execute_wrapper(_refuse):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert response.content == b"unavailable\n"
    assert "'database'" in caplog.text and "OperationalError" in caplog.text
    assert "connection refused" not in response.content.decode()


def test_readiness_fails_when_the_cache_cannot_keep_a_value(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr("waypoint.ops.views.cache.get", lambda *args, **kwargs: None)
    with caplog.at_level(logging.WARNING):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert "'cache'" in caplog.text


def test_readiness_fails_while_a_migration_is_unapplied(
    caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from django.db.migrations.recorder import MigrationRecorder

    # As in a process that has not yet seen its migrations applied.
    monkeypatch.setattr(views, "migrations_known_applied", False)

    recorder = MigrationRecorder(connection)
    last = recorder.migration_qs.filter(app="ops").order_by("-id").first() or (
        recorder.migration_qs.filter(app="accounts").order_by("-id").first()
    )
    assert last is not None
    recorder.record_unapplied(last.app, last.name)
    with caplog.at_level(logging.WARNING):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert "'migrations'" in caplog.text


def test_readiness_reads_the_migration_files_only_until_they_are_applied(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Once the migrations were found applied, a probe does not load every
    migration file again (a load balancer asks every few seconds)."""
    monkeypatch.setattr(views, "migrations_known_applied", False)
    from django.db.migrations.executor import MigrationExecutor

    loads: list[int] = []

    def counting(*args: Any) -> Any:
        loads.append(1)
        return MigrationExecutor(*args)

    monkeypatch.setattr("waypoint.ops.views.MigrationExecutor", counting)
    assert Client().get("/readyz").status_code == 200
    assert Client().get("/readyz").status_code == 200
    assert loads == [1]


def test_readiness_fails_without_the_task_queue_table(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(DBTaskResult._meta, "db_table", "no_such_task_table")
    with caplog.at_level(logging.WARNING):
        response = Client().get("/readyz")
    assert response.status_code == 503
    assert "'task queue'" in caplog.text


def test_other_methods_and_paths_are_the_site_s() -> None:
    assert Client().post("/readyz").status_code == 404
    assert Client().get("/readyz/").status_code == 404
