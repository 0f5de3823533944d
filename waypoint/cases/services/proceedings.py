"""Criminal and civil proceedings and compensation claims of a case."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.cases.models import (
    Case,
    CaseEvent,
    ClaimStatus,
    CompensationClaim,
    Proceeding,
    ProceedingStage,
)
from waypoint.cases.services.core import (
    CaseChangedError,
    case_audit_record,
    require_case_access,
)
from waypoint.directory.models import Organization
from waypoint.lib.errors import choices_validate

# Statuses that come with an amount awarded.
AWARDED = frozenset({ClaimStatus.GRANTED, ClaimStatus.PARTLY_GRANTED, ClaimStatus.PAID})


@transaction.atomic
def proceeding_record(
    *,
    actor: User,
    case: Case,
    kind: str,
    authority: Organization,
    stage: str,
    person_role: str,
    started_on: datetime.date,
    case_number: str = "",
) -> Proceeding:
    require_case_access(actor, case)
    proceeding = Proceeding(
        case=case,
        kind=kind,
        authority=authority,
        stage=stage,
        person_role=person_role,
        started_on=started_on,
        case_number=case_number,
        recorded_by=actor,
    )
    proceeding.full_clean(exclude=["case", "authority", "recorded_by"])
    proceeding.save()
    case_audit_record(actor, "case.proceeding_recorded", case, proceeding)
    return proceeding


@transaction.atomic
def compensation_claim_record(
    *,
    actor: User,
    case: Case,
    deciding_authority: Organization,
    crime_country: str,
    status: str = ClaimStatus.PREPARING,
    assisting_authority: Organization | None = None,
    filed_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    currency: str = "EUR",
    amount_claimed: Decimal | None = None,
    amount_awarded: Decimal | None = None,
) -> CompensationClaim:
    require_case_access(actor, case)
    for amount in (amount_claimed, amount_awarded):
        if amount is not None and amount < 0:
            raise ValidationError(_("Enter an amount of zero or more."), code="amount")
    claim = CompensationClaim(
        case=case,
        assisting_authority=assisting_authority,
        deciding_authority=deciding_authority,
        crime_country=crime_country,
        status=status,
        filed_on=filed_on,
        decided_on=decided_on,
        currency=currency,
        amount_claimed=amount_claimed,
        amount_awarded=amount_awarded,
        recorded_by=actor,
    )
    claim.full_clean(
        exclude=["case", "assisting_authority", "deciding_authority", "recorded_by"]
    )
    claim.save()
    case_audit_record(actor, "case.compensation_recorded", case, claim)
    return claim


@transaction.atomic
def proceeding_stage_set(
    *, actor: User, proceeding: Proceeding, stage: str
) -> Proceeding:
    """Move a proceeding to ``stage``; the change is a timeline event."""
    case = proceeding.case
    require_case_access(actor, case)
    choices_validate([stage], ProceedingStage)
    if stage == proceeding.stage:
        return proceeding
    # Compare-and-swap on the stage that was shown: a concurrent change wins.
    updated = Proceeding.objects.filter(
        pk=proceeding.pk, stage=proceeding.stage
    ).update(stage=stage)
    if updated != 1:
        raise CaseChangedError
    previous, proceeding.stage = proceeding.stage, stage
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind="proceeding_stage",
        data={"proceeding": proceeding.pk, "from": previous, "stage": stage},
    )
    case_audit_record(
        actor, "case.proceeding_stage_changed", case, proceeding, stage=stage
    )
    return proceeding


@transaction.atomic
def compensation_claim_status_set(
    *,
    actor: User,
    claim: CompensationClaim,
    status: str,
    filed_on: datetime.date | None = None,
    decided_on: datetime.date | None = None,
    amount_awarded: Decimal | None = None,
) -> CompensationClaim:
    """Move a claim to ``status``, with the dates and the amount that come with
    it (dates and amount left ``None`` keep their earlier value)."""
    case = claim.case
    require_case_access(actor, case)
    choices_validate([status], ClaimStatus)
    fields: dict[str, Any] = {"status": status}
    if filed_on is not None:
        fields["filed_on"] = filed_on
    if decided_on is not None:
        fields["decided_on"] = decided_on
    if amount_awarded is not None:
        if amount_awarded < 0:
            raise ValidationError(_("Enter an amount of zero or more."), code="amount")
        fields["amount_awarded"] = amount_awarded
    if status in AWARDED and fields.get("amount_awarded", claim.amount_awarded) is None:
        raise ValidationError(_("Enter the amount awarded."), code="amount_required")
    updated = CompensationClaim.objects.filter(pk=claim.pk, status=claim.status).update(
        **fields
    )
    if updated != 1:
        raise CaseChangedError
    previous = claim.status
    for name, value in fields.items():
        setattr(claim, name, value)
    CaseEvent.objects.create(
        case=case,
        actor=actor,
        kind="claim_status",
        data={"claim": claim.pk, "from": previous, "status": status},
    )
    case_audit_record(
        actor,
        "case.compensation_status_changed",
        case,
        claim,
        status=status,
        fields=sorted(fields),
    )
    return claim
