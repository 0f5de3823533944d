"""Consent records are never changed: a change or withdrawal is a new row."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from waypoint.accounts.models import User
from waypoint.cases.models import Case, Consent
from waypoint.cases.services import consent_record, consent_withdraw
from waypoint.directory.models import Organization

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 2, 1)


def test_withdrawing_consent_adds_a_row_and_keeps_the_original(
    caseworker_a: User, case_a: Case
) -> None:
    """The original stays granted; the withdrawal replaces it."""
    partner = Organization.objects.create(name="Partner", description="x")
    given = consent_record(
        actor=caseworker_a,
        case=case_a,
        scope="sharing",
        recipient=partner,
        data_categories=["identity", "needs"],
        method="signed",
        given_on=DAY,
    )
    withdrawal = consent_withdraw(
        actor=caseworker_a, consent=given, method="oral", withdrawn_on=DAY
    )
    given.refresh_from_db()
    assert given.granted is True
    assert withdrawal.granted is False
    assert withdrawal.replaces == given
    assert given.replaced_by == withdrawal
    assert Consent.objects.count() == 2


def test_a_consent_cannot_be_withdrawn_twice(caseworker_a: User, case_a: Case) -> None:
    """Only the latest record of a chain can be replaced."""
    given = consent_record(
        actor=caseworker_a, case=case_a, scope="services", method="oral", given_on=DAY
    )
    consent_withdraw(actor=caseworker_a, consent=given, method="oral", withdrawn_on=DAY)
    with pytest.raises(ValidationError):
        consent_withdraw(
            actor=caseworker_a, consent=given, method="oral", withdrawn_on=DAY
        )


def test_the_model_and_the_database_refuse_to_change_a_consent(
    caseworker_a: User, case_a: Case
) -> None:
    """save() refuses, and a trigger refuses a QuerySet.update."""
    given = consent_record(
        actor=caseworker_a, case=case_a, scope="statistics", method="oral", given_on=DAY
    )
    given.granted = False
    with pytest.raises(ValueError, match="never changed"):
        given.save()
    with pytest.raises(DatabaseError), transaction.atomic():
        Consent.objects.filter(pk=given.pk).update(granted=False)
    given.refresh_from_db()
    assert given.granted is True


def test_sharing_consent_names_its_recipient(caseworker_a: User, case_a: Case) -> None:
    """Consent to share with nobody in particular is refused."""
    with pytest.raises(ValidationError):
        consent_record(
            actor=caseworker_a,
            case=case_a,
            scope="sharing",
            method="oral",
            given_on=DAY,
        )
