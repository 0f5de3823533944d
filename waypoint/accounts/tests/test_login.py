"""Signing in: password, then the authenticator code; and the forced set-up."""

from __future__ import annotations

import re
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import User
from waypoint.accounts.testing import PASSWORD, totp_code, totp_enable

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, login: str, password: str = PASSWORD) -> Any:
    return client.post(
        reverse("accounts:login"), {"username": login, "password": password}
    )


def test_a_password_alone_does_not_sign_in_an_account_with_an_authenticator(
    client: Client, caseworker_a: User
) -> None:
    """After the right password the session is still anonymous and protected
    pages send it back to sign in; only the code completes the sign-in."""
    secret = totp_enable(caseworker_a)
    response = _sign_in(client, "caseworker_a")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    home = client.get(reverse("accounts:home"))
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("accounts:login"))

    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert b'role="alert"' in wrong.content
    assert client.get(reverse("accounts:home")).status_code == 302

    done = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert done.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_email_addresses_sign_in_too(client: Client, caseworker_a: User) -> None:
    """The one field takes a username or an email address."""
    totp_enable(caseworker_a)
    response = _sign_in(client, "CASEWORKER_A@example.org")
    assert response["Location"] == reverse("mfa_authenticate")


def test_a_recovery_code_replaces_a_lost_phone(
    client: Client, caseworker_a: User
) -> None:
    """Each recovery code signs in once."""
    totp_enable(caseworker_a)
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    codes = RecoveryCodes(
        Authenticator.objects.get(
            user=caseworker_a, type=Authenticator.Type.RECOVERY_CODES
        )
    ).get_unused_codes()
    _sign_in(client, "caseworker_a")
    client.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert client.get(reverse("accounts:home")).status_code == 200

    again = Client()
    _sign_in(again, "caseworker_a")
    reused = again.post(reverse("mfa_authenticate"), {"code": codes[0]})
    assert reused.status_code == 200
    assert again.get(reverse("accounts:home")).status_code == 302


def test_wrong_passwords_and_unknown_accounts_get_the_same_answer(
    client: Client, caseworker_a: User
) -> None:
    """Nothing on the page tells whether the account exists or is closed."""
    wrong = _sign_in(client, "caseworker_a", "not the password")
    unknown = _sign_in(client, "nobody_here", "not the password")
    User.objects.filter(pk=caseworker_a.pk).update(is_active=False)
    closed = _sign_in(client, "caseworker_a", PASSWORD)
    assert wrong.status_code == unknown.status_code == closed.status_code == 200
    errors = {
        tuple(response.context["form"].non_field_errors())
        for response in (wrong, unknown, closed)
    }
    assert len(errors) == 1
    assert b'role="alert"' in wrong.content


def test_a_caseworker_without_an_authenticator_must_set_one_up_first(
    client: Client, caseworker_a: User, django_capture_on_commit_callbacks: Any
) -> None:
    """Every page but the set-up (and signing out) redirects there; once the
    app is activated with a valid code, the pages open."""
    response = _sign_in(client, "caseworker_a")
    assert response.status_code == 302
    for url in (
        reverse("accounts:home"),
        reverse("directory:manage_home"),
        reverse("account_change_password"),
    ):
        blocked = client.get(url)
        assert blocked.status_code == 302, url
        assert blocked["Location"].startswith(reverse("mfa_activate_totp")), url

    # Setting up the app asks for the password again first.
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code == 302
    assert setup["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert b'src="data:image/svg+xml;base64,' in page.content
    assert b"<script>" not in page.content and b"style=" not in page.content
    secret = page.context["form"].secret
    assert secret.encode() in page.content  # the key as text, for typing in
    with django_capture_on_commit_callbacks(execute=True):
        activated = client.post(
            reverse("mfa_activate_totp"), {"code": totp_code(secret)}
        )
    assert activated.status_code == 302
    assert client.get(reverse("accounts:home")).status_code == 200


def test_a_session_that_skipped_the_code_is_signed_out(
    client: Client, caseworker_a: User
) -> None:
    """An account with an authenticator, in a session that never proved it
    (made by another path than the sign-in form), reaches nothing."""
    totp_enable(caseworker_a)
    client.force_login(caseworker_a)
    response = client.get(reverse("accounts:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_roles_without_case_data_do_not_need_a_second_factor(
    client: Client, editor: User
) -> None:
    """Directory editors sign in with their password and land on their page."""
    response = _sign_in(client, "editor")
    assert response["Location"] == reverse("directory:manage_home")
    assert client.get(reverse("directory:manage_home")).status_code == 200


def test_self_sign_up_is_closed(client: Client) -> None:
    """Accounts come from invitations only."""
    response = client.post(
        reverse("account_signup"),
        {
            "username": "intruder",
            "email": "intruder@example.org",
            "password1": "a long enough passphrase",
            "password2": "a long enough passphrase",
        },
    )
    assert not User.objects.filter(username="intruder").exists()
    assert response.status_code == 200


def test_the_sign_in_pages_load_nothing_inline(client: Client) -> None:
    """allauth's pages are in Waypoint's layout, without inline scripts or styles."""
    for name in ("accounts:login", "account_reset_password"):
        page = client.get(reverse(name))
        assert page.status_code == 200, name
        assert b"Quick exit" in page.content, name
        assert b"style=" not in page.content, name
        assert not re.search(rb"<script(?![^>]*nonce=)", page.content), name


def test_the_account_pages_load_nothing_inline(caseworker_a_client: Client) -> None:
    """Signed-in pages from allauth render in Waypoint's layout, CSP-clean."""
    caseworker_a_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    for name in (
        "accounts:home",
        "mfa_index",
        "mfa_view_recovery_codes",
        "account_reauthenticate",
        "account_change_password",
        "account_logout",
    ):
        page = caseworker_a_client.get(reverse(name))
        assert page.status_code == 200, name
        assert b"Quick exit" in page.content, name
        assert b"style=" not in page.content, name
        assert not re.search(rb"<script(?![^>]*nonce=)", page.content), name
        assert page["Cache-Control"] == "no-store", name
