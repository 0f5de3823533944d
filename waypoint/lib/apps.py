from __future__ import annotations

from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "waypoint.lib"
    label = "lib"
    verbose_name = "Waypoint shared helpers"

    def ready(self) -> None:
        # Registers the system checks for the encryption keys and, on SQLite
        # connections, waypoint_rotating().
        from waypoint.lib import crypto  # noqa: F401
