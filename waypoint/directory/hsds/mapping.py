"""Which model field is which HSDS 3.0 field, and objects as HSDS dictionaries.

One ``Table`` per HSDS object Waypoint keeps: its CSV file, its model, the
HSDS scalar fields in the order the specification lists them, and the ones
that must always be present. The serialisers below leave out every optional
value that is unknown (``None`` or empty text): the HSDS schemas reject
``null``. Waypoint's own fields travel, in exports only, as ``x_`` extensions.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from functools import cached_property
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet

from waypoint.directory.models import (
    Accessibility,
    Address,
    Attribute,
    Contact,
    CostOption,
    Language,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)

PUBLIC_STATUSES = [Service.Status.ACTIVE, Service.Status.TEMPORARILY_CLOSED]
HSDS_VERSION = "3.0"
PROFILE_URL = "https://docs.openreferral.org/en/v3.0/"


@dataclass(frozen=True)
class Table:
    name: str
    filename: str
    model: type[models.Model]
    columns: tuple[str, ...]
    required: tuple[str, ...] = ()
    # HSDS foreign-key column -> the table it points at.
    parents: dict[str, str] = field(default_factory=dict)
    # Foreign keys the record cannot exist without.
    required_parents: tuple[str, ...] = ()
    # HSDS name -> model attribute, where they differ.
    renames: dict[str, str] = field(default_factory=dict)

    def attname(self, column: str) -> str:
        return self.renames.get(column, column)

    @cached_property
    def extensions(self) -> tuple[str, ...]:
        names = [f.name for f in self.model._meta.concrete_fields]
        ext: list[str] = []
        if "country" in names and self.name == "organization":
            ext.append("x_country")
        if "translations" in names:
            if self.name != "taxonomy_term":
                ext.append("x_language")
            ext.append("x_translations")
        if "is_demo" in names:
            ext.append("x_demo")
        if self.name == "taxonomy":
            ext.append("x_code")
        if self.name == "taxonomy_term":
            ext.append("x_position")
        return tuple(ext)

    @cached_property
    def extension_attnames(self) -> dict[str, str]:
        """Extension name -> model attribute."""
        names = {
            "x_country": "country",
            "x_language": "language",
            "x_translations": "translations",
            "x_demo": "is_demo",
            "x_code": "code",
            "x_position": "position",
        }
        return {x: names[x] for x in self.extensions}


TABLES: tuple[Table, ...] = (
    Table(
        "taxonomy",
        "taxonomies.csv",
        Taxonomy,
        ("id", "name", "description", "uri", "version"),
        required=("id", "name", "description"),
    ),
    Table(
        "taxonomy_term",
        "taxonomy_terms.csv",
        TaxonomyTerm,
        (
            "id",
            "code",
            "name",
            "description",
            "parent_id",
            "taxonomy",
            "language",
            "taxonomy_id",
            "term_uri",
        ),
        required=("id", "name", "description"),
        parents={"parent_id": "taxonomy_term", "taxonomy_id": "taxonomy"},
        renames={"taxonomy_id": "taxonomy_ref_id"},
    ),
    Table(
        "organization",
        "organizations.csv",
        Organization,
        (
            "id",
            "name",
            "alternate_name",
            "description",
            "email",
            "website",
            "tax_status",
            "tax_id",
            "year_incorporated",
            "legal_status",
            "logo",
            "uri",
            "parent_organization_id",
        ),
        required=("id", "name", "description"),
        parents={"parent_organization_id": "organization"},
    ),
    Table(
        "service",
        "services.csv",
        Service,
        (
            "id",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "url",
            "email",
            "status",
            "interpretation_services",
            "application_process",
            "fees_description",
            "wait_time",
            "accreditations",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "licenses",
            "alert",
            "last_modified",
        ),
        required=("id", "name", "status"),
        parents={"organization_id": "organization"},
        required_parents=("organization_id",),
        renames={"last_modified": "updated_at"},
    ),
    Table(
        "location",
        "locations.csv",
        Location,
        (
            "id",
            "location_type",
            "url",
            "organization_id",
            "name",
            "alternate_name",
            "description",
            "transportation",
            "latitude",
            "longitude",
            "external_identifier",
            "external_identifier_type",
        ),
        required=("id", "location_type"),
        parents={"organization_id": "organization"},
    ),
    Table(
        "service_at_location",
        "service_at_location.csv",
        ServiceAtLocation,
        ("id", "service_id", "location_id", "description"),
        required=("id",),
        parents={"service_id": "service", "location_id": "location"},
        required_parents=("service_id", "location_id"),
    ),
    Table(
        "address",
        "addresses.csv",
        Address,
        (
            "id",
            "location_id",
            "attention",
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        required=(
            "id",
            "address_1",
            "city",
            "state_province",
            "postal_code",
            "country",
            "address_type",
        ),
        parents={"location_id": "location"},
        required_parents=("location_id",),
    ),
    Table(
        "contact",
        "contacts.csv",
        Contact,
        (
            "id",
            "organization_id",
            "service_id",
            "service_at_location_id",
            "location_id",
            "name",
            "title",
            "department",
            "email",
        ),
        required=("id",),
        parents={
            "organization_id": "organization",
            "service_id": "service",
            "service_at_location_id": "service_at_location",
            "location_id": "location",
        },
    ),
    Table(
        "phone",
        "phones.csv",
        Phone,
        (
            "id",
            "location_id",
            "service_id",
            "organization_id",
            "contact_id",
            "service_at_location_id",
            "number",
            "extension",
            "type",
            "description",
        ),
        required=("id", "number"),
        parents={
            "location_id": "location",
            "service_id": "service",
            "organization_id": "organization",
            "contact_id": "contact",
            "service_at_location_id": "service_at_location",
        },
    ),
    Table(
        "schedule",
        "schedules.csv",
        Schedule,
        (
            "id",
            "service_id",
            "location_id",
            "service_at_location_id",
            "valid_from",
            "valid_to",
            "dtstart",
            "until",
            "count",
            "wkst",
            "freq",
            "interval",
            "byday",
            "byweekno",
            "bymonthday",
            "byyearday",
            "description",
            "opens_at",
            "closes_at",
            "schedule_link",
            "attending_type",
            "notes",
        ),
        required=("id",),
        parents={
            "service_id": "service",
            "location_id": "location",
            "service_at_location_id": "service_at_location",
        },
    ),
    Table(
        "language",
        "languages.csv",
        Language,
        ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
        required=("id",),
        parents={
            "service_id": "service",
            "location_id": "location",
            "phone_id": "phone",
        },
    ),
    Table(
        "service_area",
        "service_areas.csv",
        ServiceArea,
        ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
        required=("id",),
        parents={"service_id": "service"},
    ),
    Table(
        "cost_option",
        "cost_options.csv",
        CostOption,
        (
            "id",
            "service_id",
            "valid_from",
            "valid_to",
            "option",
            "currency",
            "amount",
            "amount_description",
        ),
        required=("id",),
        parents={"service_id": "service"},
    ),
    Table(
        "accessibility",
        "accessibility.csv",
        Accessibility,
        ("id", "location_id", "description", "details", "url"),
        required=("id",),
        parents={"location_id": "location"},
    ),
    Table(
        "required_document",
        "required_documents.csv",
        RequiredDocument,
        ("id", "service_id", "document", "uri"),
        required=("id",),
        parents={"service_id": "service"},
    ),
    Table(
        "attribute",
        "attributes.csv",
        Attribute,
        ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
        required=("id",),
        parents={"taxonomy_term_id": "taxonomy_term"},
        required_parents=("taxonomy_term_id", "link_id"),
    ),
)
TABLE: dict[str, Table] = {t.name: t for t in TABLES}
BY_FILENAME: dict[str, Table] = {t.filename: t for t in TABLES}
# HSDS tables Waypoint does not keep: an import reports them as ignored.
IGNORED_TABLES = {
    "program": "programs.csv",
    "funding": "funding.csv",
    "organization_identifier": "organization_identifiers.csv",
    "metadata": "metadata.csv",
    "meta_table_description": "meta_table_descriptions.csv",
}


LINK_ENTITIES = [t.name for t in TABLES]


def hsds_value(value: Any) -> Any:
    """A model value as JSON: text for ids, dates and times, numbers as numbers."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


@dataclass
class Context:
    """How to write: in which language, with Waypoint's extensions or not."""

    lang: str | None = None
    extensions: bool = False
    languages_used: set[str] = field(default_factory=set)


def scalars(table: Table, obj: models.Model, ctx: Context) -> dict[str, Any]:
    out: dict[str, Any] = {}
    translated = getattr(obj, "TRANSLATED_FIELDS", ())
    for column in table.columns:
        if ctx.lang is not None and column in translated:
            value: Any = obj.translated(column, ctx.lang)  # type: ignore[attr-defined]
            if value:
                ctx.languages_used.add(
                    obj.translated_language(column, ctx.lang)  # type: ignore[attr-defined]
                )
        else:
            value = getattr(obj, table.attname(column))
        if value is None or value == "":
            if column in table.required:
                out[column] = ""
            continue
        out[column] = hsds_value(value)
    if table.name == "taxonomy_term" and ctx.lang is not None:
        out["language"] = obj.translated_language("name", ctx.lang)  # type: ignore[attr-defined]
    if ctx.extensions:
        out.update(extension_values(table, obj))
    return out


def extension_values(table: Table, obj: models.Model) -> dict[str, Any]:
    """Waypoint's own values of ``obj``; defaults (empty, false, 0) left out."""
    out: dict[str, Any] = {}
    for name, attname in table.extension_attnames.items():
        value: Any = getattr(obj, attname, None)
        if name == "x_language" or value not in (None, "", False, 0, {}):
            out[name] = value
    return out


# --- Nested objects -----------------------------------------------------------


def phone_dict(phone: Phone, ctx: Context) -> dict[str, Any]:
    out = scalars(TABLE["phone"], phone, ctx)
    out["languages"] = [
        scalars(TABLE["language"], x, ctx) for x in phone.languages.all()
    ]
    return out


def contact_dict(contact: Contact, ctx: Context) -> dict[str, Any]:
    out = scalars(TABLE["contact"], contact, ctx)
    out["phones"] = [phone_dict(p, ctx) for p in contact.phones.all()]
    return out


def location_dict(location: Location, ctx: Context, *, full: bool) -> dict[str, Any]:
    out = scalars(TABLE["location"], location, ctx)
    if full:
        out["languages"] = [
            scalars(TABLE["language"], x, ctx) for x in location.languages.all()
        ]
        out["addresses"] = [
            scalars(TABLE["address"], x, ctx) for x in location.addresses.all()
        ]
        out["contacts"] = [contact_dict(x, ctx) for x in location.contacts.all()]
        out["accessibility"] = [
            scalars(TABLE["accessibility"], x, ctx)
            for x in location.accessibility.all()
        ]
        out["phones"] = [phone_dict(x, ctx) for x in location.phones.all()]
        out["schedules"] = [
            scalars(TABLE["schedule"], x, ctx) for x in location.schedules.all()
        ]
    return out


def service_at_location_dict(
    sal: ServiceAtLocation,
    ctx: Context,
    *,
    full: bool,
    with_service: bool,
) -> dict[str, Any]:
    out = scalars(TABLE["service_at_location"], sal, ctx)
    if full:
        out["contacts"] = [contact_dict(x, ctx) for x in sal.contacts.all()]
        out["phones"] = [phone_dict(x, ctx) for x in sal.phones.all()]
        out["schedules"] = [
            scalars(TABLE["schedule"], x, ctx) for x in sal.schedules.all()
        ]
    out["location"] = location_dict(sal.location, ctx, full=full)
    if with_service:
        out["service"] = (
            service_dict(sal.service, ctx, full=True, with_locations=False)
            if full
            else service_dict(sal.service, ctx, full=False)
        )
    return out


def organization_dict(
    organization: Organization,
    ctx: Context,
    *,
    full: bool = False,
    services: str = "",
) -> dict[str, Any]:
    """An organisation; ``services`` is "", "list" or "full"."""
    out = scalars(TABLE["organization"], organization, ctx)
    if services:
        out["services"] = [
            service_dict(x, ctx, full=services == "full", with_organization=False)
            for x in organization.services.all()
        ]
    if full:
        out["contacts"] = [contact_dict(x, ctx) for x in organization.contacts.all()]
        out["phones"] = [phone_dict(x, ctx) for x in organization.phones.all()]
        out["locations"] = [
            location_dict(x, ctx, full=True) for x in organization.locations.all()
        ]
    return out


def service_dict(
    service: Service,
    ctx: Context,
    *,
    full: bool,
    with_locations: bool = True,
    with_organization: bool = True,
) -> dict[str, Any]:
    out = scalars(TABLE["service"], service, ctx)
    if full:
        out["phones"] = [phone_dict(x, ctx) for x in service.phones.all()]
        out["schedules"] = [
            scalars(TABLE["schedule"], x, ctx) for x in service.schedules.all()
        ]
        out["service_areas"] = [
            scalars(TABLE["service_area"], x, ctx) for x in service.service_areas.all()
        ]
        if with_locations:
            out["service_at_locations"] = [
                service_at_location_dict(x, ctx, full=True, with_service=False)
                for x in service.service_at_locations.all()
            ]
        out["languages"] = [
            scalars(TABLE["language"], x, ctx) for x in service.languages.all()
        ]
        out["cost_options"] = [
            scalars(TABLE["cost_option"], x, ctx) for x in service.cost_options.all()
        ]
        out["required_documents"] = [
            scalars(TABLE["required_document"], x, ctx)
            for x in service.required_documents.all()
        ]
        out["contacts"] = [contact_dict(x, ctx) for x in service.contacts.all()]
    if with_organization:
        out["organization"] = organization_dict(service.organization, ctx)
    return out


def taxonomy_term_dict(term: TaxonomyTerm, ctx: Context) -> dict[str, Any]:
    out = scalars(TABLE["taxonomy_term"], term, ctx)
    if term.taxonomy_ref is not None:
        out["taxonomy_detail"] = scalars(TABLE["taxonomy"], term.taxonomy_ref, ctx)
    return out


def attribute_dict(attribute: Attribute, ctx: Context) -> dict[str, Any]:
    out = scalars(TABLE["attribute"], attribute, ctx)
    out["taxonomy_term"] = taxonomy_term_dict(attribute.taxonomy_term, ctx)
    return out


def _dicts_with_ids(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, dict):
        if "id" in value:
            yield value
        for key, child in value.items():
            if key not in ("attributes", "taxonomy_detail"):
                yield from _dicts_with_ids(child)
    elif isinstance(value, list):
        for child in value:
            yield from _dicts_with_ids(child)


def attributes_attach(documents: Iterable[dict[str, Any]], ctx: Context) -> None:
    """Give every object in ``documents`` its HSDS attributes, in one query."""
    by_id: dict[str, list[dict[str, Any]]] = {}
    for document in documents:
        for obj in _dicts_with_ids(document):
            by_id.setdefault(obj["id"], []).append(obj)
    ids = []
    for key in by_id:
        try:
            ids.append(uuid.UUID(key))
        except ValueError:
            continue
    if not ids:
        return
    attributes = (
        # link_entity first: it leads the (link_entity, link_id) index.
        Attribute.objects.filter(link_entity__in=LINK_ENTITIES, link_id__in=ids)
        .select_related("taxonomy_term__taxonomy_ref")
        .order_by("taxonomy_term__position", "taxonomy_term__name", "id")
    )
    for attribute in attributes:
        rendered = attribute_dict(attribute, ctx)
        for obj in by_id.get(str(attribute.link_id), []):
            obj.setdefault("attributes", []).append(rendered)


# --- Querysets that fetch everything a document needs ------------------------
# Children come in id order so that a document is the same in every database.


def _by_id(path: str, model: type[models.Model], *inner: Any) -> Prefetch[Any]:
    qs = model._default_manager.order_by("id")
    if inner:
        qs = qs.prefetch_related(*inner)
    return Prefetch(path, queryset=qs)


def _phones(path: str = "phones") -> Prefetch[Any]:
    return _by_id(path, Phone, _by_id("languages", Language))


def _contacts(path: str = "contacts") -> Prefetch[Any]:
    return _by_id(path, Contact, _phones())


def _location_children(prefix: str) -> list[Prefetch[Any]]:
    return [
        _by_id(prefix + "languages", Language),
        _by_id(prefix + "addresses", Address),
        _contacts(prefix + "contacts"),
        _by_id(prefix + "accessibility", Accessibility),
        _phones(prefix + "phones"),
        _by_id(prefix + "schedules", Schedule),
    ]


def _service_children(prefix: str) -> list[Prefetch[Any]]:
    return [
        _phones(prefix + "phones"),
        _by_id(prefix + "schedules", Schedule),
        _by_id(prefix + "service_areas", ServiceArea),
        _by_id(prefix + "languages", Language),
        _by_id(prefix + "cost_options", CostOption),
        _by_id(prefix + "required_documents", RequiredDocument),
        _contacts(prefix + "contacts"),
    ]


def _sal_children(prefix: str) -> list[Prefetch[Any]]:
    return [
        _contacts(prefix + "contacts"),
        _phones(prefix + "phones"),
        _by_id(prefix + "schedules", Schedule),
        *_location_children(prefix + "location__"),
    ]


def locations_full(qs: QuerySet[Location]) -> QuerySet[Location]:
    return qs.prefetch_related(*_location_children(""))


def service_at_locations_full(
    qs: QuerySet[ServiceAtLocation],
) -> QuerySet[ServiceAtLocation]:
    return qs.select_related("location", "service__organization").prefetch_related(
        *_sal_children(""), *_service_children("service__")
    )


def services_full(qs: QuerySet[Service]) -> QuerySet[Service]:
    sals = ServiceAtLocation.objects.select_related("location").order_by("id")
    return qs.select_related("organization").prefetch_related(
        *_service_children(""),
        Prefetch("service_at_locations", queryset=sals),
        *_sal_children("service_at_locations__"),
    )


def services_list(qs: QuerySet[Service]) -> QuerySet[Service]:
    return qs.select_related("organization")


def organizations_full(
    qs: QuerySet[Organization], *, full_services: bool
) -> QuerySet[Organization]:
    locations = Location.objects.order_by("id")
    qs = qs.prefetch_related(
        _contacts(),
        _phones(),
        Prefetch("locations", queryset=locations),
        *_location_children("locations__"),
    )
    services = Service.objects.filter(status__in=PUBLIC_STATUSES).order_by("name", "id")
    if full_services:
        return qs.prefetch_related(
            Prefetch("services", queryset=services.select_related("organization")),
            *_service_children("services__"),
            Prefetch(
                "services__service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").order_by(
                    "id"
                ),
            ),
            *_sal_children("services__service_at_locations__"),
        )
    return qs.prefetch_related(Prefetch("services", queryset=services))
