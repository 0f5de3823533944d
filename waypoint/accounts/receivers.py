"""Reactions to django-allauth's events; the work itself is in services."""

from __future__ import annotations

from typing import Any

from allauth.account.signals import password_changed, password_reset
from allauth.mfa.signals import authenticator_used
from django.contrib.auth import update_session_auth_hash
from django.dispatch import receiver
from django.http import HttpRequest

from waypoint.accounts import services

# Registers waypoint_audit_locked() on every SQLite connection.
from waypoint.accounts.audit_guard import AUDIT_LOCKED  # noqa: F401
from waypoint.accounts.models import User
from waypoint.accounts.session_security import second_factor_mark


@receiver(authenticator_used, dispatch_uid="waypoint_second_factor_used")
def _second_factor_used(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    if request is not None:
        second_factor_mark(request, user)


@receiver(password_changed, dispatch_uid="waypoint_password_changed")
def _password_changed(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    services.password_changed_record(user=user, reset=False)
    if request is not None:
        # Every other session ends; this one stays signed in.
        update_session_auth_hash(request, user)


@receiver(password_reset, dispatch_uid="waypoint_password_reset")
def _password_reset(
    sender: Any, request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    services.password_changed_record(user=user, reset=True)
