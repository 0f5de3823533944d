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
each, ``--repeat`` times. Each request has its floor: the SQL it sent,
replayed on the connection (bench/timing.py; the audit rows a case page
writes are replayed and rolled back). It ends with one line (medians over the
repetitions):

    cases=N list_p95_ms=… list_p95_floor_ms=… list_p95_ratio=…
    case_page_p95_ms=… case_page_p95_floor_ms=… case_page_p95_ratio=… repeat=R
"""

from __future__ import annotations

import argparse
import datetime
import random
import time
from pathlib import Path

from generate import (
    configure,
    database_reset,
    opened_history,
    people_and_cases,
    progress,
)
from timing import Figures, Samples, load_note, repeat_argument, timed


def _configure(cases: int, seed: int) -> Path:
    return configure("bench-cases", f"cases-{cases}-{seed}")


def _build(cases: int, seed: int) -> None:
    """People, cases, assignments, 'opened' events and audit rows, in bulk."""
    from django.utils import timezone

    from waypoint.accounts.models import Role
    from waypoint.accounts.testing import staff_make
    from waypoint.cases.models import CodeCounter
    from waypoint.directory.testing import member_organization_make

    rng = random.Random(seed)
    organization = member_organization_make("Bench organisation", country="RO")
    caseworker = staff_make("bench_caseworker", organization, Role.CASEWORKER)
    staff_make("bench_supervisor", organization, Role.SUPERVISOR)
    now = timezone.now()
    year = now.year
    started = time.perf_counter()
    done = 0
    batches = people_and_cases(
        organization=organization,
        caseworker=caseworker,
        count=cases,
        rng=rng,
        opened_at=lambda r: now - datetime.timedelta(minutes=r.randrange(5 * 525_600)),
        code_year=year,
    )
    for index, created in enumerate(batches):
        # Still inside the batch's transaction (the generator holds it open).
        opened_history(created, actor=caseworker, organization=organization)
        done += len(created)
        if index % 5 == 4 or done == cases:
            progress("cases", done, cases, started)
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
    database_reset(database)
    from django.db import connection

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


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=10)
    repeat_argument(parser)
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
    samples = Samples()
    figures = Figures()

    def timed_page(label: str, url: str) -> tuple[float, float]:
        response, seconds, floor = timed(lambda: client.get(url))
        if response.status_code != 200:
            raise SystemExit(f"{label}: HTTP {response.status_code} for {url}")
        samples.add(label, seconds, floor)
        return seconds * 1000, floor * 1000

    for _label, url in lists:  # warm-up, not counted
        client.get(url)
    for _repetition in range(args.repeat):
        list_times: list[tuple[float, float]] = []
        page_times: list[tuple[float, float]] = []
        for _round in range(args.rounds):
            for label, url in lists:
                list_times.append(timed_page(f"list: {label}", url))
            for label, pk in pages:
                page_times.append(timed_page(f"page: {label}", f"/en/cases/{pk}/"))
        for name, label, pairs in (
            ("list_p95", "case list p95", list_times),
            ("case_page_p95", "case page p95", page_times),
        ):
            figures.add_percentile(name, "ms", pairs, 95, label)

    print(f"\n{samples.table()}\n\n{figures.table()}\n({load_note()})")
    print(figures.line(cases=args.cases))


if __name__ == "__main__":
    main()
