"""Reads about accounts and who may do what, always scoped to the asking user.

Later parts (cases, referrals) ask these predicates instead of looking at roles
themselves. Platform administrators manage organisations and accounts, and are
deliberately NOT given access to case contents by any predicate here.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404

from waypoint.accounts.models import (
    CASE_ROLES,
    SECOND_FACTOR_ROLES,
    AuditEvent,
    Invitation,
    MemberOrganization,
    Membership,
    Role,
    User,
)

AnyUser = User | AnonymousUser


def _real(user: AnyUser) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def memberships_active(user: AnyUser) -> QuerySet[Membership]:
    """The user's current roles, in organisations that are themselves active."""
    real = _real(user)
    if real is None:
        return Membership.objects.none()
    return Membership.objects.filter(
        user=real, is_active=True, organization__is_active=True
    ).select_related("organization__organization")


def is_platform_admin(user: AnyUser) -> bool:
    real = _real(user)
    return real is not None and (real.is_superuser or real.is_platform_admin)


def has_role(user: AnyUser, organization: MemberOrganization, *roles: str) -> bool:
    return (
        memberships_active(user)
        .filter(organization=organization, role__in=roles)
        .exists()
    )


def is_org_admin(user: AnyUser, organization: MemberOrganization) -> bool:
    return has_role(user, organization, Role.ORG_ADMIN)


def is_supervisor(user: AnyUser, organization: MemberOrganization) -> bool:
    return has_role(user, organization, Role.SUPERVISOR)


def is_caseworker(user: AnyUser, organization: MemberOrganization) -> bool:
    return has_role(user, organization, Role.CASEWORKER)


def can_see_case_data(user: AnyUser) -> bool:
    """Supervisors and caseworkers read cases; nobody else, platform admin included.

    Which cases is for the cases app to decide (a caseworker: those assigned
    to them; a supervisor: all of the organisation's).
    """
    return memberships_active(user).filter(role__in=CASE_ROLES).exists()


def case_organizations(user: AnyUser) -> QuerySet[MemberOrganization]:
    """The organisations whose cases the user works on (as caseworker or supervisor)."""
    return MemberOrganization.objects.filter(
        pk__in=memberships_active(user)
        .filter(role__in=CASE_ROLES)
        .values("organization_id")
    )


def supervised_organizations(user: AnyUser) -> QuerySet[MemberOrganization]:
    return MemberOrganization.objects.filter(
        pk__in=memberships_active(user)
        .filter(role=Role.SUPERVISOR)
        .values("organization_id")
    )


def requires_second_factor(user: AnyUser) -> bool:
    """Whether every session of this account must have passed a second factor."""
    return memberships_active(user).filter(role__in=SECOND_FACTOR_ROLES).exists()


def administered_organizations(user: AnyUser) -> QuerySet[MemberOrganization]:
    """The organisations whose staff the user manages (all, for a platform admin)."""
    queryset = MemberOrganization.objects.select_related("organization")
    if is_platform_admin(user):
        return queryset
    return queryset.filter(
        is_active=True,
        pk__in=memberships_active(user)
        .filter(role=Role.ORG_ADMIN)
        .values("organization_id"),
    )


def member_organization_get_for_admin(*, user: AnyUser, pk: int) -> MemberOrganization:
    try:
        return administered_organizations(user).get(pk=pk)
    except MemberOrganization.DoesNotExist as exc:
        raise Http404 from exc


def membership_get_for_admin(*, user: AnyUser, pk: int) -> Membership:
    """A membership the user may manage, or 404 (never 403: no existence leak)."""
    try:
        return Membership.objects.select_related(
            "user", "organization__organization"
        ).get(pk=pk, organization__in=administered_organizations(user))
    except Membership.DoesNotExist as exc:
        raise Http404 from exc


def staff_of(organization: MemberOrganization) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-is_active", "user__username", "role")
    )


def invitations_pending(organization: MemberOrganization) -> QuerySet[Invitation]:
    from django.utils import timezone

    return Invitation.objects.filter(
        organization=organization,
        accepted_at__isnull=True,
        expires_at__gt=timezone.now(),
    )


def accounts_for_platform_admin(*, user: AnyUser, query: str = "") -> QuerySet[User]:
    if not is_platform_admin(user):
        return User.objects.none()
    accounts = User.objects.order_by("username")
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query) | Q(email__icontains=query)
        )
    return accounts


def account_get_for_platform_admin(*, user: AnyUser, pk: int) -> User:
    try:
        return accounts_for_platform_admin(user=user).get(pk=pk)
    except User.DoesNotExist as exc:
        raise Http404 from exc


def audit_events_for_organization(
    *, user: AnyUser, organization: MemberOrganization
) -> QuerySet[AuditEvent]:
    if organization not in administered_organizations(user):
        return AuditEvent.objects.none()
    return AuditEvent.objects.filter(organization=organization).select_related("actor")
