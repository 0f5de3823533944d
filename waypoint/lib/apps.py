from __future__ import annotations

from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "waypoint.lib"
    label = "lib"
    verbose_name = "Waypoint shared helpers"
