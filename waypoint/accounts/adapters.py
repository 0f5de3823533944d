"""How django-allauth behaves in Waypoint."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.http import HttpRequest
from django.shortcuts import resolve_url
from django.utils.translation import gettext_lazy as _

from waypoint.accounts import selectors
from waypoint.lib.crypto import decrypt_str, encrypt_str

# One answer for every failed sign-in, whatever was typed and whether or not
# the account exists.
_SIGN_IN_FAILED = _("The username or email address and password do not match.")


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "username_password_mismatch": _SIGN_IN_FAILED,
        "email_password_mismatch": _SIGN_IN_FAILED,
        "phone_password_mismatch": _SIGN_IN_FAILED,
    }

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Staff accounts come only from invitations.
        return False

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        user = request.user
        if user.is_authenticated and user.has_perm("directory.edit_directory"):
            return str(resolve_url(settings.LOGIN_REDIRECT_URL))
        return str(resolve_url("accounts:home"))


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    def encrypt(self, text: str) -> str:
        # allauth would store TOTP secrets and recovery-code seeds in clear.
        return encrypt_str(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_str(encrypted_text)

    def get_totp_label(self, user: AbstractBaseUser) -> str:
        return user.get_username()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Those who must have a second factor cannot switch it off themselves;
        # their organisation administrator can reset it.
        return not selectors.requires_second_factor(authenticator.user)

    def send_notification_mail(self, *args: Any, **kwargs: Any) -> None:
        super().send_notification_mail(*args, **kwargs)
