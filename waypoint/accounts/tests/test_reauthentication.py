"""Exports and erasures ask for the password and the code again."""

from __future__ import annotations

import time

import pytest
from allauth.account.internal.flows.login import (
    AUTHENTICATION_METHODS_SESSION_KEY,
    record_authentication,
)
from django.contrib.sessions.backends.db import SessionStore
from django.http import HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from waypoint.accounts.decorators import reauthentication_required
from waypoint.accounts.models import User
from waypoint.accounts.session_security import second_factor_mark
from waypoint.accounts.testing import totp_enable

pytestmark = pytest.mark.django_db


@reauthentication_required
def _export(request: HttpRequest) -> HttpResponse:
    return HttpResponse("exported")


def _request(user: User) -> HttpRequest:
    request = RequestFactory().get("/en/export/")
    request.session = SessionStore()
    request.user = user
    second_factor_mark(request, user)
    return request


def test_it_asks_for_the_password_then_the_code_then_runs(
    caseworker_a: User,
) -> None:
    totp_enable(caseworker_a)
    request = _request(caseworker_a)
    first = _export(request)
    assert first.status_code == 302
    assert first["Location"].startswith(reverse("account_reauthenticate"))
    record_authentication(request, caseworker_a, "password", reauthenticated=True)
    second = _export(request)
    assert second["Location"].startswith(reverse("mfa_reauthenticate"))
    record_authentication(request, caseworker_a, "mfa", reauthenticated=True)
    assert _export(request).content == b"exported"


def test_a_confirmation_older_than_five_minutes_does_not_count(
    caseworker_a: User,
) -> None:
    totp_enable(caseworker_a)
    request = _request(caseworker_a)
    record_authentication(request, caseworker_a, "password", reauthenticated=True)
    record_authentication(request, caseworker_a, "mfa", reauthenticated=True)
    records = request.session[AUTHENTICATION_METHODS_SESSION_KEY]
    for record in records:
        record["at"] = time.time() - 301
    request.session[AUTHENTICATION_METHODS_SESSION_KEY] = records
    assert _export(request).status_code == 302


def test_the_sign_in_itself_is_not_a_confirmation(caseworker_a: User) -> None:
    """Only deliberate re-entry counts, not the password typed at sign-in."""
    totp_enable(caseworker_a)
    request = _request(caseworker_a)
    record_authentication(request, caseworker_a, "password")
    record_authentication(request, caseworker_a, "mfa")
    assert _export(request).status_code == 302
