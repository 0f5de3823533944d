"""The referral's lifecycle: every step allowed or refused, by the right side."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone

from waypoint.accounts.models import AuditEvent, User
from waypoint.cases.models import Case, Consent
from waypoint.cases.services import consent_record, consent_withdraw
from waypoint.referrals import services
from waypoint.referrals.models import (
    Referral,
    ReferralEvent,
    ReferralMessage,
    Status,
)
from waypoint.referrals.services import TRANSITIONS, ConcurrentUpdateError
from waypoint.referrals.tests.conftest import apply, bring_to

pytestmark = pytest.mark.django_db

CELLS = [(status, action) for status in Status.values for action in TRANSITIONS]


@pytest.mark.parametrize(("status", "action"), CELLS)
def test_each_step_is_allowed_exactly_from_its_statuses(
    referral: Referral,
    caseworker_a: User,
    caseworker_b: User,
    status: str,
    action: str,
) -> None:
    """The table of transitions decides; a refused step changes nothing."""
    bring_to(status, referral, sender=caseworker_a, recipient=caseworker_b)
    transition = TRANSITIONS[action]
    actor = caseworker_b if transition.side == "recipient" else caseworker_a
    events = ReferralEvent.objects.filter(referral=referral).count()
    if status in transition.sources:
        apply(action, actor, referral)
        stored = Referral.objects.get(pk=referral.pk)
        assert stored.status == transition.target
        assert ReferralEvent.objects.filter(referral=referral).count() == events + 1
        last = ReferralEvent.objects.filter(referral=referral).last()
        assert last is not None
        assert (last.from_status, last.to_status, last.actor) == (
            status,
            transition.target,
            actor,
        )
        assert AuditEvent.objects.filter(
            action=f"referral.{action}", target_id=str(referral.pk)
        ).exists()
    else:
        with pytest.raises(ValidationError):
            apply(action, actor, referral)
        assert Referral.objects.get(pk=referral.pk).status == status
        assert ReferralEvent.objects.filter(referral=referral).count() == events


@pytest.mark.parametrize("action", list(TRANSITIONS))
def test_only_the_right_side_takes_each_step(
    referral: Referral,
    caseworker_a: User,
    caseworker_b: User,
    caseworker_c: User,
    org_admin_a: User,
    outsider: User,
    platform_admin: User,
    action: str,
) -> None:
    """The recipient acts on the referral, the sender withdraws it; another
    organisation, an administrator or an outsider does neither."""
    start = Status.ACCEPTED if action in {"start", "complete", "not_complete"} else ""
    if start:
        bring_to(start, referral, sender=caseworker_a, recipient=caseworker_b)
    wrong_side = (
        caseworker_a if TRANSITIONS[action].side == "recipient" else caseworker_b
    )
    for actor in (wrong_side, caseworker_c, org_admin_a, outsider, platform_admin):
        with pytest.raises(PermissionDenied):
            apply(action, actor, referral)
    assert Referral.objects.get(pk=referral.pk).status == (start or Status.SENT)


def test_two_changes_from_the_same_version_apply_exactly_one(
    referral: Referral, caseworker_a: User, caseworker_b: User, supervisor_b: User
) -> None:
    """Both read version 1; the first wins, the second gets a clear error."""
    mine = Referral.objects.get(pk=referral.pk)
    theirs = Referral.objects.get(pk=referral.pk)
    services.referral_accept(actor=caseworker_b, referral=mine)
    with pytest.raises(ConcurrentUpdateError) as caught:
        services.referral_acknowledge(actor=supervisor_b, referral=theirs)
    assert "Someone else changed this referral" in str(caught.value)
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == (Status.ACCEPTED, 2)
    assert ReferralEvent.objects.filter(referral=referral).count() == 2


def test_a_stale_withdrawal_does_not_undo_an_acceptance(
    referral: Referral, caseworker_a: User, caseworker_b: User
) -> None:
    """The sender's page showed "sent"; the recipient accepted meanwhile."""
    stale = Referral.objects.get(pk=referral.pk)
    services.referral_acknowledge(actor=caseworker_b, referral=referral)
    with pytest.raises(ConcurrentUpdateError):
        services.referral_withdraw(actor=caseworker_a, referral=stale)
    assert Referral.objects.get(pk=referral.pk).status == Status.ACKNOWLEDGED


def test_declining_needs_a_known_reason_and_other_needs_words(
    referral: Referral, caseworker_b: User
) -> None:
    """An unknown code, or "other" without an explanation, is refused."""
    with pytest.raises(ValidationError):
        services.referral_decline(actor=caseworker_b, referral=referral, reason="x")
    with pytest.raises(ValidationError):
        services.referral_decline(actor=caseworker_b, referral=referral, reason="other")
    services.referral_decline(
        actor=caseworker_b, referral=referral, reason="other", text="Full this month."
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.decline_reason == "other"
    assert stored.response_text == "Full this month."


def test_completing_reports_the_outcome_to_the_sender(
    referral: Referral, caseworker_a: User, caseworker_b: User
) -> None:
    """No outcome, no completion; the sender is notified of it."""
    bring_to(Status.IN_PROGRESS, referral, sender=caseworker_a, recipient=caseworker_b)
    with pytest.raises(ValidationError):
        services.referral_complete(actor=caseworker_b, referral=referral, outcome=" ")
    services.referral_complete(
        actor=caseworker_b, referral=referral, outcome="Represented in court."
    )
    assert Referral.objects.get(pk=referral.pk).outcome == "Represented in court."
    assert caseworker_a.referral_notifications.filter(
        referral=referral, status=Status.COMPLETED
    ).exists()


def test_withdrawing_the_consent_withdraws_its_open_referrals(
    referral: Referral, caseworker_a: User, consent_b: Consent
) -> None:
    """The consent-withdrawal service withdraws what the consent allowed."""
    consent_withdraw(
        actor=caseworker_a,
        consent=consent_b,
        method="oral",
        withdrawn_on=datetime.date(2026, 5, 3),
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == Status.WITHDRAWN
    event = ReferralEvent.objects.filter(referral=referral).last()
    assert event is not None and event.to_status == Status.WITHDRAWN


def test_a_changed_consent_that_still_covers_keeps_the_referral(
    referral: Referral, case_a: Case, caseworker_a: User, consent_b: Consent
) -> None:
    """A change adding a category still covers what was sent; one dropping
    the identity category does not."""
    wider = consent_record(
        actor=caseworker_a,
        case=case_a,
        scope="sharing",
        method="signed",
        given_on=datetime.date(2026, 5, 3),
        data_categories=["identity", "situation", "needs", "contact"],
        recipient=consent_b.recipient,
        replaces=consent_b,
    )
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT
    assert wider.granted


def test_finished_referrals_are_not_touched_by_a_consent_withdrawal(
    referral: Referral, caseworker_a: User, caseworker_b: User, consent_b: Consent
) -> None:
    """A completed referral stays completed."""
    bring_to(Status.COMPLETED, referral, sender=caseworker_a, recipient=caseworker_b)
    consent_withdraw(
        actor=caseworker_a,
        consent=consent_b,
        method="oral",
        withdrawn_on=datetime.date(2026, 5, 3),
    )
    assert Referral.objects.get(pk=referral.pk).status == Status.COMPLETED


def test_events_and_messages_are_append_only_in_the_database(
    referral: Referral, caseworker_b: User
) -> None:
    """UPDATE and DELETE are refused by triggers, whatever the code path."""
    services.referral_message_add(
        actor=caseworker_b, referral=referral, text="We can see her on Monday."
    )
    for model in (ReferralEvent, ReferralMessage):
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            model.objects.filter(referral=referral).update(at=timezone.now())
        with pytest.raises((IntegrityError, DatabaseError)), transaction.atomic():
            model.objects.filter(referral=referral).delete()
        assert model.objects.filter(referral=referral).exists()


def test_messages_go_between_the_two_sides_only(
    referral: Referral, caseworker_a: User, caseworker_b: User, caseworker_c: User
) -> None:
    """Both sides write, the other side is notified; a third party cannot."""
    services.referral_message_add(actor=caseworker_b, referral=referral, text="Hi")
    services.referral_message_add(actor=caseworker_a, referral=referral, text="Ok")
    assert list(referral.messages.values_list("text", flat=True)) == ["Hi", "Ok"]
    assert caseworker_a.referral_notifications.filter(is_message=True).count() == 1
    assert caseworker_b.referral_notifications.filter(is_message=True).count() == 1
    with pytest.raises(PermissionDenied):
        services.referral_message_add(actor=caseworker_c, referral=referral, text="?")
    with pytest.raises(ValidationError):
        services.referral_message_add(actor=caseworker_a, referral=referral, text=" ")
