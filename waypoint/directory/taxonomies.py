"""Waypoint's published taxonomies: what victim support needs beyond HSDS.

They are attached to organisations and services through HSDS attributes and
published through the HSDS API like any other taxonomy. Codes are stable;
names and descriptions carry every language the platform ships.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction

from waypoint.directory.taxonomy_data import (
    AUTHORITY_ROLE,
    CRIME_TYPE,
    ORGANIZATION_KIND,
    SERVICE_TYPE,
    TARGET_GROUP,
    TAXONOMIES,
    TaxonomyDef,
    TermDef,
)

# Stable ids: uuid5 of the code in this namespace, so every deployment and
# every export names the same term with the same id.
NAMESPACE = uuid.UUID("0f3c6d3e-54a4-4b8e-9d0e-7a2f7e1e0c51")


def term_id(taxonomy_code: str, term_code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"{taxonomy_code}/{term_code}")


def taxonomy_id(taxonomy_code: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, taxonomy_code)


TAXONOMIES_BY_CODE: dict[str, TaxonomyDef] = {t.code: t for t in TAXONOMIES}


@transaction.atomic
def taxonomies_sync() -> None:
    """Create or update the published taxonomies and their terms."""
    from waypoint.directory.models import Taxonomy, TaxonomyTerm

    for position_t, tax in enumerate(TAXONOMIES):
        taxonomy, _ = Taxonomy.objects.update_or_create(
            id=taxonomy_id(tax.code),
            defaults={
                "code": tax.code,
                "name": tax.name,
                "description": tax.description,
                "version": "1",
            },
        )
        del position_t
        for position, term in enumerate(tax.terms):
            translations = {
                lang: {"name": name}
                for lang, name in term.names.items()
                if lang != "en"
            }
            for lang, text in term.descriptions.items():
                if lang != "en":
                    translations.setdefault(lang, {})["description"] = text
            TaxonomyTerm.objects.update_or_create(
                id=term_id(tax.code, term.code),
                defaults={
                    "taxonomy_ref": taxonomy,
                    "taxonomy": tax.name,
                    "code": term.code,
                    "name": term.names["en"],
                    "description": term.descriptions.get("en", term.names["en"]),
                    "language": "en",
                    "translations": translations,
                    "parent_id": (
                        term_id(tax.code, term.parent) if term.parent else None
                    ),
                    "position": position,
                },
            )


def sync_after_migrate(**kwargs: Any) -> None:
    from django.apps import apps

    if not apps.is_installed("waypoint.directory"):
        return
    taxonomies_sync()
    from waypoint.accounts.roles import ensure_role_groups

    ensure_role_groups()


__all__ = [
    "AUTHORITY_ROLE",
    "CRIME_TYPE",
    "ORGANIZATION_KIND",
    "SERVICE_TYPE",
    "TARGET_GROUP",
    "TAXONOMIES",
    "TaxonomyDef",
    "TermDef",
    "taxonomies_sync",
    "term_id",
]
