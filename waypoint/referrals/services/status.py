"""The changes of status each side takes, and the withdrawals that a
withdrawn consent causes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.cases.models import Consent
from waypoint.lib.errors import choices_validate
from waypoint.referrals.models import (
    CONSENT_CATEGORY,
    OPEN,
    NotCompletedReason,
    Referral,
)
from waypoint.referrals.services.core import (
    referral_decline_check,
    require_side,
    status_swap,
)

# --- Changes of status ----------------------------------------------------------


@transaction.atomic
def referral_acknowledge(*, actor: User, referral: Referral) -> Referral:
    require_side(actor, referral, "acknowledge")
    return status_swap(actor=actor, referral=referral, action="acknowledge")


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, note: str = "") -> Referral:
    require_side(actor, referral, "accept")
    return status_swap(actor=actor, referral=referral, action="accept", note=note)


@transaction.atomic
def referral_decline(
    *, actor: User, referral: Referral, reason: str, text: str = ""
) -> Referral:
    """Decline with a reason code (and, for "other", an explanation)."""
    require_side(actor, referral, "decline")
    referral_decline_check(reason, text)
    return status_swap(
        actor=actor,
        referral=referral,
        action="decline",
        note=text,
        decline_reason=reason,
        response_text=text.strip(),
    )


@transaction.atomic
def referral_start(*, actor: User, referral: Referral) -> Referral:
    require_side(actor, referral, "start")
    return status_swap(actor=actor, referral=referral, action="start")


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """Completed, with the outcome reported back to the sender."""
    require_side(actor, referral, "complete")
    if not outcome.strip():
        raise ValidationError(_("Describe the outcome."), code="outcome")
    return status_swap(
        actor=actor,
        referral=referral,
        action="complete",
        note=outcome,
        outcome=outcome.strip(),
    )


@transaction.atomic
def referral_not_complete(
    *, actor: User, referral: Referral, reason: str, text: str = ""
) -> Referral:
    """The service could not be completed (the person withdrew, contact lost)."""
    require_side(actor, referral, "not_complete")
    choices_validate([reason], NotCompletedReason)
    if reason == NotCompletedReason.OTHER and not text.strip():
        raise ValidationError(_("Explain what happened."), code="text")
    return status_swap(
        actor=actor,
        referral=referral,
        action="not_complete",
        note=text,
        not_completed_reason=reason,
        outcome=text.strip(),
    )


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, note: str = "") -> Referral:
    require_side(actor, referral, "withdraw")
    return status_swap(actor=actor, referral=referral, action="withdraw", note=note)


@transaction.atomic
def referrals_withdraw_for_consent(
    *, actor: User, consent: Consent, replacement: Consent
) -> int:
    """Withdraw the open referrals that ``consent`` allowed and that
    ``replacement`` (a withdrawal or a change) no longer covers.

    Called by the cases app's consent service, which has checked the actor's
    access to the case. Returns how many referrals were withdrawn.
    """
    withdrawn = 0
    for referral in Referral.objects.filter(consent=consent, status__in=OPEN):
        still_covered = (
            replacement.granted
            and replacement.recipient_id == consent.recipient_id
            and {CONSENT_CATEGORY[c] for c in referral.data_categories}
            <= set(replacement.data_categories)
        )
        if still_covered:
            continue
        status_swap(
            actor=actor,
            referral=referral,
            action="withdraw",
            note=_("The person withdrew their consent."),
        )
        withdrawn += 1
    return withdrawn
