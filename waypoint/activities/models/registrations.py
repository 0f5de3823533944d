"""Registrations of participants: online registration, attendance, feedback.

Professionals register for an event on its public page; coordinators mark
who attended, which makes the event's counts and, for teaching formats,
certificates; attendees may then give anonymous feedback. Registrations
are anonymised some time after the event.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.activities.models.base import language_list_validate, new_id
from waypoint.activities.models.events import Event, EventType, ParticipantProfession
from waypoint.lib.countries import COUNTRY_CHOICES

# --- Registrations of participants (online registration, attendance) ---


class InstitutionType(models.TextChoices):
    COURT = "court", _("Court")
    PROSECUTION = "prosecution", _("Prosecutor's office")
    POLICE = "police", _("Police or border police")
    BAR = "bar", _("Bar association or law firm")
    PUBLIC_AUTHORITY = "public-authority", _("Ministry or public authority")
    SOCIAL_SERVICES = "social-services", _("Social services")
    HEALTH = "health", _("Health service")
    NGO = "ngo", _("Non-governmental organisation")
    INTERNATIONAL = "international", _("International organisation")
    ACADEMIA = "academia", _("University or research institute")
    OTHER = "other", _("Other")


# Events whose attendees receive a certificate of attendance: the formats where
# people are taught, not those where they confer (conferences, meetings).
CERTIFICATE_EVENT_TYPES = frozenset(
    {
        EventType.TRAINING,
        EventType.WORKSHOP,
        EventType.SEMINAR,
        EventType.EXCHANGE_SEMINAR,
    }
)


class Registration(models.Model):
    """A professional's registration for an event, kept for the attendance
    list, the certificate and the event's statistics, then anonymised
    ``REGISTRATION_RETENTION_DAYS`` after the event (name, email and
    institution cleared; profession, country and attendance kept).

    The links in the emails carry random tokens of which only hashes are
    stored. ``__str__`` never shows the name.
    """

    class Status(models.TextChoices):
        CONFIRMED = "confirmed", _("confirmed")
        WAITING = "waiting", _("on the waiting list")
        CANCELLED = "cancelled", _("cancelled")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="registrations",
    )
    name = models.CharField(_("full name"), max_length=200)
    email = models.EmailField(_("email address"))
    institution = models.CharField(_("institution"), max_length=300)
    institution_type = models.CharField(
        _("type of institution"), max_length=20, choices=InstitutionType.choices
    )
    profession = models.CharField(
        _("profession"), max_length=24, choices=ParticipantProfession.choices
    )
    country = models.CharField(_("country"), max_length=2, choices=COUNTRY_CHOICES)
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[language_list_validate]
    )
    consent_at = models.DateTimeField(_("consent given"))
    # The page's language at registration: the emails are written in it.
    language = models.CharField(_("language"), max_length=8, default="en")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.CONFIRMED
    )
    created_at = models.DateTimeField(_("registered"), default=timezone.now)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    attended = models.BooleanField(_("attended"), default=False)
    certificate_issued_at = models.DateTimeField(
        _("certificate issued"), null=True, blank=True
    )
    cancel_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    feedback_token_hash = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    feedback_requested_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["created_at", "id"]
        constraints = [
            # One live registration per address and event; a cancelled one
            # does not stop the person from registering again.
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=models.Q(anonymised_at__isnull=True)
                & ~models.Q(status="cancelled"),
                name="activities_registration_once",
            )
        ]
        indexes = [models.Index(fields=["event", "status", "created_at"])]

    def __str__(self) -> str:
        return f"registration {self.pk}"


class Feedback(models.Model):
    """An attendee's anonymous feedback on an event.

    Deliberately not linked to the registration, and dated to the day only,
    so that an answer cannot be traced back to the person who gave it.
    """

    RATINGS = [(n, str(n)) for n in range(1, 6)]

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="feedback",
    )
    usefulness = models.PositiveSmallIntegerField(_("usefulness"), choices=RATINGS)
    organisation = models.PositiveSmallIntegerField(_("organisation"), choices=RATINGS)
    improve = models.TextField(_("what to improve"), blank=True, max_length=2000)
    submitted_on = models.DateField(_("submitted"), default=timezone.localdate)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-submitted_on", "id"]

    def __str__(self) -> str:
        return f"feedback {self.pk}"
