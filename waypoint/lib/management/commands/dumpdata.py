"""Django's ``dumpdata``, refusing to write personal data in clear by accident.

Encrypted fields decrypt as they are read, so a plain ``dumpdata`` of the
case or referral tables would write the personal data of the people assisted,
in clear, to a file: the kind of "backup" that ends up on a shared drive. This
command refuses, naming the models, unless they are left out (``--exclude``)
or ``--include-personal-data`` says the output is meant to hold them. Back up
the database itself instead: its values stay encrypted (see the README).
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management.base import CommandError, CommandParser
from django.core.management.commands import dumpdata
from django.db import models

from waypoint.lib.crypto import encrypted_models


def _selected(labels: tuple[str, ...]) -> set[type[models.Model]]:
    """The models named by app labels and ``app.Model`` labels; all if none."""
    if not labels:
        return set(apps.get_models())
    chosen: set[type[models.Model]] = set()
    for label in labels:
        try:
            if "." in label:
                app_label, model_name = label.split(".", 1)
                chosen.add(apps.get_model(app_label, model_name))
            else:
                chosen.update(apps.get_app_config(label).get_models())
        except LookupError as error:
            raise CommandError(f"Unknown application or model: {label}") from error
    return chosen


class Command(dumpdata.Command):
    help = (
        f"{dumpdata.Command.help} Models holding encrypted personal data are "
        "refused unless excluded or --include-personal-data is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--include-personal-data",
            action="store_true",
            help=(
                "Write the models with encrypted fields too: their values "
                "appear in clear in the output."
            ),
        )

    def handle(self, *app_labels: str, **options: Any) -> None:
        excluded = tuple(options["exclude"] or ())
        dumped = _selected(app_labels) - (_selected(excluded) if excluded else set())
        personal = sorted(
            model._meta.label for model in encrypted_models() if model in dumped
        )
        if personal and not options["include_personal_data"]:
            raise CommandError(
                "These models hold encrypted personal data, which dumpdata "
                f"would write in clear: {', '.join(personal)}. Leave them out "
                "with --exclude, back up the database itself, or give "
                "--include-personal-data if the output is meant to hold it."
            )
        if personal:
            self.stderr.write(
                "The output holds personal data in clear text "
                f"({', '.join(personal)}): keep it as safe as the keys."
            )
        super().handle(*app_labels, **options)
