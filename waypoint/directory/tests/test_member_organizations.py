"""The platform administrators' page that turns listings into members."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import AuditEvent, MemberOrganization, User
from waypoint.directory.models import Organization


def _url() -> str:
    return reverse("directory:member_organizations")


def test_anonymous_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_it_denies_everyone_but_platform_admins(
    outsider_client: Client,
    caseworker_a_client: Client,
    org_admin_a_client: Client,
    editor_client: Client,
) -> None:
    """An outsider, a caseworker, an organisation's administrator and a
    directory editor get 404, and nothing becomes a member."""
    listing = Organization.objects.create(name="Casa Speranta", country="RO")
    for client in (
        outsider_client,
        caseworker_a_client,
        org_admin_a_client,
        editor_client,
    ):
        assert client.get(_url()).status_code == 404
        assert client.post(_url(), {"listing": str(listing.pk)}).status_code == 404
    assert not MemberOrganization.objects.filter(organization=listing).exists()


def test_platform_admins_need_a_second_factor(
    client: Client, platform_admin: User
) -> None:
    client.force_login(platform_admin)
    response = client.get(_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_platform_admins_make_listings_members(
    platform_admin_client: Client, platform_admin: User
) -> None:
    """They find the directory listing and make it a member organisation."""
    listing = Organization.objects.create(
        name="Casa Speranta", description="Shelter", country="RO"
    )
    found = platform_admin_client.get(_url(), {"q": "speranta"})
    assert b"Casa Speranta" in found.content
    response = platform_admin_client.post(_url(), {"listing": str(listing.pk)})
    member = MemberOrganization.objects.get(organization=listing)
    assert response["Location"] == reverse("accounts:staff_list", args=[member.pk])
    assert AuditEvent.objects.filter(
        action="member_organization.created", actor=platform_admin
    ).exists()


def test_a_listing_that_is_a_member_already_is_not_offered(
    platform_admin_client: Client, org_a: MemberOrganization
) -> None:
    """Asking to make a member twice answers 404 and adds nothing."""
    response = platform_admin_client.post(
        _url(), {"listing": str(org_a.organization.pk)}
    )
    assert response.status_code == 404
    assert (
        MemberOrganization.objects.filter(organization=org_a.organization).count() == 1
    )
