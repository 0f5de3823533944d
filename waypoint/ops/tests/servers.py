"""What the drills share: a free loopback port, a GET whatever its status,
and gunicorn started as docs/operating.md starts it."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
# Bounds of every wait: a drill that hangs fails instead.
START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def get(url: str) -> tuple[int, dict[str, str], str]:
    """Status, headers and body of a GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=15) as response:  # noqa: S310
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@contextlib.contextmanager
def gunicorn(
    settings: dict[str, str], log: Path, *, workers: int, options: tuple[str, ...] = ()
) -> Iterator[str]:
    """gunicorn with production settings and ``settings`` on a free port,
    output to ``log``; yields its base URL once /healthz answers. Without
    ``REDIS_URL`` in ``settings`` the workers use their own memory caches."""
    port = free_port()
    env = {
        **os.environ,
        "ALLOWED_HOSTS": "127.0.0.1",
        "WAYPOINT_HTTPS": "0",
        "WAYPOINT_PLAIN_STATIC": "1",
        "DEBUG": "0",
    }
    env.pop("REDIS_URL", None)
    env.update(settings)
    bindir = Path(sys.executable).parent
    with log.open("w") as output:
        server = subprocess.Popen(  # noqa: S603
            [
                str(bindir / "gunicorn"), "config.wsgi", "--bind",
                f"127.0.0.1:{port}", "--workers", str(workers), *options,
            ],
            cwd=ROOT, env=env, stdout=output, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            assert server.poll() is None, log.read_text()
            with contextlib.suppress(OSError):
                if get(f"{base}/healthz")[0] == 200:
                    break
            assert time.monotonic() < deadline, "gunicorn did not start"
            time.sleep(0.2)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def instance_environment(
    database_url: str, folder: Path, *, keys: dict[str, str], secret_key: str
) -> dict[str, str]:
    """The environment of a new instance: production settings, its own
    database and folder (``WAYPOINT_VAR_DIR``), the encryption ``keys`` given
    (``WAYPOINT_FIELD_KEYS``, ``WAYPOINT_BLIND_INDEX_KEY``); nothing of the
    test process's own ``WAYPOINT_`` settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("WAYPOINT_") and key not in ("DATABASE_URL", "DEBUG")
    }
    env.update(
        {
            **keys,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": secret_key,
            "ALLOWED_HOSTS": "testserver",
            "WAYPOINT_HTTPS": "0",
            "WAYPOINT_PLAIN_STATIC": "1",
            "WAYPOINT_TASKS_BACKEND": "immediate",
            "WAYPOINT_VAR_DIR": str(folder),
        }
    )
    return env


def manage(env: dict[str, str], *arguments: str) -> subprocess.CompletedProcess[str]:
    """``manage.py`` in a process of its own with ``env``; never raises on
    its exit status (the caller checks it), at most 300 s."""
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
