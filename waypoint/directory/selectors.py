"""Reads of the public directory.

Everything here is public data; the selectors exist so that every page and
API reads through the same prefetching (a constant number of queries per page)
and the same rules for what the public may see.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
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


def _card_prefetch(qs: QuerySet[Service]) -> QuerySet[Service]:
    """What a search result card shows: fewer relations than the full page."""
    return qs.select_related("organization").prefetch_related(
        "phones",
        "languages",
        "cost_options",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related(
                "location"
            ).prefetch_related(
                "location__addresses",
                "location__phones",
                "location__languages",
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


@dataclass
class ServiceSearchResults:
    services: list[Service]
    total: int
    page: int
    per_page: int
    facet_counts: dict[str, dict[str, int]]
    distances_km: dict[uuid.UUID, float]
    service_terms: dict[uuid.UUID, list[TaxonomyTerm]]

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def service_search(*, query: SearchQuery) -> ServiceSearchResults:
    """One page of public search results with everything a result card shows.

    A fixed number of queries: the search itself (page, total, counts), the
    services with their related rows, and their taxonomy terms.
    """
    page = run_search(query, now=timezone.now())
    by_id = {
        s.pk: s for s in _card_prefetch(Service.objects.filter(pk__in=page.service_ids))
    }
    services = [by_id[pk] for pk in page.service_ids if pk in by_id]
    return ServiceSearchResults(
        services=services,
        total=page.total,
        page=query.page,
        per_page=query.per_page,
        facet_counts=page.facet_counts,
        distances_km=page.distances_km,
        service_terms=terms_for("service", [s.pk for s in services]),
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


def filter_terms() -> dict[str, list[TaxonomyTerm]]:
    return {
        "type": taxonomy_terms(SERVICE_TYPE),
        "target": taxonomy_terms(TARGET_GROUP),
    }


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


CITY_CACHE_KEY = "directory:cities:v1"


def cities() -> list[City]:
    """Cities with located services, for "sort by distance from …".

    Cached: it changes only when locations do (``cities_forget`` clears it).
    """
    cached: list[City] | None = cache.get(CITY_CACHE_KEY)
    if cached is not None:
        return cached
    rows = (
        Address.objects.filter(
            location__latitude__isnull=False, location__longitude__isnull=False
        )
        .values("city", "country")
        .annotate(
            lat=Avg("location__latitude"),
            lon=Avg("location__longitude"),
            n=Count("location__service_at_locations"),
        )
        .order_by("country", "city")
    )
    result = [
        City(r["city"], r["country"], float(r["lat"]), float(r["lon"]), r["n"])
        for r in rows
        if r["city"]
    ]
    cache.set(CITY_CACHE_KEY, result, 3600)
    return result


def cities_forget() -> None:
    cache.delete(CITY_CACHE_KEY)


def listing_history(*, organization: Organization) -> QuerySet[ChangeRecord]:
    return ChangeRecord.objects.filter(organization_id=organization.pk).select_related(
        "actor"
    )
