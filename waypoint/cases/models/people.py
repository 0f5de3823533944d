"""The people assisted and their possible duplicates."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.cases.models.base import USER
from waypoint.lib.countries import COUNTRY_CHOICES
from waypoint.lib.crypto import EncryptedDateField, EncryptedTextField

# --- People ---


class Gender(models.TextChoices):
    FEMALE = "female", _("female")
    MALE = "male", _("male")
    OTHER = "other", _("other")
    UNDISCLOSED = "undisclosed", _("not disclosed")


class AgeBand(models.TextChoices):
    CHILD = "0-17", _("under 18")
    YOUNG = "18-24", _("18 to 24")
    ADULT = "25-34", _("25 to 34")
    MIDDLE = "35-49", _("35 to 49")
    OLDER = "50+", _("50 and over")
    UNKNOWN = "unknown", _("unknown")


class CodeCounter(models.Model):
    """The last number given in a person code, per organisation and year."""

    organization = models.ForeignKey(
        "accounts.MemberOrganization", on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="cases_codecounter_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}/{self.year}: {self.last}"


class Person(models.Model):
    """A person assisted by a member organisation, known in Waypoint by a code."""

    organization = models.ForeignKey(
        "accounts.MemberOrganization",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    # Unique within the organisation: two members in one country both count
    # from 00001.
    code = models.CharField(_("code"), max_length=32, editable=False)
    given_name = EncryptedTextField(_("given name"), max_length=200)
    family_name = EncryptedTextField(_("family name"), max_length=200, blank=True)
    birth_date = EncryptedDateField(_("date of birth"), null=True, blank=True)
    contact_details = EncryptedTextField(
        _("contact details"), max_length=2000, blank=True
    )
    identity_documents = EncryptedTextField(
        _("identity document numbers"), max_length=1000, blank=True
    )
    nationality = models.CharField(
        _("nationality"), max_length=2, choices=COUNTRY_CHOICES, blank=True
    )
    languages = models.JSONField(_("languages spoken"), default=list, blank=True)
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    gender = models.CharField(
        _("gender"), max_length=16, choices=Gender.choices, default=Gender.UNDISCLOSED
    )
    age_band = models.CharField(
        _("age band"), max_length=8, choices=AgeBand.choices, default=AgeBand.UNKNOWN
    )
    disability_needs = models.CharField(
        _("disability needs"), max_length=300, blank=True
    )
    # HMAC of the full name (waypoint.lib.crypto.blind_index): finds possible
    # duplicates within the organisation without decrypting anything.
    name_index = models.CharField(max_length=64, db_index=True, editable=False)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    created_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, related_name="+", verbose_name=_("created by")
    )
    # Set when the personal data was erased (request or retention policy); the
    # clear statistical fields and the case types stay for the statistics.
    anonymised_at = models.DateTimeField(_("anonymised"), null=True, blank=True)

    class Meta:
        verbose_name = _("person assisted")
        verbose_name_plural = _("people assisted")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "code"], name="cases_person_code_once"
            )
        ]

    def __str__(self) -> str:
        return self.code


class DuplicateStatus(models.TextChoices):
    FLAGGED = "flagged", _("flagged")
    LINKED = "linked", _("linked: the same person")
    DISMISSED = "dismissed", _("dismissed: different people")


class PossibleDuplicate(models.Model):
    """Two records of one organisation that may be the same person.

    Flagged when a record is created with the same name as an earlier one;
    a caseworker links or dismisses the pair. Records are never merged.
    """

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=DuplicateStatus.choices,
        default=DuplicateStatus.FLAGGED,
    )
    flagged_at = models.DateTimeField(_("flagged"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "other"], name="cases_duplicate_pair_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id} ~ {self.other_id}"


class RetentionPolicy(models.Model):
    """How long an organisation keeps the personal data of the people assisted.

    A person whose cases are all closed for longer than
    ``anonymise_after_years`` is anonymised by the scheduled
    ``apply_retention`` command.
    """

    organization = models.OneToOneField(
        "accounts.MemberOrganization",
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="retention_policy",
    )
    anonymise_after_years = models.PositiveSmallIntegerField(
        _("anonymise after (years after closure)")
    )
    updated_at = models.DateTimeField(_("updated"), default=timezone.now)
    updated_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("retention policy")
        verbose_name_plural = _("retention policies")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(anonymise_after_years__gte=1),
                name="cases_retention_at_least_a_year",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id}: {self.anonymise_after_years}"
