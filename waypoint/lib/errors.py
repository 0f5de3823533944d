"""Errors the apps share, and what error reports may carry."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.http import HttpRequest
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.views.debug import SafeExceptionReporterFilter


class NoPostDataReporterFilter(SafeExceptionReporterFilter):
    """Error reports never carry what a person typed into a form."""

    def get_post_parameters(self, request: HttpRequest | None) -> dict[str, Any]:
        if request is None:
            return {}
        return dict.fromkeys(request.POST, self.cleansed_substitute)


class OversizedRequestFilter(logging.Filter):
    """A request over the size limits is the sender's mistake, not a bug.

    Django answers it 400 (the site's page) and logs it on
    ``django.security.RequestDataTooBig`` (or ``TooManyFieldsSent``,
    ``TooManyFilesSent``) at ERROR, with a traceback. This filter keeps the
    line, as a warning and without the traceback: the log stays a list of
    real errors, and still shows that someone sends oversized forms.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.levelno = logging.WARNING
        record.levelname = logging.getLevelName(logging.WARNING)
        record.exc_info = None
        record.exc_text = None
        return True


class ConcurrentUpdateError(Exception):
    """The record changed since it was read; nothing was written.

    Raised by a compare-and-swap on a ``version`` column (``UPDATE … WHERE
    version = v`` that changed no row), which guards both SQLite, where
    ``select_for_update`` does nothing, and PostgreSQL. Each app subclasses it
    with ``message``, the sentence a person sees ("Someone else changed this
    case …"); code that only needs to know that a swap failed catches this
    class.
    """

    message: str | Promise = ""

    def __init__(self) -> None:
        super().__init__(str(self.message))


def choices_validate(
    values: Iterable[str], allowed: type[models.TextChoices]
) -> list[str]:
    """``values`` without repeats, in order; a value outside ``allowed`` is
    refused with a ``ValidationError`` (code ``invalid_choice``)."""
    chosen = list(dict.fromkeys(values))
    if set(chosen) - set(allowed.values):
        raise ValidationError(_("Unknown choice."), code="invalid_choice")
    return chosen
