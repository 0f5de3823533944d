"""Who counts as seeing case data, needing a second factor, administering."""

from __future__ import annotations

import pytest

from waypoint.accounts import selectors
from waypoint.accounts.models import MemberOrganization, Membership, Role, User

pytestmark = pytest.mark.django_db


def test_only_caseworkers_and_supervisors_see_case_data(
    caseworker_a: User,
    supervisor_a: User,
    org_admin_a: User,
    editor: User,
    outsider: User,
    platform_admin: User,
    org_a: MemberOrganization,
) -> None:
    """Organisation and platform administrators manage access, not cases."""
    assert selectors.can_see_case_data(caseworker_a)
    assert selectors.can_see_case_data(supervisor_a)
    for user in (org_admin_a, editor, outsider, platform_admin):
        assert not selectors.can_see_case_data(user), user
    assert list(selectors.case_organizations(caseworker_a)) == [org_a]
    assert list(selectors.supervised_organizations(supervisor_a)) == [org_a]
    assert not selectors.supervised_organizations(caseworker_a).exists()


def test_an_administrator_who_also_supervises_sees_cases(
    org_admin_a: User, org_a: MemberOrganization
) -> None:
    Membership.objects.create(
        user=org_admin_a, organization=org_a, role=Role.SUPERVISOR
    )
    assert selectors.can_see_case_data(org_admin_a)


def test_closed_accounts_ended_roles_and_inactive_organisations_count_for_nothing(
    caseworker_a: User, supervisor_a: User, org_a: MemberOrganization
) -> None:
    caseworker_a.is_active = False
    assert not selectors.can_see_case_data(caseworker_a)
    Membership.objects.filter(user=supervisor_a).update(is_active=False)
    assert not selectors.can_see_case_data(supervisor_a)
    Membership.objects.filter(user=supervisor_a).update(is_active=True)
    MemberOrganization.objects.filter(pk=org_a.pk).update(is_active=False)
    assert not selectors.can_see_case_data(supervisor_a)


def test_the_second_factor_is_required_for_case_roles_and_administrators(
    caseworker_a: User,
    supervisor_a: User,
    org_admin_a: User,
    editor: User,
    outsider: User,
) -> None:
    for user in (caseworker_a, supervisor_a, org_admin_a):
        assert selectors.requires_second_factor(user), user
    for user in (editor, outsider):
        assert not selectors.requires_second_factor(user), user
