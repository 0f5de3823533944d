"""The directory's full-text search: index building and querying.

Each service has one ``SearchEntry`` holding two folded documents (see
``waypoint.lib.text.fold``): its names, and everything else a person might
type (descriptions, the organisation, taxonomy terms and country names in
every platform language, cities, languages spoken). SQLite searches them with
FTS5 (bm25 ranking), PostgreSQL with a generated ``tsvector`` (``ts_rank``).
SQL is assembled from constant fragments only; every value travels as a
parameter (hence the S608 exemptions below).
Filters live in ``ServiceFacet`` rows, so filtering and counting per value are
the same narrow, indexed query for every facet.
"""

from __future__ import annotations

import math
import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection

from waypoint.directory.models import (
    Attribute,
    Organization,
    SearchEntry,
    Service,
    ServiceFacet,
    ServiceOpening,
)
from waypoint.directory.taxonomy_data import SERVICE_TYPE, TARGET_GROUP
from waypoint.lib.countries import country_name, country_timezone, language_name
from waypoint.lib.text import fold, fold_variants, search_terms

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
FACETS = ("country", "city", "region", "type", "target", "lang", "free")
_TERM_FACET = {SERVICE_TYPE: "type", TARGET_GROUP: "target"}
_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

FTS_TABLE = "directory_searchentry_fts"


# --- Building the index -----------------------------------------------------


def _all_languages(obj: object, field_name: str) -> list[str]:
    texts = [str(getattr(obj, field_name, "") or "")]
    translations = getattr(obj, "translations", {}) or {}
    for values in translations.values():
        text = values.get(field_name) if isinstance(values, dict) else None
        if text:
            texts.append(str(text))
    return [t for t in texts if t]


def _is_free(service: Service) -> bool:
    amounts = [c.amount for c in service.cost_options.all()]
    return bool(amounts) and all(a is not None and a == Decimal(0) for a in amounts)


def _minutes(value: object) -> int:
    return int(value.hour) * 60 + int(value.minute)  # type: ignore[attr-defined]


def search_index_refresh(service_ids: Iterable[uuid.UUID]) -> None:
    """Rebuild the search entry, facets and opening rows of these services.

    Runs a fixed number of queries per call whatever the number of services,
    so the importer and generator can refresh thousands at a time.
    """
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return
    services = list(
        Service.objects.filter(pk__in=ids)
        .select_related("organization")
        .prefetch_related(
            "cost_options",
            "languages",
            "schedules",
            "service_at_locations__location__addresses",
            "service_at_locations__location__languages",
            "service_at_locations__schedules",
        )
    )
    org_ids = {s.organization_id for s in services}
    terms_by_link: dict[uuid.UUID, list[Attribute]] = defaultdict(list)
    for attribute in Attribute.objects.filter(
        link_id__in=[*ids, *org_ids], link_entity__in=["service", "organization"]
    ).select_related("taxonomy_term__taxonomy_ref"):
        terms_by_link[attribute.link_id].append(attribute)

    entries: list[SearchEntry] = []
    facets: list[ServiceFacet] = []
    openings: list[ServiceOpening] = []
    for service in services:
        entry, service_facets, service_openings = _index_one(
            service, terms_by_link[service.pk] + terms_by_link[service.organization_id]
        )
        entries.append(entry)
        facets.extend(service_facets)
        openings.extend(service_openings)

    found = [s.pk for s in services]
    SearchEntry.objects.filter(service_id__in=ids).delete()
    ServiceFacet.objects.filter(service_id__in=ids).delete()
    ServiceOpening.objects.filter(service_id__in=ids).delete()
    SearchEntry.objects.bulk_create(entries, batch_size=500)
    ServiceFacet.objects.bulk_create(facets, batch_size=2000)
    ServiceOpening.objects.bulk_create(openings, batch_size=2000)
    del found


def _index_one(
    service: Service, attributes: Sequence[Attribute]
) -> tuple[SearchEntry, list[ServiceFacet], list[ServiceOpening]]:
    org: Organization = service.organization
    names: list[str] = []
    body: list[str] = []
    facet_values: set[tuple[str, str]] = set()

    for f in ("name", "alternate_name"):
        names += _all_languages(service, f)
    for f in ("description", "eligibility_description", "interpretation_services"):
        body += _all_languages(service, f)
    for f in ("name", "alternate_name"):
        body += _all_languages(org, f)

    countries: set[str] = {org.country} if org.country else set()
    latitude: float | None = None
    longitude: float | None = None
    for sal in service.service_at_locations.all():
        location = sal.location
        if latitude is None and location.latitude is not None:
            latitude, longitude = location.latitude, location.longitude
        body += _all_languages(location, "name")
        for address in location.addresses.all():
            countries.add(address.country)
            body += [address.city, address.region, address.state_province]
            if address.city:
                facet_values.add(("city", address.city[:100]))
            region = address.region or address.state_province
            if region:
                facet_values.add(("region", region[:100]))
        for language in location.languages.all():
            if language.code:
                facet_values.add(("lang", language.code.lower()))
    for language in service.languages.all():
        if language.code:
            facet_values.add(("lang", language.code.lower()))

    for country in countries:
        facet_values.add(("country", country))
        body += [country_name(country, lang) for lang in LANGUAGE_CODES]
    for code in {v for f, v in facet_values if f == "lang"}:
        body += [language_name(code, lang) for lang in LANGUAGE_CODES]

    for attribute in attributes:
        term = attribute.taxonomy_term
        body += _all_languages(term, "name")
        taxonomy_code = term.taxonomy_ref.code if term.taxonomy_ref else None
        facet = _TERM_FACET.get(taxonomy_code or "")
        if facet and attribute.link_entity == "service":
            facet_values.add((facet, term.code))

    if _is_free(service):
        facet_values.add(("free", "1"))

    tz_name = country_timezone(sorted(countries)[0]) if countries else ""
    entry = SearchEntry(
        service_id=service.pk,
        name_doc=fold_variants(" ".join(names)),
        body_doc=fold_variants(" ".join(t for t in body if t)),
        latitude=latitude,
        longitude=longitude,
        timezone=tz_name,
        is_active=service.status == Service.Status.ACTIVE,
    )
    facets = [
        ServiceFacet(service_id=service.pk, facet=f, value=v)
        for f, v in sorted(facet_values)
    ]
    schedules = list(service.schedules.all())
    for sal in service.service_at_locations.all():
        schedules += list(sal.schedules.all())
    openings: list[ServiceOpening] = []
    for schedule in schedules:
        if schedule.opens_at is None or schedule.closes_at is None:
            continue
        opens, closes = _minutes(schedule.opens_at), _minutes(schedule.closes_at)
        for day in schedule.days:
            weekday = _DAYS.get(day.upper()[-2:])
            if weekday is None:
                continue
            spans = (
                [(weekday, opens, closes)]
                if closes > opens
                # Past midnight: the rest of the day, then the next morning.
                else [(weekday, opens, 24 * 60), ((weekday + 1) % 7, 0, closes)]
            )
            for wd, o, c in spans:
                openings.append(
                    ServiceOpening(
                        service_id=service.pk,
                        weekday=wd,
                        opens=o,
                        closes=c,
                        valid_from=schedule.valid_from,
                        valid_to=schedule.valid_to,
                    )
                )
    return entry, facets, openings


# --- Querying ---------------------------------------------------------------


@dataclass
class SearchQuery:
    text: str = ""
    country: str = ""
    city: str = ""
    region: str = ""
    types: list[str] = field(default_factory=list)
    targets: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    free: bool = False
    open_now: bool = False
    near: tuple[float, float] | None = None
    page: int = 1
    per_page: int = 20

    def facet_filters(self) -> list[tuple[str, str]]:
        pairs = [
            ("country", self.country),
            ("city", self.city),
            ("region", self.region),
        ]
        pairs += [("type", v) for v in self.types]
        pairs += [("target", v) for v in self.targets]
        pairs += [("lang", v) for v in self.languages]
        if self.free:
            pairs.append(("free", "1"))
        return [(f, v) for f, v in pairs if v]


@dataclass
class SearchPage:
    service_ids: list[uuid.UUID]
    total: int
    facet_counts: dict[str, dict[str, int]]
    distances_km: dict[uuid.UUID, float]


def _fts_condition(terms: list[str]) -> tuple[str, str, list[Any]]:
    """Join, score expression and parameters for the full-text match."""
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in terms)
        return (
            ", to_tsquery('simple', %s) AS tsq",
            "ts_rank(se.search_vector, tsq)",
            [tsquery],
        )
    match = " ".join(f'"{t}"*' for t in terms)
    return (
        f" JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = se.id",
        f"-bm25({FTS_TABLE}, 10.0, 1.0)",
        [match],
    )


def _where(query: SearchQuery, now: datetime) -> tuple[list[str], list[Any]]:
    clauses = ["se.is_active"]
    params: list[Any] = []
    if connection.vendor == "sqlite":
        clauses = ["se.is_active = 1"]
    for facet, value in query.facet_filters():
        clauses.append(
            "se.service_id IN (SELECT service_id FROM directory_servicefacet "
            "WHERE facet = %s AND value = %s)"
        )
        params += [facet, value]
    if query.open_now:
        groups: list[str] = []
        for tz_name in _timezones_in_use():
            local = now.astimezone(ZoneInfo(tz_name))
            minute = local.hour * 60 + local.minute
            groups.append(
                "(se.timezone = %s AND EXISTS ("
                "SELECT 1 FROM directory_serviceopening o "
                "WHERE o.service_id = se.service_id AND o.weekday = %s "
                "AND o.opens <= %s AND o.closes > %s "
                "AND (o.valid_from IS NULL OR o.valid_from <= %s) "
                "AND (o.valid_to IS NULL OR o.valid_to >= %s)))"
            )
            today: date = local.date()
            params += [tz_name, local.weekday(), minute, minute, today, today]
        clauses.append("(" + (" OR ".join(groups) or "1 = 0") + ")")
    return clauses, params


def _timezones_in_use() -> list[str]:
    return sorted(
        set(
            SearchEntry.objects.exclude(timezone="")
            .values_list("timezone", flat=True)
            .distinct()
        )
    )


def _distance_expression(near: tuple[float, float]) -> tuple[str, list[Any]]:
    """A monotone stand-in for distance (equirectangular), plain arithmetic.

    SQLite has no trigonometry by default; the exact great-circle distance
    is computed in Python for the page being shown.
    """
    lat, lon = near
    scale = math.cos(math.radians(lat))
    return (
        "((se.latitude - %s) * (se.latitude - %s) + "
        "((se.longitude - %s) * %s) * ((se.longitude - %s) * %s))",
        [lat, lat, lon, scale, lon, scale],
    )


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def run_search(query: SearchQuery, *, now: datetime) -> SearchPage:
    """Find the services matching ``query``: one page of ids, total, counts.

    Three SQL statements whatever the size of the directory or of the page.
    """
    terms = search_terms(query.text)
    join, score, params = "", "0", list[Any]()
    if terms:
        join, score, params = _fts_condition(terms)
    clauses, where_params = _where(query, now)
    if terms:
        if connection.vendor == "postgresql":
            clauses.insert(0, "se.search_vector @@ tsq")
        else:
            clauses.insert(0, f"{FTS_TABLE} MATCH %s")
            where_params = [params.pop(), *where_params]
    matches_sql = (
        f"SELECT se.service_id AS service_id, se.latitude, se.longitude, "  # noqa: S608
        f"{score} AS score, se.name_doc AS name_doc "
        f"FROM directory_searchentry se{join} WHERE {' AND '.join(clauses)}"
    )
    base_params = [*params, *where_params]

    if query.near is not None:
        distance, distance_params = _distance_expression(query.near)
        distance = distance.replace("se.", "m.")
        order = (
            f"CASE WHEN m.latitude IS NULL THEN 1 ELSE 0 END, {distance}, m.score DESC"
        )
        order_params = distance_params
    elif terms:
        order, order_params = "m.score DESC, m.name_doc", []
    else:
        order, order_params = "m.name_doc", []

    offset = (max(query.page, 1) - 1) * query.per_page
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH m AS ({matches_sql}) "  # noqa: S608
            f"SELECT m.service_id, m.latitude, m.longitude, "
            f"(SELECT COUNT(*) FROM m) FROM m ORDER BY {order} LIMIT %s OFFSET %s",
            [*base_params, *order_params, query.per_page, offset],
        )
        rows = cursor.fetchall()
        if rows:
            total = int(rows[0][3])
        else:
            cursor.execute(f"SELECT COUNT(*) FROM ({matches_sql}) m", base_params)  # noqa: S608
            total = int(cursor.fetchone()[0])
        cursor.execute(
            f"SELECT f.facet, f.value, COUNT(*) FROM directory_servicefacet f "  # noqa: S608
            f"WHERE f.service_id IN (SELECT service_id FROM ({matches_sql}) m) "
            f"GROUP BY f.facet, f.value",
            base_params,
        )
        counts: dict[str, dict[str, int]] = defaultdict(dict)
        for facet, value, count in cursor.fetchall():
            counts[facet][value] = int(count)

    ids = [_as_uuid(row[0]) for row in rows]
    distances: dict[uuid.UUID, float] = {}
    if query.near is not None:
        for row in rows:
            if row[1] is not None and row[2] is not None:
                distances[_as_uuid(row[0])] = haversine_km(query.near, (row[1], row[2]))
    return SearchPage(
        service_ids=ids, total=total, facet_counts=dict(counts), distances_km=distances
    )


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def folded(text: str) -> str:
    return fold(text)
