"""Background work of the activities: the participants' emails and the
retention of registrations. Arguments are registration ids only."""

from __future__ import annotations

from django.tasks import task

from waypoint.activities import mail
from waypoint.activities.services.participants import (
    feedback_requests_due,
    registrations_anonymise,
)


@task
def registration_confirmation_task(registration_id: str) -> bool:
    return mail.registration_confirmation_send(registration_id=registration_id)


@task
def registration_promoted_task(registration_id: str) -> bool:
    return mail.registration_promoted_send(registration_id=registration_id)


@task
def certificate_send_task(registration_id: str) -> bool:
    return mail.certificate_send(registration_id=registration_id)


@task
def feedback_request_task(registration_id: str) -> bool:
    return mail.feedback_request_send(registration_id=registration_id)


@task
def registrations_anonymise_task() -> int:
    """Anonymise registrations past the retention period (daily)."""
    return registrations_anonymise()


@task
def feedback_requests_due_task() -> int:
    """Ask the attendees of events that just ended for feedback."""
    return feedback_requests_due()
