"""Reads of the public directory.

Everything here is public data; the selectors exist so that every page and
API reads through the same prefetching (a constant number of queries per page)
and the same rules for what the public may see.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from typing import Any, NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Avg, Count, Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from waypoint.directory.models import (
    Address,
    Attribute,
    ChangeRecord,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    TaxonomyTerm,
)
from waypoint.directory.search import SearchQuery, run_search
from waypoint.directory.taxonomy_data import (
    AUTHORITY_ROLE,
    ORGANIZATION_KIND,
    SERVICE_TYPE,
    TARGET_GROUP,
)

PUBLIC_STATUSES = [Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED]


def _service_prefetch(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organization", "last_verified_by").prefetch_related(
        "phones",
        "languages",
        "schedules",
        "cost_options",
        "required_documents",
        "service_areas",
        "urls",
        "contacts",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related(
                "location"
            ).prefetch_related(
                "location__addresses",
                "location__phones",
                "location__accessibility",
                "location__languages",
                "location__schedules",
                "schedules",
                "phones",
            ),
        ),
    )


def terms_for(
    link_entity: str, link_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[TaxonomyTerm]]:
    """Taxonomy terms attached to each object, in one query."""
    found: dict[uuid.UUID, list[TaxonomyTerm]] = defaultdict(list)
    if not link_ids:
        return found
    for attribute in (
        Attribute.objects.filter(link_entity=link_entity, link_id__in=link_ids)
        .select_related("taxonomy_term__taxonomy_ref")
        .order_by("taxonomy_term__position", "taxonomy_term__name")
    ):
        found[attribute.link_id].append(attribute.taxonomy_term)
    return found


class TermLabel(NamedTuple):
    """A taxonomy term's code and names, read as plain values."""

    code: str
    name: str
    language: str
    translations: dict[str, Any]

    def translated(self, field_name: str, language: str | None) -> str:
        """As ``Translatable.translated``, for the name."""
        if language and language != self.language:
            text = (self.translations or {}).get(language, {}).get(field_name)
            if text:
                return str(text)
        return str(getattr(self, field_name) or "")


@dataclass
class CardFacts:
    """What a result card shows of a service's related rows, as plain values."""

    # (city, country) of the first address of its locations
    address: tuple[str, str] | None = None
    # (number, extension) of its first phone, then its locations'
    phone: tuple[str, int | None] | None = None
    # codes (or names, where a listing gives no code) of languages spoken
    languages: list[str] = field(default_factory=list)
    free: bool = False
    demo: bool = False
    types: list[TermLabel] = field(default_factory=list)


@dataclass
class ServiceSearchResults:
    services: list[Service]
    total: int
    page: int
    per_page: int
    facet_counts: dict[str, dict[str, int]]
    distances_km: dict[uuid.UUID, float]
    cards: dict[uuid.UUID, CardFacts]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _plain_rows(
    sql: str,
    where: list[tuple[str, list[uuid.UUID]]],
    *,
    uuids: int,
    before: list[Any] | None = None,
) -> list[list[Any]]:
    """Rows of constant ``sql`` where any (column IN ids) holds, as lists.

    ``{}`` in ``sql`` takes the conditions (empty lists left out); the first
    ``uuids`` columns are ids, given back as UUIDs on every database.
    """
    native = connection.features.has_native_uuid_field
    clauses: list[str] = []
    params: list[Any] = list(before or [])
    for column, values in where:
        if values:
            clauses.append(f"{column} IN ({', '.join(['%s'] * len(values))})")
            params += values if native else [v.hex for v in values]
    if not clauses:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql.format("(" + " OR ".join(clauses) + ")"), params)
        rows = [list(row) for row in cursor.fetchall()]
    if not native:
        for row in rows:
            for i in range(uuids):
                if row[i] is not None:
                    row[i] = _hex_uuid(row[i])
    return rows


@lru_cache(maxsize=4096)
def _hex_uuid(text: str) -> uuid.UUID:
    return uuid.UUID(text)


def _card_facts(services: list[Service]) -> dict[uuid.UUID, CardFacts]:
    """The related rows of the result cards, in six queries of plain values.

    A page of results touches a few hundred related rows; reading them as
    plain rows keeps the page's cost in the database (through the ORM,
    compiling the six queries and converting their values took ten times as
    long as running them). Orders within a service follow the rows' own
    order, as a prefetch would. Every value travels as a parameter.
    """
    ids = [s.pk for s in services]
    facts = {s.pk: CardFacts() for s in services}
    if not ids:
        return facts
    # Locations in the order of the service's links to them.
    locations_of: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    demo_locations: set[uuid.UUID] = set()
    sal_service: dict[uuid.UUID, uuid.UUID] = {}
    sal_location: dict[uuid.UUID, uuid.UUID] = {}
    for sal_id, service_id, location_id, location_demo in _plain_rows(
        "SELECT sal.id, sal.service_id, sal.location_id, l.is_demo "
        "FROM directory_serviceatlocation sal "
        "JOIN directory_location l ON l.id = sal.location_id WHERE {}",
        [("sal.service_id", ids)],
        uuids=3,
    ):
        locations_of[service_id].append(location_id)
        sal_service[sal_id] = service_id
        sal_location[sal_id] = location_id
        if location_demo:
            demo_locations.add(location_id)
    location_set = {lid for lids in locations_of.values() for lid in lids}
    location_ids = list(location_set)

    addresses: dict[uuid.UUID, tuple[str, str]] = {}
    for location_id, city, country in _plain_rows(
        "SELECT location_id, city, country FROM directory_address WHERE {}",
        [("location_id", location_ids)],
        uuids=1,
    ):
        addresses.setdefault(location_id, (city, country))

    phones_of_service: dict[uuid.UUID, list[tuple[str, int | None]]] = defaultdict(list)
    phones_of_sal: dict[uuid.UUID, list[tuple[str, int | None]]] = defaultdict(list)
    phones_of_location: dict[uuid.UUID, list[tuple[str, int | None]]] = defaultdict(
        list
    )
    demo_phone_services: set[uuid.UUID] = set()
    for service_id, sal_id, location_id, number, extension, phone_demo in _plain_rows(
        "SELECT service_id, service_at_location_id, location_id, number, "
        "extension, is_demo FROM directory_phone WHERE {}",
        [
            ("service_id", ids),
            ("service_at_location_id", list(sal_service)),
            ("location_id", location_ids),
        ],
        uuids=3,
    ):
        phone = (number, extension)
        if service_id in facts:
            phones_of_service[service_id].append(phone)
            if phone_demo:
                demo_phone_services.add(service_id)
        if sal_id in sal_service:
            phones_of_sal[sal_id].append(phone)
        if location_id in location_set:
            phones_of_location[location_id].append(phone)
            if phone_demo:
                demo_locations.add(location_id)

    languages_of_service: dict[uuid.UUID, list[str]] = defaultdict(list)
    languages_of_location: dict[uuid.UUID, list[str]] = defaultdict(list)
    for service_id, location_id, code, name in _plain_rows(
        "SELECT service_id, location_id, code, name FROM directory_language WHERE {}",
        [("service_id", ids), ("location_id", location_ids)],
        uuids=2,
    ):
        label = (code or name).strip()
        if service_id in facts:
            languages_of_service[service_id].append(label)
        if location_id in location_set:
            languages_of_location[location_id].append(label)

    amounts: dict[uuid.UUID, list[Decimal | None]] = defaultdict(list)
    for service_id, amount in _plain_rows(
        "SELECT service_id, amount FROM directory_costoption WHERE {}",
        [("service_id", ids)],
        uuids=1,
    ):
        # Only compared with zero: a number of any type will do.
        amounts[service_id].append(amount)

    for link_id, code, name, language, translations in _plain_rows(
        "SELECT a.link_id, t.code, t.name, t.language, t.translations "
        "FROM directory_attribute a "
        "JOIN directory_taxonomyterm t ON t.id = a.taxonomy_term_id "
        "JOIN directory_taxonomy x ON x.id = t.taxonomy_ref_id "
        "WHERE a.link_entity = %s AND x.code = %s AND {} "
        "ORDER BY t.position, t.name",
        [("a.link_id", ids)],
        uuids=1,
        before=["service", SERVICE_TYPE],
    ):
        if not isinstance(translations, dict):
            translations = json.loads(translations or "{}")
        facts[link_id].types.append(TermLabel(code, name, language, translations))

    sals_of: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for sal_id, service_id in sal_service.items():
        sals_of[service_id].append(sal_id)
    for service in services:
        card = facts[service.pk]
        locations = locations_of.get(service.pk, [])
        card.address = next(
            (addresses[lid] for lid in locations if lid in addresses), None
        )
        phones = list(phones_of_service.get(service.pk, []))
        for sal_id in sals_of.get(service.pk, []):
            phones += phones_of_sal.get(sal_id, [])
            phones += phones_of_location.get(sal_location[sal_id], [])
        card.phone = phones[0] if phones else None
        spoken: dict[str, None] = dict.fromkeys(
            languages_of_service.get(service.pk, [])
        )
        for lid in locations:
            spoken.update(dict.fromkeys(languages_of_location.get(lid, [])))
        card.languages = [code for code in spoken if code]
        costs = amounts.get(service.pk, [])
        card.free = bool(costs) and all(
            a is not None and a == Decimal(0) for a in costs
        )
        card.demo = (
            service.is_demo
            or service.organization.is_demo
            or service.pk in demo_phone_services
            or any(lid in demo_locations for lid in locations)
        )
    return facts


def service_search(*, query: SearchQuery) -> ServiceSearchResults:
    """One page of public search results with everything a result card shows.

    A fixed number of queries: the search itself (page, total, counts), the
    services with their organisations, and the cards' related rows.
    """
    page = run_search(query, now=timezone.now())
    # Only what a card shows: the long texts stay in the database.
    by_id = {
        s.pk: s
        for s in Service.objects.filter(pk__in=page.service_ids)
        .select_related("organization")
        .only(
            "name",
            "language",
            "translations",
            "status",
            "last_verified_at",
            "is_demo",
            "organization__name",
            "organization__language",
            "organization__translations",
            "organization__is_demo",
        )
    }
    services = [by_id[pk] for pk in page.service_ids if pk in by_id]
    return ServiceSearchResults(
        services=services,
        total=page.total,
        page=query.page,
        per_page=query.per_page,
        facet_counts=page.facet_counts,
        distances_km=page.distances_km,
        cards=_card_facts(services),
    )


def service_get_public(*, pk: uuid.UUID) -> Service:
    service = _service_prefetch(
        Service.objects.filter(pk=pk, status__in=PUBLIC_STATUSES)
    ).first()
    if service is None:
        raise Http404("No such service")
    return service


def organization_get_public(*, pk: uuid.UUID) -> Organization:
    organization = (
        Organization.objects.select_related("last_verified_by", "parent_organization")
        .prefetch_related(
            "phones",
            "urls",
            "contacts",
            Prefetch(
                "services",
                queryset=Service.objects.filter(status__in=PUBLIC_STATUSES).order_by(
                    "name"
                ),
            ),
            Prefetch(
                "locations",
                queryset=Location.objects.prefetch_related("addresses"),
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if organization is None:
        raise Http404("No such organisation")
    return organization


def taxonomy_terms(code: str) -> list[TaxonomyTerm]:
    return list(
        TaxonomyTerm.objects.filter(taxonomy_ref__code=code).order_by("position")
    )


def filter_terms() -> dict[str, list[TermLabel]]:
    """The service types and target groups offered as filters, in one query."""
    found: dict[str, list[TermLabel]] = {"type": [], "target": []}
    facet_of = {SERVICE_TYPE: "type", TARGET_GROUP: "target"}
    for taxonomy_code, code, name, language, translations in (
        TaxonomyTerm.objects.filter(taxonomy_ref__code__in=list(facet_of))
        .order_by("position")
        .values_list("taxonomy_ref__code", "code", "name", "language", "translations")
    ):
        found[facet_of[str(taxonomy_code)]].append(
            TermLabel(code, name, language, translations)
        )
    return found


def organization_kind_terms() -> list[TaxonomyTerm]:
    return taxonomy_terms(ORGANIZATION_KIND)


def authority_role_terms() -> list[TaxonomyTerm]:
    return taxonomy_terms(AUTHORITY_ROLE)


@dataclass(frozen=True)
class City:
    name: str
    country: str
    latitude: float
    longitude: float
    services: int


CITY_CACHE_KEY = "directory:cities:v2"


def cities() -> list[City]:
    """Cities with located services, for "sort by distance from …".

    A city is the one of a location's street address or, for a location
    known only to its city (no address), the location's name in its
    organisation's country: the search's city facet reads them the same way.
    Cached: it changes only when locations do (``cities_forget`` clears it).
    """
    cached: list[City] | None = cache.get(CITY_CACHE_KEY)
    if cached is not None:
        return cached
    located = {"latitude__isnull": False, "longitude__isnull": False}
    by_address = (
        Address.objects.filter(**{f"location__{k}": v for k, v in located.items()})
        .values("city", "country")
        .annotate(
            lat=Avg("location__latitude"),
            lon=Avg("location__longitude"),
            n=Count("location__service_at_locations"),
        )
        .order_by()
    )
    by_name = (
        Location.objects.filter(addresses__isnull=True, **located)
        .values("name", "organization__country")
        .annotate(
            lat=Avg("latitude"),
            lon=Avg("longitude"),
            n=Count("service_at_locations"),
        )
        .order_by()
    )
    # (lat sum, lon sum, weight, services) per (country, city)
    found: dict[tuple[str, str], list[float]] = {}
    for city, country, lat, lon, n in [
        *((r["city"], r["country"], r["lat"], r["lon"], r["n"]) for r in by_address),
        *(
            (r["name"], r["organization__country"], r["lat"], r["lon"], r["n"])
            for r in by_name
            if r["organization__country"]
        ),
    ]:
        if not city:
            continue
        weight = max(int(n), 1)
        sums = found.setdefault((country, city), [0.0, 0.0, 0.0, 0.0])
        sums[0] += float(lat) * weight
        sums[1] += float(lon) * weight
        sums[2] += weight
        sums[3] += int(n)
    result = [
        City(city, country, sums[0] / sums[2], sums[1] / sums[2], int(sums[3]))
        for (country, city), sums in sorted(found.items())
    ]
    cache.set(CITY_CACHE_KEY, result, 3600)
    return result


def cities_forget() -> None:
    cache.delete(CITY_CACHE_KEY)


def listing_history(*, organization: Organization) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(organization_id=organization.pk).select_related(
        "actor"
    )


def listings_available_for_membership(*, query: str) -> QuerySet[Organization]:
    """Directory listings matching ``query`` that are not member organisations yet."""
    listings = Organization.objects.filter(member__isnull=True).order_by("name")
    if query:
        listings = listings.filter(name__icontains=query)
    return listings
