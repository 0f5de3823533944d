"""Sending a referral: consent, the supervisor's override, the snapshot."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from waypoint.accounts.models import AuditEvent, MemberOrganization, User
from waypoint.cases.models import Case, Consent
from waypoint.cases.services import (
    PersonDetails,
    case_stage_set,
    consent_withdraw,
    person_correct,
)
from waypoint.cases.tests.conftest import DISTINCTIVE_FAMILY, DISTINCTIVE_GIVEN
from waypoint.referrals import services
from waypoint.referrals.models import Notification, Referral, ReferralEvent, Status
from waypoint.referrals.tests.conftest import bring_to, consent_for, send

pytestmark = pytest.mark.django_db


def _code(error: ValidationError) -> str | None:
    return error.error_list[0].code


def test_sending_without_any_consent_is_refused(
    case_a: Case, caseworker_a: User, org_b: MemberOrganization
) -> None:
    """No consent naming the recipient: nothing is sent."""
    with pytest.raises(ValidationError) as caught:
        send(caseworker_a, case_a, org_b)
    assert _code(caught.value) == "consent"
    assert not Referral.objects.exists()


def test_a_consent_for_another_organisation_does_not_cover_the_recipient(
    case_a: Case,
    caseworker_a: User,
    org_b: MemberOrganization,
    org_c: MemberOrganization,
) -> None:
    """Consent to share with C says nothing about B."""
    consent_for(caseworker_a, case_a, org_c)
    with pytest.raises(ValidationError):
        send(caseworker_a, case_a, org_b)


def test_every_chosen_category_must_be_covered(
    case_a: Case, caseworker_a: User, org_b: MemberOrganization, consent_b: Consent
) -> None:
    """The consent covers identity, summary and needs: contact data is refused."""
    with pytest.raises(ValidationError) as caught:
        send(caseworker_a, case_a, org_b, categories=["identity", "contact"])
    assert _code(caught.value) == "consent"
    referral = send(caseworker_a, case_a, org_b, categories=["identity", "risk_level"])
    assert referral.consent == consent_b


def test_a_withdrawn_consent_covers_nothing(
    case_a: Case, caseworker_a: User, org_b: MemberOrganization, consent_b: Consent
) -> None:
    """Once withdrawn, the consent no longer allows a referral."""
    consent_withdraw(
        actor=caseworker_a,
        consent=consent_b,
        method="oral",
        withdrawn_on=datetime.date(2026, 5, 2),
    )
    with pytest.raises(ValidationError):
        send(caseworker_a, case_a, org_b)


def test_a_supervisor_may_send_without_consent_with_a_reason_that_is_audited(
    case_a: Case, supervisor_a: User, org_b: MemberOrganization
) -> None:
    """The override needs a written reason; the audit log records it."""
    with pytest.raises(ValidationError) as caught:
        send(supervisor_a, case_a, org_b, override_reason="   ")
    assert _code(caught.value) == "consent"
    referral = send(
        supervisor_a, case_a, org_b, override_reason="Imminent danger, no time."
    )
    assert referral.consent is None
    assert referral.override_by == supervisor_a
    assert referral.override_reason == "Imminent danger, no time."
    audit = AuditEvent.objects.get(action="referral.consent_overridden")
    assert audit.actor == supervisor_a
    assert audit.target_id == str(referral.pk)
    # The reason is encrypted at rest and stays out of the audit details.
    assert "Imminent" not in str(audit.details)


def test_a_caseworker_cannot_override_the_consent(
    case_a: Case, caseworker_a: User, org_b: MemberOrganization
) -> None:
    """Only supervisors override; a caseworker's reason is refused."""
    with pytest.raises(ValidationError) as caught:
        send(caseworker_a, case_a, org_b, override_reason="I think it is fine.")
    assert _code(caught.value) == "override_not_allowed"
    assert not Referral.objects.exists()


def test_only_who_may_open_the_case_can_refer_it(
    case_a: Case,
    caseworker_b: User,
    org_admin_a: User,
    org_b: MemberOrganization,
    org_c: MemberOrganization,
    consent_b: Consent,
) -> None:
    """Another organisation's caseworker, an organisation admin: refused."""
    for actor in (caseworker_b, org_admin_a):
        with pytest.raises(PermissionDenied):
            send(actor, case_a, org_c)


def test_the_snapshot_holds_only_the_shared_categories(referral: Referral) -> None:
    """Identity and case summary were chosen: no contact data, no documents."""
    snapshot = referral.snapshot
    assert set(snapshot) == {"identity", "case_summary"}
    assert snapshot["identity"]["given_name"] == DISTINCTIVE_GIVEN
    assert snapshot["case_summary"]["case_type"] == "thb_labour"
    flat = str(snapshot)
    assert "+40 721" not in flat  # contact details
    assert "RX 123456" not in flat  # identity documents


def test_the_snapshot_does_not_follow_later_changes_to_the_case(
    referral: Referral, case_a: Case, caseworker_a: User
) -> None:
    """Correcting the person or moving the case on leaves the snapshot alone."""
    person_correct(
        actor=caseworker_a,
        case=case_a,
        details=PersonDetails(given_name="Changed", family_name="Name"),
    )
    case_stage_set(actor=caseworker_a, case=case_a, stage="long_term")
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.snapshot["identity"]["given_name"] == DISTINCTIVE_GIVEN
    assert stored.snapshot["identity"]["family_name"] == DISTINCTIVE_FAMILY
    assert stored.snapshot["case_summary"]["stage"] == "identification"


def test_sending_notifies_the_recipient_by_email_without_personal_data(
    case_a: Case,
    caseworker_a: User,
    caseworker_b: User,
    supervisor_b: User,
    org_b: MemberOrganization,
    consent_b: Consent,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Each recipient caseworker and supervisor gets a row and a mail (after
    commit), and the mail says only that a referral waits, with its link."""
    with django_capture_on_commit_callbacks(execute=True):
        referral = send(caseworker_a, case_a, org_b)
    assert set(
        Notification.objects.filter(referral=referral).values_list("user", flat=True)
    ) == {caseworker_b.pk, supervisor_b.pk}
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [caseworker_b.email, supervisor_b.email]
    )
    for message in mail.outbox:
        assert len(message.to) == 1
        text = str(message.subject) + str(message.body)
        assert f"/referrals/{referral.pk}/" in text
        for secret in (DISTINCTIVE_GIVEN, DISTINCTIVE_FAMILY, case_a.code):
            assert secret not in text


def test_no_mail_leaves_for_a_referral_that_was_rolled_back(
    case_a: Case,
    caseworker_a: User,
    org_b: MemberOrganization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A refused send leaves no notification and sends nothing."""
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ValidationError),
    ):
        send(caseworker_a, case_a, org_b)
    assert not mail.outbox
    assert not Notification.objects.exists()


def test_a_declined_referral_is_resent_elsewhere_and_linked(
    referral: Referral,
    case_a: Case,
    caseworker_a: User,
    caseworker_b: User,
    org_b: MemberOrganization,
    org_c: MemberOrganization,
) -> None:
    """Declined by B, sent to C with a link to the first; only once, not to B."""
    consent_for(caseworker_a, case_a, org_c)
    with pytest.raises(ValidationError) as caught:
        send(caseworker_a, case_a, org_c, previous=referral)
    assert _code(caught.value) == "not_resendable"
    bring_to(Status.DECLINED, referral, sender=caseworker_a, recipient=caseworker_b)
    with pytest.raises(ValidationError):
        send(caseworker_a, case_a, org_b, previous=referral)
    again = send(caseworker_a, case_a, org_c, previous=referral)
    assert again.previous == referral
    assert referral.resent_as == again
    with pytest.raises(ValidationError) as caught:
        send(caseworker_a, case_a, org_c, previous=referral)
    assert _code(caught.value) == "resent"


def test_sending_records_one_event_and_one_audit_row(referral: Referral) -> None:
    """The first event goes from nothing to "sent"."""
    event = ReferralEvent.objects.get(referral=referral)
    assert (event.from_status, event.to_status) == ("", Status.SENT)
    assert (
        AuditEvent.objects.filter(
            action="referral.sent", target_id=str(referral.pk)
        ).count()
        == 1
    )


def test_refusing_a_closed_case_or_a_past_date(
    case_a: Case, caseworker_a: User, org_b: MemberOrganization, consent_b: Consent
) -> None:
    """The respond-by date cannot be in the past."""
    with pytest.raises(ValidationError) as caught:
        send(
            caseworker_a,
            case_a,
            org_b,
            respond_by=datetime.date(2020, 1, 1),
        )
    assert _code(caught.value) == "respond_by"
    with pytest.raises(ValidationError):
        services.referral_send(
            actor=caseworker_a,
            case=case_a,
            recipient=case_a.organization,
            needs=["shelter"],
            respond_by=datetime.date(2099, 1, 1),
            data_categories=[],
        )


def test_anonymising_the_person_erases_what_their_referrals_carried(
    referral: Referral, caseworker_a: User, supervisor_a: User, case_a: Case
) -> None:
    """The organisation that received the referral no longer holds the data;
    the referral, still open, is withdrawn."""
    from waypoint.cases.services import case_close
    from waypoint.cases.services.data_requests import person_anonymise

    assert referral.snapshot
    case_close(actor=caseworker_a, case=case_a, reason="goals_met")
    person_anonymise(actor=supervisor_a, person=case_a.person)
    referral.refresh_from_db()
    assert referral.snapshot == {}
    assert referral.status == Status.WITHDRAWN
