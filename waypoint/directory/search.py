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

import hashlib
import json
import math
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.cache import cache
from django.db import connection, models, transaction

from waypoint.directory.models import (
    Attribute,
    Organization,
    SearchEntry,
    Service,
    ServiceFacet,
    ServiceOpening,
)
from waypoint.directory.taxonomy_data import SERVICE_TYPE, TARGET_GROUP
from waypoint.lib.countries import (
    COUNTRY_CODES,
    country_name,
    country_timezone,
    language_name,
)
from waypoint.lib.text import fold, fold_variants_joined, search_terms

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
FACETS = ("country", "city", "region", "type", "target", "lang", "free")
_TERM_FACET = {SERVICE_TYPE: "type", TARGET_GROUP: "target"}
_NARROW_FACETS = {"country", "city", "region"}
_DAYS = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

FTS_TABLE = "directory_searchentry_fts"
# The triggers keeping the FTS5 table in step (migrations 0002 and 0007).
_FTS_TRIGGERS = {
    "insert": "directory_searchentry_ai",
    "delete": "directory_searchentry_ad",
    "update": "directory_searchentry_au",
}


# --- Building the index -----------------------------------------------------


def translations_in_order(translations: dict[str, Any]) -> list[Any]:
    """Translation entries by language code: the same documents whatever order
    the database returns JSON keys in (PostgreSQL's jsonb reorders them)."""
    return [translations[lang] for lang in sorted(translations)]


def all_languages(obj: object, field_name: str) -> list[str]:
    texts = [str(getattr(obj, field_name, "") or "")]
    translations = getattr(obj, "translations", {}) or {}
    for values in translations_in_order(translations):
        text = values.get(field_name) if isinstance(values, dict) else None
        if text:
            texts.append(str(text))
    return [t for t in texts if t]


def _minutes(value: object) -> int:
    return int(value.hour) * 60 + int(value.minute)  # type: ignore[attr-defined]


# What the index needs to know of a service, as plain values. The index is a
# pure function of this, so that the generator can index the rows it has just
# written without reading them back (see ``search_index_build``).


@dataclass
class LocationSource:
    latitude: float | None
    longitude: float | None
    names: list[str]
    # (country, city, region, state_province) of each address
    addresses: list[tuple[str, str, str, str]]
    languages: list[str]


@dataclass
class TermSource:
    names: list[str]
    taxonomy_code: str
    code: str
    link_entity: str


@dataclass
class ScheduleSource:
    opens: int | None  # minutes since midnight
    closes: int | None
    days: list[str]
    valid_from: date | None = None
    valid_to: date | None = None


@dataclass
class IndexSource:
    service_id: uuid.UUID
    is_active: bool
    names: list[str]
    texts: list[str]
    organization_names: list[str]
    organization_country: str
    locations: list[LocationSource]
    languages: list[str]
    terms: list[TermSource]
    cost_amounts: list[Decimal | None]
    schedules: list[ScheduleSource]


@dataclass
class IndexRow:
    service_id: uuid.UUID
    name_doc: str
    body_doc: str
    latitude: float | None
    longitude: float | None
    timezone: str
    is_active: bool
    facets: list[tuple[str, str]]
    # (weekday, opens, closes, valid_from, valid_to)
    openings: list[tuple[int, int, int, date | None, date | None]]


def index_source_of(service: Service, attributes: Sequence[Attribute]) -> IndexSource:
    """What the index of ``service`` is made from, read through the ORM (the
    bulk path reads the same from plain SQL rows; a test compares the two)."""
    org: Organization = service.organization
    names: list[str] = []
    texts: list[str] = []
    for f in ("name", "alternate_name"):
        names += all_languages(service, f)
    for f in ("description", "eligibility_description", "interpretation_services"):
        texts += all_languages(service, f)
    org_names: list[str] = []
    for f in ("name", "alternate_name"):
        org_names += all_languages(org, f)
    locations: list[LocationSource] = []
    schedules = list(service.schedules.all())
    for sal in service.service_at_locations.all():
        location = sal.location
        locations.append(
            LocationSource(
                latitude=location.latitude,
                longitude=location.longitude,
                names=all_languages(location, "name"),
                addresses=[
                    (a.country, a.city, a.region, a.state_province)
                    for a in location.addresses.all()
                ],
                languages=[lang.code for lang in location.languages.all()],
            )
        )
        schedules += list(sal.schedules.all())
    terms = [
        TermSource(
            names=all_languages(a.taxonomy_term, "name"),
            taxonomy_code=(
                (a.taxonomy_term.taxonomy_ref.code or "")
                if a.taxonomy_term.taxonomy_ref
                else ""
            ),
            code=a.taxonomy_term.code,
            link_entity=a.link_entity,
        )
        for a in attributes
    ]
    return IndexSource(
        service_id=service.pk,
        is_active=service.status == Service.Status.ACTIVE,
        names=names,
        texts=texts,
        organization_names=org_names,
        organization_country=org.country,
        locations=locations,
        languages=[lang.code for lang in service.languages.all()],
        terms=terms,
        cost_amounts=[c.amount for c in service.cost_options.all()],
        schedules=[
            ScheduleSource(
                opens=None if s.opens_at is None else _minutes(s.opens_at),
                closes=None if s.closes_at is None else _minutes(s.closes_at),
                days=s.days,
                valid_from=s.valid_from,
                valid_to=s.valid_to,
            )
            for s in schedules
        ],
    )


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
    SearchEntry.objects.filter(service_id__in=ids).delete()
    ServiceFacet.objects.filter(service_id__in=ids).delete()
    ServiceOpening.objects.filter(service_id__in=ids).delete()
    search_index_build(
        index_source_of(
            service,
            terms_by_link[service.pk] + terms_by_link[service.organization_id],
        )
        for service in services
    )


@contextmanager
def full_text_at_the_end() -> Iterator[None]:
    """Add the search entries written in the block to SQLite's FTS5 table at
    its end, in one statement, rather than by trigger one row at a time.

    About five times faster for thousands of entries (the importer and the
    generator write tens of thousands). Entries that existed before the block
    keep their triggers' care (guarded by id): deleting or changing one takes
    it out of the index as usual. New entries (ids above the largest before;
    ids are never reused) get in at the end, the active ones only, as the
    insert trigger would. Must run inside a transaction: if the block fails,
    the rollback puts the triggers back as they were.
    """
    if connection.vendor != "sqlite":
        yield
        return
    if not connection.in_atomic_block:
        raise RuntimeError("full_text_at_the_end needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "  # noqa: S608
            f"AND name IN ({', '.join(['%s'] * len(_FTS_TRIGGERS))})",
            list(_FTS_TRIGGERS.values()),
        )
        originals = dict(cursor.fetchall())
        if len(originals) != len(_FTS_TRIGGERS):
            yield  # not the schema this knows: leave it alone
            return
        cursor.execute("SELECT COALESCE(MAX(id), 0) FROM directory_searchentry")
        before = int(cursor.fetchone()[0])
        for name in originals:
            cursor.execute(f"DROP TRIGGER {name}")
        # Constant SQL; ``before`` is an integer read from the database.
        cursor.execute(
            f"CREATE TRIGGER {_FTS_TRIGGERS['delete']} AFTER DELETE "  # noqa: S608
            f"ON directory_searchentry WHEN old.is_active AND old.id <= {before} "
            f"BEGIN INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_doc, body_doc) "
            "VALUES ('delete', old.id, old.name_doc, old.body_doc); END"
        )
        cursor.execute(
            f"CREATE TRIGGER {_FTS_TRIGGERS['update']} AFTER UPDATE "
            f"ON directory_searchentry WHEN old.id <= {before} BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, name_doc, body_doc) "
            "SELECT 'delete', old.id, old.name_doc, old.body_doc WHERE old.is_active; "
            f"INSERT INTO {FTS_TABLE}(rowid, name_doc, body_doc) "
            "SELECT new.id, new.name_doc, new.body_doc WHERE new.is_active; END"
        )
    yield
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {FTS_TABLE}(rowid, name_doc, body_doc) "  # noqa: S608
            "SELECT id, name_doc, body_doc FROM directory_searchentry "
            "WHERE id > %s AND is_active",
            [before],
        )
        for name in (_FTS_TRIGGERS["delete"], _FTS_TRIGGERS["update"]):
            cursor.execute(f"DROP TRIGGER {name}")
        for sql in originals.values():
            cursor.execute(sql)


def search_index_build(sources: Iterable[IndexSource]) -> int:
    """Write the index rows of services that have none yet; returns how many.

    ``search_index_refresh`` reads the sources from the database; the directory
    generator passes the ones it has in memory. Rows go in with ``executemany``:
    at a hundred thousand services the ORM's per-object cost would dominate.
    """
    rows = [index_row_of(source) for source in sources]
    if not rows:
        return 0
    entry_fields = [
        "service",
        "name_doc",
        "body_doc",
        "latitude",
        "longitude",
        "timezone",
        "is_active",
    ]
    rows_insert(
        SearchEntry,
        entry_fields,
        [
            (
                r.service_id,
                r.name_doc,
                r.body_doc,
                r.latitude,
                r.longitude,
                r.timezone,
                r.is_active,
            )
            for r in rows
        ],
    )
    rows_insert(
        ServiceFacet,
        ["service", "facet", "value"],
        [(r.service_id, f, v) for r in rows for f, v in r.facets],
    )
    rows_insert(
        ServiceOpening,
        ["service", "weekday", "opens", "closes", "valid_from", "valid_to"],
        [(r.service_id, *o) for r in rows for o in r.openings],
    )
    return len(rows)


def rows_insert(
    model: type[models.Model],
    field_names: Sequence[str],
    rows: Sequence[tuple[Any, ...]],
) -> None:
    """Insert plain rows, values converted as the ORM would, in chunks.

    For bulk writes of many thousands of rows with no signals or history
    (the search index, the demo generator); every value is a parameter.
    """
    if not rows:
        return
    fields: list[models.Field[Any, Any]] = []
    for name in field_names:
        found = model._meta.get_field(name)
        if not isinstance(found, models.Field):
            raise TypeError(f"{model.__name__}.{name} is not a column")
        fields.append(found)
    converters: list[Callable[..., Any] | None] = []
    native_uuid = connection.features.has_native_uuid_field
    # Text, numbers and booleans go to every driver as they are.
    plain_types = (
        models.BooleanField,
        models.CharField,
        models.TextField,
        models.IntegerField,
        models.FloatField,
    )
    for f in fields:
        target = f.target_field if isinstance(f, models.ForeignKey) else f
        if isinstance(target, plain_types):
            converters.append(None)
        elif isinstance(target, models.UUIDField) and not native_uuid:
            converters.append(_uuid_hex)
        elif isinstance(target, models.DateTimeField):
            # Imports stamp thousands of rows with the same instant.
            converters.append(_memoised(target.get_db_prep_save))
        else:
            converters.append(target.get_db_prep_save)
    columns = ", ".join(connection.ops.quote_name(f.column or f.name) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = (
        f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} "  # noqa: S608
        f"({columns}) VALUES ({placeholders})"
    )
    converted = [(i, c) for i, c in enumerate(converters) if c is not None]
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 5000):
            chunk: Sequence[tuple[Any, ...]] = rows[start : start + 5000]
            if converted:
                # Column by column: the per-value work stays in C where it can.
                columns_of: list[Sequence[Any]] = list(zip(*chunk, strict=True))
                for i, convert in converted:
                    if convert is _uuid_hex:
                        # Most converted values: no function call for each.
                        columns_of[i] = [
                            v if v is None else v.hex for v in columns_of[i]
                        ]
                    else:
                        columns_of[i] = [
                            None if v is None else convert(v, connection)
                            for v in columns_of[i]
                        ]
                chunk = list(zip(*columns_of, strict=True))
            cursor.executemany(sql, chunk)


def _memoised(convert: Callable[..., Any]) -> Callable[..., Any]:
    done: dict[Any, Any] = {}

    def converted(value: Any, connection: object) -> Any:
        try:
            return done[value]
        except KeyError:
            result = done[value] = convert(value, connection)
            return result

    return converted


def _uuid_hex(value: uuid.UUID, connection: object) -> str:
    # What UUIDField stores on databases without a native uuid type.
    return value.hex


def index_row_of(source: IndexSource) -> IndexRow:
    """The search-index row of one service."""
    body: list[str] = list(source.texts) + list(source.organization_names)
    facet_values: set[tuple[str, str]] = set()

    countries: set[str] = (
        {source.organization_country} if source.organization_country else set()
    )
    latitude: float | None = None
    longitude: float | None = None
    for location in source.locations:
        if latitude is None and location.latitude is not None:
            latitude, longitude = location.latitude, location.longitude
        body += location.names
        if not location.addresses and location.names:
            # A location known only to the city (no street address, which
            # HSDS requires) is named after its city: that is its city facet.
            facet_values.add(("city", location.names[0][:100]))
        for country, city, region, state_province in location.addresses:
            countries.add(country)
            body += [city, region, state_province]
            if city:
                facet_values.add(("city", city[:100]))
            if region or state_province:
                facet_values.add(("region", (region or state_province)[:100]))
        for code in location.languages:
            if code:
                facet_values.add(("lang", code.lower()))
    for code in source.languages:
        if code:
            facet_values.add(("lang", code.lower()))

    for country in sorted(countries):
        facet_values.add(("country", country))
        body += [country_name(country, lang) for lang in LANGUAGE_CODES]
    for code in sorted({v for f, v in facet_values if f == "lang"}):
        body += [language_name(code, lang) for lang in LANGUAGE_CODES]

    for term in source.terms:
        body += term.names
        facet = _TERM_FACET.get(term.taxonomy_code)
        if facet and term.link_entity == "service":
            facet_values.add((facet, term.code))

    amounts = source.cost_amounts
    if amounts and all(a is not None and a == Decimal(0) for a in amounts):
        facet_values.add(("free", "1"))

    openings: list[tuple[int, int, int, date | None, date | None]] = []
    for schedule in source.schedules:
        if schedule.opens is None or schedule.closes is None:
            continue
        opens, closes = schedule.opens, schedule.closes
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
                if c > o:
                    openings.append((wd, o, c, schedule.valid_from, schedule.valid_to))

    return IndexRow(
        service_id=source.service_id,
        name_doc=fold_variants_joined(source.names),
        body_doc=fold_variants_joined(t for t in body if t),
        latitude=latitude,
        longitude=longitude,
        timezone=country_timezone(sorted(countries)[0]) if countries else "",
        is_active=source.is_active,
        facets=sorted(facet_values),
        openings=openings,
    )


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


_ENTRIES = "directory_searchentry se"
# Covering indexes of the columns a search reads (migration 0005): on SQLite
# the table's rows keep them behind the long body document, in overflow pages.
_ID_COVER = "directory_se_id_cover"
_NAME_COVER = "directory_se_name_cover"


def _fts_condition(terms: list[str]) -> tuple[str, str, list[Any]]:
    """Tables, score expression and parameters for the full-text match."""
    if connection.vendor == "postgresql":
        tsquery = " & ".join(f"{t}:*" for t in terms)
        # Ranked by the names only (migration 0009): the full vector of every
        # match would be read from out-of-line storage.
        return (
            f"{_ENTRIES}, to_tsquery('simple', %s) AS tsq",
            "ts_rank(se.name_vector, tsq)",
            [tsquery],
        )
    match = " ".join(f'"{t}"*' for t in terms)
    # CROSS JOIN makes SQLite start from the full-text match: left to itself
    # it scans every entry and probes the index once per row (seconds, not
    # milliseconds, at a hundred thousand services).
    return (
        f"{FTS_TABLE} CROSS JOIN {_ENTRIES} INDEXED BY {_ID_COVER} "
        f"ON se.id = {FTS_TABLE}.rowid",
        f"-bm25({FTS_TABLE}, 10.0, 1.0)",
        [match],
    )


def _where(query: SearchQuery, now: datetime) -> tuple[list[str], list[Any]]:
    clauses = ["se.is_active"]
    params: list[Any] = []
    if connection.vendor == "sqlite":
        clauses = ["se.is_active = 1"]
    for facet, value in query.facet_filters():
        if facet in _NARROW_FACETS and not search_terms(query.text):
            # A country, city or region holds a small share: collect it first.
            clauses.append(
                "se.service_id IN (SELECT service_id FROM directory_servicefacet "
                "WHERE facet = %s AND value = %s)"
            )
        else:
            # Broad values (a type, a language, "free") hold tens of thousands
            # of services: checking each candidate through the unique index
            # beats building those sets, and lets a page stop at its last row.
            clauses.append(
                "EXISTS (SELECT 1 FROM directory_servicefacet f "
                "WHERE f.service_id = se.service_id AND f.facet = %s "
                "AND f.value = %s)"
            )
        params += [facet, value]
    if query.open_now:
        # Zones that share the local time share one condition.
        by_local_time: dict[tuple[int, int, date], list[str]] = defaultdict(list)
        for tz_name in _TIMEZONES_IN_USE:
            local = now.astimezone(ZoneInfo(tz_name))
            key = (local.weekday(), local.hour * 60 + local.minute, local.date())
            by_local_time[key].append(tz_name)
        groups: list[str] = []
        for (weekday, minute, today), zones in sorted(by_local_time.items()):
            groups.append(
                f"(se.timezone IN ({', '.join(['%s'] * len(zones))}) AND EXISTS ("  # noqa: S608
                "SELECT 1 FROM directory_serviceopening o "
                "WHERE o.service_id = se.service_id AND o.weekday = %s "
                "AND o.opens <= %s AND o.closes > %s "
                "AND (o.valid_from IS NULL OR o.valid_from <= %s) "
                "AND (o.valid_to IS NULL OR o.valid_to >= %s)))"
            )
            params += [*zones, weekday, minute, minute, today, today]
        clauses.append("(" + (" OR ".join(groups) or "1 = 0") + ")")
    return clauses, params


# Every zone an entry can carry: entries take theirs from ``country_timezone``,
# which answers one of these for any code, listed or not.
_TIMEZONES_IN_USE = sorted({country_timezone(code) for code in COUNTRY_CODES})


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


# A search matching this many services or more keeps its total and facet
# counts in the cache: counting the facets of even a few hundred matches costs
# more than finding their page, and a large share of a big directory far more;
# searches that match many are the ones people repeat and page through. The key
# holds the index's version (every index write inserts rows with new, never
# reused ids, so the largest id moves with any change but a pure removal, after
# which counts may lag for at most SUMMARY_CACHE_SECONDS) and the first result
# (so that two databases never share an entry, even in tests that roll back).
SUMMARY_CACHE_FROM = 100
SUMMARY_CACHE_SECONDS = 60


def run_search(query: SearchQuery, *, now: datetime, facets: bool = True) -> SearchPage:
    """Find the services matching ``query``: one page of ids, total, counts.

    At most four SQL statements whatever the size of the directory or page.
    ``facets=False`` leaves the facet counts out (empty): counting them over
    every match is most of the cost of a broad search that nothing shows.
    """
    terms = search_terms(query.text)
    tables, score, params = _ENTRIES, "0", list[Any]()
    if terms:
        tables, score, params = _fts_condition(terms)
    clauses, where_params = _where(query, now)
    if terms:
        if connection.vendor == "postgresql":
            clauses.insert(0, "se.search_vector @@ tsq")
        else:
            clauses.insert(0, f"{FTS_TABLE} MATCH %s")
            where_params = [params.pop(), *where_params]
    matches = f"FROM {tables} WHERE {' AND '.join(clauses)}"
    base_params = [*params, *where_params]

    if query.near is not None:
        distance, order_params = _distance_expression(query.near)
        order = f"CASE WHEN se.latitude IS NULL THEN 1 ELSE 0 END, {distance}"
        if terms:
            order += f", {score} DESC"
    elif terms:
        # The id settles services of equal score and name: pages never
        # overlap or skip, and the candidates' shortcut below gives this order.
        order, order_params = f"{score} DESC, se.name_doc, se.id", []
    else:
        # Served by the (is_active, name_doc) index: no sort of the matches.
        order, order_params = "se.name_doc", []

    offset = (max(query.page, 1) - 1) * query.per_page
    with connection.cursor() as cursor, _index_scan_for_text(cursor, terms):
        found: list[tuple[Any, ...]] | None = None
        if terms and query.near is None and connection.vendor == "sqlite":
            found = _ranked_candidates(
                cursor,
                match=where_params[0],
                clauses=clauses[1:],
                params=where_params[1:],
                offset=offset,
                per_page=query.per_page,
            )
        if found is None:
            cursor.execute(
                f"SELECT se.service_id, se.latitude, se.longitude {matches} "
                f"ORDER BY {order} LIMIT %s OFFSET %s",
                [*base_params, *order_params, query.per_page, offset],
            )
            found = cursor.fetchall()
        rows = found
        if (rows and len(rows) < query.per_page) or (not rows and offset == 0):
            # The last page: the total is known and the counts are few.
            total = offset + len(rows)
            counts = (
                _facet_counts(cursor, matches, base_params) if rows and facets else {}
            )
        else:
            total, counts = _summary(
                cursor,
                matches,
                base_params,
                query=query,
                terms=terms,
                now=now,
                first=rows[0][0] if rows else None,
                facets=facets,
            )

    ids = [_as_uuid(row[0]) for row in rows]
    distances: dict[uuid.UUID, float] = {}
    if query.near is not None:
        for row in rows:
            if row[1] is not None and row[2] is not None:
                distances[_as_uuid(row[0])] = haversine_km(query.near, (row[1], row[2]))
    return SearchPage(
        service_ids=ids, total=total, facet_counts=counts, distances_km=distances
    )


@contextmanager
def _index_scan_for_text(cursor: Any, terms: list[str]) -> Iterator[None]:
    """On PostgreSQL, find a text search's matches through the GIN index.

    Once the table is analysed, PostgreSQL's estimates make a sequential scan
    look as cheap as the index for a term that matches one service in eight,
    but each row the scan tests has its ``search_vector`` read from
    out-of-line storage: 390 ms against 38 ms at 100,000 services. The
    setting ends with the block's transaction; inside a request's own
    transaction it is turned back on after the search's statements. (When a
    statement fails, rolling the block back undoes it.)
    """
    if not terms or connection.vendor != "postgresql":
        yield
        return
    nested = connection.in_atomic_block
    with transaction.atomic():
        cursor.execute("SET LOCAL enable_seqscan = off")
        yield
        if nested:
            cursor.execute("SET LOCAL enable_seqscan = on")


# The text search's shortcut on SQLite: how many of the best full-text matches
# to rank first, at least, and how many rounds of ranking to try before
# ranking every match together with its entry (the general query).
_CANDIDATES = 200
_CANDIDATE_ROUNDS = 2
# Beyond this many (deep pages), the general query: the candidates' entries
# are read with one parameter each.
_CANDIDATES_MAX = 10_000


def _ranked_candidates(
    cursor: Any,
    *,
    match: str,
    clauses: list[str],
    params: list[Any],
    offset: int,
    per_page: int,
) -> list[tuple[Any, ...]] | None:
    """A page of a ranked text search, reading only the best matches' entries.

    The general query joins every match to its search entry, for the filters
    and the name that breaks ties, before sorting: at tens of thousands of
    matches that join costs as much as ranking. FTS5 ranks its matches alone
    (it holds active entries only, migration 0007), so the best N come first
    with their scores, and only those N entries are read and filtered. The
    page is exact — the order of the general query, score then name then id —
    when N holds the page and no unread match can tie with its last row:
    that is when the N-th score is worse than the page's last score, or when
    N covers every match. Otherwise N grows; after a few rounds (filters that
    keep few of the best matches), or for deep pages, None hands over to the
    general query.
    """
    need = offset + per_page
    limit = max(_CANDIDATES, 2 * need)
    for _round in range(_CANDIDATE_ROUNDS):
        if limit > _CANDIDATES_MAX:
            return None
        # bm25() is negative: the smaller, the better (``-bm25`` is the score).
        cursor.execute(
            f"SELECT rowid, bm25({FTS_TABLE}, 10.0, 1.0) FROM {FTS_TABLE} "  # noqa: S608
            f"WHERE {FTS_TABLE} MATCH %s ORDER BY 2 LIMIT %s",
            [match, limit],
        )
        candidates: list[tuple[int, float]] = cursor.fetchall()
        if not candidates:
            return []
        rank = dict(candidates)
        conditions = " AND ".join(clauses)
        cursor.execute(
            "SELECT se.id, se.service_id, se.latitude, se.longitude, se.name_doc "  # noqa: S608
            f"FROM {_ENTRIES} INDEXED BY {_ID_COVER} "
            f"WHERE se.id IN ({', '.join(['%s'] * len(rank))}) AND {conditions}",
            [*rank, *params],
        )
        kept = sorted(cursor.fetchall(), key=lambda r: (rank[r[0]], r[4], r[0]))
        complete = len(candidates) < limit
        if complete or (
            len(kept) >= need and candidates[-1][1] > rank[kept[need - 1][0]]
        ):
            return [(r[1], r[2], r[3]) for r in kept[offset:need]]
        limit *= 8
    return None


def _summary(
    cursor: Any,
    matches: str,
    params: list[Any],
    *,
    query: SearchQuery,
    terms: list[str],
    now: datetime,
    first: object,
    facets: bool,
) -> tuple[int, dict[str, dict[str, int]]]:
    """The total and (if ``facets``) facet counts of a search, from the cache
    when large."""
    cursor.execute("SELECT MAX(id) FROM directory_searchentry")
    signature = json.dumps(
        [
            cursor.fetchone()[0],
            str(first),
            terms,
            query.facet_filters(),
            # "Open now" answers change with the minute.
            now.strftime("%Y-%m-%dT%H:%M") if query.open_now else "",
            facets,
        ]
    )
    key = "directory:search-summary:" + hashlib.sha256(signature.encode()).hexdigest()
    cached: tuple[int, dict[str, dict[str, int]]] | None = cache.get(key)
    if cached is not None:
        return cached
    if (
        terms
        and connection.vendor == "sqlite"
        and not query.facet_filters()
        and not query.open_now
    ):
        # Every full-text match is an active service (migration 0007): the
        # index counts them alone, without reading an entry per match.
        cursor.execute(
            f"SELECT COUNT(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            params[:1],
        )
    else:
        cursor.execute(f"SELECT COUNT(*) {matches}", params)
    total = int(cursor.fetchone()[0])
    counts = _facet_counts(cursor, matches, params) if facets else {}
    if total >= SUMMARY_CACHE_FROM:
        cache.set(key, (total, counts), SUMMARY_CACHE_SECONDS)
    return total, counts


def _facet_counts(
    cursor: Any, matches: str, params: list[Any]
) -> dict[str, dict[str, int]]:
    """How many matching services have each facet value."""
    cursor.execute(
        f"SELECT f.facet, f.value, COUNT(*) FROM directory_servicefacet f "  # noqa: S608
        f"WHERE f.service_id IN (SELECT se.service_id {matches}) "
        f"GROUP BY f.facet, f.value",
        params,
    )
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    for facet, value, count in cursor.fetchall():
        counts[facet][value] = int(count)
    return dict(counts)


def _as_uuid(value: object) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def folded(text: str) -> str:
    return fold(text)
