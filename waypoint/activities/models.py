"""What the organisations do besides casework, and the annual report about it.

Projects and their partners, events with aggregate participant counts,
publications, awareness campaigns, the partner network and an organisation's
departments. Organisations are the directory's: a project's coordinator or an
event's organiser is a listing there, not a second copy.

Readable texts use the directory's ``Translatable`` mixin: the record's own
fields hold the text in its ``language`` and ``translations`` holds the others.
"""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.directory.models import Organization, Translatable
from waypoint.lib.countries import COUNTRY_CHOICES


def _new_id() -> uuid.UUID:
    return uuid.uuid4()


class DatePrecision(models.TextChoices):
    """How much of a stored date the source actually gives."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class FundingProgramme(models.TextChoices):
    JUSTICE = "justice", _("Justice Programme of the European Union")
    ISF_POLICE = "isf-police", _("Internal Security Fund Police of the European Union")
    REC = "rec", _("Rights, Equality and Citizenship Programme of the European Union")
    OTHER = "other", _("Other funding")


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    PARTNER = "partner", _("partner")
    ASSOCIATE = "associate", _("associate partner")


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


class PublicationType(models.TextChoices):
    STUDY = "study", _("Study")
    GUIDE = "guide", _("Guide")
    TOOLKIT = "toolkit", _("Toolkit")
    HANDBOOK = "handbook", _("Handbook")
    REPORT = "report", _("Report")
    NEWSLETTER = "newsletter", _("Newsletter")


class PartnershipKind(models.TextChoices):
    INTERNATIONAL = "international", _("International partner")
    NATIONAL = "national", _("National partner")
    NETWORK = "network", _("Network membership")
    PROTOCOL = "protocol", _("Collaboration protocol")


class StaffRole(models.TextChoices):
    LAWYER = "lawyer", _("lawyers")
    PSYCHOLOGIST = "psychologist", _("psychologists")
    SOCIAL_WORKER = "social-worker", _("social workers")
    MEDICAL_MEDIATOR = "medical-mediator", _("medical mediators")
    CULTURAL_MEDIATOR = "cultural-mediator", _("cultural mediators")
    TRAINER = "trainer", _("trainers")
    RESEARCHER = "researcher", _("researchers")
    FINANCIAL_MANAGER = "financial-manager", _("financial managers")


def _country_list_validate(value: object) -> None:
    codes = {code for code, _name in COUNTRY_CHOICES}
    if not isinstance(value, list) or not all(
        isinstance(code, str) and code in codes for code in value
    ):
        raise ValidationError(_("Give a list of known country codes."))


def _language_list_validate(value: object) -> None:
    if not isinstance(value, list) or not all(
        isinstance(code, str) and 2 <= len(code) <= 8 for code in value
    ):
        raise ValidationError(_("Give a list of language codes."))


def _text_list_validate(value: object) -> None:
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ValidationError(_("Give a list of texts."))


class Project(Translatable):
    TRANSLATED_FIELDS = ("title", "objectives", "outputs")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    title = models.CharField(_("title"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=50, blank=True)
    funding_programme = models.CharField(
        _("funding programme"), max_length=20, choices=FundingProgramme.choices
    )
    grant_reference = models.CharField(_("grant reference"), max_length=100, blank=True)
    coordinator = models.ForeignKey(
        Organization,
        verbose_name=_("coordinator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="coordinated_projects",
        help_text=_("Empty when the source does not name the coordinator."),
    )
    partners = models.ManyToManyField(
        Organization,
        verbose_name=_("partners"),
        through="ProjectPartner",
        related_name="projects",
    )
    countries = models.JSONField(
        _("countries"), default=list, blank=True, validators=[_country_list_validate]
    )
    start_date = models.DateField(_("start"))
    start_precision = models.CharField(
        _("precision of the start"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    end_date = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision of the end"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    website = models.URLField(_("website"), blank=True, max_length=500)
    objectives = models.TextField(_("objectives"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["start_date", "title"]

    def __str__(self) -> str:
        return self.acronym or self.title

    def get_absolute_url(self) -> str:
        return reverse("activities:project", kwargs={"pk": self.pk})

    def clean(self) -> None:
        if self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end comes before the start.")})

    def runs_in(self, year: int) -> bool:
        end = self.end_date or date.max
        return self.start_date.year <= year <= end.year


class ProjectPartner(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="project_memberships",
    )
    role = models.CharField(_("role"), max_length=12, choices=PartnerRole.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("project partner")
        verbose_name_plural = _("project partners")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="activities_partner_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.project_id}/{self.organization_id} ({self.role})"


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

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
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
        _("languages"), default=list, blank=True, validators=[_language_list_validate]
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

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
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
            _country_list_validate([self.code])

    @property
    def label(self) -> str:
        if self.dimension == self.Dimension.PROFESSION:
            return str(ParticipantProfession(self.code).label)
        return self.code


class Publication(Translatable):
    TRANSLATED_FIELDS = ("title", "subtitle", "audience", "summary")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    type = models.CharField(_("type"), max_length=12, choices=PublicationType.choices)
    title = models.CharField(_("title"), max_length=400)
    subtitle = models.CharField(_("subtitle"), max_length=400, blank=True)
    published = models.DateField(_("published"), null=True, blank=True)
    published_precision = models.CharField(
        _("precision of the date"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    languages = models.JSONField(
        _("languages"), default=list, blank=True, validators=[_language_list_validate]
    )
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="publications",
    )
    audience = models.TextField(_("audience"), blank=True)
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-published", "title"]

    def __str__(self) -> str:
        return self.title


PUBLICATION_FILE_EXTENSIONS = (".pdf", ".docx", ".epub", ".odt")
# The formats by the content type found in the file, as the pages name them.
PUBLICATION_FILE_FORMATS = {
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/epub+zip": "EPUB",
    "application/vnd.oasis.opendocument.text": "ODT",
}


def _publication_file_path(instance: PublicationFile, filename: str) -> str:
    # A random name under the publication's folder: the uploaded name is
    # never used on disk (downloads are named after the publication). The
    # services pass a name whose extension comes from the checked content.
    suffix = PurePath(filename).suffix.lower()
    if suffix not in PUBLICATION_FILE_EXTENSIONS:
        suffix = ""
    return f"publications/{instance.publication_id}/{uuid.uuid4().hex}{suffix}"


class PublicationFile(models.Model):
    """One file of a publication (a language version, say), public like it.

    Stored in the default storage (``MEDIA_ROOT``) and served by
    ``activities:publication_file``, never straight from the disk.
    """

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="files",
    )
    file = models.FileField(_("file"), upload_to=_publication_file_path, max_length=200)
    language = models.CharField(_("language"), max_length=8)
    title = models.CharField(
        _("title"),
        max_length=200,
        blank=True,
        help_text=_("Empty: the publication's title and the language."),
    )
    content_type = models.CharField(_("type"), max_length=100, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("publication file")
        verbose_name_plural = _("publication files")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.publication_id}/{self.language} ({self.content_type})"

    def get_absolute_url(self) -> str:
        return reverse("activities:publication_file", kwargs={"pk": self.pk})

    @property
    def format_label(self) -> str:
        return PUBLICATION_FILE_FORMATS.get(self.content_type, "")


class Campaign(Translatable):
    TRANSLATED_FIELDS = ("title", "description", "channel")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    title = models.CharField(_("title"), max_length=300)
    project = models.ForeignKey(
        Project,
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="campaigns",
    )
    channel = models.CharField(_("channel"), max_length=200)
    countries = models.JSONField(
        _("countries"), default=list, blank=True, validators=[_country_list_validate]
    )
    messages = models.JSONField(
        _("messages"), default=list, blank=True, validators=[_text_list_validate]
    )
    start_date = models.DateField(_("start"))
    start_precision = models.CharField(
        _("precision of the start"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    end_date = models.DateField(_("end"), null=True, blank=True)
    end_precision = models.CharField(
        _("precision of the end"),
        max_length=5,
        choices=DatePrecision.choices,
        default=DatePrecision.MONTH,
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("awareness campaign")
        verbose_name_plural = _("awareness campaigns")
        ordering = ["start_date", "title"]

    def __str__(self) -> str:
        return self.title


class Partnership(models.Model):
    """A relation in an organisation's partner network."""

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="partnerships",
    )
    partner = models.ForeignKey(
        Organization,
        verbose_name=_("partner"),
        on_delete=models.PROTECT,
        related_name="partner_of",
    )
    kind = models.CharField(_("kind"), max_length=15, choices=PartnershipKind.choices)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("partnership")
        verbose_name_plural = _("partnerships")
        ordering = ["kind", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "partner", "kind"],
                name="activities_partnership_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} → {self.partner_id} ({self.kind})"


class Department(Translatable):
    """A unit of an organisation's structure, with its staff counted by role."""

    TRANSLATED_FIELDS = ("name", "responsibilities")

    class Kind(models.TextChoices):
        GOVERNANCE = "governance", _("governing body")
        DEPARTMENT = "department", _("department")

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="departments",
    )
    kind = models.CharField(
        _("kind"), max_length=12, choices=Kind.choices, default=Kind.DEPARTMENT
    )
    name = models.CharField(_("name"), max_length=200)
    responsibilities = models.TextField(_("responsibilities"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class StaffCount(models.Model):
    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    department = models.ForeignKey(
        Department,
        verbose_name=_("department"),
        on_delete=models.CASCADE,
        related_name="staff",
    )
    role = models.CharField(_("role"), max_length=20, choices=StaffRole.choices)
    count = models.PositiveSmallIntegerField(_("staff and collaborators"))
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("staff count")
        verbose_name_plural = _("staff counts")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "role"], name="activities_staff_role_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.count} {self.role}"


class AnnualReport(Translatable):
    """The edited texts of an organisation's activity report for one year.

    Everything else in the report (structure, projects, events, publications,
    partners, contact) is generated from the records.
    """

    TRANSLATED_FIELDS = (
        "foreword",
        "about",
        "values",
        "objectives",
        "projects_introduction",
        "international_introduction",
        "partners_introduction",
    )

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organisation"),
        on_delete=models.CASCADE,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    foreword = models.TextField(_("foreword"), blank=True)
    about = models.TextField(_("about the organisation"), blank=True)
    values = models.TextField(_("fundamental values"), blank=True)
    objectives = models.TextField(_("objectives"), blank=True)
    projects_introduction = models.TextField(_("introduction to projects"), blank=True)
    international_introduction = models.TextField(
        _("introduction to international events"), blank=True
    )
    partners_introduction = models.TextField(_("introduction to partners"), blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year"], name="activities_report_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse(
            "activities:report",
            kwargs={"year": self.year, "organization": self.organization_id},
        )


# --- Registrations of participants (online registration, attendance) -------------


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

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
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
        _("languages"), default=list, blank=True, validators=[_language_list_validate]
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

    id = models.UUIDField(primary_key=True, default=_new_id, editable=False)
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
