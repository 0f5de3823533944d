"""Publications, their files, and awareness campaigns.

A publication (a study, guide, report, …) may have files, one per language
version say, public like it and stored under random names; a campaign
records the channel, countries and messages of an awareness campaign.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from waypoint.activities.models.base import (
    DatePrecision,
    country_list_validate,
    language_list_validate,
    new_id,
    text_list_validate,
)
from waypoint.activities.models.projects import Project
from waypoint.directory.models import Translatable

# --- Publications ---


class PublicationType(models.TextChoices):
    STUDY = "study", _("Study")
    GUIDE = "guide", _("Guide")
    TOOLKIT = "toolkit", _("Toolkit")
    HANDBOOK = "handbook", _("Handbook")
    REPORT = "report", _("Report")
    NEWSLETTER = "newsletter", _("Newsletter")


class Publication(Translatable):
    TRANSLATED_FIELDS = ("title", "subtitle", "audience", "summary")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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
        _("languages"), default=list, blank=True, validators=[language_list_validate]
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

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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


# --- Awareness campaigns ---


class Campaign(Translatable):
    TRANSLATED_FIELDS = ("title", "description", "channel")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
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
        _("countries"), default=list, blank=True, validators=[country_list_validate]
    )
    messages = models.JSONField(
        _("messages"), default=list, blank=True, validators=[text_list_validate]
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
