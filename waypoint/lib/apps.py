from __future__ import annotations

from django.apps import AppConfig


class LibConfig(AppConfig):
    name = "waypoint.lib"
    label = "lib"
    verbose_name = "Waypoint shared helpers"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        # Importing it registers the system checks for the encryption keys.
        from waypoint.lib import crypto

        connection_created.connect(
            crypto.register_rotation_function, dispatch_uid="waypoint_rotation"
        )
