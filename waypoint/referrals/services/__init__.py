"""Every change to a referral.

Each service is atomic, keyword-only, takes the acting user, checks which side
of the referral the actor is on (views check too: this is the second lock),
writes one ``ReferralEvent`` and one ``AuditEvent`` per change, and notifies
the other side (a ``Notification`` row per member, and an email without any
personal data, sent once the transaction has committed).

A change of status is a compare-and-swap on ``version`` (``UPDATE … WHERE
id = … AND version = v``, ``core.status_swap``): ``select_for_update`` does
nothing on SQLite, the swap works the same on PostgreSQL. When someone else
changed the referral since it was read, :class:`ReferralChangedError` (a
``ConcurrentUpdateError``) is raised and nothing is written.

The modules, by what they change: ``core`` (sides, consent, snapshot,
notifications, the swap), ``sending``, ``status``, ``messages``, ``erasure``,
``expiry`` (expiry and reminders) and ``external`` (organisations outside the
platform, through a one-time link). Callers import from this package.
"""

from __future__ import annotations

from waypoint.lib.errors import ConcurrentUpdateError
from waypoint.referrals.lifecycle import RECIPIENT, RESENDABLE, SENDER, TRANSITIONS
from waypoint.referrals.services import external
from waypoint.referrals.services.core import (
    ReferralChangedError,
    consent_covering,
    is_recipient_side,
    is_sender_side,
    mail_on_commit,
    notify,
    other_side,
    referral_decline_check,
    require_side,
    side_members,
    snapshot_build,
    status_swap,
)
from waypoint.referrals.services.erasure import referrals_erase_for_anonymisation
from waypoint.referrals.services.expiry import referrals_expire, referrals_remind
from waypoint.referrals.services.messages import (
    MAX_ATTACHMENTS,
    attachment_read,
    notifications_read,
    referral_message_add,
    referral_print_record,
)
from waypoint.referrals.services.sending import referral_send
from waypoint.referrals.services.status import (
    referral_accept,
    referral_acknowledge,
    referral_complete,
    referral_decline,
    referral_not_complete,
    referral_start,
    referral_withdraw,
    referrals_withdraw_for_consent,
)

__all__ = [
    "MAX_ATTACHMENTS",
    "RECIPIENT",
    "RESENDABLE",
    "SENDER",
    "TRANSITIONS",
    "ConcurrentUpdateError",
    "ReferralChangedError",
    "attachment_read",
    "consent_covering",
    "external",
    "is_recipient_side",
    "is_sender_side",
    "mail_on_commit",
    "notifications_read",
    "notify",
    "other_side",
    "referral_accept",
    "referral_acknowledge",
    "referral_complete",
    "referral_decline",
    "referral_decline_check",
    "referral_message_add",
    "referral_not_complete",
    "referral_print_record",
    "referral_send",
    "referral_start",
    "referral_withdraw",
    "referrals_erase_for_anonymisation",
    "referrals_expire",
    "referrals_remind",
    "referrals_withdraw_for_consent",
    "require_side",
    "side_members",
    "snapshot_build",
    "status_swap",
]
