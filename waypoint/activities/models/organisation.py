"""An organisation's partner network, structure and annual report.

Partnerships list the organisation's partners by kind; departments and
their staff counts describe its structure; ``AnnualReport`` holds the few
edited texts of a year's activity report, whose rest is generated from
the records.
"""

from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waypoint.activities.models.base import new_id
from waypoint.directory.models import Organization, Translatable

# --- Partner network ---


class PartnershipKind(models.TextChoices):
    INTERNATIONAL = "international", _("International partner")
    NATIONAL = "national", _("National partner")
    NETWORK = "network", _("Network membership")
    PROTOCOL = "protocol", _("Collaboration protocol")


class Partnership(models.Model):
    """A relation in an organisation's partner network."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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


# --- Structure ---


class StaffRole(models.TextChoices):
    LAWYER = "lawyer", _("lawyers")
    PSYCHOLOGIST = "psychologist", _("psychologists")
    SOCIAL_WORKER = "social-worker", _("social workers")
    MEDICAL_MEDIATOR = "medical-mediator", _("medical mediators")
    CULTURAL_MEDIATOR = "cultural-mediator", _("cultural mediators")
    TRAINER = "trainer", _("trainers")
    RESEARCHER = "researcher", _("researchers")
    FINANCIAL_MANAGER = "financial-manager", _("financial managers")


class Department(Translatable):
    """A unit of an organisation's structure, with its staff counted by role."""

    TRANSLATED_FIELDS = ("name", "responsibilities")

    class Kind(models.TextChoices):
        GOVERNANCE = "governance", _("governing body")
        DEPARTMENT = "department", _("department")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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


# --- Annual report ---


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

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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
