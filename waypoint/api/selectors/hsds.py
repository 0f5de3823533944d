"""Which objects a request of the HSDS API selects, in which order.

Every filter combines with the others (AND). Lists are ordered by id, which
the primary key index gives for free, except a free-text search (by
relevance, through the directory's own ``run_search``, unless combined with
an HSDS filter, a distance sort or streaming) and a proximity sort (by
distance).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC
from typing import Any

from django.db import connection
from django.db.models import Avg, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from waypoint.api.schemas.hsds import (
    OrganizationParams,
    PageParams,
    ServiceAtLocationParams,
    ServiceFilterParams,
    ServiceParams,
    TaxonomyTermParams,
)
from waypoint.directory.hsds.mapping import PUBLIC_STATUSES
from waypoint.directory.models import (
    Attribute,
    Location,
    Organization,
    Service,
    ServiceAtLocation,
    ServiceFacet,
    Taxonomy,
    TaxonomyTerm,
)
from waypoint.directory.search import (
    FTS_TABLE,
    SearchQuery,
    haversine_km,
    run_search,
)
from waypoint.lib.text import search_terms


@dataclass
class Selection:
    """The ids of one page (or, streaming, of everything) and the total."""

    ids: list[Any]
    total: int


def _page(ids: list[Any], params: PageParams, *, stream: bool) -> Selection:
    if stream:
        return Selection(ids=ids, total=len(ids))
    start = (params.page - 1) * params.per_page
    return Selection(ids=ids[start : start + params.per_page], total=len(ids))


def _queryset_page(
    qs: QuerySet[Any],
    params: PageParams,
    *,
    stream: bool,
    count: Callable[[], int] | None = None,
) -> Selection:
    qs = qs.order_by("pk")
    if stream:
        ids = list(qs.values_list("pk", flat=True))
        return Selection(ids=ids, total=len(ids))
    start = (params.page - 1) * params.per_page
    ids = list(qs.values_list("pk", flat=True)[start : start + params.per_page])
    return Selection(ids=ids, total=count() if count is not None else qs.count())


def public_services_count() -> int:
    """How many services are public: every service less those that are not.

    SQLite counts a whole table without reading its rows (it adds up the
    cells of an index's pages), and the services that are not public are few,
    in their own partial index. Counting the public ones directly walked one
    index entry per service: 6 to 13 ms at 100,000 services, on every page of
    ``/services``; this takes well under a millisecond.
    """
    # The statuses are written into the SQL as literals: SQLite uses a
    # partial index only when the query's condition is the index's own text,
    # and a bound parameter could hold anything.
    statuses = ", ".join(
        "'" + str(status).replace("'", "''") + "'" for status in PUBLIC_STATUSES
    )
    table = connection.ops.quote_name(Service._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT (SELECT COUNT(*) FROM {table}) - "  # noqa: S608 - constants
            f"(SELECT COUNT(*) FROM {table} WHERE NOT (status IN ({statuses})))"
        )
        return int(cursor.fetchone()[0])


def search_matches(text: str) -> RawSQL | None:
    """The ids of active services matching ``text``, as a subquery.

    The same folded documents and full-text index as the public search.
    """
    terms = search_terms(text)
    if not terms:
        return None
    if connection.vendor == "postgresql":
        return RawSQL(
            "SELECT se.service_id FROM directory_searchentry se, "
            "to_tsquery('simple', %s) AS tsq "
            "WHERE se.search_vector @@ tsq AND se.is_active",
            (" & ".join(f"{t}:*" for t in terms),),
        )
    return RawSQL(  # noqa: S611 - constant SQL, the query is a parameter
        f"SELECT se.service_id FROM directory_searchentry se "  # noqa: S608
        f"JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = se.id "
        f"WHERE {FTS_TABLE} MATCH %s AND se.is_active = 1",
        (" ".join(f'"{t}"*' for t in terms),),
    )


def _facet(name: str, value: str) -> QuerySet[ServiceFacet, Any]:
    return ServiceFacet.objects.filter(facet=name, value=value).values("service_id")


def _service_conditions(params: ServiceFilterParams) -> tuple[Q, bool]:
    """Conditions on services; the flag says whether HSDS filters are among them."""
    q = Q(status__in=PUBLIC_STATUSES)
    hsds = False
    if params.organization_id is not None:
        q &= Q(organization_id=params.organization_id)
        hsds = True
    if params.modified_after is not None:
        after = params.modified_after
        if timezone.is_naive(after):
            after = after.replace(tzinfo=UTC)
        q &= Q(updated_at__gte=after)
        hsds = True
    if params.taxonomy_term_id is not None:
        q &= Q(
            pk__in=Attribute.objects.filter(
                link_entity="service", taxonomy_term_id=params.taxonomy_term_id
            ).values("link_id")
        )
        hsds = True
    if params.taxonomy_id is not None:
        q &= Q(
            pk__in=Attribute.objects.filter(
                link_entity="service",
                taxonomy_term__taxonomy_ref_id=params.taxonomy_id,
            ).values("link_id")
        )
        hsds = True
    if params.x_country:
        q &= Q(pk__in=_facet("country", params.x_country.upper()))
    if params.x_language:
        q &= Q(pk__in=_facet("lang", params.x_language.lower()))
    if params.x_target_group:
        q &= Q(pk__in=_facet("target", params.x_target_group))
    return q, hsds


def _near(params: ServiceFilterParams) -> tuple[float, float] | None:
    if params.x_lat is None or params.x_lon is None:
        return None
    return (params.x_lat, params.x_lon)


def _by_distance(
    rows: list[tuple[Any, float | None, float | None]],
    near: tuple[float, float],
    radius_km: float | None,
) -> list[Any]:
    located: list[tuple[float, str, Any]] = []
    unlocated: list[Any] = []
    for pk, lat, lon in rows:
        if lat is None or lon is None:
            unlocated.append(pk)
            continue
        distance = haversine_km(near, (lat, lon))
        if radius_km is None or distance <= radius_km:
            located.append((distance, str(pk), pk))
    located.sort()
    ordered = [pk for _d, _s, pk in located]
    return ordered if radius_km is not None else ordered + sorted(unlocated, key=str)


def _ranked(params: ServiceParams, text: str) -> Selection:
    """A page of a free-text search, by relevance, from the directory's search."""
    page = run_search(
        SearchQuery(
            text=text,
            country=(params.x_country or "").upper(),
            languages=[params.x_language.lower()] if params.x_language else [],
            targets=[params.x_target_group] if params.x_target_group else [],
            page=params.page,
            per_page=params.per_page,
        ),
        now=timezone.now(),
        facets=False,  # HSDS pages have no facet counts
    )
    return Selection(ids=page.service_ids, total=page.total)


def services_select(params: ServiceParams, *, stream: bool) -> Selection:
    q, hsds = _service_conditions(params)
    near = _near(params)
    text = (params.search or "").strip()
    if text and search_terms(text) and not (hsds or stream or near):
        # The public search's own ranking. Combined with HSDS filters, a
        # distance sort or streaming, matches are filtered instead (id order).
        return _ranked(params, text)
    qs = Service.objects.filter(q)
    if text:
        matches = search_matches(text)
        qs = qs.filter(pk__in=matches) if matches is not None else qs.none()
    if near is not None:
        rows = list(
            qs.values_list("pk", "search_entry__latitude", "search_entry__longitude")
        )
        return _page(
            _by_distance(rows, near, params.x_radius_km), params, stream=stream
        )
    if q == Q(status__in=PUBLIC_STATUSES) and not text:
        # No filter beyond "public": the cheap whole-table count applies.
        return _queryset_page(qs, params, stream=stream, count=public_services_count)
    return _queryset_page(qs, params, stream=stream)


def service_at_locations_select(
    params: ServiceAtLocationParams, *, stream: bool
) -> Selection:
    q, _hsds = _service_conditions(params)
    service_ids = Service.objects.filter(q).values("pk")
    qs = ServiceAtLocation.objects.filter(service_id__in=service_ids)
    text = (params.search or "").strip()
    if text:
        matches = search_matches(text)
        qs = qs.filter(service_id__in=matches) if matches is not None else qs.none()
    near = _near(params)
    radius = params.x_radius_km
    if params.postcode:
        code = params.postcode.strip()
        at_postcode = Location.objects.filter(addresses__postal_code__iexact=code)
        if params.proximity is not None:
            centre = at_postcode.aggregate(lat=Avg("latitude"), lon=Avg("longitude"))
            if centre["lat"] is None or centre["lon"] is None:
                return Selection(ids=[], total=0)
            near = (float(centre["lat"]), float(centre["lon"]))
            radius = params.proximity / 1000
        else:
            qs = qs.filter(location_id__in=at_postcode.values("pk"))
    if near is not None:
        rows = list(qs.values_list("pk", "location__latitude", "location__longitude"))
        return _page(_by_distance(rows, near, radius), params, stream=stream)
    return _queryset_page(qs, params, stream=stream)


def organizations_select(params: OrganizationParams, *, stream: bool) -> Selection:
    qs = Organization.objects.all()
    text = (params.search or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(alternate_name__icontains=text))
    if params.x_country:
        qs = qs.filter(country=params.x_country.upper())
    return _queryset_page(qs, params, stream=stream)


def taxonomies_select(params: PageParams, *, stream: bool) -> Selection:
    qs = Taxonomy.objects.all()
    text = (params.search or "").strip()
    if text:
        qs = qs.filter(Q(name__icontains=text) | Q(description__icontains=text))
    return _queryset_page(qs, params, stream=stream)


def taxonomy_terms_select(params: TaxonomyTermParams, *, stream: bool) -> Selection:
    qs = TaxonomyTerm.objects.all()
    text = (params.search or "").strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text)
            | Q(code__iexact=text)
            | Q(description__icontains=text)
        )
    if params.taxonomy_id is not None:
        qs = qs.filter(taxonomy_ref_id=params.taxonomy_id)
    if params.top_only:
        qs = qs.filter(parent__isnull=True)
    if params.parent_id is not None:
        qs = qs.filter(parent_id=params.parent_id)
    return _queryset_page(qs, params, stream=stream)


def parse_id(value: str) -> uuid.UUID:
    """A path id as a UUID; anything else names no object (404)."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise Http404("No such object") from None


def total_pages(total: int, per_page: int) -> int:
    return math.ceil(total / per_page)
