"""Shared pieces of the directory models: ids, translations, verification.

HSDS objects are keyed by random UUIDs (``new_id``); listings may hold their
readable texts in several languages (``Translatable``) and record when staff
last checked them (``Verifiable``). The abstract models add those fields and
helpers to the concrete ones.
"""

from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def new_id() -> uuid.UUID:
    """A new random primary key (the ``default`` of every HSDS ``id``)."""
    return uuid.uuid4()


class Translatable(models.Model):
    """Readable texts kept in several languages.

    The model's own fields hold the text in the listing's own ``language``;
    ``translations`` maps other language codes to ``{field: text}``. A reader
    gets their language when it exists and the listing's own otherwise.
    """

    TRANSLATED_FIELDS: ClassVar[tuple[str, ...]] = ()

    language = models.CharField(
        _("language of the listing"), max_length=8, default="en"
    )
    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None) -> str:
        if language and language != self.language:
            text = self.translations.get(language, {}).get(field)
            if text:
                return str(text)
        return str(getattr(self, field) or "")

    def translated_language(self, field: str, language: str | None) -> str:
        """The language ``translated`` actually answers in."""
        if (
            language
            and language != self.language
            and self.translations.get(language, {}).get(field)
        ):
            return language
        return self.language


class Verifiable(models.Model):
    last_verified_at = models.DateTimeField(_("last checked"), null=True, blank=True)
    last_verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last checked by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
