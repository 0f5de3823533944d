"""The published taxonomies carry every term's name in every platform language."""

from __future__ import annotations

import pytest
from django.conf import settings

from waypoint.directory.models import TaxonomyTerm
from waypoint.directory.taxonomies import TAXONOMIES, taxonomies_sync, term_id

LANGUAGES = [code for code, _name in settings.LANGUAGES]


def test_every_term_is_named_in_every_platform_language() -> None:
    """No term falls back to English in any shipped language."""
    assert len(LANGUAGES) == 8
    for taxonomy in TAXONOMIES:
        for term in taxonomy.terms:
            assert sorted(term.names) == sorted(LANGUAGES), term.code
            assert all(name.strip() for name in term.names.values()), term.code


def test_names_are_distinct_within_a_taxonomy_in_each_language() -> None:
    """Two terms of one taxonomy never read the same to a user of any language."""
    for taxonomy in TAXONOMIES:
        for language in LANGUAGES:
            names = [term.names[language] for term in taxonomy.terms]
            assert len(names) == len(set(names)), (taxonomy.code, language)


@pytest.mark.django_db
def test_sync_stores_the_names_as_translations() -> None:
    """After sync every language's name is what the term reads in that language."""
    taxonomies_sync()
    for taxonomy in TAXONOMIES:
        for definition in taxonomy.terms:
            term = TaxonomyTerm.objects.get(pk=term_id(taxonomy.code, definition.code))
            for language in LANGUAGES:
                assert term.translated("name", language) == definition.names[language]
    legal = TaxonomyTerm.objects.get(
        pk=term_id("waypoint-service-type", "legal-counselling")
    )
    assert legal.translated("name", "sv") == "Juridisk rådgivning"
    assert legal.translated("name", "el") == "Νομική συμβουλευτική"
