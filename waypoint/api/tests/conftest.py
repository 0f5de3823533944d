"""Fixtures for the HSDS API tests: directories."""

from __future__ import annotations

import datetime as dt

import pytest

from waypoint.directory.demo import demo_load
from waypoint.directory.models import (
    Accessibility,
    Contact,
    Phone,
    Service,
    ServiceAtLocation,
)
from waypoint.lib.testing import service_make


@pytest.fixture
def demo_directory(db: None) -> None:
    """The demonstration directory built from the source documents."""
    demo_load()


def make_services(count: int, *, prefix: str = "Service") -> list[Service]:
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


@pytest.fixture
def generated_directory(db: None) -> list[Service]:
    return make_services(12)
