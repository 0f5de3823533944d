from __future__ import annotations

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "waypoint.cases"
    label = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from waypoint.cases.indicators import sync_after_migrate

        # The identification checklist is reference data every deployment
        # needs, kept in step with the code like the directory's taxonomies.
        post_migrate.connect(sync_after_migrate, sender=self)
