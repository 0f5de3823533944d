"""Refreshing the search index of many imported services at once.

``search.search_index_refresh`` reads each service through model instances
and nested prefetches; at import sizes (a hundred thousand services) that
reading cost several times the index building itself. This reads the same
values as plain rows, one query per table per batch, and hands
``search.IndexSource`` objects (the index's documented input) to
``search.search_index_build``: the entries are the same.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, NamedTuple

from django.db import connection, models

from waypoint.directory.hsds.documents import any_of, db_id, json_value
from waypoint.directory.models import (
    Address,
    Attribute,
    CostOption,
    Language,
    Location,
    Organization,
    Schedule,
    SearchEntry,
    Service,
    ServiceAtLocation,
    ServiceFacet,
    ServiceOpening,
    Taxonomy,
    TaxonomyTerm,
)
from waypoint.directory.search import (
    IndexSource,
    LocationSource,
    ScheduleSource,
    TermSource,
    search_index_build,
)


def _all_languages(row: Mapping[str, Any], field_name: str) -> list[str]:
    """As ``search.all_languages``, for a row of values."""
    texts = [str(row.get(field_name) or "")]
    for values in (row.get("translations") or {}).values():
        text = values.get(field_name) if isinstance(values, dict) else None
        if text:
            texts.append(str(text))
    return [t for t in texts if t]


def _minutes(value: Any) -> int | None:
    """Minutes since midnight of a stored time (text in SQLite)."""
    if value is None:
        return None
    if value.__class__ is str:
        return int(value[0:2]) * 60 + int(value[3:5])
    return int(value.hour) * 60 + int(value.minute)


def _date(value: Any) -> date | None:
    """A stored date (text in SQLite) as a date."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _decimal(value: Any) -> Decimal | None:
    """A stored amount (a number in SQLite) as a Decimal."""
    if value is None or isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def _schedule(row: tuple[Any, ...]) -> ScheduleSource:
    """A schedule from (…, opens_at, closes_at, byday, valid_from, valid_to)."""
    opens, closes, byday, valid_from, valid_to = row[-5:]
    return ScheduleSource(
        opens=_minutes(opens),
        closes=_minutes(closes),
        days=[d.strip() for d in (byday or "").split(",") if d.strip()],
        valid_from=_date(valid_from),
        valid_to=_date(valid_to),
    )


class _In(NamedTuple):
    """``attname IN values``, after ``guard`` (attname, value) if any: an
    equality that leads a composite index."""

    attname: str
    values: Collection[Any]
    guard: tuple[str, str] | None = None


_SCHEDULE_VALUES = ("opens_at", "closes_at", "byday", "valid_from", "valid_to")


def _select(
    model: type[models.Model], attnames: Sequence[str], *where: _In
) -> list[tuple[Any, ...]]:
    """Plain rows of ``attnames`` where any of the ``where`` conditions holds.

    Ids stay as the database gives them (32 hex digits in SQLite, UUIDs in
    PostgreSQL), as do the values: the ORM's per-value conversions cost more
    than the queries at import sizes.
    """
    meta = model._meta
    quote = connection.ops.quote_name

    def column(attname: str) -> str:
        f = meta.get_field(attname)
        if not isinstance(f, models.Field) or f.column is None:
            raise TypeError(f"{model.__name__}.{attname} is not a column")
        return quote(f.column)

    condition, params = any_of(
        (
            None if c.guard is None else (column(c.guard[0]), c.guard[1]),
            column(c.attname),
            c.values,
        )
        for c in where
    )
    if not condition:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(map(column, attnames))} "  # noqa: S608
            f"FROM {quote(meta.db_table)} WHERE {condition}",
            params,
        )
        return list(cursor.fetchall())


def _json(value: Any) -> Any:
    return {} if value in (None, "{}") else json_value(value, None, None)


# The service columns the index reads besides id, status and organisation.
_SERVICE_TEXTS = (
    "name",
    "alternate_name",
    "description",
    "eligibility_description",
    "interpretation_services",
    "translations",
)


def index_sources(ids: list[uuid.UUID]) -> list[IndexSource]:
    """What the search index needs of these services, in nine queries."""
    by_key = {db_id(pk): pk for pk in ids}
    services = _select(
        Service,
        ("id", "status", "organization_id", *_SERVICE_TEXTS),
        _In("id", ids),
    )
    organizations = {
        row[0]: {
            "name": row[1],
            "alternate_name": row[2],
            "translations": _json(row[3]),
            "country": row[4],
        }
        for row in _select(
            Organization,
            ("id", "name", "alternate_name", "translations", "country"),
            _In("id", {s[2] for s in services}),
        )
    }
    sals: dict[Any, list[tuple[Any, Any]]] = defaultdict(list)
    for service_id, sal_id, location_id in _select(
        ServiceAtLocation, ("service_id", "id", "location_id"), _In("service_id", ids)
    ):
        sals[service_id].append((sal_id, location_id))
    location_ids = {loc for pairs in sals.values() for _sal, loc in pairs}
    sal_ids = [sal for pairs in sals.values() for sal, _loc in pairs]
    locations = {
        row[0]: (row[1], row[2], {"name": row[3], "translations": _json(row[4])})
        for row in _select(
            Location,
            ("id", "latitude", "longitude", "name", "translations"),
            _In("id", location_ids),
        )
    }
    addresses: dict[Any, list[tuple[str, str, str, str]]] = defaultdict(list)
    for location_id, country, city, region, state in _select(
        Address,
        ("location_id", "country", "city", "region", "state_province"),
        _In("location_id", location_ids),
    ):
        addresses[location_id].append((country, city, region, state))
    service_languages: dict[Any, list[str]] = defaultdict(list)
    location_languages: dict[Any, list[str]] = defaultdict(list)
    for service_id, location_id, code in _select(
        Language,
        ("service_id", "location_id", "code"),
        _In("service_id", ids),
        _In("location_id", location_ids),
    ):
        if service_id is not None:
            service_languages[service_id].append(code)
        if location_id is not None:
            location_languages[location_id].append(code)
    service_schedules: dict[Any, list[ScheduleSource]] = defaultdict(list)
    sal_schedules: dict[Any, list[ScheduleSource]] = defaultdict(list)
    for row in _select(
        Schedule,
        ("service_id", "service_at_location_id", *_SCHEDULE_VALUES),
        _In("service_id", ids),
        _In("service_at_location_id", sal_ids),
    ):
        if row[0] is not None:
            service_schedules[row[0]].append(_schedule(row))
        if row[1] is not None:
            sal_schedules[row[1]].append(_schedule(row))
    amounts: dict[Any, list[Decimal | None]] = defaultdict(list)
    for service_id, amount in _select(
        CostOption, ("service_id", "amount"), _In("service_id", ids)
    ):
        amounts[service_id].append(_decimal(amount))
    # Thousands of attributes share a few hundred terms: each term's values
    # (translations are JSON, costly to decode) are read once, not per link.
    links = _select(
        Attribute,
        ("link_id", "link_entity", "taxonomy_term_id"),
        _In("link_id", ids, guard=("link_entity", "service")),
        _In("link_id", list(organizations), guard=("link_entity", "organization")),
    )
    term_rows = _select(
        TaxonomyTerm,
        ("id", "name", "translations", "code", "taxonomy_ref_id"),
        _In("id", {term_id for _link, _entity, term_id in links}),
    )
    taxonomy_codes = dict(
        _select(
            Taxonomy, ("id", "code"), _In("id", {row[4] for row in term_rows} - {None})
        )
    )
    term_values = {
        pk: (
            _all_languages({"name": name, "translations": _json(translations)}, "name"),
            taxonomy_codes.get(taxonomy_id, "") if taxonomy_id is not None else "",
            code,
        )
        for pk, name, translations, code, taxonomy_id in term_rows
    }
    terms: dict[Any, list[TermSource]] = defaultdict(list)
    for link_id, link_entity, term_id in links:
        names, taxonomy_code, code = term_values[term_id]
        terms[link_id].append(
            TermSource(
                names=list(names),
                taxonomy_code=taxonomy_code or "",
                code=code,
                link_entity=link_entity,
            )
        )

    sources = []
    for row in services:
        pk, status, organization_id = row[0], row[1], row[2]
        service = dict(zip(_SERVICE_TEXTS, row[3:], strict=True))
        service["translations"] = _json(service["translations"])
        organization = organizations[organization_id]
        location_sources = []
        schedules = list(service_schedules.get(pk, ()))
        for sal_id, location_id in sals.get(pk, ()):
            latitude, longitude, location = locations[location_id]
            location_sources.append(
                LocationSource(
                    latitude=latitude,
                    longitude=longitude,
                    names=_all_languages(location, "name"),
                    addresses=addresses.get(location_id, []),
                    languages=location_languages.get(location_id, []),
                )
            )
            schedules += sal_schedules.get(sal_id, [])
        sources.append(
            IndexSource(
                service_id=by_key[pk],
                is_active=status == Service.Status.ACTIVE,
                names=[
                    *_all_languages(service, "name"),
                    *_all_languages(service, "alternate_name"),
                ],
                texts=[
                    text
                    for name in (
                        "description",
                        "eligibility_description",
                        "interpretation_services",
                    )
                    for text in _all_languages(service, name)
                ],
                organization_names=[
                    *_all_languages(organization, "name"),
                    *_all_languages(organization, "alternate_name"),
                ],
                organization_country=organization["country"],
                locations=location_sources,
                languages=service_languages.get(pk, []),
                terms=terms.get(pk, []) + terms.get(organization_id, []),
                cost_amounts=amounts.get(pk, []),
                schedules=schedules,
            )
        )
    return sources


def search_index_refresh_fast(service_ids: Iterable[uuid.UUID]) -> None:
    """Rebuild the index rows of these services (as ``search_index_refresh``)."""
    ids = list(dict.fromkeys(service_ids))
    if not ids:
        return
    sources = index_sources(ids)
    SearchEntry.objects.filter(service_id__in=ids).delete()
    ServiceFacet.objects.filter(service_id__in=ids).delete()
    ServiceOpening.objects.filter(service_id__in=ids).delete()
    search_index_build(sources)
