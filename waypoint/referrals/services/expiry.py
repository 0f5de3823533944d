"""Expiry of unanswered referrals and reminders of those due tomorrow
(run by the periodic tasks)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from waypoint.accounts.models import AuditEvent, Membership, Role
from waypoint.accounts.services import audit_event_record
from waypoint.referrals.lifecycle import RECIPIENT
from waypoint.referrals.models import (
    AWAITING,
    Notification,
    Referral,
    ReferralEvent,
    Status,
)
from waypoint.referrals.services.core import (
    ReferralChangedError,
    mail_on_commit,
    side_members,
)
from waypoint.referrals.services.external import reminder_mail_on_commit

# --- Expiry ---------------------------------------------------------------------


@transaction.atomic
def referrals_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire the referrals still awaiting an answer after their respond-by date.

    One UPDATE for all of them; their events, audit rows and notifications are
    written in bulk, and each person told gets one email. The rows are locked
    first (PostgreSQL; SQLite's immediate transaction holds the write lock
    already), so the events record the status each one really left.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Referral.objects.filter(status__in=AWAITING, respond_by__lt=today)
    rows = list(
        due.select_for_update().values_list(
            "pk", "status", "sender_organization_id", "sent_by_id"
        )
    )
    if not rows:
        return 0
    last = max(row[0] for row in rows)
    updated = due.filter(pk__lte=last).update(
        status=Status.EXPIRED, updated_at=now, version=F("version") + 1
    )
    if updated != len(rows):  # the lock makes this impossible; be loud if not
        raise ReferralChangedError
    ReferralEvent.objects.bulk_create(
        (
            ReferralEvent(
                referral_id=pk, at=now, from_status=status, to_status=Status.EXPIRED
            )
            for pk, status, _org, _sender in rows
        ),
        batch_size=2000,
    )
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                at=now,
                action="referral.expired",
                target_type=Referral._meta.label_lower,
                target_id=str(pk),
                organization_id=organization_id,
                details={"from": status, "to": Status.EXPIRED},
            )
            for pk, status, organization_id, _sender in rows
        ),
        batch_size=2000,
    )
    _notify_expired(rows, now)
    return len(rows)


def _notify_expired(
    rows: list[tuple[int, str, int, int]], now: datetime.datetime
) -> None:
    """The sender and their organisation's supervisors, once per referral, and
    one email per person whatever the number of referrals."""
    supervisors: dict[int, set[int]] = {}
    for organization_id, user_id in Membership.objects.filter(
        organization_id__in={row[2] for row in rows},
        role=Role.SUPERVISOR,
        is_active=True,
        user__is_active=True,
    ).values_list("organization_id", "user_id"):
        supervisors.setdefault(organization_id, set()).add(user_id)
    told: set[int] = set()
    notifications = []
    for pk, _status, organization_id, sender_id in rows:
        for user_id in supervisors.get(organization_id, set()) | {sender_id}:
            told.add(user_id)
            notifications.append(
                Notification(
                    user_id=user_id,
                    referral_id=pk,
                    status=Status.EXPIRED,
                    created_at=now,
                )
            )
    Notification.objects.bulk_create(notifications, batch_size=2000)
    mail_on_commit(list(told), None)


# --- Reminders ------------------------------------------------------------------


@transaction.atomic
def referrals_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind the recipient side of referrals whose respond-by date is
    tomorrow and that are still unanswered, once per referral.

    Members of the recipient organisation get a notification and an email;
    a recipient outside the platform gets an email at its link's address
    (no link: its link may be used up; the sender can issue a new one).
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    due = list(
        Referral.objects.select_for_update()
        .filter(status__in=AWAITING, respond_by=tomorrow, reminded_at__isnull=True)
        .select_related("sent_by")
    )
    if not due:
        return 0
    Referral.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    external_addresses: list[str] = []
    for referral in due:
        audit_event_record(
            actor=None,
            action="referral.reminded",
            target=referral,
            organization=referral.sender_organization,
            details={"respond_by": referral.respond_by.isoformat()},
        )
        if referral.is_external:
            external_addresses.append(referral.external_email)
            continue
        users = side_members(referral, RECIPIENT)
        Notification.objects.bulk_create(
            Notification(user=user, referral=referral, status=referral.status)
            for user in users
        )
        mail_on_commit([user.pk for user in users if user.email], referral.pk)
    if external_addresses:
        reminder_mail_on_commit(external_addresses)
    return len(due)
