"""Shared by the benchmarks: their own SQLite database and bulk case records.

``configure`` points Django at a benchmark's database under ``var/`` with its
own encryption keys kept next to it (so that a database built once can be
read again); ``people_and_cases`` writes people and their cases in batches,
each personal value encrypted on its own as the application does.
"""

from __future__ import annotations

import datetime
import os
import random
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from waypoint.accounts.models import MemberOrganization, User

ROOT = Path(__file__).resolve().parent.parent
BATCH = 2000
NATIONALITIES = ["MD", "UA", "RO", "BG", "SY", "AF", "NG", "IQ", "VN", ""]
GIVEN = ["Ana", "Maria", "Elena", "Ioana", "Mihai", "Andrei", "Fatima", "Amina"]
FAMILY = ["Popescu", "Ionescu", "Dumitru", "Stan", "Haddad", "Rahimi", "Petrov"]


def var_dir() -> Path:
    """Where the benchmarks keep their databases: ``var/``, or the folder
    ``WAYPOINT_BENCH_DIR`` names (the smoke test's temporary one)."""
    return Path(os.environ.get("WAYPOINT_BENCH_DIR") or ROOT / "var")


def configure(directory: str, name: str) -> Path:
    """Settings for a database ``var/<directory>/<name>.sqlite3``; its path."""
    bench_dir = var_dir() / directory
    bench_dir.mkdir(parents=True, exist_ok=True)
    database = bench_dir / f"{name}.sqlite3"
    keys = bench_dir / "field_keys"
    index_key = bench_dir / "blind_index_key"
    if not keys.exists():
        from cryptography.fernet import Fernet

        keys.write_text(Fernet.generate_key().decode())
    if not index_key.exists():
        import secrets

        index_key.write_text(secrets.token_urlsafe(32))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-secret")
    os.environ["WAYPOINT_HTTPS"] = "0"
    os.environ["WAYPOINT_PLAIN_STATIC"] = "1"
    os.environ["ALLOWED_HOSTS"] = "testserver"
    os.environ["WAYPOINT_FIELD_KEYS"] = keys.read_text().strip()
    os.environ["WAYPOINT_BLIND_INDEX_KEY"] = index_key.read_text().strip()
    os.environ["WAYPOINT_PRIVATE_FILES_DIR"] = str(bench_dir / "private")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return database


def progress(label: str, done: int, total: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed else 0.0
    print(f"  {label}: {done}/{total} ({rate:,.0f}/s, {elapsed:.0f}s)", flush=True)


def database_reset(database: Path) -> None:
    """Delete the database files (and the marker of a complete build)."""
    from django.db import connection

    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database.with_suffix(".done").unlink(missing_ok=True)


def people_and_cases(
    *,
    organization: MemberOrganization,
    caseworker: User,
    count: int,
    rng: random.Random,
    opened_at: Callable[[random.Random], datetime.datetime],
    code_year: int,
) -> Iterator[list[tuple[int, datetime.datetime]]]:
    """Write ``count`` people, one case each, assigned to ``caseworker``.

    Yields each batch's ``(case id, opened_at)`` once it is written, so that
    a benchmark can add its own records to those cases.
    """
    from django.db import transaction

    from waypoint.cases.models import (
        AgeBand,
        Case,
        CaseStatus,
        CaseType,
        ClosureReason,
        Gender,
        Person,
        RiskLevel,
        Stage,
    )
    from waypoint.cases.services import name_index_of

    through = Case.assigned.through
    for first in range(0, count, BATCH):
        size = min(BATCH, count - first)
        people = []
        for number in range(first + 1, first + size + 1):
            g, f = rng.choice(GIVEN), rng.choice(FAMILY)
            people.append(
                Person(
                    organization=organization,
                    code=f"RO-{code_year}-{number:06d}",
                    given_name=g,
                    family_name=f,
                    birth_date=datetime.date(1960, 1, 1)
                    + datetime.timedelta(days=rng.randrange(20_000)),
                    contact_details=f"+40 7{rng.randrange(10**8):08d}",
                    identity_documents=f"RX {rng.randrange(10**6):06d}",
                    nationality=rng.choice(NATIONALITIES),
                    languages=["ro"],
                    gender=rng.choice(Gender.values),
                    age_band=rng.choice(AgeBand.values),
                    name_index=name_index_of(g, f),
                    created_by=caseworker,
                )
            )
        with transaction.atomic():
            Person.objects.bulk_create(people)
            saved = Person.objects.filter(
                organization=organization, code__in=[p.code for p in people]
            ).values_list("pk", "code")
            rows = []
            for person_id, code in saved:
                opened = opened_at(rng)
                closed = rng.random() < 0.4
                rows.append(
                    Case(
                        organization=organization,
                        person_id=person_id,
                        code=f"{code}-1",
                        case_type=rng.choice(CaseType.values),
                        stage=rng.choice(Stage.values),
                        status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                        country_of_origin=rng.choice(NATIONALITIES),
                        risk_level=rng.choice(RiskLevel.values),
                        opened_at=opened,
                        closed_at=opened + datetime.timedelta(days=90)
                        if closed
                        else None,
                        closure_reason=ClosureReason.GOALS_MET if closed else "",
                        created_by=caseworker,
                    )
                )
            Case.objects.bulk_create(rows)
            created = list(
                Case.objects.filter(
                    organization=organization, code__in=[c.code for c in rows]
                ).values_list("pk", "opened_at")
            )
            through.objects.bulk_create(
                [through(case_id=pk, user_id=caseworker.pk) for pk, _at in created]
            )
            yield created


def opened_history(
    created: list[tuple[int, datetime.datetime]],
    *,
    actor: User,
    organization: MemberOrganization,
) -> None:
    """The 'opened' event and audit row of each case of a batch, as
    ``case_open`` leaves them (call it inside the batch's transaction)."""
    from waypoint.accounts.models import AuditEvent
    from waypoint.cases.models import CaseEvent

    CaseEvent.objects.bulk_create(
        CaseEvent(case_id=pk, at=at, actor=actor, kind="opened") for pk, at in created
    )
    AuditEvent.objects.bulk_create(
        AuditEvent(
            at=at,
            actor=actor,
            action="case.opened",
            target_type="cases.case",
            target_id=str(pk),
            organization=organization,
            details={},
        )
        for pk, at in created
    )
