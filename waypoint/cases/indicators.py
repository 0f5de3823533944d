"""Keeps the ``Indicator`` rows in step with ``indicator_data``."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from waypoint.cases.indicator_data import INDICATORS


@transaction.atomic
def indicators_sync() -> None:
    """Create or update every indicator; retire those no longer in the list.

    Retired indicators stay (old answers refer to them) but are not asked.
    """
    from waypoint.cases.models import Indicator

    codes = []
    for position, item in enumerate(INDICATORS):
        codes.append(item.code)
        Indicator.objects.update_or_create(
            code=item.code,
            defaults={
                "dimension": item.dimension,
                "strength": item.strength,
                "text": str(item.text),
                "position": position,
                "is_active": True,
            },
        )
    Indicator.objects.exclude(code__in=codes).update(is_active=False)


def sync_after_migrate(**kwargs: Any) -> None:
    from django.utils import translation

    with translation.override("en"):
        indicators_sync()
