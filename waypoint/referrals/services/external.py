"""Referrals to organisations outside the platform, answered through a link.

The recipient (a police unit, a court, an embassy) gets an email without
personal data holding a single-use link with a high-entropy token; only the
token's hash is stored. Opening the link asks for a 6-digit code sent to the
same address (hashed with the site's secret, short-lived, a few attempts).
The right code uses the link up and gives the browser session a short access
to that one referral: read the snapshot, print it, accept or decline through
the same compare-and-swap services as members. Every use is a row of the
append-only ``ExternalAccess`` log and an audit event.

The link and code emails are sent on commit from the web process, not from a
task: a task's arguments are stored in clear, and the token and code must
exist nowhere but in the email.
"""

from __future__ import annotations

import datetime
import hmac
import secrets
from collections.abc import Sequence
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage, mailers
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.accounts.services import audit_event_record
from waypoint.lib.tokens import token_hash
from waypoint.lib.urls import absolute_url
from waypoint.referrals.models import (
    AWAITING,
    AccessKind,
    ExternalAccess,
    ExternalLink,
    Referral,
)
from waypoint.referrals.services.core import (
    ReferralChangedError,
    is_sender_side,
    referral_decline_check,
    status_swap,
)

CODE_DIGITS = 6


def _setting(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def link_days() -> int:
    return _setting("WAYPOINT_REFERRAL_LINK_DAYS", 7)


def code_minutes() -> int:
    return _setting("WAYPOINT_REFERRAL_CODE_MINUTES", 10)


def max_attempts() -> int:
    return _setting("WAYPOINT_REFERRAL_CODE_ATTEMPTS", 5)


def max_codes() -> int:
    return _setting("WAYPOINT_REFERRAL_CODES_PER_LINK", 3)


def access_minutes() -> int:
    return _setting("WAYPOINT_REFERRAL_EXTERNAL_ACCESS_MINUTES", 30)


def _code_hash(link: ExternalLink, code: str) -> str:
    # Keyed with the site's secret: 10^6 codes are quickly tried against a
    # plain hash taken from a stolen database.
    return salted_hmac(
        "waypoint.referrals.code", f"{link.pk}:{code}", algorithm="sha256"
    ).hexdigest()


class LinkState(StrEnum):
    OK = "ok"
    EXPIRED = "expired"
    USED = "used"
    REVOKED = "revoked"
    LOCKED = "locked"
    CLOSED = "closed"


# What the log records when a link that cannot be used is opened.
STATE_ACCESS = {
    LinkState.EXPIRED: AccessKind.LINK_EXPIRED,
    LinkState.USED: AccessKind.LINK_USED,
    LinkState.REVOKED: AccessKind.LINK_REVOKED,
    LinkState.LOCKED: AccessKind.LOCKED,
    LinkState.CLOSED: AccessKind.LINK_USED,
}


def link_state(link: ExternalLink, now: datetime.datetime | None = None) -> LinkState:
    now = now or timezone.now()
    if link.revoked_at is not None:
        return LinkState.REVOKED
    if link.verified_at is not None:
        return LinkState.USED
    if link.failed_attempts >= max_attempts():
        return LinkState.LOCKED
    if link.expires_at <= now:
        return LinkState.EXPIRED
    if link.referral.status not in AWAITING:
        return LinkState.CLOSED
    return LinkState.OK


def access_log(link: ExternalLink, kind: str) -> ExternalAccess:
    """One row of the access log and one audit event ("who" is the address)."""
    referral = link.referral
    entry = ExternalAccess.objects.create(link=link, referral=referral, kind=kind)
    audit_event_record(
        actor=None,
        action=f"referral.external_{kind}",
        target=referral,
        organization=referral.sender_organization,
        details={"link": link.pk, "external_email": link.email},
    )
    return entry


def _send_on_commit(address: str, subject: str, body: str) -> None:
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
    transaction.on_commit(lambda: mailers.default.send_messages([message]))


# --- The sender's side ----------------------------------------------------------


@transaction.atomic
def external_link_issue(
    *, actor: User, referral: Referral, first: bool = False
) -> tuple[ExternalLink, str]:
    """A new link for the external recipient (the earlier ones stop working),
    emailed to its address. ``first`` is the one ``referral_send`` issues."""
    if not referral.is_external:
        raise Http404
    if not first and not is_sender_side(actor, referral):
        raise PermissionDenied
    if referral.status not in AWAITING:
        raise ValidationError(
            _("A new link can only be sent while the referral awaits an answer."),
            code="not_awaiting",
        )
    now = timezone.now()
    ExternalLink.objects.filter(referral=referral, revoked_at__isnull=True).update(
        revoked_at=now
    )
    token = secrets.token_urlsafe(32)
    link = ExternalLink.objects.create(
        referral=referral,
        email=referral.external_email,
        token_hash=token_hash(token),
        issued_by=actor,
        created_at=now,
        expires_at=now + datetime.timedelta(days=link_days()),
    )
    audit_event_record(
        actor=actor,
        action="referral.external_link_issued",
        target=referral,
        organization=referral.sender_organization,
        details={"link": link.pk, "external_email": link.email, "first": first},
    )
    url = absolute_url(reverse("referrals:external_open", kwargs={"token": token}))
    body = _(
        "An organisation of the Waypoint network has sent your organisation a "
        "referral. Open it here (the link works once, until %(until)s; a code "
        "will be sent to this address to confirm it is you):\n\n%(link)s\n"
    ) % {"link": url, "until": link.expires_at.date().isoformat()}
    _send_on_commit(link.email, _("Waypoint: a referral for your organisation"), body)
    return link, token


def reminder_mail_on_commit(addresses: Sequence[str]) -> None:
    """The respond-by date of a referral to these addresses is tomorrow."""
    body = _(
        "A referral sent to your organisation through Waypoint awaits an answer "
        "by tomorrow. Use the link you received, or ask the sending "
        "organisation for a new one."
    )
    for address in addresses:
        _send_on_commit(address, _("Waypoint: a referral awaits your answer"), body)


# --- The recipient's side, through the link -------------------------------------


def link_get(token: str) -> ExternalLink:
    """The link of ``token`` (any state), or 404."""
    link = (
        ExternalLink.objects.select_related(
            "referral__sender_organization__organization",
            "referral__external_recipient",
        )
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise Http404
    return link


@transaction.atomic
def external_link_open(*, link: ExternalLink) -> LinkState:
    """Log the opening of the link and say whether it can still be used."""
    state = link_state(link)
    access_log(
        link, AccessKind.LINK_OPENED if state == LinkState.OK else STATE_ACCESS[state]
    )
    return state


@transaction.atomic
def external_code_send(*, link: ExternalLink) -> None:
    """Email a new one-time code to the link's address (a few per link)."""
    state = link_state(link)
    if state != LinkState.OK:
        access_log(link, STATE_ACCESS[state])
        raise ValidationError(_("This link can no longer be used."), code=state)
    updated = ExternalLink.objects.filter(
        pk=link.pk, codes_sent__lt=max_codes(), verified_at__isnull=True
    ).update(codes_sent=F("codes_sent") + 1)
    if updated != 1:
        raise ValidationError(
            _("Too many codes were sent for this link. Ask the sender for a new link."),
            code="too_many_codes",
        )
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    link.code_hash = _code_hash(link, code)
    link.code_expires_at = timezone.now() + datetime.timedelta(minutes=code_minutes())
    link.codes_sent += 1
    link.save(update_fields=["code_hash", "code_expires_at"])
    access_log(link, AccessKind.CODE_SENT)
    body = _(
        "Your Waypoint code: %(code)s\n\nIt is valid for %(minutes)d minutes. If "
        "you did not open a Waypoint link, ignore this message."
    ) % {"code": code, "minutes": code_minutes()}
    _send_on_commit(link.email, _("Waypoint: your code"), body)


class CodeResult(StrEnum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    LOCKED = "locked"
    UNUSABLE = "unusable"


@transaction.atomic
def external_code_verify(*, link: ExternalLink, code: str) -> CodeResult:
    """Check the code; the right one uses the link up and opens the access.

    A wrong code counts against the link; after the last attempt the link is
    locked and the sender must issue a new one. The count is an atomic
    conditional UPDATE, so parallel guesses cannot exceed it.
    """
    state = link_state(link)
    if state != LinkState.OK:
        access_log(link, STATE_ACCESS[state])
        return CodeResult.LOCKED if state == LinkState.LOCKED else CodeResult.UNUSABLE
    now = timezone.now()
    if (
        not link.code_hash
        or link.code_expires_at is None
        or link.code_expires_at <= now
    ):
        access_log(link, AccessKind.CODE_WRONG)
        return CodeResult.EXPIRED
    if hmac.compare_digest(link.code_hash, _code_hash(link, code.strip())):
        updated = ExternalLink.objects.filter(
            pk=link.pk,
            verified_at__isnull=True,
            revoked_at__isnull=True,
            failed_attempts__lt=max_attempts(),
        ).update(
            verified_at=now,
            access_until=now + datetime.timedelta(minutes=access_minutes()),
            code_hash="",
        )
        if updated == 1:
            link.refresh_from_db()
            access_log(link, AccessKind.CODE_OK)
            return CodeResult.OK
        return CodeResult.UNUSABLE
    ExternalLink.objects.filter(pk=link.pk).update(
        failed_attempts=F("failed_attempts") + 1
    )
    link.refresh_from_db()
    access_log(link, AccessKind.CODE_WRONG)
    if link.failed_attempts >= max_attempts():
        access_log(link, AccessKind.LOCKED)
        return CodeResult.LOCKED
    return CodeResult.WRONG


def access_valid(link: ExternalLink, session_link_id: object) -> bool:
    """The session proved the code for this very link, a short while ago."""
    return (
        session_link_id == link.pk
        and link.verified_at is not None
        and link.revoked_at is None
        and link.access_until is not None
        and link.access_until > timezone.now()
    )


@transaction.atomic
def external_snapshot_read(*, link: ExternalLink, printed: bool = False) -> Referral:
    """The referral for the page (its snapshot); the read is logged."""
    access_log(link, AccessKind.PRINTED if printed else AccessKind.SNAPSHOT_VIEWED)
    return link.referral


@transaction.atomic
def external_accept(*, link: ExternalLink, version: int, note: str = "") -> Referral:
    """Accept on behalf of the external recipient (same compare-and-swap)."""
    referral = _current(link, version)
    status_swap(
        actor=None,
        referral=referral,
        action="accept",
        note=note.strip(),
        external_email=link.email,
    )
    access_log(link, AccessKind.ACCEPTED)
    return referral


@transaction.atomic
def external_decline(
    *, link: ExternalLink, version: int, reason: str, text: str = ""
) -> Referral:
    referral = _current(link, version)
    referral_decline_check(reason, text)
    status_swap(
        actor=None,
        referral=referral,
        action="decline",
        note=text,
        external_email=link.email,
        decline_reason=reason,
        response_text=text.strip(),
    )
    access_log(link, AccessKind.DECLINED)
    return referral


def _current(link: ExternalLink, version: int) -> Referral:
    # Second lock behind the view's check of the session: the code was proved
    # for this link and the access has not run out.
    if not access_valid(link, link.pk):
        raise PermissionDenied
    # The version the page showed: a change since then is a conflict.
    referral = link.referral
    if referral.version != version:
        raise ReferralChangedError
    return referral
