"""Taxonomies, their terms and the attributes that tag listings with them.

A term belongs to a known taxonomy or, for terms imported from elsewhere,
names its taxonomy in free text; an attribute attaches a term to any
directory object by table and id, as HSDS does.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from waypoint.directory.models.base import Translatable, new_id

# --- Taxonomy ---


class Taxonomy(models.Model):
    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    # NULL, not "", for taxonomies imported without a code: unique ignores NULLs.
    code = models.SlugField(_("code"), max_length=60, unique=True, null=True)  # noqa: DJ001
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"))
    uri = models.URLField(_("URI"), blank=True, max_length=500)
    version = models.CharField(_("version"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("taxonomy")
        verbose_name_plural = _("taxonomies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class TaxonomyTerm(Translatable):
    TRANSLATED_FIELDS = ("name", "description")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    taxonomy_ref = models.ForeignKey(
        Taxonomy,
        verbose_name=_("taxonomy"),
        on_delete=models.CASCADE,
        related_name="terms",
        null=True,
        blank=True,
    )
    code = models.CharField(_("code"), max_length=100, blank=True)
    name = models.CharField(_("name"), max_length=300)
    description = models.TextField(_("description"))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    taxonomy = models.CharField(
        _("taxonomy name"), max_length=200, blank=True
    )  # HSDS's free-text taxonomy name, for terms of unknown taxonomies
    term_uri = models.URLField(_("term URI"), blank=True, max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("taxonomy term")
        verbose_name_plural = _("taxonomy terms")
        ordering = ["position", "name"]
        indexes = [models.Index(fields=["taxonomy_ref", "code"])]

    def __str__(self) -> str:
        return self.name


class Attribute(models.Model):
    """A taxonomy term attached to any directory object (HSDS ``attribute``)."""

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    link_id = models.UUIDField(_("linked object"))
    link_type = models.CharField(_("link type"), max_length=100, blank=True)
    link_entity = models.CharField(_("linked table"), max_length=50)
    taxonomy_term = models.ForeignKey(
        TaxonomyTerm,
        verbose_name=_("taxonomy term"),
        on_delete=models.CASCADE,
        related_name="attributes",
    )
    value = models.CharField(_("value"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("attribute")
        verbose_name_plural = _("attributes")
        indexes = [
            models.Index(fields=["link_entity", "link_id"]),
            models.Index(fields=["taxonomy_term", "link_entity"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["link_entity", "link_id", "taxonomy_term"],
                name="unique_attribute_term_per_object",
            )
        ]

    def __str__(self) -> str:
        return f"{self.link_entity}:{self.link_id} → {self.taxonomy_term_id}"
