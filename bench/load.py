"""Load in the production shape: gunicorn, PostgreSQL, Redis, the task worker.

    .venv/bin/python bench/load.py --services 100000

Starts the platform as docs/operating.md tells an operator to: a scratch
PostgreSQL database it creates and drops (``--database-url``, default
``postgres://postgres@127.0.0.1:5432/waypoint_load``; its name must start
with ``waypoint_load``), Redis as the cache and rate-limit store
(``--redis-url``; that Redis database is emptied before and after),
``gunicorn config.wsgi`` with ``--workers`` sync workers on a free loopback
port, and ``manage.py db_worker`` beside it. It migrates, loads the demo
(``load_demo``, ``load_activities_demo``), generates ``--services`` services,
and writes two member organisations: caseworkers with an authenticator app
and ``--cases`` cases on one side, a recipient with ``--referrals`` referrals
on the other. Every caseworker signs in over HTTP with password and TOTP code.

Then locust (as a library, in a child process of this script, so that its
gevent patching stays there) drives loopback traffic in an **open loop**: a
dispatcher emits evenly spaced arrivals at the offered rate, each one request
of the mix, and a pool of users (big enough for two seconds of answers at the
highest rate) takes them; a slow answer does not delay the next arrival. The
mix, by share of arrivals: public searches with filters 30 %, service pages
15 %, HSDS API pages 20 %, case lists 10 % and case pages 15 % (signed-in
caseworkers), referral inboxes 8 %, the annual report's PDF 2 %; beside them
one recipient opens a referral and takes its next transition every
``--transition-every`` seconds. Phases, after a short uncounted warm-up:

1. a fixed arrival rate, ``--rate`` requests/s for ``--duration`` s;
2. saturation: ``--step`` requests/s more every ``--step-seconds`` s, until
   a step's p99 (whole mix) passes 500 ms, an error or an unexpected status
   appears, or fewer than 95 % of its arrivals were served; ``max_rps`` is
   the last rate that held. The steps start above the fixed rate when it
   held; when it did not, the rates between 0 and it are bisected down to
   ``--below-step`` requests/s (5): each probe runs ``--step-seconds`` on a
   gunicorn started anew (an overloaded server still works through what its
   socket queued), and ``max_rps`` is the highest probe that held, or 0.

Prints a table per phase and ends with one line (errors and statuses of the
fixed phase; the floors are the SQL of each page replayed in-process on the
same database, bench/timing.py):

    offered_rps=50 achieved_rps=… search_p99_ms=… case_p99_ms=… api_p99_ms=…
    errors=… non_2xx=… max_rps=… workers=W floor_search_ms=… floor_case_ms=…
    floor_api_ms=… services=N
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import re
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit, urlunsplit

from generate import ROOT, opened_history, people_and_cases, progress
from search import QUERIES
from timing import load_note, percentile, timed

DEFAULT_DATABASE = "postgres://postgres@127.0.0.1:5432/waypoint_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/11"
START_TIMEOUT = 120.0
# The mix: share of the arrivals each kind of request gets.
MIX = {
    "search": 30,
    "service": 15,
    "api": 20,
    "case_list": 10,
    "case_page": 15,
    "inbox": 8,
    "report": 2,
}
STAFF_KINDS = ("case_list", "case_page", "inbox")
# What each figure of the last line covers.
FIGURE_KINDS = {
    "search": ("search",),
    "case": ("case_list", "case_page"),
    "api": ("api",),
}
P99_LIMIT_MS = 500.0
# Seconds of answers the pool of users covers at the highest rate.
POOL_SECONDS = 2.0
TRANSITIONS = ("acknowledge", "accept", "start", "complete")
STARTED = time.perf_counter()


# --- Processes --------------------------------------------------------------


class Processes:
    """Child processes, each in a process group of its own, all ended on exit."""

    def __init__(self) -> None:
        self.children: list[subprocess.Popen[bytes]] = []

    def start(
        self, command: list[str], *, env: dict[str, str], log: Path
    ) -> subprocess.Popen[bytes]:
        with log.open("ab") as output:
            child = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.children.append(child)
        return child

    def stop(self, child: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
        if child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signal.SIGTERM)
            try:
                child.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(child.pid, signal.SIGKILL)
                child.wait(timeout=timeout)
        # Whatever the group still holds (a gunicorn worker left behind).
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(child.pid, signal.SIGKILL)

    def stop_all(self) -> None:
        for child in reversed(self.children):
            self.stop(child)
        self.children.clear()


def _terminate(signum: int, _frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- Scratch database and Redis ---------------------------------------------


def _maintenance_url(database_url: str) -> tuple[str, str]:
    parts = urlsplit(database_url)
    name = parts.path.lstrip("/")
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit("--database-url must be a PostgreSQL URL")
    if not re.fullmatch(r"waypoint_load\w*", name):
        raise SystemExit(
            f"refusing database {name!r}: the bench drops it at the end, so its "
            "name must start with waypoint_load"
        )
    return urlunsplit(parts._replace(path="/postgres")), name


@contextlib.contextmanager
def scratch_database(database_url: str) -> Iterator[None]:
    """Create the database (dropping a leftover of an interrupted run), drop
    it afterwards whatever happened."""
    import psycopg
    from psycopg import sql

    maintenance, name = _maintenance_url(database_url)
    drop = sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(name)
    )

    def run(statement: sql.Composed) -> None:
        with psycopg.connect(maintenance, autocommit=True) as connection:
            connection.execute(statement)

    run(drop)
    run(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        run(drop)
        print(f"Dropped the scratch database {name}.", flush=True)


def redis_flush(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    finally:
        client.close()


# --- Data -------------------------------------------------------------------


def settings_environment(
    args: argparse.Namespace, folder: Path, port: int
) -> dict[str, str]:
    """The environment every process of the platform gets: production's,
    with keys of this run only and mail into a folder."""
    from cryptography.fernet import Fernet

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("WAYPOINT_", "DJANGO_")) and key != "DEBUG"
    }
    env.update(
        {
            "DATABASE_URL": args.database_url,
            "REDIS_URL": args.redis_url,
            "SECRET_KEY": secrets.token_urlsafe(50),
            "WAYPOINT_FIELD_KEYS": Fernet.generate_key().decode(),
            "WAYPOINT_BLIND_INDEX_KEY": secrets.token_urlsafe(32),
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1,testserver",
            # Plain HTTP on loopback, as make run; no reverse proxy.
            "WAYPOINT_HTTPS": "0",
            # Static files from the finders: the mix requests none.
            "WAYPOINT_PLAIN_STATIC": "1",
            "WAYPOINT_TASKS_BACKEND": "database",
            "WAYPOINT_VAR_DIR": str(folder / "var"),
            "WAYPOINT_PRIVATE_FILES_DIR": str(folder / "private"),
            "WAYPOINT_MEDIA_DIR": str(folder / "media"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(folder / "mail"),
            "WAYPOINT_BASE_URL": f"http://127.0.0.1:{port}",
            # Every request comes from one loopback address: the public API's
            # limit stays counted in Redis, but high enough never to refuse.
            "WAYPOINT_API_RATE_LIMIT": "100000000",
            "LOG_LEVEL": "WARNING",
            "DJANGO_SETTINGS_MODULE": "config.settings",
        }
    )
    return env


def build(args: argparse.Namespace) -> dict[str, Any]:
    """Migrate, load the demo, generate the directory, write the staff, cases
    and referrals; return the ids the traffic uses."""
    import datetime

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from waypoint.accounts.models import Role
    from waypoint.accounts.testing import staff_make, totp_enable
    from waypoint.cases.models import Case
    from waypoint.directory.models import Service
    from waypoint.directory.testing import member_organization_make
    from waypoint.referrals.models import Notification, Referral, ReferralEvent

    started = time.perf_counter()
    call_command("migrate", verbosity=0, no_input=True)
    call_command("load_demo")
    call_command("load_activities_demo")
    print(f"Migrated and loaded the demo in {time.perf_counter() - started:.0f}s.")
    started = time.perf_counter()
    call_command("generate_directory", services=args.services, seed=args.seed)
    print(f"Generated the directory in {time.perf_counter() - started:.0f}s.")

    rng = random.Random(args.seed)
    sender = member_organization_make("Load sender organisation", country="RO")
    receiver = member_organization_make("Load recipient organisation", country="SE")
    caseworkers = [
        staff_make(f"load_caseworker_{n}", sender, Role.CASEWORKER)
        for n in range(args.caseworkers)
    ]
    recipient = staff_make("load_recipient", receiver, Role.CASEWORKER)
    totps = {user.username: totp_enable(user) for user in [*caseworkers, recipient]}
    now = timezone.now()
    through = Case.assigned.through
    case_ids: list[int] = []
    started = time.perf_counter()
    for created in people_and_cases(
        organization=sender,
        caseworker=caseworkers[0],
        count=args.cases,
        rng=rng,
        opened_at=lambda r: now - datetime.timedelta(minutes=r.randrange(525_600)),
        code_year=now.year,
    ):
        # Still in the batch's transaction: every caseworker has every case.
        through.objects.bulk_create(
            through(case_id=pk, user_id=user.pk)
            for pk, _at in created
            for user in caseworkers[1:]
        )
        opened_history(created, actor=caseworkers[0], organization=sender)
        case_ids.extend(pk for pk, _at in created)
    progress("cases", len(case_ids), args.cases, started)

    with transaction.atomic():
        Referral.objects.bulk_create(
            Referral(
                case_id=rng.choice(case_ids),
                sender_organization=sender,
                sent_by=caseworkers[0],
                recipient=receiver,
                needs=["legal-counselling"],
                respond_by=timezone.localdate(now) + datetime.timedelta(days=14),
                data_categories=["case_summary"],
                override_by=caseworkers[0],
                override_reason="Load benchmark",
                snapshot={"case_summary": {}},
                status="sent",
                sent_at=now,
                updated_at=now,
            )
            for _ in range(args.referrals)
        )
        referral_ids = list(
            Referral.objects.filter(recipient=receiver).values_list("pk", flat=True)
        )
        ReferralEvent.objects.bulk_create(
            ReferralEvent(
                referral_id=pk, at=now, actor=caseworkers[0], to_status="sent"
            )
            for pk in referral_ids
        )
        Notification.objects.bulk_create(
            Notification(user=recipient, referral_id=pk, status="sent", created_at=now)
            for pk in referral_ids
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    service_ids = [
        str(pk)
        for pk in Service.objects.order_by("?").values_list("pk", flat=True)[:500]
    ]
    connection.close()
    return {
        "totps": totps,
        "caseworkers": [user.username for user in caseworkers],
        "recipient": recipient.username,
        "case_ids": rng.sample(case_ids, min(len(case_ids), 500)),
        "referral_ids": referral_ids,
        "service_ids": service_ids,
    }


def sign_in(base: str, username: str, secret: str) -> dict[str, str]:
    """Sign in over HTTP as a person does: password, then the TOTP code.
    Returns the session's cookies."""
    import requests

    from waypoint.accounts.testing import PASSWORD, totp_code

    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    with requests.Session() as session:

        def post(path: str, data: dict[str, str]) -> requests.Response:
            page = session.get(base + path, timeout=30)
            found = token.search(page.text)
            assert found, f"no form at {path} ({page.status_code})"
            return session.post(
                base + path,
                data={"csrfmiddlewaretoken": found[1], **data},
                allow_redirects=False,
                timeout=30,
            )

        answer = post(
            "/en/accounts/login/", {"username": username, "password": PASSWORD}
        )
        assert answer.status_code == 302, f"password step: {answer.status_code}"
        answer = post(answer.headers["Location"], {"code": totp_code(secret)})
        assert answer.status_code == 302, f"code step: {answer.status_code}"
        check = session.get(base + "/en/cases/", allow_redirects=False, timeout=30)
        assert check.status_code == 200, f"case list after sign-in: {check.status_code}"
        return {cookie.name: cookie.value or "" for cookie in session.cookies}


def wait_ready(base: str, server: subprocess.Popen[bytes], log: Path) -> None:
    import requests

    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited:\n{log.read_text()[-3000:]}")
        with contextlib.suppress(requests.RequestException):
            if requests.get(base + "/readyz", timeout=5).status_code == 200:
                return
        if time.monotonic() > deadline:
            raise SystemExit("gunicorn did not become ready")
        time.sleep(0.3)


def traffic_urls(data: dict[str, Any], seed: int) -> dict[str, list[str]]:
    """Per kind of request, the URLs its arrivals choose from."""
    from waypoint.activities.models import AnnualReport

    rng = random.Random(seed)
    year = AnnualReport.objects.order_by("-year").values_list("year", flat=True)[0]
    words = ["legal", "shelter", "psychological", "hotline", "asylum", "consiliere"]
    cases = data["case_ids"]
    return {
        "search": [
            "/en/search/?" + urlencode(params, doseq=True)
            for _label, params in QUERIES
            if params
        ],
        "service": [f"/en/services/{pk}/" for pk in data["service_ids"]],
        "api": [
            *(f"/api/hsds/services?per_page=50&page={n}" for n in range(1, 21)),
            *(f"/api/hsds/services?per_page=50&search={word}" for word in words),
            *(f"/api/hsds/services/{pk}" for pk in data["service_ids"][:60]),
        ],
        "case_list": [
            "/en/cases/",
            "/en/cases/?page=2",
            "/en/cases/?status=open",
            "/en/cases/?case_type=thb_labour",
        ],
        "case_page": [
            f"/en/cases/{pk}/" for pk in rng.sample(cases, min(100, len(cases)))
        ],
        "inbox": ["/en/referrals/", "/en/referrals/?status=sent"],
        "report": [f"/en/reports/annual/{year}.pdf"],
    }


def floors(data: dict[str, Any], urls: dict[str, list[str]]) -> dict[str, float]:
    """The median floor of a search page, a case page and an API page: the
    SQL each sent, replayed on the same database (bench/timing.py)."""
    from django.test import Client

    from waypoint.accounts.models import User
    from waypoint.accounts.testing import login_with_second_factor

    staff = login_with_second_factor(
        Client(), User.objects.get(username=data["caseworkers"][0])
    )
    public = Client()
    result = {}
    for name, client, chosen in (
        ("search", public, urls["search"]),
        ("case", staff, urls["case_list"] + urls["case_page"][:10]),
        ("api", public, urls["api"][:10] + urls["api"][-10:]),
    ):
        for url in chosen[:3]:  # warm-up
            client.get(url)
        samples = []
        for url in chosen:
            response, _seconds, floor = timed(partial(client.get, url))
            if response.status_code != 200:
                raise SystemExit(f"floor of {name}: HTTP {response.status_code}")
            samples.append(floor * 1000)
        result[name] = statistics.median(samples)
    return result


# --- The traffic (the child process, with locust) ---------------------------


def drive(plan_path: Path, results_path: Path) -> None:
    """Run the phases of ``plan_path`` with locust; write the summaries."""
    import gevent  # type: ignore[import-untyped]
    from gevent.queue import Queue  # type: ignore[import-untyped]
    from locust import FastHttpUser, constant, constant_pacing, task
    from locust.env import Environment

    plan = json.loads(plan_path.read_text())
    base = plan["base"]
    urls: dict[str, list[str]] = plan["urls"]
    rng = random.Random(plan["seed"])
    queues = {"public": Queue(), "staff": Queue()}
    steps: list[dict[str, Any]] = []  # one per phase or saturation step
    state: dict[str, Any] = {"step": None, "stop": False}

    def cookie_header(cookies: dict[str, str]) -> str:
        return "; ".join(f"{name}={value}" for name, value in cookies.items())

    staff_cookies = [cookie_header(c) for c in plan["caseworker_cookies"]]
    recipient_cookie = cookie_header(plan["recipient_cookies"])

    def record(
        step: dict[str, Any] | None, kind: str, started: float, status: int, expect: int
    ) -> None:
        if step is None:
            return
        step["samples"].append((kind, (time.perf_counter() - started) * 1000, status))
        if status != expect:
            key = f"{kind}:{status}"
            step["unexpected"][key] = step["unexpected"].get(key, 0) + 1
        step["in_flight"] -= 1

    def call(
        user: FastHttpUser,
        kind: str,
        step: dict[str, Any] | None,
        method: str,
        url: str,
        *,
        cookie: str = "",
        data: dict[str, str] | None = None,
        expect: int = 200,
    ) -> str:
        """One request; its time and status go to ``step``. The body is
        returned, never printed (case pages hold personal data)."""
        user.client.cookiejar.clear()
        headers = {"Cookie": cookie} if cookie else {}
        if step is not None:
            step["in_flight"] += 1
        started = time.perf_counter()
        try:
            with user.client.request(
                method,
                url,
                name=kind,
                headers=headers,
                data=data,
                allow_redirects=False,
                catch_response=True,
            ) as response:
                status = int(response.status_code or 0)
                body = (response.text or "") if status == 200 else ""
                response.success()
        except Exception:  # a refused or lost connection: status 0
            status, body = 0, ""
        record(step, kind, started, status, expect)
        return body

    class Visitor(FastHttpUser):
        """Takes the next arrival of its queue and sends it."""

        abstract = True
        host = base
        network_timeout = 15.0
        connection_timeout = 15.0
        wait_time = constant(0)
        queue_name = "public"

        @task
        def arrival(self) -> None:
            kind, scheduled, step = queues[self.queue_name].get()
            step["taken"] += 1
            lag = time.perf_counter() - scheduled
            step["lags"].append(lag * 1000)
            url = rng.choice(urls[kind])
            cookie = rng.choice(staff_cookies) if kind in STAFF_KINDS else ""
            if kind == "inbox" and rng.random() < 0.5:
                cookie = recipient_cookie
            call(self, kind, step, "GET", url, cookie=cookie)

    class PublicVisitor(Visitor):
        fixed_count = plan["pool"]["public"]

    class Caseworker(Visitor):
        fixed_count = plan["pool"]["staff"]
        queue_name = "staff"

    # Each run of the driver gets referrals of its own: every transition is valid.
    referrals = list(plan["referral_ids"])
    version = re.compile(r'name="version" value="(\d+)"')
    token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    done: dict[int, int] = {}

    class Recipient(FastHttpUser):
        """Opens a referral and takes its next step, every few seconds."""

        fixed_count = 1
        host = base
        network_timeout = 15.0
        connection_timeout = 15.0
        wait_time = constant_pacing(plan["transition_every"])

        @task
        def transition(self) -> None:
            if not referrals:
                return
            pk = referrals[0]
            step = state["step"]
            page = call(
                self,
                "referral_page",
                step,
                "GET",
                f"/en/referrals/{pk}/",
                cookie=recipient_cookie,
            )
            found, csrf = version.search(page), token.search(page)
            if not found or not csrf:
                return
            action = TRANSITIONS[done.get(pk, 0)]
            call(
                self,
                "referral_act",
                step,
                "POST",
                f"/en/referrals/{pk}/act/",
                cookie=recipient_cookie,
                data={
                    "csrfmiddlewaretoken": csrf[1],
                    "action": action,
                    "version": found[1],
                    "text": "Done." if action == "complete" else "",
                },
                expect=302,
            )
            done[pk] = done.get(pk, 0) + 1
            referrals.append(referrals.pop(0))  # round robin over the referrals
            if done[pk] == len(TRANSITIONS):
                referrals.remove(pk)

    environment = Environment(user_classes=[PublicVisitor, Caseworker, Recipient])
    runner = environment.create_local_runner()
    total = PublicVisitor.fixed_count + Caseworker.fixed_count + 1
    runner.start(total, spawn_rate=total)
    deadline = time.monotonic() + 60
    while runner.user_count < total and time.monotonic() < deadline:
        gevent.sleep(0.2)
    print(f"locust: {runner.user_count} users in the pool", flush=True)

    kinds = list(MIX)
    weights = [MIX[kind] for kind in kinds]

    def new_step(label: str, rate: float, seconds: float) -> dict[str, Any]:
        return {
            "label": label,
            "rate": rate,
            "seconds": seconds,
            "dispatched": 0,
            "taken": 0,
            "samples": [],
            "lags": [],
            "unexpected": {},
            "in_flight": 0,
        }

    def dispatch(step: dict[str, Any]) -> None:
        """Evenly spaced arrivals at the step's rate, whatever the answers."""
        state["step"] = step
        start = time.perf_counter()
        count = int(step["rate"] * step["seconds"])
        for number in range(count):
            if state["stop"]:
                break
            scheduled = start + number / step["rate"]
            delay = scheduled - time.perf_counter()
            if delay > 0:
                gevent.sleep(delay)
            kind = rng.choices(kinds, weights)[0]
            queue = "staff" if kind in (*STAFF_KINDS,) else "public"
            queues[queue].put((kind, scheduled, step))
            step["dispatched"] += 1
        remaining = start + step["seconds"] - time.perf_counter()
        if remaining > 0:
            gevent.sleep(remaining)

    def settle(step: dict[str, Any]) -> None:
        """Wait for the step's answers (at most 15 s; late ones stay out)."""
        deadline = time.monotonic() + 15
        while step["in_flight"] > 0 or step["taken"] < step["dispatched"]:
            if time.monotonic() > deadline:
                break
            gevent.sleep(0.1)

    def summary(step: dict[str, Any]) -> dict[str, Any]:
        samples = step["samples"]
        pool = [s for s in samples if s[0] in MIX]
        times = [ms for _kind, ms, _status in pool]
        by_kind: dict[str, list[float]] = {}
        for kind, ms, _status in samples:
            by_kind.setdefault(kind, []).append(ms)
        errors = sum(1 for _k, _ms, status in samples if status == 0 or status >= 500)
        unexpected = sum(step["unexpected"].values())
        # Arrivals without an answer yet: in flight, or still waiting for a user.
        late = step["in_flight"] + step["dispatched"] - step["taken"]
        served = len(pool)
        result = {
            "label": step["label"],
            "rate": step["rate"],
            "seconds": step["seconds"],
            "dispatched": step["dispatched"],
            "completed": len(pool),
            # Answered without an error (a timeout or a refused connection is
            # no answer), per second of the phase.
            "achieved_rps": (len(pool) - errors) / step["seconds"],
            "p99_ms": percentile(times, 99),
            "lag_p99_ms": percentile(step["lags"], 99),
            "errors": errors,
            "non_2xx": unexpected - errors,
            "late": late,
            "figures": {
                name: percentile([ms for kind, ms, _s in pool if kind in group], 99)
                for name, group in FIGURE_KINDS.items()
            },
            "unexpected": step["unexpected"],
            "kinds": {
                kind: {
                    "count": len(values),
                    "p50": percentile(values, 50),
                    "p95": percentile(values, 95),
                    "p99": percentile(values, 99),
                    "max": max(values),
                }
                for kind, values in sorted(by_kind.items())
            },
        }
        reasons = []
        if result["p99_ms"] > P99_LIMIT_MS:
            reasons.append(f"p99 {result['p99_ms']:.0f} ms > {P99_LIMIT_MS:.0f}")
        if unexpected or late:
            reasons.append(f"{unexpected + late} errors, statuses or late answers")
        if served < 0.95 * step["rate"] * step["seconds"]:
            reasons.append(f"served {served} of {step['rate'] * step['seconds']:.0f}")
        result["held"] = not reasons
        result["why"] = "; ".join(reasons)
        return result

    summaries: list[dict[str, Any]] = []
    try:
        if plan["warmup"] > 0:
            first = plan["rate"]
            warm = new_step("warm-up", first, plan["warmup"])
            dispatch(warm)
            settle(warm)

        def phases() -> Iterator[tuple[str, float, float]]:
            if plan["mode"] == "probe":  # one rate, below a fixed rate that failed
                yield (
                    f"probe {plan['rate']:.0f}",
                    float(plan["rate"]),
                    float(plan["step_seconds"]),
                )
                return
            yield "fixed", float(plan["rate"]), float(plan["duration"])
            if not plan["saturation"] or not summaries[0]["held"]:
                return
            rate, top = float(plan["rate"]), float(plan["max_rate"])
            step = float(plan["step"])
            while rate + step <= top:
                rate += step
                yield f"step {rate:.0f}", rate, float(plan["step_seconds"])

        pending: gevent.Greenlet | None = None
        for label, rate, seconds in phases():
            if pending is not None:
                # The step before settles while this one already runs.
                pending.join()
                if not summaries[-1]["held"]:
                    break
            step = new_step(label, rate, seconds)
            steps.append(step)
            dispatch(step)

            def judge(step: dict[str, Any] = step) -> None:
                settle(step)
                summaries.append(summary(step))
                line = summaries[-1]
                print(
                    f"locust: {line['label']}: offered {line['rate']:.0f}/s, "
                    f"achieved {line['achieved_rps']:.1f}/s, p99 "
                    f"{line['p99_ms']:.0f} ms, "
                    f"{'held' if line['held'] else 'did not hold: ' + line['why']}",
                    flush=True,
                )

            pending = gevent.spawn(judge)
            if label == "fixed":
                pending.join()
                pending = None
        if pending is not None:
            pending.join()
    finally:
        state["stop"] = True
        state["step"] = None
        runner.quit()
        results_path.write_text(json.dumps(summaries))


# --- The parent -------------------------------------------------------------


def _print_step(step: dict[str, Any]) -> None:
    print(
        f"\n{step['label']}: offered {step['rate']:.0f}/s for {step['seconds']:.0f}s, "
        f"dispatched {step['dispatched']}, completed {step['completed']} "
        f"({step['achieved_rps']:.1f}/s), start lag p99 {step['lag_p99_ms']:.1f} ms, "
        f"errors {step['errors']}, other statuses {step['non_2xx']}"
        + ("" if step["held"] else f"; did not hold: {step['why']}")
    )
    print(
        f"  {'request':<14} {'count':>6} {'p50':>7} {'p95':>7} {'p99':>7} "
        f"{'max':>7} (ms)"
    )
    for kind, row in step["kinds"].items():
        print(
            f"  {kind:<14} {row['count']:>6} {row['p50']:>7.1f} {row['p95']:>7.1f} "
            f"{row['p99']:>7.1f} {row['max']:>7.1f}"
        )
    if step["unexpected"]:
        print(f"  unexpected statuses (kind:status): {step['unexpected']}")


def stamp(what: str) -> None:
    """One line: seconds since the script started, and what was done."""
    print(f"[{time.perf_counter() - STARTED:6.1f}s] {what}", flush=True)


def start_server(
    processes: Processes,
    args: argparse.Namespace,
    env: dict[str, str],
    port: int,
    folder: Path,
) -> subprocess.Popen[bytes]:
    """gunicorn as docs/operating.md runs it, sync workers, access log."""
    return processes.start(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.workers),
            "--access-logfile",
            str(folder / "access.log"),
        ],
        env=env,
        log=folder / "gunicorn.log",
    )


def drive_child(
    processes: Processes, plan: dict[str, Any], env: dict[str, str], folder: Path
) -> list[dict[str, Any]]:
    """Run the traffic of ``plan`` in a child process (locust patches the
    standard library with gevent: it stays there); its phases' summaries."""
    mode = plan["mode"]
    run = f"{mode}-{plan['rate']:.0f}"
    plan_path = folder / f"plan-{run}.json"
    results_path = folder / f"results-{run}.json"
    plan_path.write_text(json.dumps(plan))
    if mode == "fixed":
        steps = (plan["max_rate"] - plan["rate"]) // plan["step"]
        seconds = plan["duration"]
    else:
        steps, seconds = 1, 0.0
    limit = plan["warmup"] + seconds + steps * (plan["step_seconds"] + 16) + 120
    log = folder / f"locust-{run}.log"
    driver = processes.start(
        [
            sys.executable,
            str(Path(__file__).resolve()),
            "--drive",
            str(plan_path),
            "--results",
            str(results_path),
        ],
        env={**env, "PYTHONUNBUFFERED": "1"},
        log=log,
    )
    try:
        driver.wait(timeout=limit)
    except subprocess.TimeoutExpired:
        processes.stop(driver)
    stamp(f"traffic done ({run})")
    for line in log.read_text().splitlines():
        if line.startswith("locust:"):
            print(line)
    if not results_path.exists():
        raise SystemExit(f"the load driver failed:\n{log.read_text()[-3000:]}")
    summaries: list[dict[str, Any]] = json.loads(results_path.read_text())
    return summaries


def run(args: argparse.Namespace) -> None:
    stamp("start")
    folder = Path(tempfile.mkdtemp(prefix="waypoint-load-"))
    processes = Processes()
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        env = settings_environment(args, folder, port)
        os.environ.update(env)
        if str(ROOT) not in sys.path:
            sys.path.insert(0, str(ROOT))
        redis_flush(args.redis_url)
        with scratch_database(args.database_url):
            import django

            django.setup()
            data = build(args)
            stamp("data written")
            gunicorn_log = folder / "gunicorn.log"
            server = start_server(processes, args, env, port, folder)
            processes.start(
                [sys.executable, "manage.py", "db_worker", "--queue-name", "default"],
                env=env,
                log=folder / "worker.log",
            )
            wait_ready(base, server, gunicorn_log)
            print(
                f"gunicorn with {args.workers} workers on {base}, db_worker beside it"
            )
            cookies = {
                name: sign_in(base, name, data["totps"][name])
                for name in [*data["caseworkers"], data["recipient"]]
            }
            stamp(f"server ready, {len(cookies)} sign-ins done")
            urls = traffic_urls(data, args.seed)
            top = args.max_rate if args.saturation else args.rate
            staff_share = sum(MIX[k] for k in STAFF_KINDS) / sum(MIX.values())
            plan = {
                "base": base,
                "seed": args.seed,
                "urls": urls,
                "caseworker_cookies": [cookies[n] for n in data["caseworkers"]],
                "recipient_cookies": cookies[data["recipient"]],
                "pool": {
                    "public": max(4, math.ceil(top * (1 - staff_share) * POOL_SECONDS)),
                    "staff": max(4, math.ceil(top * staff_share * POOL_SECONDS)),
                },
                "rate": args.rate,
                "duration": args.duration,
                "warmup": args.warmup,
                "saturation": args.saturation,
                "step": args.step,
                "step_seconds": args.step_seconds,
                "max_rate": args.max_rate,
                "transition_every": args.transition_every,
            }
            # Each run of the traffic takes transitions on referrals of its own.
            referrals = data["referral_ids"]
            share = max(1, len(referrals) // 8)
            summaries = drive_child(
                processes,
                {**plan, "mode": "fixed", "referral_ids": referrals[:share]},
                env,
                folder,
            )
            if args.saturation and not summaries[0]["held"]:
                # The fixed rate did not hold: bisect between 0 (held) and it
                # (did not) down to --below-step, one probe per rate, each on
                # a gunicorn started anew (an overloaded server still works
                # through the requests its socket queued, their clients gone).
                low, high, run = 0.0, float(args.rate), 1
                while high - low > args.below_step:
                    rate = float(round((low + high) / 2))
                    processes.stop(server)
                    server = start_server(processes, args, env, port, folder)
                    wait_ready(base, server, gunicorn_log)
                    stamp(f"gunicorn restarted for a probe at {rate:.0f}/s")
                    probe = drive_child(
                        processes,
                        {
                            **plan,
                            "mode": "probe",
                            "rate": rate,
                            "referral_ids": referrals[share * run : share * (run + 1)],
                        },
                        env,
                        folder,
                    )
                    summaries += probe
                    run += 1
                    if probe and probe[0]["held"]:
                        low = rate
                    else:
                        high = rate
            processes.stop_all()
            stamp("servers stopped")
            server_log = gunicorn_log.read_text()
            tracebacks = server_log.count("Traceback")
            measured = floors(data, urls)
            from waypoint.referrals.models import ReferralEvent

            moved = ReferralEvent.objects.exclude(to_status="sent").count()
            stamp("floors measured")

        if not summaries:
            raise SystemExit("no phase was measured")
        for step in summaries:
            _print_step(step)
        fixed = summaries[0]
        held = [s["rate"] for s in summaries if s["held"]]
        if fixed["held"]:
            # The last rate that held before the first step that did not.
            max_rps = fixed["rate"]
            for step in summaries[1:]:
                if not step["held"]:
                    break
                max_rps = step["rate"]
        else:
            # The highest probe below the fixed rate that held (0 if none did).
            max_rps = max((s["rate"] for s in summaries[1:] if s["held"]), default=0.0)
        print(
            f"\nServer log: {tracebacks} tracebacks. Referral transitions "
            f"recorded: {moved}. Pool: {plan['pool']} users; "
            f"rates that held: {held}.\n({load_note()})"
        )
        figures = {
            "offered_rps": f"{fixed['rate']:.0f}",
            "achieved_rps": f"{fixed['achieved_rps']:.1f}",
            "search_p99_ms": f"{fixed['figures']['search']:.1f}",
            "case_p99_ms": f"{fixed['figures']['case']:.1f}",
            "api_p99_ms": f"{fixed['figures']['api']:.1f}",
            "errors": fixed["errors"] + fixed["late"],
            "non_2xx": fixed["non_2xx"],
            "max_rps": f"{max_rps:.0f}",
            "workers": args.workers,
            "floor_search_ms": f"{measured['search']:.2f}",
            "floor_case_ms": f"{measured['case']:.2f}",
            "floor_api_ms": f"{measured['api']:.2f}",
            "services": args.services,
        }
        print(" ".join(f"{key}={value}" for key, value in figures.items()))
    finally:
        processes.stop_all()
        with contextlib.suppress(Exception):
            redis_flush(args.redis_url)
        shutil.rmtree(folder, ignore_errors=True)
        signal.signal(signal.SIGTERM, previous)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--services", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--referrals", type=int, default=200)
    parser.add_argument("--caseworkers", type=int, default=4)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rate", type=float, default=50.0, help="requests/s")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds")
    parser.add_argument("--warmup", type=float, default=5.0, help="seconds")
    parser.add_argument("--no-saturation", dest="saturation", action="store_false")
    parser.add_argument("--step", type=float, default=25.0, help="requests/s")
    parser.add_argument(
        "--below-step",
        type=float,
        default=5.0,
        help="requests/s, how close the bisection gets when the fixed rate "
        "did not hold",
    )
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--max-rate", type=float, default=400.0, help="requests/s")
    parser.add_argument("--transition-every", type=float, default=3.0, help="seconds")
    parser.add_argument("--drive", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--results", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        drive(args.drive, args.results)
        return
    try:
        run(args)
    except KeyboardInterrupt:
        print("Interrupted; every process stopped and the database dropped.")
        raise SystemExit(130) from None


if __name__ == "__main__":
    main()
