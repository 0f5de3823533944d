"""The public service, referral card and organisation pages."""

from __future__ import annotations

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from waypoint.directory.models import (
    Address,
    Attribute,
    Language,
    Location,
    Phone,
    Schedule,
    Service,
    ServiceAtLocation,
)
from waypoint.directory.taxonomies import ORGANIZATION_KIND, term_id
from waypoint.directory.testing import service_make

pytestmark = pytest.mark.django_db


def _url(name: str, pk: uuid.UUID) -> str:
    with translation.override("en"):
        return reverse(f"directory:{name}", kwargs={"pk": pk})


def _page(client: Client, name: str, pk: uuid.UUID) -> str:
    response = client.get(_url(name, pk))
    assert response.status_code == 200
    return response.content.decode()


def test_the_service_page_shows_its_phone_as_a_tel_link(client: Client) -> None:
    """Phones are click-to-call links in E.164 form, shown grouped for reading."""
    service = service_make(phone="+40211234567")
    html = _page(client, "service", service.pk)
    assert '<a class="phone" href="tel:+40211234567">+40 21 123 4567</a>' in html


def test_the_service_page_says_when_it_was_last_checked(client: Client) -> None:
    """ "Not yet checked" until an editor verifies it, then the date."""
    service = service_make()
    assert "Not yet checked" in _page(client, "service", service.pk)
    Service.objects.filter(pk=service.pk).update(
        last_verified_at=dt.datetime(2026, 3, 14, 10, 0, tzinfo=dt.UTC)
    )
    html = _page(client, "service", service.pk)
    assert "Last checked:" in html
    assert '<time datetime="2026-03-14">' in html


def test_the_service_page_shows_what_a_person_needs_to_know(client: Client) -> None:
    """Organisation, description, hours, languages, terms, costs, address."""
    service = service_make(
        name="Shelter for women",
        description="A safe place.",
        types=["shelter"],
        targets=["women-violence"],
        languages=["ro", "en"],
        free=True,
        hours=("MO,TU,WE,TH,FR", dt.time(9), dt.time(17)),
    )
    Service.objects.filter(pk=service.pk).update(
        email="help@example.org",
        eligibility_description="Women over 18.",
        application_process="Call first.",
    )
    html = _page(client, "service", service.pk)
    assert f'href="/en/organizations/{service.organization_id}/"' in html
    assert "A safe place." in html
    assert "Monday – Friday" in html
    assert "09:00–17:00" in html
    assert "Romanian, English" in html
    assert "Shelter" in html
    assert "Women victims of violence" in html
    assert "free of charge" in html
    assert 'href="mailto:help@example.org"' in html
    assert "Women over 18." in html
    assert "Call first." in html
    assert "1 Test Street" in html
    assert "Printable referral card" in html


def test_day_names_follow_the_readers_language(client: Client) -> None:
    """Opening days are named in the page's language."""
    service = service_make(hours=("SA,SU", dt.time(10), dt.time(14)))
    with translation.override("de"):
        url = reverse("directory:service", kwargs={"pk": service.pk})
    html = client.get(url).content.decode()
    assert "Samstag" in html
    assert "Sonntag" in html


def test_the_service_name_is_shown_in_the_readers_language(client: Client) -> None:
    """A translated name is used when it exists, and marked with its language."""
    service = service_make(
        name="Legal aid", translations={"ro": {"name": "Asistență juridică"}}
    )
    with translation.override("ro"):
        url = reverse("directory:service", kwargs={"pk": service.pk})
    html = client.get(url).content.decode()
    assert 'lang="ro">Asistență juridică</h1>' in html


@pytest.mark.parametrize("where", ["service", "organization", "phone"])
def test_demo_listings_carry_a_visible_warning(client: Client, where: str) -> None:
    """Invented data is marked wherever it shows: service, card and search."""
    service = service_make(name="Demo service", phone="+40211234567")
    if where == "service":
        Service.objects.filter(pk=service.pk).update(is_demo=True)
    elif where == "organization":
        type(service.organization).objects.filter(pk=service.organization_id).update(
            is_demo=True
        )
    else:
        Phone.objects.filter(service=service).update(is_demo=True)
    badge = "Demo data — not real contact information"
    assert badge in _page(client, "service", service.pk)
    assert badge in _page(client, "service_card", service.pk)
    with translation.override("en"):
        search = client.get(reverse("directory:search")).content.decode()
    assert badge in search


def test_real_listings_carry_no_demo_warning(client: Client) -> None:
    service = service_make(phone="+40211234567")
    assert "Demo data" not in _page(client, "service", service.pk)


@pytest.mark.parametrize("status", [Service.Status.DEFUNCT, Service.Status.INACTIVE])
def test_a_closed_down_service_is_not_found(client: Client, status: str) -> None:
    """Defunct and inactive services are gone from the public site."""
    service = service_make()
    Service.objects.filter(pk=service.pk).update(status=status)
    assert client.get(_url("service", service.pk)).status_code == 404
    assert client.get(_url("service_card", service.pk)).status_code == 404


def test_an_unknown_service_or_organisation_is_not_found(client: Client) -> None:
    assert client.get(_url("service", uuid.uuid4())).status_code == 404
    assert client.get(_url("service_card", uuid.uuid4())).status_code == 404
    assert client.get(_url("organization", uuid.uuid4())).status_code == 404


def test_the_referral_card_prints_with_a_static_script(client: Client) -> None:
    """A compact card: name, organisation, address, phone, hours, languages, URL."""
    service = service_make(
        name="Legal aid",
        phone="+40211234567",
        languages=["ro"],
        hours=("MO", dt.time(9), dt.time(12)),
    )
    html = _page(client, "service_card", service.pk)
    assert "Legal aid" in html
    assert "Test Association" in html
    assert "1 Test Street" in html
    assert 'href="tel:+40211234567"' in html
    assert "09:00–12:00" in html
    assert "Romanian" in html
    assert f"http://testserver/en/services/{service.pk}/" in html
    assert "/static/waypoint/print.js" in html
    assert "data-print" in html
    assert "<script>" not in html
    assert '<meta name="robots" content="noindex">' in html


def test_the_organisation_page_lists_its_kind_and_public_services(
    client: Client,
) -> None:
    """Kind from the organisation taxonomy; defunct services are left out."""
    service = service_make(name="Open service", phone="+40211234567")
    organization = service.organization
    closed = service_make(name="Closed service", organization=organization)
    Service.objects.filter(pk=closed.pk).update(status=Service.Status.DEFUNCT)
    Attribute.objects.create(
        link_entity="organization",
        link_id=organization.pk,
        taxonomy_term_id=term_id(ORGANIZATION_KIND, "ngo"),
    )
    html = _page(client, "organization", organization.pk)
    assert "Non-governmental organisation" in html
    assert "Open service" in html
    assert "Closed service" not in html
    assert "Romania" in html


def _grow(service: Service, extra: int) -> None:
    """Give a service more locations, phones, hours and languages."""
    for i in range(extra):
        location = Location.objects.create(
            organization=service.organization, name=f"Branch {i}"
        )
        Address.objects.create(
            location=location,
            address_1=f"{i} Street",
            city="Iași",
            state_province="Iași",
            country="RO",
        )
        sal = ServiceAtLocation.objects.create(service=service, location=location)
        Phone.objects.create(location=location, number=f"+4023212345{i % 10}")
        Phone.objects.create(service_at_location=sal, number="+40232000000")
        Schedule.objects.create(
            service_at_location=sal,
            byday="MO",
            opens_at=dt.time(9),
            closes_at=dt.time(12),
        )
        Language.objects.create(location=location, code="de")
        Phone.objects.create(service=service, number=f"+4021000000{i % 10}")


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("page", ["service", "service_card"])
def test_a_service_page_runs_a_constant_number_of_queries(
    client: Client, page: str
) -> None:
    """A service with one location or with many: the same number of queries."""
    small = service_make(name="Small", phone="+40211234567")
    large = service_make(name="Large", phone="+40211234567")
    _grow(large, 12)
    assert _count(client, _url(page, small.pk)) == _count(client, _url(page, large.pk))


def test_the_organisation_page_runs_a_constant_number_of_queries(
    client: Client,
) -> None:
    small = service_make(org_name="Small")
    large = service_make(org_name="Large")
    for i in range(10):
        service_make(name=f"Service {i}", organization=large.organization)
    assert _count(client, _url("organization", small.organization_id)) == _count(
        client, _url("organization", large.organization_id)
    )


@pytest.mark.parametrize("page", ["service", "service_card", "organization"])
def test_detail_pages_load_nothing_from_other_hosts(client: Client, page: str) -> None:
    """A CSP header; no address outside this site but the quick exit's."""
    service = service_make(phone="+40211234567")
    pk = service.organization_id if page == "organization" else service.pk
    response = client.get(_url(page, pk))
    assert "default-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    outside = {
        url
        for url in re.findall(r"https?://[^\"'\s<>]+", html)
        if not url.startswith("http://testserver/")
    }
    assert outside <= {"https://www.wikipedia.org/"}
    assert " style=" not in html
    assert "<style" not in html


def test_titles_do_not_name_what_was_looked_at(client: Client) -> None:
    """Browser history on a shared device shows only "Service details"."""
    service = service_make(name="Shelter for trafficking victims")
    html = _page(client, "service", service.pk)
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert "Shelter" not in title.group(1)
