"""Reads about registrations, scoped to who asks.

Registrations are personal data of professionals: only the managers of the
organising member organisation (event coordinators and organisation
administrators, ``access.may_manage_participants``: the rule of the staff
pages) and platform administrators see them; anyone else gets a 404.
The public sees only how many places are left.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Avg, Case, Count, IntegerField, QuerySet, Value, When
from django.http import Http404

from waypoint.accounts.selectors import AnyUser
from waypoint.activities.access import may_manage_participants
from waypoint.activities.models import (
    CERTIFICATE_EVENT_TYPES,
    Event,
    Feedback,
    Registration,
)


def event_get_for_coordinator(*, user: AnyUser, pk: uuid.UUID) -> Event:
    """The event, if the user may manage its participants; 404 otherwise."""
    event = Event.objects.select_related("organiser").filter(pk=pk).first()
    if event is None or not may_manage_participants(user, event):
        raise Http404("No such event")
    return event


def registration_get_for_coordinator(*, user: AnyUser, pk: uuid.UUID) -> Registration:
    registration = (
        Registration.objects.select_related("event__organiser").filter(pk=pk).first()
    )
    if registration is None or not may_manage_participants(user, registration.event):
        raise Http404("No such registration")
    return registration


def registrations_of(event: Event) -> QuerySet[Registration]:
    """Everyone who registered: confirmed first, then the waiting list in
    order, then cancellations."""
    order = {
        Registration.Status.CONFIRMED: 0,
        Registration.Status.WAITING: 1,
        Registration.Status.CANCELLED: 2,
    }
    return Registration.objects.filter(event=event).order_by(
        Case(
            *(When(status=s, then=Value(n)) for s, n in order.items()),
            output_field=IntegerField(),
        ),
        "created_at",
        "id",
    )


def places_left(event: Event) -> int | None:
    """Free places, or ``None`` when the event has no limit."""
    if event.capacity is None:
        return None
    confirmed = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED
    ).count()
    return max(event.capacity - confirmed, 0)


def registration_accepting(event: Event, *, today: date) -> bool:
    """Whether the public form takes registrations for this event today."""
    if not event.registration_open or event.start_date < today:
        return False
    return event.registration_deadline is None or today <= event.registration_deadline


def certificates_available(event: Event) -> bool:
    return event.type in CERTIFICATE_EVENT_TYPES


@dataclass
class FeedbackSummary:
    responses: int
    usefulness: float | None
    organisation: float | None
    usefulness_counts: list[tuple[int, int]] = field(default_factory=list)
    organisation_counts: list[tuple[int, int]] = field(default_factory=list)
    improvements: list[str] = field(default_factory=list)


def feedback_summary(event: Event) -> FeedbackSummary:
    """The event's feedback: averages, how many gave each rating, and the
    suggestions (newest first)."""
    rows = Feedback.objects.filter(event=event)
    totals = rows.aggregate(
        n=Count("id"), usefulness=Avg("usefulness"), organisation=Avg("organisation")
    )
    ratings = list(rows.values_list("usefulness", "organisation"))
    usefulness = Counter(u for u, _o in ratings)
    organisation = Counter(o for _u, o in ratings)
    return FeedbackSummary(
        responses=totals["n"],
        usefulness=totals["usefulness"],
        organisation=totals["organisation"],
        usefulness_counts=[(n, usefulness[n]) for n in range(5, 0, -1)],
        organisation_counts=[(n, organisation[n]) for n in range(5, 0, -1)],
        improvements=list(rows.exclude(improve="").values_list("improve", flat=True)),
    )
