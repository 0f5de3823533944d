"""Events and their aggregate attendance.

An event is the organisation's own (of a project or not) or one of others
that it took part in; its attendance is kept as counts by profession,
country and kind of institution (``ParticipantCount``), whether recorded
from a past report or made from the registrations of online sign-up.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waypoint.activities.models.base import (
    country_list_validate,
    language_list_validate,
    new_id,
)
from waypoint.activities.models.projects import Project
from waypoint.directory.models import Organization, Translatable
from waypoint.lib.countries import COUNTRY_CHOICES

# --- Events ---


class EventType(models.TextChoices):
    SEMINAR = "seminar", _("Seminar")
    CONFERENCE = "conference", _("Conference")
    LOCAL_CONFERENCE = "local-conference", _("Local conference")
    FINAL_CONFERENCE = "final-conference", _("Final conference")
    WORKSHOP = "workshop", _("Workshop")
    TRAINING = "training", _("Training")
    EXPERTS_MEETING = "experts-meeting", _("Experts meeting")
    WORKING_GROUP = "working-group", _("Working group")
    CASE_CONFERENCE = "case-conference", _("Case conference")
    EXCHANGE_SEMINAR = "exchange-seminar", _("Exchange seminar")
    NETWORK_MEETING = "network-meeting", _("Network meeting")


class ParticipantProfession(models.TextChoices):
    LAWYER = "lawyer", _("lawyers")
    PROSECUTOR = "prosecutor", _("prosecutors")
    JUDGE = "judge", _("judges")
    POLICE_OFFICER = "police-officer", _("police officers")
    SOCIAL_WORKER = "social-worker", _("social workers")
    PSYCHOLOGIST = "psychologist", _("psychologists")
    LEGAL_POLICY_OFFICER = "legal-policy-officer", _("legal and policy officers")
    CONSULTANT = "consultant", _("migration and human rights consultants")
    LEGAL_EXPERT = "legal-expert", _("legal experts")
    MEDIATOR = "mediator", _("medical and cultural mediators")
    OTHER = "other", _("other professions")


def registration_settings_errors(
    *, start_date: date | None, capacity: int | None, deadline: date | None
) -> dict[str, Any]:
    """What is wrong with an event's registration settings, by field: the one
    rule for the staff event form, the participants page and the model."""
    errors: dict[str, Any] = {}
    if capacity is not None and capacity < 1:
        errors["capacity"] = _(
            "Give at least one place, or leave it empty for no limit."
        )
    if deadline is not None and start_date is not None and deadline > start_date:
        errors["registration_deadline"] = _(
            "The registration deadline comes after the first day of the event."
        )
    return errors


class Event(Translatable):
    TRANSLATED_FIELDS = ("title", "topics", "description", "speakers", "context")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    type = models.CharField(_("type"), max_length=20, choices=EventType.choices)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        help_text=_("Empty for events of others that the organisation took part in."),
    )
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("first day"))
    end_date = models.DateField(_("last day"), null=True, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(
        _("country"), max_length=2, choices=COUNTRY_CHOICES, blank=True
    )
    venue = models.CharField(_("venue"), max_length=300, blank=True)
    online = models.BooleanField(_("online"), default=False)
    organiser = models.ForeignKey(
        Organization,
        verbose_name=_("organiser"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organised_events",
    )
    participating_organizations = models.ManyToManyField(
        Organization,
        verbose_name=_("organisations taking part"),
        blank=True,
        related_name="attended_events",
        help_text=_("For events of others: whose activity report it belongs in."),
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[language_list_validate]
    )
    topics = models.TextField(_("topics"), blank=True)
    speakers = models.TextField(_("trainers and speakers"), blank=True)
    description = models.TextField(_("description"), blank=True)
    context = models.TextField(
        _("context"),
        blank=True,
        help_text=_("The project or network of others that the event belonged to."),
    )
    # Online registration (see participants.py): off for the recorded events
    # of the past, whose attendance is kept only as aggregate counts.
    registration_open = models.BooleanField(_("registration open"), default=False)
    capacity = models.PositiveIntegerField(
        _("places"),
        null=True,
        blank=True,
        help_text=_("Empty for no limit; when full, people join a waiting list."),
    )
    registration_deadline = models.DateField(
        _("registration deadline"),
        null=True,
        blank=True,
        help_text=_("The last day to register; empty: until the first day."),
    )

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["start_date", "title"]
        indexes = [models.Index(fields=["start_date"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date.isoformat()})"

    def get_absolute_url(self) -> str:
        return reverse("activities:event", kwargs={"pk": self.pk})

    def clean(self) -> None:
        errors = registration_settings_errors(
            start_date=self.start_date,
            capacity=self.capacity,
            deadline=self.registration_deadline,
        )
        if self.end_date and self.start_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end comes before the start.")
        if errors:
            raise ValidationError(errors)

    @property
    def last_day(self) -> date:
        return self.end_date or self.start_date

    # The helpers below read ``participant_counts`` through ``.all()`` so that
    # a prefetched list answers them without a query per event.
    def _counts(self, dimension: str) -> list[ParticipantCount]:
        return [c for c in self.participant_counts.all() if c.dimension == dimension]

    @property
    def participants_total(self) -> int | None:
        totals = self._counts(ParticipantCount.Dimension.TOTAL)
        return totals[0].count if totals else None

    @property
    def participant_professions(self) -> list[ParticipantCount]:
        return self._counts(ParticipantCount.Dimension.PROFESSION)

    @property
    def participant_countries(self) -> list[ParticipantCount]:
        return self._counts(ParticipantCount.Dimension.COUNTRY)

    @property
    def participant_institutions(self) -> list[ParticipantCount]:
        return self._counts(ParticipantCount.Dimension.INSTITUTION)


class ParticipantCount(models.Model):
    """Aggregate attendance of an event, where no registrations were kept.

    One row holds the total; others name a profession, a country or a kind of
    institution that was present. ``count`` is empty when the source says who
    came but not how many.
    """

    class Dimension(models.TextChoices):
        TOTAL = "total", _("total")
        PROFESSION = "profession", _("profession")
        COUNTRY = "country", _("country")
        INSTITUTION = "institution", _("institution")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    event = models.ForeignKey(
        Event,
        verbose_name=_("event"),
        on_delete=models.CASCADE,
        related_name="participant_counts",
    )
    dimension = models.CharField(
        _("counted by"), max_length=12, choices=Dimension.choices
    )
    code = models.CharField(
        _("profession, country or institution"), max_length=200, blank=True
    )
    count = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("participant count")
        verbose_name_plural = _("participant counts")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "dimension", "code"], name="activities_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.dimension}:{self.code}={self.count}"

    def clean(self) -> None:
        if self.dimension == self.Dimension.TOTAL and (self.code or self.count is None):
            raise ValidationError(_("A total has a count and no code."))
        if self.dimension == self.Dimension.PROFESSION and (
            self.code not in ParticipantProfession.values
        ):
            raise ValidationError({"code": _("Choose a known profession.")})
        if self.dimension == self.Dimension.COUNTRY:
            country_list_validate([self.code])

    @property
    def label(self) -> str:
        if self.dimension == self.Dimension.PROFESSION:
            return str(ParticipantProfession(self.code).label)
        return self.code
