"""Accounts, member organisations, their staff, invitations and the audit log.

Who may do what is decided in ``selectors.py`` from these rows; every change
to them goes through ``services.py`` and leaves an ``AuditEvent``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A person with an account: staff of a member organisation or the network."""

    is_platform_admin = models.BooleanField(
        _("platform administrator"),
        default=False,
        help_text=_(
            "Manages member organisations and accounts; never reads case contents."
        ),
    )
    # Folded into the session's authentication hash: raising it ends every
    # session of this account at its next request (see _get_session_auth_hash).
    session_epoch = models.PositiveIntegerField(
        _("session generation"), default=0, editable=False
    )
    # The language the person last chose for the pages (a code of
    # settings.LANGUAGES, "" until they chose one): emails to them use it, so
    # a referral from another country reaches them in their own language.
    language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_username()

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        # Django stores this hash in the session at login and compares it on
        # every request (AuthenticationMiddleware): a session made before a
        # password change, "log out everywhere", a second-factor reset or a
        # deactivation carries an older epoch and is flushed.
        key_salt = "waypoint.accounts.User.session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}\x00{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class MemberOrganization(models.Model):
    """An organisation of the network whose staff work in Waypoint.

    Its name, address and contacts are those of its public directory listing.
    """

    organization = models.OneToOneField(
        "directory.Organization",
        verbose_name=_("directory listing"),
        on_delete=models.PROTECT,
        related_name="member",
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.organization.name


class Role(models.TextChoices):
    ORG_ADMIN = "org_admin", _("organisation administrator")
    SUPERVISOR = "supervisor", _("supervisor")
    CASEWORKER = "caseworker", _("caseworker")
    DIRECTORY_EDITOR = "directory_editor", _("directory editor")
    EVENT_COORDINATOR = "event_coordinator", _("event coordinator")


class Profession(models.TextChoices):
    LAWYER = "lawyer", _("lawyer")
    PSYCHOLOGIST = "psychologist", _("psychologist")
    SOCIAL_WORKER = "social_worker", _("social worker")
    MEDICAL_MEDIATOR = "medical_mediator", _("medical mediator")
    CULTURAL_MEDIATOR = "cultural_mediator", _("cultural mediator")
    INTERPRETER = "interpreter", _("interpreter")


# Roles that read case records, and those whose accounts must have a second
# factor: organisation administrators do not read cases, but they grant access
# to those who do, so a stolen password of theirs is as dangerous.
CASE_ROLES = frozenset({Role.SUPERVISOR, Role.CASEWORKER})
SECOND_FACTOR_ROLES = CASE_ROLES | {Role.ORG_ADMIN}


class Membership(models.Model):
    """One role of a person in a member organisation.

    A person holding two roles (a supervisor who is also the organisation's
    administrator) has two memberships.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        MemberOrganization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"],
                name="membership_one_role_once",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=Role.CASEWORKER) | ~models.Q(profession=""),
                name="membership_caseworker_has_profession",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()}"


class Invitation(models.Model):
    """An offer to join a member organisation in a role, sent by email.

    Only a hash of the link's token is kept: the link itself exists only in
    the message sent to the invited person.
    """

    organization = models.ForeignKey(
        MemberOrganization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    profession = models.CharField(
        _("profession"), max_length=32, choices=Profession.choices, blank=True
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accepted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_role_display()} · {self.created_at:%Y-%m-%d}"

    @property
    def is_pending(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class AuditEvent(models.Model):
    """One thing that happened, append-only.

    Database triggers refuse UPDATE and DELETE on this table (see migration
    0003). ``details`` never holds personal data of the people assisted:
    identifiers and codes only.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64)
    target_type = models.CharField(_("target type"), max_length=64)
    target_id = models.CharField(_("target"), max_length=64)
    organization = models.ForeignKey(
        MemberOrganization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["target_type", "target_id", "at"]),
            models.Index(fields=["organization", "at"]),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.target_type}:{self.target_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("audit events are never changed")
        super().save(*args, **kwargs)


class SentEmail(models.Model):
    """The idempotency key of an email that went out.

    A task that sends email may run again (its worker was killed after the
    send, or it was queued again while it still ran): the key, written in the
    transaction that sends, makes the second run skip the send. Keys name the
    task and a recipient's id, never an address or a name.
    """

    key = models.CharField(_("key"), max_length=200, unique=True)
    actor = models.CharField(_("sent by"), max_length=100)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("sent email")
        verbose_name_plural = _("sent emails")

    def __str__(self) -> str:
        return self.key
