from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "waypoint.ops"
    label = "ops"
    verbose_name = "Waypoint operations"
