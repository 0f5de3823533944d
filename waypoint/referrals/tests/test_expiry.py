"""Referrals left unanswered after their respond-by date expire."""

from __future__ import annotations

import datetime
from io import StringIO
from typing import Any

import pytest
from django.core import mail
from django.core.management import call_command

from waypoint.accounts.models import AuditEvent, MemberOrganization, User
from waypoint.cases.models import Case, Consent
from waypoint.referrals import services
from waypoint.referrals.models import Notification, Referral, ReferralEvent, Status
from waypoint.referrals.tests.conftest import bring_to, consent_for, send

pytestmark = pytest.mark.django_db

PAST = datetime.date(2026, 1, 1)


def _overdue(*referrals: Referral) -> None:
    # Test set-up only: a referral cannot be sent with a past respond-by date.
    Referral.objects.filter(pk__in=[r.pk for r in referrals]).update(respond_by=PAST)


def test_the_command_expires_unanswered_referrals_and_tells_the_sender_side(
    referral: Referral,
    case_a: Case,
    caseworker_a: User,
    caseworker_b: User,
    supervisor_a: User,
    org_b: MemberOrganization,
    consent_b: Consent,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Sent and acknowledged ones expire; accepted ones and those not yet due
    stay. The sender and their supervisor get a notification each and one
    mail, without personal data."""
    acknowledged = send(caseworker_a, case_a, org_b)
    services.referral_acknowledge(actor=caseworker_b, referral=acknowledged)
    accepted = send(caseworker_a, case_a, org_b)
    services.referral_accept(actor=caseworker_b, referral=accepted)
    not_due = send(caseworker_a, case_a, org_b)
    _overdue(referral, acknowledged, accepted)
    mail.outbox.clear()
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("expire_referrals", stdout=out)
    assert out.getvalue().strip() == "expired=2"
    statuses = dict(Referral.objects.values_list("pk", "status"))
    assert statuses[referral.pk] == Status.EXPIRED
    assert statuses[acknowledged.pk] == Status.EXPIRED
    assert statuses[accepted.pk] == Status.ACCEPTED
    assert statuses[not_due.pk] == Status.SENT
    event = ReferralEvent.objects.filter(referral=acknowledged).last()
    assert event is not None
    assert (event.from_status, event.to_status, event.actor) == (
        Status.ACKNOWLEDGED,
        Status.EXPIRED,
        None,
    )
    assert AuditEvent.objects.filter(action="referral.expired").count() == 2
    told = Notification.objects.filter(status=Status.EXPIRED)
    assert set(told.values_list("user", flat=True)) == {
        caseworker_a.pk,
        supervisor_a.pk,
    }
    assert told.count() == 4
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [caseworker_a.email, supervisor_a.email]
    )
    assert all(case_a.code not in m.body for m in mail.outbox)
    # Run again: nothing left to expire.
    assert services.referrals_expire() == 0


def test_the_version_moves_so_a_stale_page_cannot_act_after_expiry(
    referral: Referral, caseworker_b: User
) -> None:
    """An answer from a page read before the expiry is a conflict."""
    stale = Referral.objects.get(pk=referral.pk)
    _overdue(referral)
    services.referrals_expire()
    with pytest.raises(services.ConcurrentUpdateError):
        services.referral_accept(actor=caseworker_b, referral=stale)
    assert Referral.objects.get(pk=referral.pk).status == Status.EXPIRED


def test_an_expired_referral_can_be_sent_elsewhere(
    referral: Referral,
    case_a: Case,
    caseworker_a: User,
    caseworker_b: User,
    org_c: MemberOrganization,
) -> None:
    """Expiry, like a decline, allows a re-send linked to the first."""
    bring_to(Status.EXPIRED, referral, sender=caseworker_a, recipient=caseworker_b)
    consent_for(caseworker_a, case_a, org_c)
    again = send(caseworker_a, case_a, org_c, previous=referral)
    assert again.previous_id == referral.pk
