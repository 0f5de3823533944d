"""The emails to participants, written in the language they registered in.

Each is sent by one of the tasks below, which the participant services
enqueue once the change that caused it was committed (arguments are
registration ids only: the task table is not encrypted), once per task
whatever the number of runs (``email_send_once``). They go only to
the participant's own address, carry the event's details and a link with a
fresh token, and nothing about anyone else.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.tasks import TaskContext, task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from waypoint.accounts.services import email_send_once
from waypoint.activities.certificates import certificate_filename, certificate_pdf
from waypoint.activities.models import Registration
from waypoint.lib.pdf import PDF_TYPE
from waypoint.lib.tokens import token_new
from waypoint.lib.urls import absolute_url

# --- Tokens for the links in the emails -------------------------------------------


@transaction.atomic
def cancel_token_issue(*, registration_id: uuid.UUID | str) -> tuple[Registration, str]:
    """A new cancellation link's token for a live registration; the link in
    any earlier message stops working."""
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    token, hashed = token_new()
    if (
        registration.status != Registration.Status.CANCELLED
        and registration.anonymised_at is None
    ):
        registration.cancel_token_hash = hashed
        registration.save(update_fields=["cancel_token_hash"])
    return registration, token


@transaction.atomic
def feedback_token_issue(
    *, registration_id: uuid.UUID | str
) -> tuple[Registration, str]:
    registration = Registration.objects.select_related("event").get(pk=registration_id)
    token, hashed = token_new()
    registration.feedback_token_hash = hashed
    registration.save(update_fields=["feedback_token_hash"])
    return registration, token


# --- The emails ---------------------------------------------------------------------


def _message(
    registration: Registration,
    *,
    subject: str,
    template: str,
    context: dict[str, Any],
    attachment: tuple[str, bytes, str] | None = None,
) -> EmailMessage:
    event = registration.event
    title = str(event.translated("title", registration.language))
    context = {
        "LANGUAGE_CODE": registration.language,
        "registration": registration,
        "event": event,
        "event_link": absolute_url(event.get_absolute_url()),
        **context,
    }
    body = render_to_string(f"activities/email/{template}", context)
    message = EmailMessage(
        f"{subject}: {title}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [registration.email],
    )
    if attachment is not None:
        message.attach(*attachment)
    return message


def _live(registration: Registration) -> bool:
    return bool(registration.email) and registration.anonymised_at is None


def _send_once(key: str, name: str, compose: Callable[[], EmailMessage | None]) -> bool:
    """Compose and send under the task run's key: a second run of the same
    task sends nothing and issues no new token (the link already sent keeps
    working)."""
    return email_send_once(actor=f"task:{name}", key=key, compose=compose)


def _cancel_link(token: str) -> str:
    return absolute_url(
        reverse("activities:registration_cancel", kwargs={"token": token})
    )


def registration_confirmation_send(*, registration_id: str, key: str) -> bool:
    """Confirmation (or waiting-list notice) with a cancellation link."""

    def compose() -> EmailMessage | None:
        registration, token = cancel_token_issue(registration_id=registration_id)
        if (
            not _live(registration)
            or registration.status == Registration.Status.CANCELLED
        ):
            return None
        with translation.override(registration.language):
            confirmed = registration.status == Registration.Status.CONFIRMED
            return _message(
                registration,
                subject=_("Registration confirmed")
                if confirmed
                else _("On the waiting list"),
                template="registration.txt",
                context={
                    "cancel_link": _cancel_link(token),
                    "retention_days": settings.WAYPOINT_REGISTRATION_RETENTION_DAYS,
                },
            )

    return _send_once(key, "registration_confirmation", compose)


def registration_promoted_send(*, registration_id: str, key: str) -> bool:
    def compose() -> EmailMessage | None:
        registration, token = cancel_token_issue(registration_id=registration_id)
        if (
            not _live(registration)
            or registration.status != Registration.Status.CONFIRMED
        ):
            return None
        with translation.override(registration.language):
            return _message(
                registration,
                subject=_("A place for you"),
                template="promoted.txt",
                context={"cancel_link": _cancel_link(token)},
            )

    return _send_once(key, "registration_promoted", compose)


def certificate_send(*, registration_id: str, key: str) -> bool:
    def compose() -> EmailMessage | None:
        registration = Registration.objects.select_related("event__organiser").get(
            pk=registration_id
        )
        if not _live(registration) or registration.certificate_issued_at is None:
            return None
        with translation.override(registration.language):
            return _message(
                registration,
                subject=_("Certificate of attendance"),
                template="certificate.txt",
                context={},
                attachment=(
                    certificate_filename(registration),
                    certificate_pdf(registration),
                    PDF_TYPE,
                ),
            )

    return _send_once(key, "certificate_send", compose)


def feedback_request_send(*, registration_id: str, key: str) -> bool:
    def compose() -> EmailMessage | None:
        registration, token = feedback_token_issue(registration_id=registration_id)
        if not _live(registration) or not registration.attended:
            return None
        with translation.override(registration.language):
            link = reverse("activities:feedback", kwargs={"token": token})
            return _message(
                registration,
                subject=_("Your feedback"),
                template="feedback.txt",
                context={"feedback_link": absolute_url(link)},
            )

    return _send_once(key, "feedback_request", compose)


# --- The tasks that send them ---------------------------------------------------
# Each passes its run's id as the emails' idempotency key.


@task(takes_context=True)
def registration_confirmation_task(
    context: TaskContext[..., bool], registration_id: str
) -> bool:
    return registration_confirmation_send(
        registration_id=registration_id, key=str(context.task_result.id)
    )


@task(takes_context=True)
def registration_promoted_task(
    context: TaskContext[..., bool], registration_id: str
) -> bool:
    return registration_promoted_send(
        registration_id=registration_id, key=str(context.task_result.id)
    )


@task(takes_context=True)
def certificate_send_task(
    context: TaskContext[..., bool], registration_id: str
) -> bool:
    return certificate_send(
        registration_id=registration_id, key=str(context.task_result.id)
    )


@task(takes_context=True)
def feedback_request_task(
    context: TaskContext[..., bool], registration_id: str
) -> bool:
    return feedback_request_send(
        registration_id=registration_id, key=str(context.task_result.id)
    )
