"""Write the backups of a small instance that the upgrade drill restores.

    .venv/bin/python scripts/release_fixture.py

Run it with the code of a release, just before the next one changes the
models. For each database it builds a throw-away instance (SQLite in a
temporary folder; PostgreSQL in a scratch database ``waypoint_release_fixture``
on the server of ``--postgres``, dropped afterwards) whose keys are the
test-only ones in ``waypoint/ops/tests/fixtures/release-keys.env``, never
used anywhere else. It writes through the services
(``waypoint.ops.testing``) an organisation, a caseworker, a case with a
document and a consent, and a referral with an attachment, and backs it
up with ``manage.py backup`` into
``waypoint/ops/tests/fixtures/release-sqlite/`` (the database gzipped, so
that the repository holds tens of kilobytes, not megabytes) and
``release-postgresql/`` (``pg_dump``'s custom format is compressed already).
"""

from __future__ import annotations

import argparse
import gzip
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "waypoint" / "ops" / "tests" / "fixtures"
KEYS = FIXTURES / "release-keys.env"
SCRATCH = "waypoint_release_fixture"


def keys() -> dict[str, str]:
    return dict(
        line.split("=", 1)
        for line in KEYS.read_text().splitlines()
        if line and not line.startswith("#")
    )


def _scratch(server: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(statement)


def build(vendor: str, server: str) -> None:
    """One instance of ``vendor``, written and backed up (in this process)."""
    folder = Path(tempfile.mkdtemp(prefix="waypoint-release-fixture-"))
    os.environ.update(
        {
            **keys(),
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DEBUG": "0",
            "SECRET_KEY": "release-fixture-only-secret-key-0123456789abcdef",
            "WAYPOINT_HTTPS": "0",
            "WAYPOINT_TASKS_BACKEND": "immediate",
            "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
            "WAYPOINT_VAR_DIR": str(folder),
        }
    )
    os.environ.pop("DATABASE_URL", None)
    if vendor == "postgresql":
        _scratch(server, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
        _scratch(server, f'CREATE DATABASE "{SCRATCH}"')
        os.environ["DATABASE_URL"] = f"{server}/{SCRATCH}"
    sys.path.insert(0, str(ROOT))
    try:
        case, referral = _write_instance(folder)
        fixture = FIXTURES / f"release-{vendor}"
        shutil.rmtree(fixture, ignore_errors=True)
        shutil.copytree(folder / "backup", fixture)
        database = fixture / "database.sqlite3"
        if database.exists():
            with (
                database.open("rb") as plain,
                gzip.open(f"{database}.gz", "wb", 9) as packed,
            ):
                shutil.copyfileobj(plain, packed)
            database.unlink()
        print(f"Wrote {fixture.relative_to(ROOT)} (case {case}, referral {referral}).")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        if vendor == "postgresql":
            from django.db import connections

            connections.close_all()
            _scratch(server, f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')


def _write_instance(folder: Path) -> tuple[int, int]:
    import django

    django.setup()
    from django.core.management import call_command

    from waypoint.accounts.models import Role
    from waypoint.accounts.testing import staff_make
    from waypoint.cases.models import CaseType
    from waypoint.cases.services import CaseDetails, PersonDetails, case_intake
    from waypoint.directory.testing import member_organization_make
    from waypoint.ops.testing import casework_make

    call_command("migrate", verbosity=0)
    sender = member_organization_make("Release fixture sender", country="RO")
    recipient = member_organization_make("Release fixture recipient", country="SE")
    caseworker = staff_make("fixture_caseworker", sender, Role.CASEWORKER)
    staff_make("fixture_recipient", recipient, Role.CASEWORKER)
    case = case_intake(
        actor=caseworker,
        organization=sender,
        person=PersonDetails(
            given_name="Ilinca",
            family_name="Fixturescu",
            contact_details="+40 721 000 222",
            identity_documents="RX 654321",
            nationality="MD",
            languages=["ro"],
        ),
        case=CaseDetails(case_type=CaseType.THB_LABOUR, country_of_origin="MD"),
        staff=(caseworker,),
    )
    referral = casework_make(
        caseworker=caseworker, case=case, recipient=recipient, attachment=True
    ).referral
    call_command("backup", str(folder / "backup"), actor="release-fixture")
    return case.pk, referral.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument(
        "--postgres",
        default="postgres://postgres@127.0.0.1:5432",
        help="the PostgreSQL server (no database name) for the scratch database",
    )
    parser.add_argument(
        "--vendor", choices=["sqlite", "postgresql"], help=argparse.SUPPRESS
    )
    args = parser.parse_args()
    if args.vendor:
        build(args.vendor, args.postgres)
        return
    # One process per database: Django is set up once per process.
    for vendor in ("sqlite", "postgresql"):
        subprocess.run(  # noqa: S603
            [sys.executable, __file__, "--vendor", vendor, "--postgres", args.postgres],
            check=True,
        )


if __name__ == "__main__":
    main()
