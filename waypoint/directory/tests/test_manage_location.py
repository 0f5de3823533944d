"""Editing locations: coordinates, the HSDS address and phones."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from waypoint.directory.models import (
    Accessibility,
    Address,
    ChangeRecord,
    Location,
    Organization,
    Phone,
)
from waypoint.directory.testing import service_make
from waypoint.directory.tests.test_manage_helpers import form_data

pytestmark = pytest.mark.django_db


def _create(client: Client, organization: Organization, **changes: object) -> Any:
    url = reverse("directory:location_create", kwargs={"pk": organization.pk})
    base: dict[str, object] = {
        "name": "Sofia office",
        "location_type": "physical",
        "address__address_1": "ul. Rakovski 1",
        "address__city": "Sofia",
        "address__state_province": "Sofia City",
        "address__country": "BG",
    }
    return client.post(url, form_data(client.get(url), **(base | changes)))


def test_an_editor_creates_a_location_with_address_and_phone(
    editor_client: Client,
) -> None:
    """The phone takes the address's country as its region."""
    organization = service_make(country="RO").organization
    response = _create(
        editor_client,
        organization,
        latitude="42.6977",
        longitude="23.3219",
        accessibility_description="Step-free entrance",
        phones__0__number="02 987 6543",
        phones__0__type="voice",
    )
    assert response.status_code == 302
    location = Location.objects.get(name="Sofia office")
    assert (location.latitude, location.longitude) == (42.6977, 23.3219)
    assert location.organization == organization
    address = Address.objects.get(location=location)
    assert (address.city, address.country) == ("Sofia", "BG")
    assert Phone.objects.get(location=location).number == "+35929876543"
    assert Accessibility.objects.get(location=location).description == (
        "Step-free entrance"
    )
    assert ChangeRecord.objects.filter(
        organization_id=organization.pk, resource_type="address", field_name="city"
    ).exists()


@pytest.mark.parametrize(
    ("latitude", "longitude", "field"),
    [
        ("91", "10", "latitude"),
        ("-90.5", "10", "latitude"),
        ("45", "180.1", "longitude"),
        ("45", "-181", "longitude"),
        ("45", "", "longitude"),
        ("", "10", "latitude"),
        ("north", "10", "latitude"),
    ],
)
def test_coordinates_must_be_in_range_and_come_in_pairs(
    editor_client: Client, latitude: str, longitude: str, field: str
) -> None:
    """Out-of-range or lone coordinates are refused on the right field."""
    organization = service_make().organization
    response = _create(
        editor_client, organization, latitude=latitude, longitude=longitude
    )
    assert response.status_code == 400
    errors = response.context["group"].form.errors
    assert field in errors
    assert not Location.objects.filter(name="Sofia office").exists()


def test_a_physical_location_needs_the_hsds_address_fields(
    editor_client: Client,
) -> None:
    """Street, city, county/province and country are required."""
    organization = service_make().organization
    response = _create(
        editor_client, organization, address__city="", address__state_province=""
    )
    assert response.status_code == 400
    summary = response.content.decode()
    assert 'href="#id_address-city"' in summary
    assert 'href="#id_address-state_province"' in summary
    assert not Location.objects.filter(name="Sofia office").exists()


def test_a_virtual_location_may_have_no_address(editor_client: Client) -> None:
    """An online service's location is saved without an address."""
    organization = service_make().organization
    response = _create(
        editor_client,
        organization,
        name="Online",
        location_type="virtual",
        address__address_1="",
        address__city="",
        address__state_province="",
    )
    assert response.status_code == 302
    location = Location.objects.get(name="Online")
    assert not location.addresses.exists()


def test_an_invalid_location_phone_saves_nothing(editor_client: Client) -> None:
    """A bad number keeps the location's edit from being written."""
    service = service_make()
    location = service.service_at_locations.get().location
    url = reverse("directory:location_edit", kwargs={"pk": location.pk})
    before = ChangeRecord.objects.count()
    data = form_data(
        editor_client.get(url),
        name="Renamed office",
        phones__0__number="999",
        phones__0__type="voice",
    )
    response = editor_client.post(url, data)
    assert response.status_code == 400
    assert "Enter a valid phone number, e.g. +40 21 123 4567" in (
        response.content.decode()
    )
    location.refresh_from_db()
    assert location.name != "Renamed office"
    assert ChangeRecord.objects.count() == before


def test_editing_an_address_reindexes_the_services_there(
    editor_client: Client,
) -> None:
    """Moving a location to another city moves its services in the search."""
    from django.utils import timezone

    from waypoint.directory.search import SearchQuery, run_search

    service = service_make(city="Cluj")
    location = service.service_at_locations.get().location
    url = reverse("directory:location_edit", kwargs={"pk": location.pk})
    response = editor_client.post(
        url, form_data(editor_client.get(url), address__city="Timișoara")
    )
    assert response.status_code == 302
    page = run_search(SearchQuery(city="Timișoara"), now=timezone.now())
    assert page.service_ids == [service.pk]
