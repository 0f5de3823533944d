from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "waypoint.directory"
    label = "directory"
    verbose_name = _("Directory")

    def ready(self) -> None:
        from waypoint.directory.taxonomies import sync_after_migrate

        # The published taxonomies are reference data every deployment needs,
        # kept in step with the code the way Django keeps permissions.
        post_migrate.connect(sync_after_migrate, sender=self)
