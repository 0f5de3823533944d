"""The periodic tasks of the activities (enqueued by the scheduler, run by
the task worker): the retention of registrations and the feedback requests.
The emails to participants are tasks of ``services.mail``.
"""

from __future__ import annotations

from django.tasks import task

from waypoint.activities.services import mail
from waypoint.activities.services.participants import (
    feedback_requests_due,
    registrations_anonymise,
)

# Tasks queued before the emails moved to ``services.mail`` name this module.
registration_confirmation_task = mail.registration_confirmation_task
registration_promoted_task = mail.registration_promoted_task
certificate_send_task = mail.certificate_send_task
feedback_request_task = mail.feedback_request_task


@task
def registrations_anonymise_task() -> int:
    """Anonymise registrations past the retention period (daily)."""
    return registrations_anonymise()


@task
def feedback_requests_due_task() -> int:
    """Ask the attendees of events that just ended for feedback."""
    return feedback_requests_due()
