"""Shared pieces of the case models."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

USER = settings.AUTH_USER_MODEL


class AppendOnly(models.Model):
    """A record that is never changed once written: a change is a new row."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise ValueError(f"{type(self).__name__} rows are never changed")
        super().save(*args, **kwargs)
