"""Builders for tests: small, explicit directory objects with sane defaults."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from waypoint.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from waypoint.directory.search import search_index_refresh
from waypoint.directory.taxonomies import SERVICE_TYPE, TARGET_GROUP, term_id


def service_make(
    *,
    name: str = "Legal counselling",
    organization: Organization | None = None,
    org_name: str = "Test Association",
    country: str = "RO",
    city: str = "București",
    latitude: float | None = 44.4268,
    longitude: float | None = 26.1025,
    language: str = "en",
    description: str = "",
    types: Sequence[str] = (),
    targets: Sequence[str] = (),
    languages: Sequence[str] = (),
    free: bool | None = None,
    hours: tuple[str, dt.time, dt.time] | None = None,
    translations: dict[str, dict[str, str]] | None = None,
    phone: str = "",
) -> Service:
    """One indexed service at one location; every argument is optional."""
    if organization is None:
        organization = Organization.objects.create(
            name=org_name, description="An organisation", country=country
        )
    service = Service.objects.create(
        organization=organization,
        name=name,
        description=description,
        language=language,
        translations=translations or {},
    )
    location = Location.objects.create(
        organization=organization, name=city, latitude=latitude, longitude=longitude
    )
    Address.objects.create(
        location=location,
        address_1="1 Test Street",
        city=city,
        state_province=city,
        postal_code="000000",
        country=country,
    )
    ServiceAtLocation.objects.create(service=service, location=location)
    for code in types:
        Attribute.objects.create(
            link_entity="service",
            link_id=service.pk,
            taxonomy_term_id=term_id(SERVICE_TYPE, code),
        )
    for code in targets:
        Attribute.objects.create(
            link_entity="service",
            link_id=service.pk,
            taxonomy_term_id=term_id(TARGET_GROUP, code),
        )
    for code in languages:
        Language.objects.create(service=service, code=code)
    if free is not None:
        CostOption.objects.create(
            service=service, amount=Decimal(0) if free else Decimal(50), currency="EUR"
        )
    if hours is not None:
        Schedule.objects.create(
            service=service, byday=hours[0], opens_at=hours[1], closes_at=hours[2]
        )
    if phone:
        Phone.objects.create(service=service, number=phone)
    search_index_refresh([service.pk])
    return service
