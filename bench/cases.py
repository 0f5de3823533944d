"""Case-list and case-page latency at caseload scale, through the HTTP stack.

    .venv/bin/python bench/cases.py --cases 100000

Uses its own SQLite database under var/bench-cases/ (built once per size and
seed, then reused), with its own encryption keys kept next to it. The people
and cases are written in bulk, each personal value encrypted on its own as
the application does. One caseworker is assigned to every case (the worst
case for "my cases"); one case gets a long history through the services.

Then, through Django's test client signed in with a second factor, it
requests the caseworker's home (the case list: first page, later pages,
filters, a code search) and case pages with their timeline, several rounds
each, and ends with one line:

    cases=N list_p95_ms=… case_page_p95_ms=…
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 2000


def _configure(cases: int, seed: int) -> Path:
    bench_dir = ROOT / "var" / "bench-cases"
    bench_dir.mkdir(parents=True, exist_ok=True)
    database = bench_dir / f"cases-{cases}-{seed}.sqlite3"
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
    sys.path.insert(0, str(ROOT))
    return database


def _progress(label: str, done: int, total: int, started: float) -> None:
    elapsed = time.perf_counter() - started
    rate = done / elapsed if elapsed else 0.0
    print(f"  {label}: {done}/{total} ({rate:,.0f}/s, {elapsed:.0f}s)", flush=True)


def _build(cases: int, seed: int) -> None:
    """People, cases, assignments, 'opened' events and audit rows, in bulk."""
    from django.db import transaction
    from django.utils import timezone

    from waypoint.accounts.models import AuditEvent, Role
    from waypoint.accounts.testing import member_organization_make, staff_make
    from waypoint.cases.models import (
        AgeBand,
        Case,
        CaseEvent,
        CaseStatus,
        CaseType,
        ClosureReason,
        CodeCounter,
        Gender,
        Person,
        RiskLevel,
        Stage,
    )
    from waypoint.cases.services import name_index_of

    rng = random.Random(seed)
    organization = member_organization_make("Bench organisation", country="RO")
    caseworker = staff_make("bench_caseworker", organization, Role.CASEWORKER)
    staff_make("bench_supervisor", organization, Role.SUPERVISOR)
    given = ["Ana", "Maria", "Elena", "Ioana", "Mihai", "Andrei", "Fatima", "Amina"]
    family = ["Popescu", "Ionescu", "Dumitru", "Stan", "Haddad", "Rahimi", "Petrov"]
    countries = ["MD", "UA", "RO", "BG", "SY", "AF", "NG", "IQ", "VN", ""]
    now = timezone.now()
    year = now.year
    started = time.perf_counter()
    through = Case.assigned.through
    for first in range(0, cases, BATCH):
        count = min(BATCH, cases - first)
        people = []
        for number in range(first + 1, first + count + 1):
            g, f = rng.choice(given), rng.choice(family)
            people.append(
                Person(
                    organization=organization,
                    code=f"RO-{year}-{number:06d}",
                    given_name=g,
                    family_name=f,
                    birth_date=datetime.date(1960, 1, 1)
                    + datetime.timedelta(days=rng.randrange(20_000)),
                    contact_details=f"+40 7{rng.randrange(10**8):08d}",
                    identity_documents=f"RX {rng.randrange(10**6):06d}",
                    nationality=rng.choice(countries),
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
                opened = now - datetime.timedelta(minutes=rng.randrange(5 * 525_600))
                closed = rng.random() < 0.4
                rows.append(
                    Case(
                        organization=organization,
                        person_id=person_id,
                        code=f"{code}-1",
                        case_type=rng.choice(CaseType.values),
                        stage=rng.choice(Stage.values),
                        status=CaseStatus.CLOSED if closed else CaseStatus.OPEN,
                        country_of_origin=rng.choice(countries),
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
            CaseEvent.objects.bulk_create(
                [
                    CaseEvent(case_id=pk, at=at, actor=caseworker, kind="opened")
                    for pk, at in created
                ]
            )
            AuditEvent.objects.bulk_create(
                [
                    AuditEvent(
                        at=at,
                        actor=caseworker,
                        action="case.opened",
                        target_type="cases.case",
                        target_id=str(pk),
                        organization=organization,
                        details={},
                    )
                    for pk, at in created
                ]
            )
        if (first // BATCH) % 5 == 4 or first + count == cases:
            _progress("cases", first + count, cases, started)
    CodeCounter.objects.create(organization=organization, year=year, last=cases)


def _history(case_id: int) -> None:
    """A long history for one case, written through the services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from waypoint.accounts.models import User
    from waypoint.cases import services
    from waypoint.cases.models import Case
    from waypoint.directory.models import Organization

    actor = User.objects.get(username="bench_caseworker")
    case = Case.objects.get(pk=case_id)
    day = datetime.date(2026, 1, 5)
    court = Organization.objects.create(name="Tribunalul București", description="c")
    services.identification_record(
        actor=actor,
        case=case,
        status="presumed",
        decided_on=day,
        indicator_codes=["dr-job", "cd-documents"],
    )
    services.needs_assessment_record(
        actor=actor,
        case=case,
        assessed_on=day,
        protection_needs=["intimidation"],
        special_measures=["same_sex"],
    )
    for n in range(40):
        services.session_record(
            actor=actor,
            case=case,
            kind="legal_counselling",
            held_on=day + datetime.timedelta(days=n),
            duration_minutes=45,
            notes=f"Session {n}",
        )
        services.note_add(actor=actor, case=case, text=f"Note {n}")
    for n in range(10):
        services.task_create(
            actor=actor,
            case=case,
            title=f"Task {n}",
            due_on=day + datetime.timedelta(days=n),
            assignee=actor,
        )
    proceeding = services.proceeding_record(
        actor=actor,
        case=case,
        kind="criminal",
        authority=court,
        stage="investigation",
        person_role="injured_party",
        started_on=day,
        case_number="1234/3/2026",
    )
    services.proceeding_stage_set(actor=actor, proceeding=proceeding, stage="trial")
    services.compensation_claim_record(
        actor=actor, case=case, deciding_authority=court, crime_country="RO"
    )
    services.document_add(
        actor=actor,
        case=case,
        kind="other",
        title="Scan",
        upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n" + b"." * 2000),
    )
    case.refresh_from_db()
    services.case_stage_set(actor=actor, case=case, stage="long_term")


def _prepare(database: Path, cases: int, seed: int) -> int:
    """Build the database unless a complete one exists; return the rich case."""
    from django.core.management import call_command

    marker = database.with_suffix(".done")
    if marker.exists():
        call_command("migrate", verbosity=0, skip_checks=True)
        from waypoint.cases.models import Case

        if Case.objects.count() == cases:
            print(f"Reusing {database} ({cases} cases, seed {seed}).")
            return int(marker.read_text().split()[2])
    from django.db import connection

    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    marker.unlink(missing_ok=True)
    print(f"Building {database} …", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    _build(cases, seed)
    from waypoint.cases.models import Case

    rich = (
        Case.objects.filter(status="open")
        .order_by("-opened_at", "-id")
        .values_list("pk", flat=True)[3]
    )
    _history(rich)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    marker.write_text(f"{cases} {seed} {rich}\n")
    print(f"Built in {time.perf_counter() - started:.0f}s.", flush=True)
    return rich


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()

    database = _configure(args.cases, args.seed)
    import django

    django.setup()
    from django.test import Client

    from waypoint.accounts.models import User
    from waypoint.accounts.testing import login_with_second_factor
    from waypoint.cases.models import Case

    rich = _prepare(database, args.cases, args.seed)
    caseworker = User.objects.get(username="bench_caseworker")
    client = login_with_second_factor(Client(), caseworker)
    rng = random.Random(args.seed)
    some_code = Case.objects.order_by("?").values_list("code", flat=True).first()
    lists = [
        ("my cases, first page", "/en/cases/"),
        ("my cases, page 20", "/en/cases/?page=20"),
        ("open cases", "/en/cases/?status=open"),
        ("type and stage", "/en/cases/?case_type=thb_labour&stage=return"),
        ("code search", f"/en/cases/?code={(some_code or '')[-8:]}"),
    ]
    all_ids = list(Case.objects.values_list("pk", flat=True))
    pages = [("case with a long timeline", rich)] + [
        (f"case {i}", pk) for i, pk in enumerate(rng.sample(all_ids, 4))
    ]
    timings: dict[str, list[float]] = {}

    def timed(label: str, url: str) -> None:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code} for {url}")
        timings.setdefault(label, []).append(elapsed)

    for _label, url in lists:  # warm-up, not counted
        client.get(url)
    for _round in range(args.rounds):
        for label, url in lists:
            timed(f"list: {label}", url)
        for label, pk in pages:
            timed(f"page: {label}", f"/en/cases/{pk}/")

    width = max(len(label) for label in timings)
    print(f"\n{'request':<{width}}  {'p50':>7}  {'p95':>7}  {'max':>7}")
    for label, values in timings.items():
        print(
            f"{label:<{width}}  {statistics.median(values):>7.1f}  "
            f"{_percentile(values, 95):>7.1f}  {max(values):>7.1f}"
        )
    list_all = [v for k, vs in timings.items() if k.startswith("list:") for v in vs]
    page_all = [v for k, vs in timings.items() if k.startswith("page:") for v in vs]
    print(
        f"cases={args.cases} list_p95_ms={_percentile(list_all, 95):.1f} "
        f"case_page_p95_ms={_percentile(page_all, 95):.1f}"
    )


if __name__ == "__main__":
    main()
