"""Builders for tests: small, explicit directory objects with sane defaults,
and member organisations (a listing with staff on the platform)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from waypoint.accounts.models import MemberOrganization
from waypoint.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
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


def member_organization_make(name: str, country: str = "RO") -> MemberOrganization:
    listing = Organization.objects.create(
        name=name, description=f"{name}, a member of the network.", country=country
    )
    return MemberOrganization.objects.create(organization=listing)


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


def services_make(count: int, *, prefix: str = "Service") -> list[Service]:
    """``count`` varied services with every kind of nested object."""
    countries = ["RO", "BG", "DE", "SE", "ES", "GR", "IT", "BE"]
    services = []
    for n in range(count):
        country = countries[n % len(countries)]
        service = service_make(
            name=f"{prefix} {n:03d}",
            org_name=f"Organisation {n:03d}",
            country=country,
            city=f"City {n % 5}",
            latitude=40.0 + n % 10,
            longitude=20.0 + n % 7,
            description=f"Support number {n} for victims",
            types=["legal-counselling"] if n % 2 else ["psychological-counselling"],
            targets=["thb"] if n % 3 else ["refugees"],
            languages=["en", "ro"] if n % 2 else ["de"],
            free=n % 4 != 0,
            hours=("MO,TU,WE", dt.time(9), dt.time(17)),
            translations={"ro": {"name": f"Serviciu {n:03d}"}},
            phone=f"+4021000{n:04d}",
        )
        sal = ServiceAtLocation.objects.get(service=service)
        contact = Contact.objects.create(
            service=service, name="Reception", email="r@example.org"
        )
        Phone.objects.create(contact=contact, number="+40210000000")
        Accessibility.objects.create(location=sal.location, description="Step-free")
        services.append(service)
    return services
