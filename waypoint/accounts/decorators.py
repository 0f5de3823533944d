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
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse

from waypoint.accounts import selectors
from waypoint.accounts.models import User
from waypoint.accounts.session_security import (
    has_authenticator_app,
    second_factor_redirect,
)

View = Callable[..., HttpResponse]


def acting_user(request: HttpRequest) -> User:
    """The signed-in user a view acts for, as the ``actor=`` of its services.

    The decorators in front of every staff view let only real users through;
    should one be missing, the request is refused (403) rather than served to
    an anonymous visitor.
    """
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


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


def _gate(allowed: Callable[[User], bool], view: View) -> View:
    """Signed in → allowed (404 to anyone else, revealing nothing) → second
    factor proven in this session → the view."""
    protected = second_factor_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not allowed(acting_user(request)):
            raise Http404
        return protected(request, *args, **kwargs)

    return cast(View, login_required(wrapper))


def platform_admin_required(view: View) -> View:
    """Platform administrators only (everyone else: 404), second factor proven."""
    return _gate(selectors.is_platform_admin, view)


def organization_admin_required(view: View) -> View:
    """Platform admins, and administrators of at least one organisation."""
    return _gate(lambda user: selectors.administered_organizations(user).exists(), view)
