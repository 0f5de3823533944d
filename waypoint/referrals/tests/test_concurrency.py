"""The same step taken at once by several people: exactly one is applied."""

from __future__ import annotations

import threading
from typing import Any, cast

import pytest
from django.db import connection, connections

from waypoint.accounts.models import MemberOrganization, Profession, Role, User
from waypoint.accounts.testing import staff_make
from waypoint.cases.tests.conftest import intake
from waypoint.referrals import services
from waypoint.referrals.models import Referral, ReferralEvent, Status
from waypoint.referrals.tests.conftest import consent_for, send

WORKERS = 4
ROUNDS = 5


@pytest.mark.django_db(transaction=True)
def test_simultaneous_acceptances_apply_exactly_once(
    field_keys: None,
    caseworker_a: User,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
) -> None:
    """Threads read the same referral and accept it together: one wins, the
    others get the conflict error, and one event is written."""
    if connection.vendor == "sqlite" and cast(Any, connection).is_in_memory_db():
        # Shared-cache in-memory SQLite answers "table is locked" instead of
        # waiting; the compare-and-swap itself is tested on SQLite in
        # test_transitions.py (two changes from the same version).
        pytest.skip("threads need a database file or a server to share")
    staff = [
        staff_make(f"b{n}", org_b, Role.CASEWORKER, Profession.LAWYER)
        for n in range(WORKERS)
    ]
    case = intake(caseworker_a, org_a)
    consent_for(caseworker_a, case, org_b)
    applied = conflicts = 0
    lock = threading.Lock()
    for _round in range(ROUNDS):
        referral = send(caseworker_a, case, org_b)
        barrier = threading.Barrier(WORKERS)

        def work(actor: User, pk: int, barrier: threading.Barrier) -> None:
            nonlocal applied, conflicts
            try:
                copy = Referral.objects.get(pk=pk)
                barrier.wait()
                try:
                    services.referral_accept(actor=actor, referral=copy)
                except services.ConcurrentUpdateError:
                    with lock:
                        conflicts += 1
                else:
                    with lock:
                        applied += 1
            finally:
                connections.close_all()

        threads = [
            threading.Thread(target=work, args=(actor, referral.pk, barrier))
            for actor in staff
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stored = Referral.objects.get(pk=referral.pk)
        assert (stored.status, stored.version) == (Status.ACCEPTED, 2)
        assert (
            ReferralEvent.objects.filter(
                referral=referral, to_status=Status.ACCEPTED
            ).count()
            == 1
        )
    print(f"rounds={ROUNDS} applied={applied} conflicts={conflicts}")
    assert applied == ROUNDS
    assert conflicts == ROUNDS * (WORKERS - 1)
