"""Reads for the partner API: its tokens, and referrals as a token sees them.

A token sees the referrals of its organisation only, and only those its
acting member could open on the web pages; anything else is a 404.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from waypoint.accounts.models import CASE_ROLES, MemberOrganization, User
from waypoint.api.models import ApiToken
from waypoint.lib.tokens import token_hash
from waypoint.referrals.models import Referral
from waypoint.referrals.selectors import (
    ReferralAccess,
    referral_get_for_user,
    referrals_incoming,
    referrals_outgoing,
)

INCOMING = "incoming"
OUTGOING = "outgoing"


def api_token_find(raw: str) -> ApiToken | None:
    """The unrevoked token with this secret value, or ``None``."""
    if not raw:
        return None
    digest = token_hash(raw)
    return (
        ApiToken.objects.select_related("organization", "acts_as")
        .filter(token_hash=digest, revoked_at__isnull=True)
        .first()
    )


def members_who_may_act(organization: MemberOrganization) -> QuerySet[User]:
    """Active caseworkers and supervisors of an active organisation."""
    if not organization.is_active:
        return User.objects.none()
    return (
        User.objects.filter(
            is_active=True,
            memberships__organization=organization,
            memberships__is_active=True,
            memberships__role__in=CASE_ROLES,
        )
        .distinct()
        .order_by("username")
    )


def token_may_act(token: ApiToken) -> bool:
    """Whether the token's acting member still works on cases there."""
    return members_who_may_act(token.organization).filter(pk=token.acts_as_id).exists()


def tokens_of(organization: MemberOrganization) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organization=organization).select_related(
        "acts_as", "created_by", "revoked_by"
    )


def referrals_for_token(
    *, token: ApiToken, direction: str, status: str = ""
) -> QuerySet[Referral]:
    """Referrals to (incoming) or from (outgoing) the token's organisation."""
    if direction == INCOMING:
        return referrals_incoming(user=token.acts_as, status=status).filter(
            recipient_id=token.organization_id
        )
    return referrals_outgoing(user=token.acts_as, status=status).filter(
        sender_organization_id=token.organization_id
    )


def referral_get_for_token(*, token: ApiToken, pk: int) -> ReferralAccess:
    """The referral as the acting member reads it (audited), or 404 when it is
    not the token's organisation's on the side the member is on."""
    if not Referral.objects.filter(
        Q(recipient_id=token.organization_id)
        | Q(sender_organization_id=token.organization_id),
        pk=pk,
    ).exists():
        raise Http404
    access = referral_get_for_user(user=token.acts_as, pk=pk)
    referral = access.referral
    organization_id = (
        referral.sender_organization_id if access.is_sender else referral.recipient_id
    )
    if organization_id != token.organization_id:
        raise Http404
    return access
