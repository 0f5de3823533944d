"""Every change to accounts, organisations, staff and invitations.

Each service is atomic, takes the acting user, checks that the actor may do
it (views check too: this is the second lock), and writes an ``AuditEvent``.
Audit details never carry personal data of the people assisted.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, mailers, send_mail
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts import selectors
from waypoint.accounts.models import (
    AuditEvent,
    Invitation,
    MemberOrganization,
    Membership,
    Role,
    SentEmail,
    User,
)
from waypoint.accounts.roles import DIRECTORY_EDITORS, ensure_role_groups
from waypoint.lib.tokens import token_hash


@transaction.atomic
def admin_ensure(*, username: str = "admin", email: str = "") -> str | None:
    """Create the platform administrator once; return its new password.

    Returns ``None`` when the account already exists, so a second run never
    changes or reveals anything.
    """
    if User.objects.filter(username=username).exists():
        return None
    password = secrets.token_urlsafe(18)
    user = User.objects.create_superuser(
        username=username, email=email, password=password
    )
    audit_event_record(actor=None, action="account.created", target=user)
    return password


@transaction.atomic
def directory_editor_grant(*, user: User) -> None:
    ensure_role_groups()
    user.groups.add(Group.objects.get(name=DIRECTORY_EDITORS))


# --- Audit ----------------------------------------------------------------------------


def audit_event_record(
    *,
    actor: User | None,
    action: str,
    target: models.Model,
    organization: MemberOrganization | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one audit row; callers run it inside their own transaction."""
    return AuditEvent.objects.create(
        actor=actor,
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        organization=organization,
        details=details or {},
    )


def audit_instance_event_record(*, action: str, details: dict[str, Any]) -> AuditEvent:
    """Append one audit row about the whole instance (a backup, a restore),
    done by an operator at the command line rather than by an account."""
    return AuditEvent.objects.create(
        actor=None,
        action=action,
        target_type="instance",
        target_id="-",
        details=details,
    )


# --- Permission checks (the second lock behind the views) -----------------------


def require_platform_admin(actor: User) -> None:
    """Refuse (403) anyone but a platform administrator."""
    if not selectors.is_platform_admin(actor):
        raise PermissionDenied


def _require_admin_of(actor: User, organization: MemberOrganization) -> None:
    if (
        not selectors.administered_organizations(actor)
        .filter(pk=organization.pk)
        .exists()
    ):
        raise PermissionDenied


def _require_may_manage(actor: User, user: User) -> None:
    """Platform admins manage every account; an organisation administrator
    manages the members of their organisations, never a platform admin, never
    themselves (so that nobody locks the organisation out by mistake)."""
    if actor.pk == user.pk:
        raise PermissionDenied
    if selectors.is_platform_admin(actor):
        return
    if user.is_superuser or user.is_platform_admin:
        raise PermissionDenied
    if not Membership.objects.filter(
        user=user, organization__in=selectors.administered_organizations(actor)
    ).exists():
        raise PermissionDenied


def _first_administered(actor: User, user: User) -> MemberOrganization | None:
    membership = (
        Membership.objects.filter(
            user=user,
            organization__in=selectors.administered_organizations(actor),
        )
        .select_related("organization")
        .first()
    )
    return membership.organization if membership else None


# --- Invitations ----------------------------------------------------------------------


def _roles_grantable(actor: User, organization: MemberOrganization) -> list[str]:
    if selectors.is_platform_admin(actor) or selectors.is_org_admin(
        actor, organization
    ):
        return list(Role.values)
    return []


def roles_grantable(*, actor: User, organization: MemberOrganization) -> list[str]:
    return _roles_grantable(actor, organization)


@transaction.atomic
def invitation_create(
    *,
    actor: User,
    organization: MemberOrganization,
    email: str,
    role: str,
    profession: str = "",
    link_for: Callable[[str], str],
) -> Invitation:
    """Invite someone to join ``organization`` in ``role``; email them a link.

    The link carries a random token, valid ``INVITATION_VALID_DAYS`` and
    usable once; only its hash is stored.
    """
    _require_admin_of(actor, organization)
    if role not in _roles_grantable(actor, organization):
        raise PermissionDenied
    if role == Role.CASEWORKER and not profession:
        raise ValidationError({"profession": _("Choose the caseworker's profession.")})
    email = email.strip()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {
                "email": _(
                    "An account already uses this address. Give that person "
                    "the role from their page in the staff list instead."
                )
            }
        )
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        profession=profession if role == Role.CASEWORKER else "",
        token_hash=token_hash(token),
        invited_by=actor,
        created_at=now,
        expires_at=now + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    audit_event_record(
        actor=actor,
        action="invitation.created",
        target=invitation,
        organization=organization,
        details={"role": role},
    )
    context = {
        "organization": organization.name,
        "role": invitation.get_role_display(),
        "link": link_for(token),
        "expires_at": invitation.expires_at,
    }
    subject = render_to_string("accounts/email/invitation_subject.txt", context)
    body = render_to_string("accounts/email/invitation_message.txt", context)
    # Sent after commit: no mail for an invitation that was rolled back.
    transaction.on_commit(
        lambda: send_mail(
            " ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [email]
        )
    )
    return invitation


def invitation_get_valid(*, token: str) -> Invitation | None:
    """The pending invitation a link points to, or ``None`` (used, expired, unknown)."""
    return (
        Invitation.objects.select_related("organization__organization")
        .filter(
            token_hash=token_hash(token),
            accepted_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )


@transaction.atomic
def invitation_accept(*, token: str, username: str, password: str) -> User:
    """Create the invited person's account and membership; the link dies.

    Raises ``ValidationError`` when the link is no longer valid or the chosen
    username or password is refused.
    """
    invitation = invitation_get_valid(token=token)
    if invitation is None:
        raise ValidationError(_("This invitation link is no longer valid."))
    now = timezone.now()
    # Compare-and-set: of two simultaneous uses, exactly one changes the row.
    claimed = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True
    ).update(accepted_at=now)
    if claimed != 1:
        raise ValidationError(_("This invitation link is no longer valid."))
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("This username is taken.")})
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise ValidationError(_("This invitation link is no longer valid."))
    user = User(username=username, email=invitation.email)
    try:
        password_validation.validate_password(password, user=user)
    except ValidationError as error:
        raise ValidationError({"password1": error.messages}) from error
    user.set_password(password)
    user.save()
    EmailAddress.objects.create(
        user=user, email=invitation.email, verified=True, primary=True
    )
    membership = Membership.objects.create(
        user=user,
        organization=invitation.organization,
        role=invitation.role,
        profession=invitation.profession,
    )
    if invitation.role == Role.DIRECTORY_EDITOR:
        directory_editor_grant(user=user)
    Invitation.objects.filter(pk=invitation.pk).update(accepted_by=user)
    audit_event_record(
        actor=user,
        action="invitation.accepted",
        target=invitation,
        organization=invitation.organization,
        details={"membership": membership.pk, "role": invitation.role},
    )
    return user


# --- Memberships ----------------------------------------------------------------------


def _directory_group_sync(user: User) -> None:
    """Directory editing follows the directory-editor role (or a manual grant)."""
    if Membership.objects.filter(
        user=user, role=Role.DIRECTORY_EDITOR, is_active=True
    ).exists():
        directory_editor_grant(user=user)


@transaction.atomic
def membership_change(
    *, actor: User, membership: Membership, role: str, profession: str = ""
) -> Membership:
    _require_admin_of(actor, membership.organization)
    _require_may_manage(actor, membership.user)
    if role == Role.CASEWORKER and not profession:
        raise ValidationError({"profession": _("Choose the caseworker's profession.")})
    if (
        role != membership.role
        and Membership.objects.filter(
            user=membership.user, organization=membership.organization, role=role
        ).exists()
    ):
        raise ValidationError({"role": _("This person already has that role.")})
    before = {"role": membership.role, "profession": membership.profession}
    membership.role = role
    membership.profession = profession if role == Role.CASEWORKER else ""
    membership.save(update_fields=["role", "profession"])
    _directory_group_sync(membership.user)
    audit_event_record(
        actor=actor,
        action="membership.changed",
        target=membership,
        organization=membership.organization,
        details={
            "user": membership.user_id,
            "before": before,
            "after": {"role": membership.role, "profession": membership.profession},
        },
    )
    return membership


@transaction.atomic
def membership_end(*, actor: User, membership: Membership) -> Membership:
    """Take one role away; the account and its other roles stay."""
    _require_admin_of(actor, membership.organization)
    _require_may_manage(actor, membership.user)
    membership.is_active = False
    membership.save(update_fields=["is_active"])
    audit_event_record(
        actor=actor,
        action="membership.ended",
        target=membership,
        organization=membership.organization,
        details={"user": membership.user_id, "role": membership.role},
    )
    return membership


# --- Accounts -------------------------------------------------------------------------


def _epoch_bump(user: User) -> None:
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])


@transaction.atomic
def second_factor_reset(*, actor: User, user: User) -> None:
    """Remove the person's authenticator app and recovery codes.

    Their sessions end; at their next sign-in (password only) they must set
    up a new authenticator before anything else.
    """
    _require_may_manage(actor, user)
    removed = Authenticator.objects.filter(user=user).delete()[0]
    _epoch_bump(user)
    audit_event_record(
        actor=actor,
        action="account.second_factor_reset",
        target=user,
        organization=_first_administered(actor, user),
        details={"authenticators_removed": removed},
    )


@transaction.atomic
def account_deactivate(*, actor: User, user: User) -> None:
    """Close the account at once: it can no longer sign in, and every open
    session is refused at its next request."""
    _require_may_manage(actor, user)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    _epoch_bump(user)
    audit_event_record(
        actor=actor,
        action="account.deactivated",
        target=user,
        organization=_first_administered(actor, user),
    )


@transaction.atomic
def sessions_end_everywhere(*, actor: User, user: User) -> None:
    """End every session of ``user`` (the person themselves, or an admin)."""
    if actor.pk != user.pk:
        _require_may_manage(actor, user)
    _epoch_bump(user)
    audit_event_record(actor=actor, action="account.sessions_ended", target=user)


@transaction.atomic
def password_changed_record(*, user: User, reset: bool) -> None:
    """After a password change or reset: other sessions end, and it is logged."""
    _epoch_bump(user)
    audit_event_record(
        actor=user,
        action="account.password_reset" if reset else "account.password_changed",
        target=user,
    )


# --- Emails sent once --------------------------------------------------------------


@transaction.atomic
def email_send_once(
    *, actor: str, key: str, compose: Callable[[], EmailMessage | None]
) -> bool:
    """Send the message ``compose`` returns unless an email under ``key`` went
    out already; returns whether it was sent (not for a repeat, nor when
    ``compose`` finds nothing to send).

    For tasks, which may run twice (docs/operating.md#worker-recovery): the
    key names the task run and a recipient's id, ``actor`` the task. The key
    is written first, so a second run at the same time waits for the first
    and then skips; ``compose`` (which may issue a link's token) and the send
    run in the same transaction, so a send that fails, or a worker killed
    before it, leaves no key and the next run sends. The one window left is a
    worker killed after the mail server took the message and before the
    commit: the next run sends again (at least once, never lost).
    """
    try:
        with transaction.atomic():
            SentEmail.objects.create(key=key, actor=actor)
    except IntegrityError:
        return False
    message = compose()
    if message is None:
        # Nothing to send this time (the registration was cancelled…): a
        # later run decides afresh.
        transaction.set_rollback(True)
        return False
    mailers.default.send_messages([message])
    return True
