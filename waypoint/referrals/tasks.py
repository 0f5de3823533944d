"""The periodic tasks of referrals (enqueued by the scheduler, run by the
task worker): expiry and reminders. The emails are tasks of ``services.mail``.
"""

from __future__ import annotations

import logging

from django.tasks import task

from waypoint.referrals.services import mail, referrals_expire, referrals_remind

logger = logging.getLogger(__name__)

# Tasks queued before the emails moved to ``services.mail`` name this module.
referral_notify_mail = mail.referral_notify_mail


@task
def referrals_expire_task() -> int:
    """Expire the referrals left unanswered after their respond-by date."""
    count = referrals_expire()
    logger.info("referrals: expired=%d", count)
    return count


@task
def referrals_remind_task() -> int:
    """Remind the recipient side of referrals due tomorrow (daily)."""
    count = referrals_remind()
    logger.info("referrals: reminded=%d", count)
    return count
