from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import get_language_from_path

from waypoint.accounts import selectors
from waypoint.accounts.models import User
from waypoint.accounts.session_security import second_factor_redirect

# What a session that still owes its second factor may open: setting it up,
# proving it, re-entering the password that setting it up asks for, signing out.
SECOND_FACTOR_EXEMPT = frozenset(
    {
        "mfa_activate_totp",
        "accounts:activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_index",
        "mfa_authenticate",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "accounts:logout",
        "set_language",
    }
)


class SecondFactorRequiredMiddleware:
    """Keep sessions without a proven second factor away from every page.

    Applies to every account holding a role that reads case data or manages
    staff (``selectors.requires_second_factor``).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        user = request.user
        if not isinstance(user, User) or not user.is_authenticated:
            return None
        match = request.resolver_match
        if match is not None and match.view_name in SECOND_FACTOR_EXEMPT:
            return None
        if not selectors.requires_second_factor(user):
            return None
        return second_factor_redirect(request, user)


class LanguageRememberedMiddleware:
    """Remember the language a signed-in person reads the pages in.

    The language is the URL's prefix (``/sv/…``, chosen with the language
    switcher); storing it on the account lets what is sent to them later, such
    as the email about a referral from another country, use it too. One
    UPDATE when it changes, nothing otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if isinstance(user, User) and user.is_authenticated:
            language = get_language_from_path(request.path_info)
            if language and language != user.language:
                User.objects.filter(pk=user.pk).update(language=language)
                user.language = language
        return response
