"""The directory generator: deterministic, sized as asked, searchable, all demo."""

from __future__ import annotations

import phonenumbers
import pytest
from django.db import transaction
from django.utils import timezone

from waypoint.demo.generator import generate_directory
from waypoint.directory.models import (
    Organization,
    Phone,
    SearchEntry,
    Service,
    ServiceFacet,
    ServiceOpening,
)
from waypoint.directory.search import SearchQuery, run_search
from waypoint.directory.services import services_reindex_all
from waypoint.directory.taxonomies import taxonomies_sync
from waypoint.directory.testing import service_make

pytestmark = pytest.mark.django_db


def _snapshot() -> list[tuple[object, ...]]:
    return sorted(
        Service.objects.values_list(
            "pk", "name", "organization_id", "organization__name"
        )
    )


def _generated(seed: int) -> list[tuple[object, ...]]:
    """The services one run creates, then rolled back as if never written."""
    with transaction.atomic():
        generate_directory(services=60, seed=seed)
        services = _snapshot()
        transaction.set_rollback(True)
    return services


def test_the_same_seed_gives_the_same_directory_ids_included() -> None:
    """A second run into an empty database reproduces every id and name."""
    taxonomies_sync()
    first = _generated(7)
    assert len(first) == 60
    assert _generated(7) == first
    assert _generated(8) != first


def test_it_creates_exactly_the_services_asked_for_and_a_quarter_as_many_orgs() -> None:
    """N services, about N/4 organisations, every row marked as demo data."""
    taxonomies_sync()
    result = generate_directory(services=400, seed=1)
    assert Service.objects.count() == result.services == 400
    assert 60 <= Organization.objects.count() <= 160
    assert not Service.objects.filter(is_demo=False).exists()
    assert not Organization.objects.filter(is_demo=False).exists()
    assert not Phone.objects.filter(is_demo=False).exists()
    assert SearchEntry.objects.count() == 400


def test_phone_numbers_are_valid_international_numbers() -> None:
    """Every invented number is a dialable E.164 number of its country."""
    taxonomies_sync()
    generate_directory(services=300, seed=3)
    for number in Phone.objects.values_list("number", flat=True):
        assert phonenumbers.is_valid_number(phonenumbers.parse(number)), number


def test_services_are_found_by_folded_city_names_in_any_script() -> None:
    """ "thessaloniki", "bucuresti" and "malmo" find services in those cities."""
    taxonomies_sync()
    generate_directory(services=1500, seed=1)
    now = timezone.now()
    for text, city in (
        ("thessaloniki", "Θεσσαλονίκη"),
        ("bucuresti", "București"),
        ("malmo", "Malmö"),
        ("sofia", "София"),
    ):
        page = run_search(SearchQuery(text=text), now=now)
        assert page.total > 0, text
        in_city = set(
            ServiceFacet.objects.filter(facet="city", value=city).values_list(
                "service_id", flat=True
            )
        )
        assert set(page.service_ids) <= in_city, text


def test_its_index_is_what_the_editing_path_builds() -> None:
    """Rebuilding the index from the database changes no document, facet or hour."""
    taxonomies_sync()
    generate_directory(services=200, seed=5)

    def index() -> tuple[object, ...]:
        return (
            sorted(
                SearchEntry.objects.values_list(
                    "service_id", "name_doc", "body_doc", "latitude", "timezone"
                )
            ),
            sorted(ServiceFacet.objects.values_list("service_id", "facet", "value")),
            sorted(
                ServiceOpening.objects.values_list(
                    "service_id", "weekday", "opens", "closes"
                )
            ),
        )

    generated = index()
    services_reindex_all()
    assert index() == generated


def test_services_added_after_a_generation_are_still_indexed_for_full_text() -> None:
    """The bulk load's one-pass full-text build leaves per-row indexing in place."""
    taxonomies_sync()
    generate_directory(services=50, seed=2)
    added = service_make(name="Zzyzx refuge", city="Uppsala", country="SE")
    page = run_search(SearchQuery(text="zzyzx"), now=timezone.now())
    assert page.service_ids == [added.pk]
