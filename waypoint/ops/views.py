"""Liveness and readiness probes for a load balancer: ``/healthz``, ``/readyz``.

``/healthz`` answers as long as the process does: it touches nothing.
``/readyz`` answers only when the instance can serve: the database answers,
the cache answers, the task queue's table can be read, and every migration
is applied.

The public sees a plain ``ok`` (200) or ``unavailable`` (503) and nothing
else; which check failed, and why, goes to the log (the name of the check
and the kind of error, no data). ``HealthProbeMiddleware`` answers them
before anything else runs, so they set no cookie, are not rate-limited and
carry no language.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpRequest, HttpResponse
from django_tasks_db.models import DBTaskResult

logger = logging.getLogger("waypoint.ops.health")

CACHE_KEY = "ops:readyz"


def _plain(text: str, status: int) -> HttpResponse:
    response = HttpResponse(f"{text}\n", status=status, content_type="text/plain")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def database_check() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def cache_check() -> None:
    cache.set(CACHE_KEY, "1", timeout=10)
    if cache.get(CACHE_KEY) != "1":
        raise RuntimeError("the cache did not keep a value")


def task_queue_check() -> None:
    DBTaskResult.objects.order_by().values_list("pk", flat=True).first()


# Once every migration of this process's code is applied it stays applied
# (the code cannot change under a running process), so the check, which reads
# every migration file, runs until it first passes and not on every probe.
migrations_known_applied = False


def migrations_check() -> None:
    global migrations_known_applied
    if migrations_known_applied:
        return
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if executor.migration_plan(executor.loader.graph.leaf_nodes()):
        raise RuntimeError("migrations are not all applied")
    migrations_known_applied = True


CHECKS: dict[str, Callable[[], None]] = {
    "database": database_check,
    "cache": cache_check,
    "task queue": task_queue_check,
    "migrations": migrations_check,
}


def healthz(request: HttpRequest) -> HttpResponse:
    return _plain("ok", 200)


def readyz(request: HttpRequest) -> HttpResponse:
    failed = []
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as exc:  # any failure means "not ready", never a 500
            logger.warning("Readiness check %r failed: %s", name, type(exc).__name__)
            failed.append(name)
            if name == "database":
                break  # the task queue and migrations need it too
    if failed:
        return _plain("unavailable", 503)
    return _plain("ok", 200)
