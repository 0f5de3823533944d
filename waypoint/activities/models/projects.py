"""Projects and their partners.

A project is funded by a programme, coordinated by a directory
organisation and carried out with partners (``ProjectPartner``, in their
order on the project's page); its events, publications and campaigns
point to it.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waypoint.activities.models.base import (
    DatePrecision,
    country_list_validate,
    new_id,
)
from waypoint.directory.models import Organization, Translatable

# --- Projects ---


class FundingProgramme(models.TextChoices):
    JUSTICE = "justice", _("Justice Programme of the European Union")
    ISF_POLICE = "isf-police", _("Internal Security Fund Police of the European Union")
    REC = "rec", _("Rights, Equality and Citizenship Programme of the European Union")
    OTHER = "other", _("Other funding")


class PartnerRole(models.TextChoices):
    COORDINATOR = "coordinator", _("coordinator")
    PARTNER = "partner", _("partner")
    ASSOCIATE = "associate", _("associate partner")


class Project(Translatable):
    TRANSLATED_FIELDS = ("title", "objectives", "outputs")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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
        _("countries"), default=list, blank=True, validators=[country_list_validate]
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
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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
