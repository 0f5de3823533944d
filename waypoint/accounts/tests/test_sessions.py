"""Sessions end after inactivity, everywhere on request, and at once when an
account is closed or its second factor reset."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.accounts.testing import PASSWORD, login_with_second_factor

pytestmark = pytest.mark.django_db

HOME = "accounts:home"


def test_sessions_expire_after_thirty_idle_minutes_by_default(
    settings: Any, caseworker_a_client: Client
) -> None:
    """The idle timeout is 30 minutes, renewed by every request; an expired
    session is refused."""
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert caseworker_a_client.get(reverse(HOME)).status_code == 200
    session = Session.objects.get()
    assert session.expire_date > timezone.now() + timedelta(minutes=29)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = caseworker_a_client.get(reverse(HOME))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_logging_out_everywhere_ends_every_session(
    caseworker_a: User, caseworker_a_client: Client
) -> None:
    """The other device's session is refused at its next request."""
    other_device = login_with_second_factor(Client(), caseworker_a)
    assert other_device.get(reverse(HOME)).status_code == 200
    response = caseworker_a_client.post(reverse("accounts:logout_everywhere"))
    assert response.status_code == 302
    assert other_device.get(reverse(HOME)).status_code == 302
    assert caseworker_a_client.get(reverse(HOME)).status_code == 302


def test_a_password_change_ends_the_other_sessions_only(
    caseworker_a: User, caseworker_a_client: Client
) -> None:
    """The device that changed it stays signed in."""
    other_device = login_with_second_factor(Client(), caseworker_a)
    response = caseworker_a_client.post(
        reverse("account_change_password"),
        {
            "oldpassword": PASSWORD,
            "password1": "a brand new passphrase",
            "password2": "a brand new passphrase",
        },
    )
    assert response.status_code == 302
    assert caseworker_a_client.get(reverse(HOME)).status_code == 200
    assert other_device.get(reverse(HOME)).status_code == 302
    caseworker_a.refresh_from_db()
    assert caseworker_a.session_epoch == 1


def test_a_closed_account_loses_access_at_once(
    caseworker_a: User, caseworker_a_client: Client, org_admin_a_client: Client
) -> None:
    """Closing by the organisation administrator refuses the next request."""
    membership = caseworker_a.memberships.get()
    response = org_admin_a_client.post(
        reverse("accounts:member_deactivate", args=[membership.pk])
    )
    assert response.status_code == 302
    refused = caseworker_a_client.get(reverse(HOME))
    assert refused.status_code == 302
    assert refused["Location"].startswith(reverse("accounts:login"))
    caseworker_a.refresh_from_db()
    assert not caseworker_a.is_active
    assert (
        Client()
        .post(
            reverse("accounts:login"),
            {"username": "caseworker_a", "password": PASSWORD},
        )
        .status_code
        == 200
    )


def test_a_second_factor_reset_signs_out_and_forces_a_new_set_up(
    caseworker_a: User, caseworker_a_client: Client, org_admin_a_client: Client
) -> None:
    """The lost phone's app no longer works; the next sign-in asks for a new one."""
    membership = caseworker_a.memberships.get()
    org_admin_a_client.post(
        reverse("accounts:member_reset_second_factor", args=[membership.pk])
    )
    assert not Authenticator.objects.filter(user=caseworker_a).exists()
    assert caseworker_a_client.get(reverse(HOME)).status_code == 302
    fresh = Client()
    signed_in = fresh.post(
        reverse("accounts:login"), {"username": "caseworker_a", "password": PASSWORD}
    )
    assert signed_in.status_code == 302
    blocked = fresh.get(reverse(HOME))
    assert blocked["Location"].startswith(reverse("mfa_activate_totp"))


def test_those_who_must_keep_a_second_factor_cannot_switch_it_off(
    caseworker_a: User, caseworker_a_client: Client
) -> None:
    """Only an administrator's reset removes it."""
    caseworker_a_client.post(reverse("mfa_deactivate_totp"))
    assert Authenticator.objects.filter(
        user=caseworker_a, type=Authenticator.Type.TOTP
    ).exists()
