"""Statistics pages and the annual report at the scale of a busy year.

    .venv/bin/python bench/reports.py --cases 100000

Builds (once per size and seed, then reuses) its own SQLite database under
var/bench-reports/ holding one year of one member organisation: N cases
(people and cases written as bench/cases.py writes them), 5·N assistance
sessions, N/2 referrals to ten member organisations in eight countries with
their status events, recovery and reflection periods and compensation claims
for some of the cases, and N/50 events with their participant counts and the
organisation's annual report. ``--cases 1000`` scales everything down.

Then, through Django's test client signed in with a second factor as the
organisation's supervisor, it times the statistics pages of that year (the
activity statistics and the casework statistics) and the annual report (the
web page, the PDF and the DOCX), several rounds each, the whole ``--repeat``
times. Each page has its floor (bench/timing.py): the SQL it sent, replayed
on the connection. It ends with one line:

    cases=N stats_s=… stats_floor_s=… stats_ratio=… annual_report_s=…
    annual_report_floor_s=… annual_report_ratio=… repeat=R

A repetition's figure is the median over its rounds of the time for all the
pages of its group, one after the other (and of their floors); the line
gives the medians over the repetitions.
"""

from __future__ import annotations

import argparse
import datetime
import random
import statistics
import time
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from generate import configure, database_reset, people_and_cases, progress
from timing import Figures, Samples, load_note, repeat_argument, timed

if TYPE_CHECKING:
    from waypoint.accounts.models import MemberOrganization

BATCH = 5000
RECIPIENT_COUNTRIES = ["RO", "MD", "BG", "UA", "DE", "IT", "ES", "GR", "RO", "DE"]


def _year() -> int:
    """The last complete year: every statistic of it is final."""
    from django.utils import timezone

    return timezone.localdate().year - 1


def _build(cases: int, seed: int) -> None:
    from waypoint.accounts.models import Role
    from waypoint.accounts.testing import staff_make
    from waypoint.directory.testing import member_organization_make

    rng = random.Random(seed)
    year = _year()
    organization = member_organization_make("Bench organisation", country="RO")
    caseworker = staff_make("bench_caseworker", organization, Role.CASEWORKER)
    staff_make("bench_supervisor", organization, Role.SUPERVISOR)
    start = datetime.datetime(year, 1, 1, tzinfo=datetime.UTC)
    minutes = 365 * 24 * 60
    started = time.perf_counter()
    done = 0
    case_ids: list[tuple[int, datetime.datetime]] = []
    for created in people_and_cases(
        organization=organization,
        caseworker=caseworker,
        count=cases,
        rng=rng,
        opened_at=lambda r: start + datetime.timedelta(minutes=r.randrange(minutes)),
        code_year=year,
    ):
        case_ids.extend(created)
        done += len(created)
        if done % (BATCH * 4) < len(created) or done == cases:
            progress("cases", done, cases, started)
    _sessions(case_ids, 5 * cases, caseworker.pk, rng, year)
    _reflection_and_compensation(case_ids, caseworker.pk, rng, year)
    _referrals(case_ids, cases // 2, organization, caseworker.pk, rng)
    _events(max(cases // 50, 1), organization, rng, year)


def _sessions(
    case_ids: list[tuple[int, datetime.datetime]],
    count: int,
    staff_id: int,
    rng: random.Random,
    year: int,
) -> None:
    from django.db import transaction

    from waypoint.cases.models import AssistanceSession, SessionKind

    kinds = SessionKind.values
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        rows = []
        for _n in range(min(BATCH, count - first)):
            case_id, opened = rng.choice(case_ids)
            day = opened.date() + datetime.timedelta(days=rng.randrange(60))
            rows.append(
                AssistanceSession(
                    case_id=case_id,
                    kind=rng.choice(kinds),
                    held_on=min(day, datetime.date(year, 12, 31)),
                    duration_minutes=rng.choice((30, 45, 60, 90, 120)),
                    staff_id=staff_id,
                    recorded_by_id=staff_id,
                )
            )
        with transaction.atomic():
            AssistanceSession.objects.bulk_create(rows)
        if (first // BATCH) % 20 == 19 or first + BATCH >= count:
            progress("sessions", min(first + BATCH, count), count, started)


def _reflection_and_compensation(
    case_ids: list[tuple[int, datetime.datetime]],
    staff_id: int,
    rng: random.Random,
    year: int,
) -> None:
    """A reflection period for one case in ten, a claim for one in twenty."""
    from django.db import transaction

    from waypoint.cases.models import (
        ClaimStatus,
        CompensationClaim,
        ReflectionDecision,
        ReflectionPeriod,
    )
    from waypoint.directory.models import Organization

    authority = Organization.objects.create(name="Compensation board", country="RO")
    periods = []
    claims = []
    last = datetime.date(year, 12, 31)
    for case_id, opened in case_ids:
        day = opened.date()
        if rng.random() < 0.1:
            decision = rng.choice(ReflectionDecision.values)
            periods.append(
                ReflectionPeriod(
                    case_id=case_id,
                    country="RO",
                    starts_on=day,
                    ends_on=day + datetime.timedelta(days=90),
                    decision=decision,
                    decided_on=None
                    if decision == ReflectionDecision.PENDING
                    else min(day + datetime.timedelta(days=60), last),
                    recorded_by_id=staff_id,
                )
            )
        if rng.random() < 0.05:
            status = rng.choice(ClaimStatus.values)
            claims.append(
                CompensationClaim(
                    case_id=case_id,
                    deciding_authority=authority,
                    crime_country="RO",
                    filed_on=day,
                    status=status,
                    amount_claimed=Decimal(rng.randrange(1_000, 50_000)),
                    amount_awarded=Decimal(rng.randrange(0, 20_000)),
                    recorded_by_id=staff_id,
                )
            )
    with transaction.atomic():
        ReflectionPeriod.objects.bulk_create(periods, batch_size=BATCH)
        CompensationClaim.objects.bulk_create(claims, batch_size=BATCH)
    print(f"  {len(periods)} reflection periods, {len(claims)} claims", flush=True)


# The path of a referral through its statuses, and how often each ends there.
PATHS: list[tuple[list[str], float]] = [
    (["sent"], 0.08),
    (["sent", "acknowledged"], 0.05),
    (["sent", "acknowledged", "accepted"], 0.2),
    (["sent", "accepted", "in_progress"], 0.2),
    (["sent", "acknowledged", "accepted", "in_progress", "completed"], 0.3),
    (["sent", "accepted", "in_progress", "not_completed"], 0.05),
    (["sent", "declined"], 0.07),
    (["sent", "withdrawn"], 0.02),
    (["sent", "expired"], 0.03),
]


def _referrals(
    case_ids: list[tuple[int, datetime.datetime]],
    count: int,
    organization: MemberOrganization,
    staff_id: int,
    rng: random.Random,
) -> None:
    from django.db import transaction

    from waypoint.directory.testing import member_organization_make
    from waypoint.referrals.models import Referral, ReferralEvent

    recipients = [
        member_organization_make(f"Recipient {n}", country=country)
        for n, country in enumerate(RECIPIENT_COUNTRIES)
    ]
    paths = [p for p, _w in PATHS]
    weights = [w for _p, w in PATHS]
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        size = min(BATCH, count - first)
        chosen = [rng.choice(case_ids) for _n in range(size)]
        routes = rng.choices(paths, weights, k=size)
        rows = []
        for (case_id, opened), route in zip(chosen, routes, strict=True):
            sent = opened + datetime.timedelta(hours=rng.randrange(1, 24 * 30))
            rows.append(
                Referral(
                    case_id=case_id,
                    sender_organization=organization,
                    sent_by_id=staff_id,
                    recipient=rng.choice(recipients),
                    needs=["shelter"],
                    respond_by=sent.date() + datetime.timedelta(days=7),
                    data_categories=["case_summary"],
                    override_reason="Bench referral",
                    override_by_id=staff_id,
                    status=route[-1],
                    sent_at=sent,
                    updated_at=sent,
                )
            )
        with transaction.atomic():
            created = Referral.objects.bulk_create(rows)
            events = []
            for referral, route in zip(created, routes, strict=True):
                at = referral.sent_at
                previous = ""
                for status in route:
                    events.append(
                        ReferralEvent(
                            referral_id=referral.pk,
                            at=at,
                            actor_id=staff_id,
                            from_status=previous,
                            to_status=status,
                        )
                    )
                    previous = status
                    at += datetime.timedelta(minutes=rng.randrange(30, 6 * 24 * 60))
            ReferralEvent.objects.bulk_create(events)
        if (first // BATCH) % 4 == 3 or first + size == count:
            progress("referrals", first + size, count, started)


def _events(
    count: int, organization: MemberOrganization, rng: random.Random, year: int
) -> None:
    """Events of the organisation's projects (and some of others it joined)."""
    from django.db import transaction

    from waypoint.activities.models import (
        AnnualReport,
        Event,
        EventType,
        FundingProgramme,
        ParticipantCount,
        ParticipantProfession,
        Project,
    )

    listing = organization.organization
    projects = [
        Project.objects.create(
            title=f"Bench project {n}",
            acronym=f"BP{n}",
            funding_programme=rng.choice(FundingProgramme.values),
            coordinator=listing,
            start_date=datetime.date(year - 1, 1, 1),
            end_date=datetime.date(year + 1, 12, 31),
        )
        for n in range(20)
    ]
    countries = ["RO", "MD", "BG", "DE", "IT", "ES", ""]
    professions = ParticipantProfession.values
    events = []
    counts = []
    for n in range(count):
        international = rng.random() < 0.1
        day = datetime.date(year, 1, 1) + datetime.timedelta(days=rng.randrange(365))
        event = Event(
            type=rng.choice(EventType.values),
            project=None if international else rng.choice(projects),
            organiser=listing if international else None,
            title=f"Bench event {n}",
            start_date=day,
            end_date=day + datetime.timedelta(days=rng.randrange(3)),
            city="Bucharest",
            country=rng.choice(countries),
            topics="Identification of victims; referral.",
        )
        events.append(event)
        if rng.random() < 0.9:
            counts.append(
                ParticipantCount(
                    event=event,
                    dimension=ParticipantCount.Dimension.TOTAL,
                    count=rng.randrange(1, 80),
                )
            )
        for position, code in enumerate(rng.sample(professions, 3)):
            counts.append(
                ParticipantCount(
                    event=event,
                    dimension=ParticipantCount.Dimension.PROFESSION,
                    code=code,
                    count=rng.randrange(1, 20) if rng.random() < 0.3 else None,
                    position=position + 1,
                )
            )
    with transaction.atomic():
        Event.objects.bulk_create(events, batch_size=500)
        ParticipantCount.objects.bulk_create(counts, batch_size=BATCH)
        AnnualReport.objects.create(
            organization=listing,
            year=year,
            foreword="A year of the benchmark.",
            about="The organisation of the benchmark.",
        )
    print(f"  {count} events, {len(counts)} participant counts", flush=True)


def _prepare(database: Path, cases: int, seed: int) -> None:
    """Build the database unless a complete one exists."""
    from django.core.management import call_command

    marker = database.with_suffix(".done")
    if marker.exists():
        call_command("migrate", verbosity=0, skip_checks=True)
        from waypoint.cases.models import Case

        if Case.objects.count() == cases:
            print(f"Reusing {database} ({cases} cases, seed {seed}).")
            return
    database_reset(database)
    print(f"Building {database} …", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    _build(cases, seed)
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    marker.write_text(f"{cases} {seed}\n")
    print(f"Built in {time.perf_counter() - started:.0f}s.", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=3)
    repeat_argument(parser)
    args = parser.parse_args()

    database = configure("bench-reports", f"reports-{args.cases}-{args.seed}")
    import django

    django.setup()
    from django.test import Client

    from waypoint.accounts.models import User
    from waypoint.accounts.testing import login_with_second_factor
    from waypoint.activities.models import AnnualReport

    _prepare(database, args.cases, args.seed)
    year = _year()
    supervisor = User.objects.get(username="bench_supervisor")
    client = login_with_second_factor(Client(), supervisor)
    report = AnnualReport.objects.get(year=year)
    organization = report.organization_id
    groups = {
        "stats": [
            ("activity statistics", f"/en/reports/statistics/?year={year}"),
            ("casework statistics", f"/en/reports/statistics/casework/?year={year}"),
        ],
        "annual_report": [
            ("annual report page", f"/en/activities/reports/{year}/{organization}/"),
            ("annual report PDF", f"/en/reports/annual/{year}/{organization}.pdf"),
            ("annual report DOCX", f"/en/reports/annual/{year}/{organization}.docx"),
        ],
    }
    samples = Samples()
    figures = Figures()

    def one_round(group: str, *, counted: bool = True) -> tuple[float, float]:
        total = floor_total = 0.0
        for label, url in groups[group]:
            response, seconds, floor = timed(partial(client.get, url))
            if response.status_code != 200:
                raise SystemExit(f"{label}: HTTP {response.status_code} for {url}")
            if counted:
                samples.add(label, seconds, floor)
            total += seconds
            floor_total += floor
        return total, floor_total

    for group in groups:  # a first round warms up, not counted
        one_round(group, counted=False)
    for _repetition in range(args.repeat):
        totals: dict[str, list[tuple[float, float]]] = {group: [] for group in groups}
        for _round in range(args.rounds):
            for group in groups:
                totals[group].append(one_round(group))
        for group, pairs in totals.items():
            figures.add(
                group,
                "s",
                statistics.median(t for t, _f in pairs),
                statistics.median(f for _t, f in pairs),
                group.replace("_", " "),
            )

    print(f"\n{samples.table(unit='s')}\n\n{figures.table()}\n({load_note()})")
    print(figures.line(cases=args.cases))


if __name__ == "__main__":
    main()
