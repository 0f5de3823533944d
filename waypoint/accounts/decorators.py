"""View decorators for the sensitive pages of Waypoint."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from allauth.account.authentication import get_authentication_records
from allauth.account.internal.flows.reauthentication import suspend_request
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from waypoint.accounts.models import User
from waypoint.accounts.session_security import (
    has_authenticator_app,
    second_factor_redirect,
)


def second_factor_required[View: Callable[..., HttpResponse]](view: View) -> View:
    """Signed in, with a second factor proven in this session."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User):  # login_required let only users through
            raise TypeError("an authenticated user is required")
        response = second_factor_redirect(request, user)
        if response is not None:
            return response
        return view(request, *args, **kwargs)

    return cast(View, login_required(wrapper))


def _recent(request: HttpRequest, user: User, method: str) -> bool:
    horizon = time.time() - settings.ACCOUNT_REAUTHENTICATION_TIMEOUT
    return any(
        record.get("method") == method
        and record.get("reauthenticated")
        and float(record.get("at", 0)) >= horizon
        for record in get_authentication_records(request, user)
    )


def reauthentication_required[View: Callable[..., HttpResponse]](view: View) -> View:
    """Before exports and erasures: password, and the code when the account has
    an authenticator app, both re-entered within ACCOUNT_REAUTHENTICATION_TIMEOUT
    (5 minutes by default). A POST is kept and replayed after the prompts."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        user = request.user
        if not isinstance(user, User):  # second_factor_required runs first
            raise TypeError("an authenticated user is required")
        prompt: HttpResponse | None = None
        if not _recent(request, user, "password"):
            prompt = suspend_request(request, reverse("account_reauthenticate"))
        elif has_authenticator_app(user) and not _recent(request, user, "mfa"):
            prompt = suspend_request(request, reverse("mfa_reauthenticate"))
        if prompt is not None:
            return prompt
        return view(request, *args, **kwargs)

    return second_factor_required(cast(View, wrapper))
