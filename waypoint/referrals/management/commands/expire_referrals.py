"""Expire the referrals left unanswered after their respond-by date.

Schedule it daily (cron, a systemd timer or the task worker).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from waypoint.referrals.services import referrals_expire


class Command(BaseCommand):
    help = (
        "Expire referrals still awaiting an answer after their respond-by date; "
        "the senders and their supervisors are told."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        count = referrals_expire()
        self.stdout.write(f"expired={count}")
