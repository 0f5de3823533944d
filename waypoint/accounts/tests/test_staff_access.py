"""Who may open the staff pages: scoped to one's organisation, 404 elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import AuditEvent, MemberOrganization, Membership, User

pytestmark = pytest.mark.django_db


def _org_urls(org: MemberOrganization, membership: Membership) -> list[str]:
    return [
        reverse("accounts:staff_list", args=[org.pk]),
        reverse("accounts:invitation_create", args=[org.pk]),
        reverse("accounts:member_detail", args=[membership.pk]),
    ]


def _org_post_urls(membership: Membership) -> list[str]:
    return [
        reverse("accounts:member_reset_second_factor", args=[membership.pk]),
        reverse("accounts:member_deactivate", args=[membership.pk]),
        reverse("accounts:member_role_end", args=[membership.pk]),
    ]


def _platform_urls() -> list[str]:
    return [
        reverse("accounts:account_list"),
    ]


def test_anonymous_visitors_are_sent_to_sign_in(
    client: Client, caseworker_a: User, org_a: MemberOrganization
) -> None:
    membership = caseworker_a.memberships.get()
    for url in [
        *_org_urls(org_a, membership),
        *_org_post_urls(membership),
        *_platform_urls(),
        reverse("accounts:home"),
    ]:
        response = client.post(url) if "/members/" in url else client.get(url)
        if response.status_code == 405:
            response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:login")), url


def test_it_denies_the_outsider_everything(
    outsider_client: Client, caseworker_a: User, org_a: MemberOrganization
) -> None:
    """An account with no role gets 404 on every staff page and action."""
    membership = caseworker_a.memberships.get()
    for url in [*_org_urls(org_a, membership), *_platform_urls()]:
        assert outsider_client.get(url).status_code == 404, url
    for url in _org_post_urls(membership):
        assert outsider_client.post(url).status_code == 404, url
    caseworker_a.refresh_from_db()
    assert caseworker_a.is_active
    assert not AuditEvent.objects.exists()


def test_caseworkers_and_supervisors_do_not_manage_staff(
    caseworker_a_client: Client,
    supervisor_a_client: Client,
    supervisor_a: User,
    org_a: MemberOrganization,
) -> None:
    membership = supervisor_a.memberships.get()
    for client in (caseworker_a_client, supervisor_a_client):
        for url in [*_org_urls(org_a, membership), *_platform_urls()]:
            assert client.get(url).status_code == 404, url
        for url in _org_post_urls(membership):
            assert client.post(url).status_code == 404, url


def test_an_administrator_sees_only_their_own_organisation(
    org_admin_a_client: Client,
    caseworker_a: User,
    caseworker_b: User,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
) -> None:
    """Organisation B's staff list, members and actions answer 404."""
    own = caseworker_a.memberships.get()
    other = caseworker_b.memberships.get()
    for url in _org_urls(org_a, own):
        assert org_admin_a_client.get(url).status_code == 200, url
    page = org_admin_a_client.get(reverse("accounts:staff_list", args=[org_a.pk]))
    assert b"caseworker_a" in page.content
    assert b"caseworker_b" not in page.content
    for url in [*_org_urls(org_b, other), *_platform_urls()]:
        assert org_admin_a_client.get(url).status_code == 404, url
    for url in _org_post_urls(other):
        assert org_admin_a_client.post(url).status_code == 404, url
    changed = org_admin_a_client.post(
        reverse("accounts:member_detail", args=[other.pk]),
        {"role": "supervisor"},
    )
    assert changed.status_code == 404
    caseworker_b.refresh_from_db()
    assert caseworker_b.is_active
    assert caseworker_b.memberships.get().role == "caseworker"


def test_role_changes_are_saved_and_audited(
    org_admin_a_client: Client, org_admin_a: User, caseworker_a: User
) -> None:
    membership = caseworker_a.memberships.get()
    response = org_admin_a_client.post(
        reverse("accounts:member_detail", args=[membership.pk]),
        {"role": "supervisor", "profession": ""},
    )
    assert response.status_code == 302
    membership.refresh_from_db()
    assert membership.role == "supervisor"
    event = AuditEvent.objects.get(action="membership.changed")
    assert event.actor == org_admin_a
    assert event.organization == membership.organization
    assert event.details["before"]["role"] == "caseworker"


def test_an_administrator_cannot_close_their_own_account(
    org_admin_a_client: Client, org_admin_a: User
) -> None:
    """So that nobody locks their organisation out by a slip."""
    membership = org_admin_a.memberships.get()
    org_admin_a_client.post(reverse("accounts:member_deactivate", args=[membership.pk]))
    org_admin_a.refresh_from_db()
    assert org_admin_a.is_active


def test_platform_admins_need_a_second_factor_for_their_pages(
    client: Client, platform_admin: User
) -> None:
    """Signed in with a password only, they are sent to set one up."""
    client.force_login(platform_admin)
    response = client.get(reverse("accounts:account_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_platform_admins_list_and_close_accounts(
    platform_admin_client: Client, caseworker_b: User
) -> None:
    page = platform_admin_client.get(reverse("accounts:account_list"))
    assert b"caseworker_b" in page.content
    platform_admin_client.post(
        reverse("accounts:account_deactivate", args=[caseworker_b.pk])
    )
    caseworker_b.refresh_from_db()
    assert not caseworker_b.is_active
    assert AuditEvent.objects.filter(action="account.deactivated").exists()
