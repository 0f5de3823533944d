from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from waypoint.accounts.services import admin_ensure


class Command(BaseCommand):
    help = "Create the platform administrator with a random password, once."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args: Any, **options: Any) -> None:
        password = admin_ensure(username=options["username"])
        if password is None:
            self.stdout.write(
                f"Administrator '{options['username']}' already exists; "
                "its password is unchanged."
            )
            return
        self.stdout.write(
            self.style.WARNING(
                f"Administrator created: username '{options['username']}', "
                f"password '{password}'\n"
                "This password is shown only this once: store it now."
            )
        )
