"""What every referral service shares: which side a user is on, the consent
and snapshot, notifications, and the one compare-and-swap that moves a
referral from one status to the next."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from waypoint.accounts.models import (
    CASE_ROLES,
    MemberOrganization,
    Membership,
    Role,
    User,
)
from waypoint.accounts.services import audit_event_record
from waypoint.cases.models import (
    Case,
    Consent,
    ConsentScope,
    Identification,
    NeedsAssessment,
    RiskAssessment,
)
from waypoint.cases.selectors import cases_visible_to
from waypoint.directory.models import Organization
from waypoint.lib.errors import ConcurrentUpdateError, choices_validate
from waypoint.referrals.lifecycle import RECIPIENT, SENDER, TRANSITIONS
from waypoint.referrals.models import (
    CONSENT_CATEGORY,
    DeclineReason,
    Notification,
    Referral,
    ReferralCategory,
    ReferralEvent,
)
from waypoint.referrals.services import mail


class ReferralChangedError(ConcurrentUpdateError):
    """The referral changed since it was read; reload it and try again."""

    message = gettext_lazy(
        "Someone else changed this referral since you opened it. Reload "
        "the page to see its current state."
    )


# --- Sides, consent, snapshot ---------------------------------------------------


def is_recipient_side(user: User, referral: Referral) -> bool:
    """A caseworker or supervisor of the recipient organisation."""
    return Membership.objects.filter(
        user=user,
        user__is_active=True,
        is_active=True,
        organization_id=referral.recipient_id,
        organization__is_active=True,
        role__in=CASE_ROLES,
    ).exists()


def is_sender_side(user: User, referral: Referral) -> bool:
    """Whoever may open the referred case (its caseworkers and supervisors)."""
    return cases_visible_to(user).filter(pk=referral.case_id).exists()


def consent_covering(
    *,
    case: Case,
    recipient: MemberOrganization | Organization,
    categories: Iterable[str],
) -> Consent | None:
    """The newest current consent of the person to share ``categories`` with
    ``recipient`` (a member organisation or a directory listing), or ``None``."""
    directory_id = (
        recipient.organization_id
        if isinstance(recipient, MemberOrganization)
        else recipient.pk
    )
    needed = {CONSENT_CATEGORY[category] for category in categories}
    consents = Consent.objects.filter(
        person_id=case.person_id,
        scope=ConsentScope.SHARING,
        recipient_id=directory_id,
        granted=True,
        replaced_by__isnull=True,
    ).order_by("-recorded_at", "-id")
    for consent in consents:
        if needed <= set(consent.data_categories):
            return consent
    return None


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot_build(*, case: Case, categories: Sequence[str]) -> dict[str, Any]:
    """The case's data in ``categories`` as it is now, and nothing else."""
    person = case.person
    snapshot: dict[str, Any] = {}
    for category in categories:
        if category == ReferralCategory.IDENTITY:
            snapshot[category] = {
                "given_name": person.given_name,
                "family_name": person.family_name,
                "birth_date": _iso(person.birth_date),
            }
        elif category == ReferralCategory.CONTACT:
            snapshot[category] = {"contact_details": person.contact_details}
        elif category == ReferralCategory.DOCUMENTS:
            snapshot[category] = {"identity_documents": person.identity_documents}
        elif category == ReferralCategory.NATIONALITY_LANGUAGES:
            snapshot[category] = {
                "nationality": person.nationality,
                "languages": list(person.languages),
                "interpreter_needed": person.interpreter_needed,
            }
        elif category == ReferralCategory.CASE_SUMMARY:
            snapshot[category] = {
                "case_type": case.case_type,
                "stage": case.stage,
                "country_of_origin": case.country_of_origin,
                "transit_countries": list(case.transit_countries),
                "country_of_destination": case.country_of_destination,
                "cross_border": case.cross_border,
            }
        elif category == ReferralCategory.NEEDS_ASSESSMENT:
            needs = NeedsAssessment.objects.filter(case=case).last()
            snapshot[category] = (
                {
                    "assessed_on": _iso(needs.assessed_on),
                    "protection_needs": list(needs.protection_needs),
                    "special_measures": list(needs.special_measures),
                }
                if needs
                else {}
            )
        elif category == ReferralCategory.RISK_LEVEL:
            risk = RiskAssessment.objects.filter(case=case).last()
            snapshot[category] = {
                "level": case.risk_level,
                "assessed_on": _iso(risk.assessed_on) if risk else None,
            }
        elif category == ReferralCategory.IDENTIFICATION_STATUS:
            identification = Identification.objects.filter(case=case).last()
            snapshot[category] = (
                {
                    "status": identification.status,
                    "decided_on": _iso(identification.decided_on),
                }
                if identification
                else {}
            )
    return snapshot


# --- Notifications --------------------------------------------------------------


def side_members(referral: Referral, side: str) -> list[User]:
    """Who is told of a change: the recipient's caseworkers and supervisors, or
    the sender and the sending organisation's supervisors."""
    if side == RECIPIENT:
        memberships = Membership.objects.filter(
            organization_id=referral.recipient_id, role__in=CASE_ROLES
        )
    else:
        memberships = Membership.objects.filter(
            organization_id=referral.sender_organization_id, role=Role.SUPERVISOR
        )
    ids = set(
        memberships.filter(is_active=True, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    if side == SENDER and referral.sent_by.is_active:
        ids.add(referral.sent_by_id)
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def mail_on_commit(user_ids: Sequence[int], referral_id: int | None) -> None:
    """Tell these users by email, from the task worker once committed.

    The task gets ids only; it writes one message per address (nobody sees
    who else was told) without personal data: only that something waits.
    """
    if not user_ids:
        return
    ids = sorted(user_ids)
    transaction.on_commit(
        lambda: mail.referral_notify_mail.enqueue(user_ids=ids, referral_id=referral_id)
    )


def notify(
    referral: Referral, *, side: str, actor: User | None, is_message: bool = False
) -> None:
    users = [user for user in side_members(referral, side) if user != actor]
    Notification.objects.bulk_create(
        Notification(
            user=user,
            referral=referral,
            status=referral.status,
            is_message=is_message,
        )
        for user in users
    )
    mail_on_commit([user.pk for user in users if user.email], referral.pk)


def other_side(side: str) -> str:
    return RECIPIENT if side == SENDER else SENDER


# --- The status machine's one move -----------------------------------------


def status_swap(
    *,
    actor: User | None,
    referral: Referral,
    action: str,
    note: str = "",
    external_email: str = "",
    **fields: Any,
) -> Referral:
    """Move ``referral`` along ``action`` if still at ``referral.version``."""
    transition = TRANSITIONS[action]
    if referral.status not in transition.sources:
        raise ValidationError(
            _("This step is not possible in the referral's current state."),
            code="transition",
        )
    now = timezone.now()
    before = referral.status
    updated = Referral.objects.filter(
        pk=referral.pk, version=referral.version, status=before
    ).update(
        **fields, status=transition.target, updated_at=now, version=F("version") + 1
    )
    if updated != 1:
        raise ReferralChangedError
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.status = transition.target
    referral.updated_at = now
    referral.version += 1
    ReferralEvent.objects.create(
        referral=referral,
        at=now,
        actor=actor,
        from_status=before,
        to_status=transition.target,
        note=note,
        external_email=external_email,
    )
    organization_id = (
        referral.recipient_id
        if transition.side == RECIPIENT and referral.recipient_id is not None
        else referral.sender_organization_id
    )
    details: dict[str, Any] = {"from": before, "to": transition.target}
    if external_email:
        details["external_email"] = external_email
    audit_event_record(
        actor=actor,
        action=f"referral.{action}",
        target=referral,
        organization=MemberOrganization.objects.get(pk=organization_id),
        details=details,
    )
    notify(referral, side=other_side(transition.side), actor=actor)
    return referral


def require_side(actor: User, referral: Referral, action: str) -> None:
    side = TRANSITIONS[action].side
    allowed = (
        is_recipient_side(actor, referral)
        if side == RECIPIENT
        else is_sender_side(actor, referral)
    )
    if not allowed:
        raise PermissionDenied


def referral_decline_check(reason: str, text: str) -> None:
    """A known reason code and, for "other", an explanation."""
    choices_validate([reason], DeclineReason)
    if reason == DeclineReason.OTHER and not text.strip():
        raise ValidationError(_("Explain why the referral is declined."), code="text")
