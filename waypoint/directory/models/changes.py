"""The change history of the listings (HSDS's ``metadata`` object).

One row per changed field, written by the directory's services and the HSDS
importer, so that a listing's page shows who changed what, when, and from what.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.directory.models.base import new_id

# --- Change history ---


class ChangeRecord(models.Model):
    """Who changed which field of a listing, when, from what to what.

    This is HSDS's ``metadata`` object; ``organization_id`` groups every
    change under the listing it belongs to so one page shows its history.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        VERIFY = "verify", _("checked")

    id = models.UUIDField(primary_key=True, default=new_id, editable=False)
    organization_id = models.UUIDField(db_index=True, null=True)
    resource_id = models.UUIDField()
    resource_type = models.CharField(max_length=50)
    action = models.CharField(max_length=10, choices=Action.choices)
    field_name = models.CharField(max_length=100, blank=True)
    previous_value = models.TextField(blank=True)
    replacement_value = models.TextField(blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_label = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("change")
        verbose_name_plural = _("changes")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["resource_type", "resource_id"])]

    def __str__(self) -> str:
        return f"{self.resource_type}.{self.field_name} {self.action}"

    @property
    def updated_by(self) -> str:
        if self.actor_id is not None and self.actor is not None:
            return self.actor.get_username()
        return self.actor_label or "system"
