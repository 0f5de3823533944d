"""Turning prefetched directory objects into what the public pages show.

Everything here works on objects already loaded by the selectors: no
function in this module runs a query of its own.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from functools import lru_cache
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.dates import WEEKDAYS
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from waypoint.directory.forms import city_value
from waypoint.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    Schedule,
    Service,
    TaxonomyTerm,
)
from waypoint.directory.selectors import CardFacts, City, ServiceSearchResults
from waypoint.directory.taxonomy_data import (
    AUTHORITY_ROLE,
    ORGANIZATION_KIND,
    SERVICE_TYPE,
    TARGET_GROUP,
)
from waypoint.lib.countries import countries_by_name, country_name, language_name
from waypoint.lib.templatetags.waypoint import phone_display, tel_href

DAY_INDEX = {"MO": 0, "TU": 1, "WE": 2, "TH": 3, "FR": 4, "SA": 5, "SU": 6}

# Languages always offered as filters, so the form does not change under the
# reader's hands: the network's own and those most asked for by the people
# it assists.
COMMON_LANGUAGES = (
    "en", "ro", "bg", "de", "sv", "es", "el", "it",
    "fr", "ar", "fa", "uk", "ru", "tr", "sq", "ps", "ti", "so",
)  # fmt: skip


def _terms_of(terms: Iterable[TaxonomyTerm], taxonomy_code: str) -> list[TaxonomyTerm]:
    return [
        t
        for t in terms
        if t.taxonomy_ref is not None and t.taxonomy_ref.code == taxonomy_code
    ]


def is_free(service: Service) -> bool:
    amounts = [c.amount for c in service.cost_options.all()]
    return bool(amounts) and all(a is not None and a == Decimal(0) for a in amounts)


def is_demo(service: Service) -> bool:
    """Invented listings carry a visible warning wherever they show."""
    if service.is_demo or service.organization.is_demo:
        return True
    if any(p.is_demo for p in service.phones.all()):
        return True
    return any(
        sal.location.is_demo or any(p.is_demo for p in sal.location.phones.all())
        for sal in service.service_at_locations.all()
    )


def language_codes(service: Service) -> list[str]:
    """Codes (or names, where a listing gives no code) of languages spoken."""
    found: dict[str, None] = {}
    for language in service.languages.all():
        found.setdefault((language.code or language.name).strip(), None)
    for sal in service.service_at_locations.all():
        for language in sal.location.languages.all():
            found.setdefault((language.code or language.name).strip(), None)
    return [code for code in found if code]


def language_labels(codes: Iterable[str], reader: str) -> list[str]:
    return [language_name(code, reader) if len(code) <= 3 else code for code in codes]


def all_phones(service: Service) -> list[Phone]:
    phones = list(service.phones.all())
    for sal in service.service_at_locations.all():
        phones += list(sal.phones.all())
        phones += list(sal.location.phones.all())
    seen: set[str] = set()
    unique = []
    for phone in phones:
        key = f"{phone.number};{phone.extension}"
        if key not in seen:
            seen.add(key)
            unique.append(phone)
    return unique


def first_address(service: Service) -> Address | None:
    for sal in service.service_at_locations.all():
        for address in sal.location.addresses.all():
            return address
    return None


# --- Opening hours ------------------------------------------------------------


@dataclass(frozen=True)
class HoursLine:
    days: str
    times: str
    notes: list[str] = field(default_factory=list)


def _day_runs(days: Sequence[int]) -> str:
    """``[0, 1, 2, 3, 4, 6]`` → "Monday – Friday, Sunday"."""
    runs: list[list[int]] = []
    for day in days:
        if runs and day == runs[-1][-1] + 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{WEEKDAYS[run[0]]} – {WEEKDAYS[run[-1]]}")
        else:
            parts.extend(str(WEEKDAYS[d]) for d in run)
    return ", ".join(parts)


def hours_lines(schedules: Iterable[Schedule], reader: str) -> list[HoursLine]:
    """Opening hours grouped by the days they apply to, Monday first."""
    groups: dict[tuple[int, ...], tuple[list[str], list[str]]] = {}
    for schedule in schedules:
        days = tuple(
            sorted(
                {
                    DAY_INDEX[d.upper()[-2:]]
                    for d in schedule.days
                    if d.upper()[-2:] in DAY_INDEX
                }
            )
        )
        times, notes = groups.setdefault(days, ([], []))
        if schedule.opens_at is not None and schedule.closes_at is not None:
            times.append(f"{schedule.opens_at:%H:%M}–{schedule.closes_at:%H:%M}")
        for text_field in ("description", "notes"):
            text = schedule.translated(text_field, reader)
            if text and text not in notes:
                notes.append(text)
    lines = []
    for days, (times, notes) in sorted(
        groups.items(), key=lambda item: item[0] or (7,)
    ):
        lines.append(
            HoursLine(
                days=_day_runs(days) if days else "",
                times=", ".join(sorted(times)),
                notes=notes,
            )
        )
    return lines


# --- Search results -------------------------------------------------------------


@dataclass(frozen=True)
class ResultCard:
    """A result card's texts, worked out in one pass for the whole page."""

    pk: uuid.UUID
    url: str
    name: str
    name_lang: str
    organization: str
    organization_lang: str
    closed: bool
    demo: bool
    free: bool
    has_address: bool
    city: str
    country: str
    distance_km: float | None
    types: str
    languages: str
    has_phone: bool
    phone_href: str
    phone_text: str
    phone_extension: str
    last_verified_at: datetime | None


def result_cards(results: ServiceSearchResults, reader: str) -> list[ResultCard]:
    cards = []
    empty = CardFacts()
    for service in results.services:
        facts = results.cards.get(service.pk, empty)
        organization = service.organization
        city, country = facts.address or ("", "")
        number, extension = facts.phone or ("", None)
        cards.append(
            ResultCard(
                pk=service.pk,
                url=reverse("directory:service", kwargs={"pk": service.pk}),
                name=service.translated("name", reader),
                name_lang=service.translated_language("name", reader),
                organization=organization.translated("name", reader),
                organization_lang=organization.translated_language("name", reader),
                closed=service.status == Service.Status.TEMPORARILY_CLOSED,
                demo=facts.demo,
                free=facts.free,
                has_address=facts.address is not None,
                city=city,
                country=country_name(country, reader) if country else "",
                distance_km=results.distances_km.get(service.pk),
                types=", ".join(t.translated("name", reader) for t in facts.types),
                languages=", ".join(language_labels(facts.languages, reader)),
                has_phone=facts.phone is not None,
                phone_href=tel_href(number) if facts.phone else "",
                phone_text=phone_display(number) if facts.phone else "",
                phone_extension=str(extension) if extension else "",
                last_verified_at=service.last_verified_at,
            )
        )
    return cards


@dataclass(frozen=True)
class FacetOption:
    facet: str
    value: str
    label: str
    count: int
    checked: bool
    dom_id: str


def _dom_id(facet: str, value: str) -> str:
    safe = "".join(ch if ch.isalnum() else "-" for ch in value.lower())
    return f"f-{facet}-{safe}"


def facet_options(
    *,
    facet: str,
    choices: Iterable[tuple[str, str]],
    counts: Mapping[str, Mapping[str, int]],
    selected: Iterable[str],
) -> list[FacetOption]:
    chosen = set(selected)
    return [
        FacetOption(
            facet=facet,
            value=value,
            label=label,
            count=counts.get(facet, {}).get(value, 0),
            checked=value in chosen,
            dom_id=_dom_id(facet, value),
        )
        for value, label in choices
    ]


def language_choices(
    counts: Mapping[str, Mapping[str, int]], selected: Iterable[str], reader: str
) -> list[tuple[str, str]]:
    codes = set(COMMON_LANGUAGES) | set(counts.get("lang", {})) | set(selected)
    return sorted(
        ((code, language_name(code, reader)) for code in codes if len(code) == 2),
        key=lambda pair: pair[1].casefold(),
    )


@dataclass(frozen=True)
class CityGroup:
    country: str
    cities: list[tuple[str, str, bool]]  # value, name, chosen


def city_groups(cities: Sequence[City], reader: str, selected: str) -> list[CityGroup]:
    """Cities by country (in the order given), for "sort by distance from"."""
    groups: list[CityGroup] = []
    current = None
    for city in cities:
        if current is None or city.country != current:
            current = city.country
            groups.append(
                CityGroup(country_name(current, reader) if current else "", [])
            )
        value = city_value(city)
        groups[-1].cities.append((value, city.name, value == selected))
    return groups


# --- The search form's long lists, as HTML ----------------------------------------
#
# The form offers every city (twice: the "near" select and the city
# suggestions), every country and some fifty checkboxes. Rendered by template
# loops they cost more than the search itself; built here from pre-escaped
# pieces (cached per language and city list) they cost a string join.


@lru_cache(maxsize=32)
def _near_options(cities: tuple[City, ...], reader: str) -> str:
    parts: list[str] = []
    for group in city_groups(cities, reader, ""):
        parts.append(f'<optgroup label="{escape(group.country)}">')
        parts += [
            f'<option value="{escape(value)}">{escape(name)}</option>'
            for value, name, _chosen in group.cities
        ]
        parts.append("</optgroup>")
    return "".join(parts)


def _select(options: str, selected: str) -> SafeString:
    """``options`` with the one of value ``selected`` (if any) selected."""
    if selected:
        marker = f'<option value="{escape(selected)}">'
        options = options.replace(
            marker, f'<option value="{escape(selected)}" selected>', 1
        )
    return mark_safe(options)  # noqa: S308 - every value escaped above


def near_options_html(cities: Sequence[City], reader: str, selected: str) -> SafeString:
    """The "sort by distance from" options, cities grouped by country."""
    return _select(_near_options(tuple(cities), reader), selected)


@lru_cache(maxsize=8)
def _city_datalist(cities: tuple[City, ...]) -> str:
    return "".join(f'<option value="{escape(c.name)}"></option>' for c in cities)


def city_datalist_html(cities: Sequence[City]) -> SafeString:
    return mark_safe(_city_datalist(tuple(cities)))  # noqa: S308 - escaped


@lru_cache(maxsize=16)
def _countries_escaped(reader: str) -> tuple[tuple[str, str], ...]:
    return tuple(
        (str(escape(code)), str(escape(name)))
        for code, name in countries_by_name(reader)
    )


def country_options_html(
    counts: Mapping[str, Mapping[str, int]], reader: str, selected: str
) -> SafeString:
    """Countries for the select, each with the number of results in it."""
    in_country = counts.get("country", {})
    parts = []
    for code, name in _countries_escaped(reader):
        count = in_country.get(code, 0)
        chosen = " selected" if code == selected else ""
        suffix = f" ({count})" if count else ""
        parts.append(f'<option value="{code}"{chosen}>{name}{suffix}</option>')
    return mark_safe("".join(parts))  # noqa: S308 - codes and names escaped


def facet_items_html(options: Iterable[FacetOption]) -> SafeString:
    """The checkboxes of one facet, as ``_facet_group.html`` lists them."""
    parts = []
    for o in options:
        dom_id = escape(o.dom_id)
        checked = " checked" if o.checked else ""
        parts.append(
            f'<li class="check"><input type="checkbox" name="{escape(o.facet)}" '
            f'value="{escape(o.value)}" id="{dom_id}"{checked}>'
            f'<label for="{dom_id}">{escape(o.label)} <span class="count">'
            f'(<span id="count-{dom_id}">{o.count}</span>)</span></label></li>'
        )
    return mark_safe("".join(parts))  # noqa: S308 - every value escaped


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: an ellipsis
    url: str
    current: bool


def query_string(params: QueryDict, **changes: str | int | None) -> str:
    """The current query string with some parameters replaced or removed."""
    data = params.copy()
    for key, value in changes.items():
        data.pop(key, None)
        if value not in (None, ""):
            data[key] = str(value)
    pairs = [(k, v) for k, values in data.lists() for v in values if v != ""]
    return "?" + urlencode(pairs) if pairs else "?"


def page_links(params: QueryDict, page: int, pages: int) -> list[PageLink]:
    """First, last and the pages around the current one, with gaps."""
    wanted = sorted({1, pages, *range(max(1, page - 2), min(pages, page + 2) + 1)})
    links: list[PageLink] = []
    previous = 0
    for number in wanted:
        if number - previous > 1:
            links.append(PageLink(None, "", current=False))
        links.append(
            PageLink(number, query_string(params, page=number), current=number == page)
        )
        previous = number
    return links


# --- Organisations ----------------------------------------------------------------


@dataclass(frozen=True)
class OrganizationTerms:
    kinds: list[TaxonomyTerm]
    roles: list[TaxonomyTerm]


def organization_terms(
    organization: Organization, terms: Mapping[uuid.UUID, list[TaxonomyTerm]]
) -> OrganizationTerms:
    mine = terms.get(organization.pk, [])
    return OrganizationTerms(
        kinds=_terms_of(mine, ORGANIZATION_KIND), roles=_terms_of(mine, AUTHORITY_ROLE)
    )


@dataclass(frozen=True)
class ServiceTerms:
    types: list[TaxonomyTerm]
    targets: list[TaxonomyTerm]
    others: list[TaxonomyTerm]


def service_terms(terms: Sequence[TaxonomyTerm]) -> ServiceTerms:
    types = _terms_of(terms, SERVICE_TYPE)
    targets = _terms_of(terms, TARGET_GROUP)
    return ServiceTerms(
        types=types,
        targets=targets,
        others=[t for t in terms if t not in types and t not in targets],
    )


@dataclass(frozen=True)
class LocationView:
    location: Location
    addresses: list[Address]
    phones: list[Phone]
    hours: list[HoursLine]
    languages: list[str]
    accessibility: list[str]


def service_locations(service: Service, reader: str) -> list[LocationView]:
    views = []
    for sal in service.service_at_locations.all():
        location = sal.location
        accessibility = [
            text
            for a in location.accessibility.all()
            for text in (a.description, a.details)
            if text
        ]
        views.append(
            LocationView(
                location=location,
                addresses=list(location.addresses.all()),
                phones=[*sal.phones.all(), *location.phones.all()],
                hours=hours_lines(
                    [*sal.schedules.all(), *location.schedules.all()], reader
                ),
                languages=language_labels(
                    [(lang.code or lang.name) for lang in location.languages.all()],
                    reader,
                ),
                accessibility=accessibility,
            )
        )
    return views
