"""Registrations, attendance, certificates, feedback and their retention.

Every write here is atomic and leaves an ``AuditEvent`` holding ids and codes
only, never a name or an address. Emails go out from tasks enqueued after
commit, with the registration's id as their only argument; each email's link
carries a fresh random token of which only the hash is stored, so a link
exists only in the message sent.

Places: registrations of one event are serialised by locking the event row
(``select_for_update`` on PostgreSQL; on SQLite every transaction is
``IMMEDIATE``, so the write lock is taken before the places are counted).
Two people asking for the last place therefore cannot both get it.
"""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Coalesce
from django.tasks import Task
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import MemberOrganization, User
from waypoint.accounts.services import audit_event_record
from waypoint.activities.access import may_manage_participants
from waypoint.activities.models import (
    Event,
    Feedback,
    ParticipantCount,
    Registration,
)
from waypoint.activities.selectors import participants as selectors
from waypoint.activities.services import mail
from waypoint.activities.services.core import (
    activity_record_delete,
    activity_record_save,
)
from waypoint.lib.tokens import token_hash

Status = Registration.Status

# The dimensions that attendance replaces; counts by institution (names of
# institutions present) stay as they were recorded.
_DERIVED = (
    ParticipantCount.Dimension.TOTAL,
    ParticipantCount.Dimension.PROFESSION,
    ParticipantCount.Dimension.COUNTRY,
)

# After this many days past an event, attendees are no longer asked for
# feedback automatically (the periodic task catches up at most this far).
FEEDBACK_WINDOW_DAYS = 14


def event_member_organization(event: Event) -> MemberOrganization | None:
    if event.organiser_id is None:
        return None
    return MemberOrganization.objects.filter(organization_id=event.organiser_id).first()


def _audit(
    *,
    actor: User | None,
    action: str,
    target: Registration | Event,
    event: Event,
    details: dict[str, Any] | None = None,
) -> None:
    audit_event_record(
        actor=actor,
        action=action,
        target=target,
        organization=event_member_organization(event),
        details=details,
    )


def _enqueue(task: Task[[str], bool], registration_id: uuid.UUID) -> None:
    """Send the email once the change that causes it has committed."""
    ident = str(registration_id)
    transaction.on_commit(lambda: task.enqueue(ident))


def _locked(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _confirmed_count(event: Event) -> int:
    return Registration.objects.filter(event=event, status=Status.CONFIRMED).count()


def _has_place(event: Event) -> bool:
    return event.capacity is None or _confirmed_count(event) < event.capacity


# --- Registration ----------------------------------------------------------------


@dataclass(frozen=True)
class RegistrationData:
    """What the public form collects: the minimum for the attendance list,
    the certificate and the event's statistics."""

    name: str
    email: str
    institution: str
    institution_type: str
    profession: str
    country: str
    languages: Sequence[str] = ()
    consent: bool = False
    language: str = "en"


def _normalised_email(email: str) -> str:
    return email.strip().lower()


@transaction.atomic
def registration_create(
    *, event: Event, data: RegistrationData, today: date | None = None
) -> Registration:
    """Register someone: confirmed while places remain, then on the waiting list.

    Raises ``ValidationError`` (naming the field) when registration is closed,
    consent is missing or the address is already registered for the event.
    """
    today = today or timezone.localdate()
    event = _locked(event)
    if not selectors.registration_accepting(event, today=today):
        raise ValidationError(_("Registration for this event is closed."))
    if not data.consent:
        raise ValidationError(
            {"consent": _("Registration needs your consent to keep these details.")}
        )
    email = _normalised_email(data.email)
    duplicate = _("This email address is already registered for this event.")
    if (
        Registration.objects.filter(event=event, email=email, anonymised_at=None)
        .exclude(status=Status.CANCELLED)
        .exists()
    ):
        raise ValidationError({"email": duplicate})
    registration = Registration(
        event=event,
        name=data.name.strip(),
        email=email,
        institution=data.institution.strip(),
        institution_type=data.institution_type,
        profession=data.profession,
        country=data.country,
        languages=list(data.languages),
        consent_at=timezone.now(),
        language=data.language[:8],
        status=Status.CONFIRMED if _has_place(event) else Status.WAITING,
    )
    registration.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            registration.save(force_insert=True)
    except IntegrityError as exc:  # the unique constraint: a double submission
        raise ValidationError({"email": duplicate}) from exc
    _audit(
        actor=None,
        action="registration.created",
        target=registration,
        event=event,
        details={"status": registration.status},
    )
    _enqueue(mail.registration_confirmation_task, registration.pk)
    return registration


def _promote(event: Event) -> list[Registration]:
    """Move people from the waiting list, oldest first, into free places.

    The caller holds the event's lock."""
    promoted: list[Registration] = []
    while _has_place(event):
        waiting = (
            Registration.objects.filter(event=event, status=Status.WAITING)
            .order_by("created_at", "id")
            .first()
        )
        if waiting is None:
            break
        waiting.status = Status.CONFIRMED
        waiting.save(update_fields=["status"])
        _audit(
            actor=None,
            action="registration.promoted",
            target=waiting,
            event=event,
        )
        _enqueue(mail.registration_promoted_task, waiting.pk)
        promoted.append(waiting)
    return promoted


def _cancel(registration: Registration, *, actor: User | None) -> Registration:
    event = _locked(registration.event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status == Status.CANCELLED:
        return registration
    registration.status = Status.CANCELLED
    registration.cancelled_at = timezone.now()
    registration.cancel_token_hash = None
    registration.attended = False
    registration.save(
        update_fields=["status", "cancelled_at", "cancel_token_hash", "attended"]
    )
    _audit(
        actor=actor,
        action="registration.cancelled",
        target=registration,
        event=event,
        details={"by": "staff" if actor else "participant"},
    )
    if event.start_date >= timezone.localdate():
        _promote(event)
    return registration


def registration_get_by_cancel_token(*, token: str) -> Registration | None:
    return (
        Registration.objects.select_related("event")
        .filter(cancel_token_hash=token_hash(token), anonymised_at=None)
        .exclude(status=Status.CANCELLED)
        .first()
    )


@transaction.atomic
def registration_cancel_by_token(*, token: str) -> Registration | None:
    """The participant cancels through the link in their email.

    Returns ``None`` when the link is unknown or already used."""
    registration = registration_get_by_cancel_token(token=token)
    if registration is None:
        return None
    return _cancel(registration, actor=None)


@transaction.atomic
def registration_cancel(*, actor: User, registration: Registration) -> Registration:
    if not may_manage_participants(actor, registration.event):
        raise PermissionDenied
    return _cancel(registration, actor=actor)


@transaction.atomic
def registration_settings_set(
    *,
    actor: User,
    event: Event,
    registration_open: bool,
    capacity: int | None,
    registration_deadline: date | None,
) -> Event:
    """Open or close registration, set the places and the deadline; places
    added move people up from the waiting list."""
    if not may_manage_participants(actor, event):
        raise PermissionDenied
    event = _locked(event)
    event.registration_open = registration_open
    event.capacity = capacity
    event.registration_deadline = registration_deadline
    event = activity_record_save(actor=actor, instance=event)
    if event.start_date >= timezone.localdate():
        _promote(event)
    return event


def event_has_registrations(event: Event) -> bool:
    """Whether the event's counts come from its attendance (any registration,
    even cancelled or anonymised, makes it so)."""
    return Registration.objects.filter(event=event).exists()


@transaction.atomic
def waiting_list_advance(*, event: Event) -> list[Registration]:
    """Confirm people from the waiting list into the places free now (after
    places were added on the staff event form), for events still to come."""
    event = _locked(event)
    if event.start_date < timezone.localdate():
        return []
    return _promote(event)


# --- Attendance and the event's counts -----------------------------------------


@transaction.atomic
def attendance_set(
    *, actor: User, registration: Registration, attended: bool
) -> Registration:
    """Mark a confirmed participant present or absent, from the first day of
    the event on; the event's participant counts follow."""
    event = registration.event
    if not may_manage_participants(actor, event):
        raise PermissionDenied
    event = _locked(event)
    registration = Registration.objects.get(pk=registration.pk)
    if registration.status != Status.CONFIRMED:
        raise ValidationError(_("Only confirmed participants can attend."))
    if event.start_date > timezone.localdate():
        raise ValidationError(_("Attendance can be marked from the first day on."))
    if registration.attended != attended:
        registration.attended = attended
        registration.save(update_fields=["attended"])
        _audit(
            actor=actor,
            action="registration.attendance",
            target=registration,
            event=event,
            details={"attended": attended},
        )
        event_counts_from_attendance(actor=actor, event=event)
    return registration


@transaction.atomic
def event_counts_from_attendance(*, actor: User | str, event: Event) -> None:
    """Make the event's total and its counts by profession and country those
    of its attendees, so that the event page, the statistics and the annual
    report (which all read ``ParticipantCount``) show them.

    Events without registrations keep their recorded aggregate counts.
    """
    attendees = Registration.objects.filter(
        event=event, status=Status.CONFIRMED, attended=True
    )
    if not event_has_registrations(event):
        return
    rows = list(attendees.values_list("profession", "country"))
    wanted: dict[tuple[str, str], int] = {}
    if rows:
        wanted[(ParticipantCount.Dimension.TOTAL, "")] = len(rows)
        professions = Counter(p for p, _c in rows)
        countries = Counter(c for _p, c in rows)
        for code, n in sorted(professions.items(), key=lambda i: (-i[1], i[0])):
            wanted[(ParticipantCount.Dimension.PROFESSION, code)] = n
        for code, n in sorted(countries.items(), key=lambda i: (-i[1], i[0])):
            wanted[(ParticipantCount.Dimension.COUNTRY, code)] = n
    existing = {
        (row.dimension, row.code): row
        for row in ParticipantCount.objects.filter(event=event, dimension__in=_DERIVED)
    }
    for key, row in existing.items():
        if key not in wanted:
            activity_record_delete(actor=actor, instance=row)
    for position, ((dimension, code), count) in enumerate(wanted.items()):
        current = existing.get((dimension, code))
        row = ParticipantCount(
            id=current.pk if current else uuid.uuid4(),
            event=event,
            dimension=dimension,
            code=code,
            count=count,
            position=position,
        )
        activity_record_save(actor=actor, instance=row)


# --- Certificates ----------------------------------------------------------------


@transaction.atomic
def certificates_issue(*, actor: User, event: Event) -> int:
    """Issue certificates of attendance to the attendees who have none yet,
    and email each one theirs. Returns how many were issued."""
    if not may_manage_participants(actor, event):
        raise PermissionDenied
    if not selectors.certificates_available(event):
        raise ValidationError(
            _(
                "Certificates of attendance are given for trainings, workshops "
                "and seminars."
            )
        )
    event = _locked(event)
    due = list(
        Registration.objects.filter(
            event=event,
            status=Status.CONFIRMED,
            attended=True,
            certificate_issued_at=None,
            anonymised_at=None,
        )
    )
    now = timezone.now()
    for registration in due:
        registration.certificate_issued_at = now
        registration.save(update_fields=["certificate_issued_at"])
        _audit(
            actor=actor,
            action="registration.certificate_issued",
            target=registration,
            event=event,
        )
        _enqueue(mail.certificate_send_task, registration.pk)
    return len(due)


# --- Feedback --------------------------------------------------------------------


def _feedback_due(event: Event) -> Any:
    return Registration.objects.filter(
        event=event,
        status=Status.CONFIRMED,
        attended=True,
        feedback_requested_at=None,
        anonymised_at=None,
    )


@transaction.atomic
def feedback_requests_send(*, actor: User | None, event: Event) -> int:
    """Ask the attendees who were not asked yet for feedback, once the last
    day has come. Returns how many were asked."""
    if actor is not None and not may_manage_participants(actor, event):
        raise PermissionDenied
    if event.last_day > timezone.localdate():
        raise ValidationError(_("Feedback can be asked for from the last day on."))
    due = list(_feedback_due(event).select_for_update())
    now = timezone.now()
    for registration in due:
        registration.feedback_requested_at = now
        registration.save(update_fields=["feedback_requested_at"])
        _enqueue(mail.feedback_request_task, registration.pk)
    if due:
        _audit(
            actor=actor,
            action="event.feedback_requested",
            target=event,
            event=event,
            details={"count": len(due)},
        )
    return len(due)


def feedback_requests_due(*, today: date | None = None) -> int:
    """Ask the attendees of events that ended in the last
    ``FEEDBACK_WINDOW_DAYS`` days (the periodic task)."""
    today = today or timezone.localdate()
    since = today - timedelta(days=FEEDBACK_WINDOW_DAYS)
    events = (
        Event.objects.annotate(last=Coalesce("end_date", "start_date"))
        .filter(last__lte=today, last__gte=since)
        .filter(
            registrations__attended=True,
            registrations__feedback_requested_at=None,
            registrations__status=Status.CONFIRMED,
        )
        .distinct()
    )
    return sum(feedback_requests_send(actor=None, event=e) for e in events)


def feedback_registration_for_token(*, token: str) -> Registration | None:
    return (
        Registration.objects.select_related("event")
        .filter(feedback_token_hash=token_hash(token), attended=True)
        .first()
    )


@transaction.atomic
def feedback_submit(
    *, token: str, usefulness: int, organisation: int, improve: str
) -> Feedback | None:
    """Record one attendee's anonymous feedback; the link then stops working.

    The feedback row is not linked to the registration. Returns ``None`` when
    the link is unknown or was used."""
    registration = feedback_registration_for_token(token=token)
    if registration is None:
        return None
    updated = Registration.objects.filter(
        pk=registration.pk, feedback_token_hash=registration.feedback_token_hash
    ).update(feedback_token_hash=None)
    if updated != 1:  # the same link submitted twice at once
        return None
    feedback = Feedback(
        event=registration.event,
        usefulness=usefulness,
        organisation=organisation,
        improve=improve.strip(),
    )
    feedback.full_clean()
    feedback.save()
    return feedback


# --- Retention -------------------------------------------------------------------


@transaction.atomic
def registrations_anonymise(*, today: date | None = None) -> int:
    """Clear the names, addresses and institutions of registrations for
    events that ended more than ``WAYPOINT_REGISTRATION_RETENTION_DAYS`` ago.

    Profession, country, status and attendance stay, so do the event's
    counts. Running it again changes nothing. Returns how many were cleared.
    """
    today = today or timezone.localdate()
    days: int = settings.WAYPOINT_REGISTRATION_RETENTION_DAYS
    cutoff = today - timedelta(days=days)
    events = list(
        Event.objects.annotate(last=Coalesce("end_date", "start_date"))
        .filter(last__lt=cutoff)
        .filter(registrations__anonymised_at=None)
        .distinct()
    )
    total = 0
    now = timezone.now()
    for event in events:
        rows = Registration.objects.filter(event=event, anonymised_at=None)
        count = rows.update(
            name="",
            email="",
            institution="",
            languages=[],
            cancel_token_hash=None,
            feedback_token_hash=None,
            anonymised_at=now,
        )
        _audit(
            actor=None,
            action="registrations.anonymised",
            target=event,
            event=event,
            details={"count": count},
        )
        total += count
    return total


__all__ = [
    "FEEDBACK_WINDOW_DAYS",
    "RegistrationData",
    "attendance_set",
    "certificates_issue",
    "event_counts_from_attendance",
    "event_has_registrations",
    "feedback_registration_for_token",
    "feedback_requests_due",
    "feedback_requests_send",
    "feedback_submit",
    "registration_cancel",
    "registration_cancel_by_token",
    "registration_create",
    "registration_get_by_cancel_token",
    "registration_settings_set",
    "registrations_anonymise",
    "waiting_list_advance",
]
