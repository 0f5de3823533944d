"""Who may open the directory editors' pages."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import User
from waypoint.directory.models import Service
from waypoint.directory.testing import service_make

pytestmark = pytest.mark.django_db


def _urls(service: Service) -> list[str]:
    org = service.organization
    location = service.service_at_locations.get().location
    return [
        reverse("directory:manage_home"),
        reverse("directory:organization_create"),
        reverse("directory:organization_edit", kwargs={"pk": org.pk}),
        reverse("directory:organization_history", kwargs={"pk": org.pk}),
        reverse("directory:service_create", kwargs={"pk": org.pk}),
        reverse("directory:location_create", kwargs={"pk": org.pk}),
        reverse("directory:service_edit", kwargs={"pk": service.pk}),
        reverse("directory:location_edit", kwargs={"pk": location.pk}),
    ]


def _post_urls(service: Service) -> list[str]:
    return [
        reverse(
            "directory:organization_verify", kwargs={"pk": service.organization.pk}
        ),
        reverse("directory:service_verify", kwargs={"pk": service.pk}),
    ]


def test_it_sends_anonymous_visitors_to_the_login_page(client: Client) -> None:
    """Every staff page, read or write, redirects a visitor to sign in."""
    service = service_make()
    login = reverse("accounts:login")
    for url in _urls(service):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url
    for url in _post_urls(service):
        response = client.post(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url
    service.refresh_from_db()
    assert service.last_verified_at is None


def test_it_denies_the_outsider(client: Client, outsider: User) -> None:
    """A signed-in user without the editor permission gets 403 everywhere."""
    service = service_make()
    client.force_login(outsider)
    for url in _urls(service):
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"name": "Hijacked"}).status_code == 403, url
    for url in _post_urls(service):
        assert client.post(url).status_code == 403, url
    service.refresh_from_db()
    assert service.name == "Legal counselling"
    assert service.last_verified_at is None


def test_it_lets_editors_and_superusers_in(
    editor_client: Client, client: Client, platform_admin: User
) -> None:
    """The editor group and superusers see every page, kept out of caches
    and search engines."""
    service = service_make()
    for url in _urls(service):
        response = editor_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"] == "no-store"
        assert "noindex" in response["X-Robots-Tag"]
        assert b'<meta name="robots" content="noindex, nofollow">' in response.content
    admin_client = Client()
    admin_client.force_login(platform_admin)
    for url in _urls(service):
        assert admin_client.get(url).status_code == 200, url


def test_verifying_needs_a_post(editor_client: Client) -> None:
    """Marking as checked is a change, so a GET (a link, a prefetch) cannot do it."""
    service = service_make()
    for url in _post_urls(service):
        assert editor_client.get(url).status_code == 405


def test_the_login_page_does_not_reveal_whether_an_account_exists(
    client: Client, editor: User
) -> None:
    """A wrong password and an unknown user get the same answer, announced."""
    url = reverse("accounts:login")
    page = client.get(url)
    assert page.status_code == 200
    assert b'for="id_username"' in page.content
    assert b"noindex" in page.content
    wrong_password = client.post(url, {"username": "editor", "password": "nope"})
    no_account = client.post(url, {"username": "nobody", "password": "nope"})
    assert wrong_password.status_code == no_account.status_code == 200
    assert b'role="alert"' in wrong_password.content
    assert wrong_password.context["form"].non_field_errors() == (
        no_account.context["form"].non_field_errors()
    )


def test_editors_can_sign_in_and_land_on_the_staff_page(
    client: Client, editor: User
) -> None:
    """Signing in with the right password opens the staff home."""
    response = client.post(
        reverse("accounts:login"),
        {"username": "editor", "password": "correct horse battery"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("directory:manage_home")
