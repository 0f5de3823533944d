"""Sending a referral (and sending it again after a decline or expiry)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import MemberOrganization, User
from waypoint.accounts.services import audit_event_record
from waypoint.cases.models import Case, CaseStatus
from waypoint.cases.selectors import cases_visible_to, may_supervise
from waypoint.directory.models import Organization, Service
from waypoint.lib.errors import choices_validate
from waypoint.referrals.lifecycle import RECIPIENT, RESENDABLE
from waypoint.referrals.models import (
    Need,
    Priority,
    Referral,
    ReferralCategory,
    ReferralEvent,
    Status,
)
from waypoint.referrals.services.core import (
    consent_covering,
    is_sender_side,
    notify,
    snapshot_build,
)
from waypoint.referrals.services.external import external_link_issue

# --- Sending --------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    recipient: MemberOrganization | None = None,
    needs: Sequence[str],
    respond_by: datetime.date,
    data_categories: Sequence[str],
    external_recipient: Organization | None = None,
    external_email: str = "",
    priority: str = Priority.ROUTINE,
    service: Service | None = None,
    accompanied: bool = False,
    interpreter_language: str = "",
    override_reason: str = "",
    previous: Referral | None = None,
) -> Referral:
    """Refer the person of ``case`` to ``recipient``, or to
    ``external_recipient``, an organisation of the directory that is not on
    the platform, which is sent a single-use link at ``external_email`` (its
    directory address when not given).

    Needs a current consent of the person that names the recipient's directory
    listing and covers every category; without one, a supervisor of the case's
    organisation may send with a written ``override_reason`` (audited). The
    snapshot holds the chosen categories as they are now and never changes.
    """
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("The case is closed: reopen it first."), code="closed")
    if (recipient is None) == (external_recipient is None):
        raise ValidationError(_("Choose one recipient organisation."), code="recipient")
    if recipient is not None and (
        not recipient.is_active or recipient.pk == case.organization_id
    ):
        raise ValidationError(
            _("Choose another member organisation of the network."), code="recipient"
        )
    if external_recipient is not None:
        external_email = _external_address(case, external_recipient, external_email)
    else:
        external_email = ""
    target: MemberOrganization | Organization = recipient or external_recipient  # type: ignore[assignment]
    needs = choices_validate(needs, Need)
    if not needs:
        raise ValidationError(_("Choose what the referral is for."), code="needs")
    categories = choices_validate(data_categories, ReferralCategory)
    choices_validate([priority], Priority)
    if respond_by < timezone.localdate():
        raise ValidationError(
            _("The respond-by date cannot be in the past."), code="respond_by"
        )
    target_directory_id = (
        recipient.organization_id if recipient is not None else target.pk
    )
    if service is not None and service.organization_id != target_directory_id:
        raise ValidationError(
            _("The service belongs to another organisation."), code="service"
        )
    if previous is not None:
        _require_resendable(actor, previous, case, target)
    consent = consent_covering(case=case, recipient=target, categories=categories)
    override_reason = override_reason.strip()
    if consent is None:
        if not override_reason:
            raise ValidationError(
                _(
                    "No consent of the person covers this organisation and these "
                    "data. Record the consent first."
                ),
                code="consent",
            )
        if not may_supervise(actor, case):
            raise ValidationError(
                _("Only a supervisor may send a referral without a covering consent."),
                code="override_not_allowed",
            )
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        sender_organization_id=case.organization_id,
        sent_by=actor,
        recipient=recipient,
        external_recipient=external_recipient,
        external_email=external_email,
        service=service,
        needs=needs,
        priority=priority,
        respond_by=respond_by,
        accompanied=accompanied,
        interpreter_language=interpreter_language,
        data_categories=categories,
        consent=consent,
        override_reason="" if consent else override_reason,
        override_by=None if consent else actor,
        snapshot=snapshot_build(case=case, categories=categories),
        previous=previous,
        sent_at=now,
        updated_at=now,
    )
    ReferralEvent.objects.create(
        referral=referral, at=now, actor=actor, to_status=Status.SENT
    )
    details: dict[str, Any] = {
        "case": case.pk,
        "recipient": recipient.pk if recipient else None,
        "external_recipient": str(external_recipient.pk)
        if external_recipient
        else None,
        "categories": categories,
        "consent": consent.pk if consent else None,
        "previous": previous.pk if previous else None,
    }
    audit_event_record(
        actor=actor,
        action="referral.sent",
        target=referral,
        organization=case.organization,
        details=details,
    )
    if consent is None:
        audit_event_record(
            actor=actor,
            action="referral.consent_overridden",
            target=referral,
            organization=case.organization,
            details={"case": case.pk, "recipient": str(target_directory_id)},
        )
    if external_recipient is not None:
        external_link_issue(actor=actor, referral=referral, first=True)
    else:
        notify(referral, side=RECIPIENT, actor=actor)
    return referral


def _external_address(case: Case, organization: Organization, email: str) -> str:
    """The address the link goes to: the one given, or the directory's."""
    if MemberOrganization.objects.filter(
        organization=organization, is_active=True
    ).exists():
        raise ValidationError(
            _(
                "This organisation works in Waypoint: choose it as a member "
                "organisation instead."
            ),
            code="external_recipient",
        )
    if case.organization.organization_id == organization.pk:
        raise ValidationError(
            _("Choose another organisation than your own."), code="external_recipient"
        )
    address = (email or organization.email).strip()
    if not address:
        raise ValidationError(
            _("The directory has no email address for this organisation: give one."),
            code="external_email",
        )
    try:
        validate_email(address)
    except ValidationError as error:
        raise ValidationError(
            _("Enter a valid email address."), code="external_email"
        ) from error
    return address


def _require_resendable(
    actor: User,
    previous: Referral,
    case: Case,
    recipient: MemberOrganization | Organization,
) -> None:
    if previous.case_id != case.pk or not is_sender_side(actor, previous):
        raise PermissionDenied
    if previous.status not in RESENDABLE:
        raise ValidationError(
            _("Only a declined or expired referral can be sent elsewhere."),
            code="not_resendable",
        )
    if Referral.objects.filter(previous=previous).exists():
        raise ValidationError(
            _("This referral was already sent elsewhere."), code="resent"
        )
    same = (
        previous.recipient_id == recipient.pk
        if isinstance(recipient, MemberOrganization)
        else previous.external_recipient_id == recipient.pk
    )
    if same:
        raise ValidationError(
            _("Choose another organisation than the one that did not take it."),
            code="recipient",
        )
