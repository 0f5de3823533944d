"""What is done in a case: assistance, proceedings, consent, documents, notes, tasks."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.cases.models.base import USER, AppendOnly
from waypoint.cases.models.case import Case
from waypoint.cases.models.people import Person
from waypoint.lib.countries import COUNTRY_CHOICES
from waypoint.lib.crypto import EncryptedTextField
from waypoint.lib.crypto_files import EncryptedFileSystemStorage

# --- Assistance ---


class SessionKind(models.TextChoices):
    LEGAL_COUNSELLING = "legal_counselling", _("legal counselling")
    LEGAL_REPRESENTATION = (
        "legal_representation",
        _("legal assistance and representation"),
    )
    SOCIAL = "social_counselling", _("social counselling")
    PSYCHOLOGICAL = "psychological_counselling", _("psychological counselling")
    MEDICAL = "medical_mediation", _("medical mediation")
    CULTURAL = "cultural_mediation", _("cultural mediation")
    INTERPRETATION = "interpretation", _("interpretation")


class AssistanceSession(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    kind = models.CharField(_("type"), max_length=32, choices=SessionKind.choices)
    held_on = models.DateField(_("date"))
    duration_minutes = models.PositiveSmallIntegerField(_("duration (minutes)"))
    staff = models.ForeignKey(
        USER, verbose_name=_("staff member"), on_delete=models.PROTECT, related_name="+"
    )
    notes = EncryptedTextField(_("notes"), blank=True)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("assistance session")
        verbose_name_plural = _("assistance sessions")
        ordering = ["held_on", "id"]
        indexes = [
            # Statistics of assistance: a case's sessions of a year, with all
            # that is counted, without reading the rows.
            models.Index(
                fields=["case", "held_on", "kind", "duration_minutes"],
                name="cases_session_stats_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.held_on}"


class ProceedingKind(models.TextChoices):
    CRIMINAL = "criminal", _("criminal")
    CIVIL = "civil", _("civil")


class ProceedingStage(models.TextChoices):
    COMPLAINT = "complaint", _("complaint filed")
    INVESTIGATION = "investigation", _("investigation")
    TRIAL = "trial", _("trial")
    APPEAL = "appeal", _("appeal")
    DECIDED = "decided", _("final decision")
    DISCONTINUED = "discontinued", _("discontinued")


class PersonRole(models.TextChoices):
    INJURED_PARTY = "injured_party", _("injured party")
    CIVIL_PARTY = "civil_party", _("civil party")
    WITNESS = "witness", _("witness")
    CLAIMANT = "claimant", _("claimant")
    OTHER = "other", _("other")


class Proceeding(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="proceedings")
    kind = models.CharField(_("kind"), max_length=8, choices=ProceedingKind.choices)
    authority = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("court or prosecutor's office"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    case_number = EncryptedTextField(_("case number"), max_length=100, blank=True)
    stage = models.CharField(_("stage"), max_length=16, choices=ProceedingStage.choices)
    person_role = models.CharField(
        _("role of the person"), max_length=16, choices=PersonRole.choices
    )
    started_on = models.DateField(_("started on"))
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("proceeding")
        verbose_name_plural = _("proceedings")
        ordering = ["started_on", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind}"


class ClaimStatus(models.TextChoices):
    PREPARING = "preparing", _("in preparation")
    FILED = "filed", _("filed")
    GRANTED = "granted", _("granted")
    PARTLY_GRANTED = "partly_granted", _("partly granted")
    REJECTED = "rejected", _("rejected")
    PAID = "paid", _("paid")
    WITHDRAWN = "withdrawn", _("withdrawn")


class CompensationClaim(models.Model):
    case = models.ForeignKey(
        Case, on_delete=models.CASCADE, related_name="compensation_claims"
    )
    assisting_authority = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("assisting authority"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    deciding_authority = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("deciding authority"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    crime_country = models.CharField(
        _("country of the crime"), max_length=2, choices=COUNTRY_CHOICES
    )
    filed_on = models.DateField(_("filed on"), null=True, blank=True)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    amount_claimed = models.DecimalField(
        _("amount claimed"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    amount_awarded = models.DecimalField(
        _("amount awarded"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    status = models.CharField(_("status"), max_length=16, choices=ClaimStatus.choices)
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("compensation claim")
        verbose_name_plural = _("compensation claims")
        ordering = ["recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.status}"


# --- Consent ---


class ConsentScope(models.TextChoices):
    SERVICES = "services", _("to receive services")
    SHARING = "sharing", _("to share data with a named organisation")
    STATISTICS = "statistics", _("to be counted in anonymised statistics")


class DataCategory(models.TextChoices):
    IDENTITY = "identity", _("name and date of birth")
    CONTACT = "contact", _("contact details")
    DOCUMENTS = "documents", _("identity documents")
    SITUATION = "situation", _("case summary")
    IDENTIFICATION = "identification", _("identification")
    NEEDS = "needs", _("needs and risk assessments")
    HEALTH = "health", _("health information")


class ConsentMethod(models.TextChoices):
    SIGNED = "signed", _("signed form")
    ORAL = "oral", _("oral, witnessed and recorded")
    ELECTRONIC = "electronic", _("electronic")


class Consent(AppendOnly):
    """What the person agreed to. Never changed (database triggers refuse it):
    a change or a withdrawal is a new row that ``replaces`` the earlier one."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="consents"
    )
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=12, choices=ConsentScope.choices)
    recipient = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data_categories = models.JSONField(_("data categories"), default=list, blank=True)
    granted = models.BooleanField(_("granted"), default=True)
    method = models.CharField(
        _("given how"), max_length=12, choices=ConsentMethod.choices
    )
    given_on = models.DateField(_("given on"))
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("replaces"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    recorded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["recorded_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(scope="sharing")
                | models.Q(recipient__isnull=False),
                name="cases_consent_sharing_names_recipient",
            )
        ]

    def __str__(self) -> str:
        return f"{self.person_id}: {self.scope}"


# --- Documents, notes, tasks ---


class DocumentKind(models.TextChoices):
    IDENTITY = "identity", _("identity document")
    CONSENT = "consent", _("signed consent")
    MEDICAL = "medical", _("medical document")
    LEGAL = "legal", _("legal document")
    DECISION = "decision", _("decision of an authority")
    OTHER = "other", _("other")


def _document_storage() -> EncryptedFileSystemStorage:
    return EncryptedFileSystemStorage()


class Document(models.Model):
    """A file kept for a case, encrypted on disk under a random name."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("type"), max_length=12, choices=DocumentKind.choices)
    title = EncryptedTextField(_("title"), max_length=200)
    file = models.FileField(_("file"), storage=_document_storage, max_length=100)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.kind} {self.pk}"


class Note(AppendOnly):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    text = EncryptedTextField(_("note"), max_length=10000)
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("note")
        verbose_name_plural = _("notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.pk}"


class Task(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="tasks")
    title = EncryptedTextField(_("task"), max_length=300)
    due_on = models.DateField(_("due"))
    assignee = models.ForeignKey(
        USER, verbose_name=_("assignee"), on_delete=models.PROTECT, related_name="+"
    )
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    created_by = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["assignee", "done_at", "due_on"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.pk}"
