"""Notifications, expiry and reminders run on Django's tasks framework."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from waypoint.accounts.models import User
from waypoint.referrals import services, tasks
from waypoint.referrals.models import Notification, Referral, Status

pytestmark = pytest.mark.django_db


def test_expiry_and_reminders_are_registered_as_periodic_tasks() -> None:
    periodic = settings.WAYPOINT_PERIODIC_TASKS
    assert periodic["waypoint.referrals.tasks.referrals_expire_task"] == 300
    assert periodic["waypoint.referrals.tasks.referrals_remind_task"] == 24 * 3600


def test_the_expiry_task_expires_overdue_referrals(referral: Referral) -> None:
    Referral.objects.filter(pk=referral.pk).update(respond_by=datetime.date(2026, 1, 1))
    result = tasks.referrals_expire_task.enqueue()
    assert result.return_value == 1
    referral.refresh_from_db()
    assert referral.status == Status.EXPIRED


def test_the_recipient_is_reminded_once_the_day_before_the_respond_by_date(
    referral: Referral,
    caseworker_b: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Referral.objects.filter(pk=referral.pk).update(respond_by=tomorrow)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        first = tasks.referrals_remind_task.enqueue()
    assert first.return_value == 1
    assert [m.to for m in mail.outbox] == [[caseworker_b.email]]
    assert (
        Notification.objects.filter(user=caseworker_b, referral=referral).count() == 2
    )
    with django_capture_on_commit_callbacks(execute=True):
        again = tasks.referrals_remind_task.enqueue()
    assert again.return_value == 0
    assert len(mail.outbox) == 1


def test_an_answered_referral_is_not_reminded(
    referral: Referral, caseworker_b: User
) -> None:
    services.referral_accept(actor=caseworker_b, referral=referral)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    Referral.objects.filter(pk=referral.pk).update(respond_by=tomorrow)
    assert tasks.referrals_remind_task.enqueue().return_value == 0


def test_a_notification_email_is_a_task_with_ids_only(
    referral: Referral,
    caseworker_a: User,
    caseworker_b: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_accept(actor=caseworker_b, referral=referral)
    assert caseworker_a.email in [m.to[0] for m in mail.outbox]
    assert referral.get_absolute_url() in mail.outbox[0].body


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_the_task_is_stored_then_run_by_the_worker(
    field_keys: None, caseworker_a: User, caseworker_b: User
) -> None:
    from django_tasks_db.models import DBTaskResult

    with override_settings(
        TASKS={
            "default": {
                "BACKEND": "django_tasks_db.DatabaseBackend",
                "QUEUES": ["default"],
            }
        }
    ):
        mail.outbox.clear()
        tasks.referral_notify_mail.enqueue(
            user_ids=[caseworker_a.pk, caseworker_b.pk], referral_id=None
        )
        stored = DBTaskResult.objects.get()
        assert stored.args_kwargs["kwargs"]["user_ids"] == [
            caseworker_a.pk,
            caseworker_b.pk,
        ]
        assert mail.outbox == []
        call_command("db_worker", "--batch", "--no-startup-delay")
        stored.refresh_from_db()
        assert stored.status == "SUCCESSFUL"
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [caseworker_a.email, caseworker_b.email]
    )
