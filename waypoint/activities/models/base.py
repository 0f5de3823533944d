"""Shared pieces of the activities models: ids, date precision, list checks.

Records are keyed by random UUIDs (``new_id``); the dates taken from
sources often give only a month or a year (``DatePrecision``); and the
lists kept as JSON (countries, languages, messages) are checked by the
validators here.
"""

from __future__ import annotations

import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from waypoint.lib.countries import COUNTRY_CHOICES

# --- Shared ---


def new_id() -> uuid.UUID:
    """A new random primary key (the ``default`` of every ``id`` here)."""
    return uuid.uuid4()


class DatePrecision(models.TextChoices):
    """How much of a stored date the source actually gives."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def country_list_validate(value: object) -> None:
    """Accept a list of the country codes of ``COUNTRY_CHOICES``."""
    codes = {code for code, _name in COUNTRY_CHOICES}
    if not isinstance(value, list) or not all(
        isinstance(code, str) and code in codes for code in value
    ):
        raise ValidationError(_("Give a list of known country codes."))


def language_list_validate(value: object) -> None:
    """Accept a list of language codes (two to eight characters)."""
    if not isinstance(value, list) or not all(
        isinstance(code, str) and 2 <= len(code) <= 8 for code in value
    ):
        raise ValidationError(_("Give a list of language codes."))


def text_list_validate(value: object) -> None:
    """Accept a list of texts."""
    if not isinstance(value, list) or not all(isinstance(t, str) for t in value):
        raise ValidationError(_("Give a list of texts."))
