"""Start-up behaviour, checked in fresh processes with a controlled environment."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "")}
    return subprocess.run(  # noqa: S603 - fixed interpreter and arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_it_refuses_to_start_without_a_secret_key_outside_debug(tmp_path: Path) -> None:
    result = _manage("check", DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    """`check --deploy` reports nothing with the production defaults."""
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY="k" * 20 + "-production-secret-value-for-the-check-0123456789",
        WAYPOINT_FIELD_KEYS="Wl3vSqXwOB8NvtnXqL8Qk4Hq7hYw8o0D9fVZbXl9mPc=",
        WAYPOINT_BLIND_INDEX_KEY="blind-index-key-for-the-deploy-check-0123456789",
        ALLOWED_HOSTS="waypoint.example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_embedded_database_runs_in_wal_mode(tmp_path: Path) -> None:
    database = tmp_path / "db.sqlite3"
    result = _manage(
        "shell",
        "-c",
        "from django.db import connection\n"
        "c = connection.cursor()\n"
        "print(c.execute('PRAGMA journal_mode').fetchone()[0])\n"
        "print(c.execute('PRAGMA busy_timeout').fetchone()[0])",
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{database}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["wal", "20000"]
