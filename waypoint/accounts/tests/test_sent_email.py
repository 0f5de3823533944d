"""An email sent under an idempotency key goes out once, however many times
the task that sends it runs."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.mail import EmailMessage

from waypoint.accounts.models import SentEmail
from waypoint.accounts.services import email_send_once

pytestmark = pytest.mark.django_db


def _message() -> EmailMessage:
    return EmailMessage("Subject", "Body", "from@example.org", ["to@example.org"])


def test_a_second_run_under_the_same_key_sends_nothing() -> None:
    assert email_send_once(actor="task:t", key="run-1:user:7", compose=_message) is True
    assert (
        email_send_once(actor="task:t", key="run-1:user:7", compose=_message) is False
    )
    assert email_send_once(actor="task:t", key="run-2:user:7", compose=_message) is True
    assert len(mail.outbox) == 2
    assert SentEmail.objects.filter(key="run-1:user:7", actor="task:t").exists()


def test_the_message_is_not_composed_again_for_a_repeat() -> None:
    """A repeat issues no new link token: the link already sent keeps working."""
    composed: list[str] = []

    def compose() -> EmailMessage:
        composed.append("token")
        return _message()

    email_send_once(actor="task:t", key="k", compose=compose)
    email_send_once(actor="task:t", key="k", compose=compose)
    assert composed == ["token"]


def test_a_failed_send_leaves_no_key_so_the_next_run_sends() -> None:
    def broken() -> EmailMessage:
        raise ConnectionRefusedError("mail server down")

    with pytest.raises(ConnectionRefusedError):
        email_send_once(actor="task:t", key="k", compose=broken)
    assert not SentEmail.objects.exists()
    assert email_send_once(actor="task:t", key="k", compose=_message) is True


def test_nothing_to_send_leaves_no_key() -> None:
    assert email_send_once(actor="task:t", key="k", compose=lambda: None) is False
    assert not SentEmail.objects.exists()
    assert mail.outbox == []
