"""Referral deadline check and inbox latency at network scale.

    .venv/bin/python bench/referrals.py --open 100000 --inbox 10000

Uses its own SQLite database under var/bench-referrals/ (built once per size
and seed, then reused; each run works on a fresh copy, because the deadline
check writes append-only events). Referrals are written in bulk: ``--open``
open referrals from the cases of one Romanian organisation to ten member
organisations, ``--inbox`` of them to the measured recipient, each with its
"sent" event; ``--due`` percent of those still awaiting an answer are past
their respond-by date. The recipient's caseworker has an unread
notification per referral received.

Then it times the periodic deadline check (``referrals_expire_task``: the
UPDATE, events, audit rows, notifications and the emails, committed), and
requests the recipient's inbox through Django's test client signed in with a
second factor (all, and filtered by status), several rounds each, the whole
``--repeat`` times, each on a fresh copy. Every time has its floor
(bench/timing.py): the check's statements replayed on another fresh copy,
each page's SQL replayed on the connection. It ends with one line (medians
over the repetitions):

    open=N deadline_check_s=… deadline_check_floor_s=… deadline_check_ratio=…
    inbox_p95_ms=… inbox_p95_floor_ms=… inbox_p95_ratio=… repeat=R
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import shutil
import time
from functools import partial
from pathlib import Path

from generate import configure, database_reset, people_and_cases, progress
from timing import (
    Figures,
    Samples,
    load_note,
    repeat_argument,
    timed,
    timed_write,
)

BATCH = 5000
RECIPIENTS = 10
OPEN_STATUSES = ("sent", "acknowledged", "accepted", "in_progress")


def _build(open_count: int, inbox: int, due_percent: float, seed: int) -> None:
    from django.db import transaction
    from django.utils import timezone

    from waypoint.accounts.models import Role
    from waypoint.accounts.testing import staff_make
    from waypoint.directory.testing import member_organization_make
    from waypoint.referrals.models import Notification, Referral, ReferralEvent

    rng = random.Random(seed)
    sender_org = member_organization_make("Bench sender", country="RO")
    sender = staff_make("bench_sender", sender_org, Role.CASEWORKER)
    staff_make("bench_sender_supervisor", sender_org, Role.SUPERVISOR)
    recipients = [
        member_organization_make(f"Bench recipient {n}", country="SE")
        for n in range(RECIPIENTS)
    ]
    measured = recipients[0]
    reader = staff_make("bench_recipient", measured, Role.CASEWORKER)
    staff_make("bench_recipient_supervisor", measured, Role.SUPERVISOR)
    now = timezone.now()
    case_ids: list[int] = []
    for created in people_and_cases(
        organization=sender_org,
        caseworker=sender,
        count=max(1, open_count // 20),
        rng=rng,
        opened_at=lambda r: now - datetime.timedelta(days=r.randrange(1000)),
        code_year=now.year,
    ):
        case_ids.extend(pk for pk, _at in created)
    today = timezone.localdate(now)
    started = time.perf_counter()
    for first in range(0, open_count, BATCH):
        size = min(BATCH, open_count - first)
        rows = []
        for number in range(first, first + size):
            status = rng.choice(OPEN_STATUSES)
            awaiting = status in ("sent", "acknowledged")
            if awaiting and rng.random() * 100 < due_percent:
                respond_by = today - datetime.timedelta(days=rng.randint(1, 5))
            else:
                respond_by = today + datetime.timedelta(days=rng.randint(0, 30))
            sent_at = now - datetime.timedelta(minutes=rng.randrange(60 * 24 * 60))
            recipient = (
                measured
                if number < inbox
                else recipients[1 + number % (RECIPIENTS - 1)]
            )
            rows.append(
                Referral(
                    case_id=rng.choice(case_ids),
                    sender_organization=sender_org,
                    sent_by=sender,
                    recipient=recipient,
                    needs=["legal-counselling"],
                    respond_by=respond_by,
                    data_categories=["case_summary"],
                    override_by=sender,
                    override_reason="Bench",
                    snapshot={"case_summary": {}},
                    status=status,
                    sent_at=sent_at,
                    updated_at=sent_at,
                )
            )
        with transaction.atomic():
            Referral.objects.bulk_create(rows, batch_size=1000)
            written = list(
                Referral.objects.order_by("-pk").values_list(
                    "pk", "sent_at", "recipient_id"
                )[:size]
            )
            ReferralEvent.objects.bulk_create(
                (
                    ReferralEvent(referral_id=pk, at=at, actor=sender, to_status="sent")
                    for pk, at, _recipient in written
                ),
                batch_size=2000,
            )
            Notification.objects.bulk_create(
                (
                    Notification(
                        user=reader, referral_id=pk, status="sent", created_at=at
                    )
                    for pk, at, recipient_id in written
                    if recipient_id == measured.pk
                ),
                batch_size=2000,
            )
        progress("referrals", first + size, open_count, started)


def _prepare(database: Path, args: argparse.Namespace) -> None:
    from django.core.management import call_command
    from django.db import connection

    marker = database.with_suffix(".done")
    if marker.exists():
        call_command("migrate", verbosity=0, skip_checks=True)
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        print(f"Reusing {database}.")
        return
    database_reset(database)
    print(f"Building {database} …", flush=True)
    started = time.perf_counter()
    call_command("migrate", verbosity=0, skip_checks=True)
    _build(args.open, args.inbox, args.due, args.seed)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    marker.write_text("done\n")
    print(f"Built in {time.perf_counter() - started:.0f}s.", flush=True)


def _work_copy(database: Path) -> Path:
    """A fresh copy of the built database, which this run may change."""
    from django.db import connections

    connections["default"].close()
    copy = database.with_name(database.stem + "-run.sqlite3")
    for suffix in ("-wal", "-shm"):
        Path(f"{copy}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(database, copy)
    connections["default"].settings_dict["NAME"] = str(copy)
    return copy


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--inbox", type=int, default=10_000)
    parser.add_argument(
        "--due", type=float, default=2.0, help="percent of awaiting ones past due"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=10)
    repeat_argument(parser)
    args = parser.parse_args()

    database = configure(
        "bench-referrals", f"referrals-{args.open}-{args.inbox}-{args.due}-{args.seed}"
    )
    os.environ["WAYPOINT_TASKS_BACKEND"] = "immediate"
    import django

    django.setup()
    from django.conf import settings

    # Emails are built and handed to a backend that keeps them in memory.
    settings.MAILERS = {
        "default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}
    }
    from django.core import mail
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from waypoint.accounts.models import User
    from waypoint.accounts.testing import login_with_second_factor
    from waypoint.referrals.models import AWAITING, OPEN, Referral
    from waypoint.referrals.tasks import referrals_expire_task

    _prepare(database, args)
    pages = [
        ("inbox", "/en/referrals/"),
        ("inbox, sent only", "/en/referrals/?status=sent"),
        ("inbox, accepted only", "/en/referrals/?status=accepted"),
    ]
    samples = Samples()
    figures = Figures()
    for _repetition in range(args.repeat):
        _work_copy(database)
        mail.outbox = []
        open_count = Referral.objects.filter(status__in=OPEN).count()
        due = Referral.objects.filter(
            status__in=AWAITING, respond_by__lt=timezone.localdate()
        ).count()
        # A worker has its URLconf loaded after its first task; a fresh process
        # would load it inside the first email's link and count that here.
        reverse("referrals:inbox")
        # The floor replays the check's statements, emails' included, on a
        # fresh copy again, and keeps them: the inbox is then timed on the
        # state the check left.
        expired, deadline_s, deadline_floor = timed_write(
            referrals_expire_task.call, restore=partial(_work_copy, database)
        )
        left = Referral.objects.filter(
            status__in=AWAITING, respond_by__lt=timezone.localdate()
        ).count()
        if expired != due or left:  # the second: the replay's result
            raise SystemExit(f"expired {expired} of {due} due referrals, {left} left")
        figures.add("deadline_check", "s", deadline_s, deadline_floor, "deadline check")
        # Nothing left: the check's own cost.
        _none, idle_s, idle_floor = timed(referrals_expire_task.call)
        print(
            f"deadline check: {expired} of {open_count} open referrals expired in "
            f"{deadline_s:.2f}s, floor {deadline_floor:.2f}s ({len(mail.outbox)} "
            f"emails); with none due {idle_s * 1000:.0f} ms, floor "
            f"{idle_floor * 1000:.1f} ms",
            flush=True,
        )

        reader = User.objects.get(username="bench_recipient")
        client = login_with_second_factor(Client(), reader)
        for _label, url in pages:  # warm-up, not counted
            client.get(url)
        inbox: list[tuple[float, float]] = []
        for _round in range(args.rounds):
            for label, url in pages:
                response, seconds, floor = timed(partial(client.get, url))
                if response.status_code != 200:
                    raise SystemExit(f"{label}: HTTP {response.status_code} for {url}")
                samples.add(label, seconds, floor)
                inbox.append((seconds * 1000, floor * 1000))
        figures.add_percentile("inbox_p95", "ms", inbox, 95, "inbox p95")
    received = Referral.objects.filter(recipient__memberships__user=reader).count()
    print(f"\n{samples.table()}\n\n{figures.table()}")
    print(f"(the recipient's inbox holds {received} referrals; {load_note()})")
    print(figures.line(open=open_count))


if __name__ == "__main__":
    main()
