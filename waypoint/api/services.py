"""Changes to partner API tokens: created and revoked by an administrator of
the organisation (or a platform administrator), each change audited."""

from __future__ import annotations

import datetime
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import MemberOrganization, User
from waypoint.accounts.selectors import administered_organizations
from waypoint.accounts.services import audit_event_record
from waypoint.api.models import ApiToken
from waypoint.api.selectors.partner import members_who_may_act
from waypoint.lib.tokens import token_hash

TOKEN_PREFIX = "wpt_"  # noqa: S105 (marks Waypoint tokens, e.g. for secret scanners)
# Writing ``last_used_at`` on every request would turn each read into a write;
# once a minute is precise enough to tell a live token from a forgotten one.
LAST_USED_PRECISION = datetime.timedelta(minutes=1)


def _require_admin_of(actor: User, organization: MemberOrganization) -> None:
    if not administered_organizations(actor).filter(pk=organization.pk).exists():
        raise PermissionDenied


@transaction.atomic
def api_token_create(
    *, actor: User, organization: MemberOrganization, name: str, acts_as: User
) -> tuple[ApiToken, str]:
    """A new token and its secret value, which is not stored and shown once."""
    _require_admin_of(actor, organization)
    name = name.strip()
    if not name:
        raise ValidationError({"name": _("Name the system that will use the token.")})
    if not members_who_may_act(organization).filter(pk=acts_as.pk).exists():
        raise ValidationError(
            {
                "acts_as": _(
                    "Choose an active caseworker or supervisor of the organisation."
                )
            }
        )
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        organization=organization,
        name=name,
        acts_as=acts_as,
        created_by=actor,
        prefix=raw[: len(TOKEN_PREFIX) + 6],
        token_hash=token_hash(raw),
    )
    audit_event_record(
        actor=actor,
        action="api_token.created",
        target=token,
        organization=organization,
        details={"acts_as": acts_as.pk},
    )
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> ApiToken:
    """Stop the token working at once; revoking twice changes nothing."""
    _require_admin_of(actor, token.organization)
    updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor
    )
    token.refresh_from_db()
    if updated:
        audit_event_record(
            actor=actor,
            action="api_token.revoked",
            target=token,
            organization=token.organization,
        )
    return token


def api_token_used(*, token: ApiToken) -> None:
    """Note that the token was used (at most once a minute)."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < LAST_USED_PRECISION:
        return
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
