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
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Any

from django.db.models import Q

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


def _schedule(row: Mapping[str, Any]) -> ScheduleSource:
    opens, closes = row["opens_at"], row["closes_at"]
    return ScheduleSource(
        opens=None if opens is None else opens.hour * 60 + opens.minute,
        closes=None if closes is None else closes.hour * 60 + closes.minute,
        days=[d.strip() for d in (row["byday"] or "").split(",") if d.strip()],
        valid_from=row["valid_from"],
        valid_to=row["valid_to"],
    )


_SCHEDULE_VALUES = ("opens_at", "closes_at", "byday", "valid_from", "valid_to")


def index_sources(ids: list[uuid.UUID]) -> list[IndexSource]:
    """What the search index needs of these services, in eight queries."""
    services = list(
        Service.objects.filter(pk__in=ids)
        .order_by()
        .values(
            "pk",
            "status",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "eligibility_description",
            "interpretation_services",
            "translations",
        )
    )
    org_ids = {s["organization_id"] for s in services}
    organizations = {
        o["pk"]: o
        for o in Organization.objects.filter(pk__in=org_ids)
        .order_by()
        .values("pk", "name", "alternate_name", "translations", "country")
    }
    sals: dict[uuid.UUID, list[tuple[uuid.UUID, uuid.UUID]]] = defaultdict(list)
    for sal in ServiceAtLocation.objects.filter(service_id__in=ids).values_list(
        "service_id", "pk", "location_id"
    ):
        sals[sal[0]].append((sal[1], sal[2]))
    location_ids = {loc for pairs in sals.values() for _sal, loc in pairs}
    sal_ids = [sal for pairs in sals.values() for sal, _loc in pairs]
    locations = {
        row["pk"]: row
        for row in Location.objects.filter(pk__in=location_ids)
        .order_by()
        .values("pk", "latitude", "longitude", "name", "translations")
    }
    addresses: dict[uuid.UUID, list[tuple[str, str, str, str]]] = defaultdict(list)
    for location_id, *parts in Address.objects.filter(
        location_id__in=location_ids
    ).values_list("location_id", "country", "city", "region", "state_province"):
        addresses[location_id].append((parts[0], parts[1], parts[2], parts[3]))
    service_languages: dict[uuid.UUID, list[str]] = defaultdict(list)
    location_languages: dict[uuid.UUID, list[str]] = defaultdict(list)
    for service_id, location_id, code in Language.objects.filter(
        Q(service_id__in=ids) | Q(location_id__in=location_ids)
    ).values_list("service_id", "location_id", "code"):
        if service_id is not None:
            service_languages[service_id].append(code)
        if location_id is not None:
            location_languages[location_id].append(code)
    service_schedules: dict[uuid.UUID, list[ScheduleSource]] = defaultdict(list)
    sal_schedules: dict[uuid.UUID, list[ScheduleSource]] = defaultdict(list)
    for row in Schedule.objects.filter(
        Q(service_id__in=ids) | Q(service_at_location_id__in=sal_ids)
    ).values("service_id", "service_at_location_id", *_SCHEDULE_VALUES):
        if row["service_id"] is not None:
            service_schedules[row["service_id"]].append(_schedule(row))
        if row["service_at_location_id"] is not None:
            sal_schedules[row["service_at_location_id"]].append(_schedule(row))
    amounts: dict[uuid.UUID, list[Decimal | None]] = defaultdict(list)
    for service_id, amount in CostOption.objects.filter(service_id__in=ids).values_list(
        "service_id", "amount"
    ):
        amounts[service_id].append(amount)
    # Thousands of attributes share a few hundred terms: each term's values
    # (translations are JSON, costly to decode) are read once, not per link.
    links = list(
        Attribute.objects.filter(
            link_id__in=[*ids, *org_ids],
            link_entity__in=["service", "organization"],
        )
        .order_by()
        .values_list("link_id", "link_entity", "taxonomy_term_id")
    )
    term_ids = {term_id for _link, _entity, term_id in links}
    term_values = {
        row["pk"]: (
            _all_languages(row, "name"),
            row["taxonomy_ref__code"] or "",
            row["code"],
        )
        for row in TaxonomyTerm.objects.filter(pk__in=term_ids)
        .order_by()
        .values("pk", "name", "translations", "code", "taxonomy_ref__code")
    }
    terms: dict[uuid.UUID, list[TermSource]] = defaultdict(list)
    for link_id, link_entity, term_id in links:
        names, taxonomy_code, code = term_values[term_id]
        terms[link_id].append(
            TermSource(
                names=list(names),
                taxonomy_code=taxonomy_code,
                code=code,
                link_entity=link_entity,
            )
        )

    sources = []
    for service in services:
        organization = organizations[service["organization_id"]]
        location_sources = []
        schedules = list(service_schedules.get(service["pk"], ()))
        for sal_id, location_id in sals.get(service["pk"], ()):
            location = locations[location_id]
            location_sources.append(
                LocationSource(
                    latitude=location["latitude"],
                    longitude=location["longitude"],
                    names=_all_languages(location, "name"),
                    addresses=addresses.get(location_id, []),
                    languages=location_languages.get(location_id, []),
                )
            )
            schedules += sal_schedules.get(sal_id, [])
        sources.append(
            IndexSource(
                service_id=service["pk"],
                is_active=service["status"] == Service.Status.ACTIVE,
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
                languages=service_languages.get(service["pk"], []),
                terms=terms.get(service["pk"], []) + terms.get(organization["pk"], []),
                cost_amounts=amounts.get(service["pk"], []),
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
