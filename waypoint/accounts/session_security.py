"""Whether a session has passed the second factor, and what to do if not."""

from __future__ import annotations

from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.contrib.auth import REDIRECT_FIELD_NAME, logout
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse

from waypoint.accounts.models import User

SESSION_KEY = "waypoint.second_factor_user"


def second_factor_mark(request: HttpRequest, user: User) -> None:
    """Record that this session proved the second factor of ``user``."""
    request.session[SESSION_KEY] = user.pk


def second_factor_passed(request: HttpRequest, user: User) -> bool:
    return bool(request.session.get(SESSION_KEY) == user.pk)


def has_authenticator_app(user: User) -> bool:
    return bool(
        Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
    )


def second_factor_redirect(request: HttpRequest, user: User) -> HttpResponse | None:
    """``None`` when the session may go on; otherwise where it must go.

    Without an authenticator app: to set one up. With one, but a session that
    never proved it (signed in before it existed, or by some other path):
    signed out, back to the sign-in page, which asks for the code.
    """
    next_query = urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})
    if not has_authenticator_app(user):
        return HttpResponseRedirect(f"{reverse('mfa_activate_totp')}?{next_query}")
    if not second_factor_passed(request, user):
        logout(request)
        return HttpResponseRedirect(f"{reverse('accounts:login')}?{next_query}")
    return None
