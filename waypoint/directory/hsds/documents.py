"""Fully nested HSDS service documents, built from plain rows.

The same documents as ``mapping.service_dict(..., full=True)`` followed by
``mapping.attributes_attach``, for the API's hot paths and the export. The
model-instance version prefetches twenty querysets per call, and compiling
those queries cost more than running them (40 ms for one service). Here each
table is read with one precompiled statement for the whole set of services
(fourteen statements whatever their number), values converted as the ORM
converts them, and the documents assembled from dictionaries.

On SQLite, dates, times and date-times are read as the text SQLite holds
and rewritten to the ISO 8601 text the documents carry (``2026-01-01
09:00:00`` becomes ``2026-01-01T09:00:00+00:00``): parsing them into Python
objects only to write them back out cost more than any other conversion.
"""

from __future__ import annotations

import json
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import orjson
from django.conf import settings
from django.db import connection, models

from waypoint.directory.hsds.mapping import (
    TABLE,
    Context,
    Table,
    hsds_value,
)
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

Row = dict[str, Any]
_Converter = Callable[[Any, Any, Any], Any]


@dataclass(frozen=True)
class _Reader:
    """One model's columns, the SQL naming them and their converters."""

    attnames: tuple[str, ...]
    select: str
    converters: tuple[tuple[int, tuple[_Converter, ...], Any], ...]
    # Positions of JSON columns, whose text "{}" reads as an empty dict.
    json_columns: frozenset[int] = frozenset()

    def rows(self, where: Sequence[tuple[str, Sequence[Any]]]) -> list[Row]:
        """Rows where any of the (column, values) pairs matches, by id."""
        return self.rows_guarded([(None, column, values) for column, values in where])

    def rows_guarded(
        self, where: Sequence[tuple[tuple[str, str] | None, str, Sequence[Any]]]
    ) -> list[Row]:
        """Rows where any ``guard AND column IN values`` matches, by id.

        A guard is (column, value): an equality that leads a composite index.
        """
        condition, params = any_of(where)
        # No ORDER BY: it tempts SQLite into walking the primary key index
        # instead of the foreign key ones; rows are sorted by id below.
        sql = f"{self.select} WHERE {condition or '1 = 0'}"
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        out = []
        attnames = self.attnames
        converters = self.converters
        for values in fetched:
            if converters:
                values = list(values)
                for i, chain, expression in converters:
                    value = values[i]
                    if value == "{}" and i in self.json_columns:
                        # Most translation cells are empty: no parsing.
                        values[i] = {}
                        continue
                    for convert in chain:
                        value = convert(value, expression, connection)
                    values[i] = value
            out.append(dict(zip(attnames, values, strict=True)))
        # UUIDs order as their text in SQLite and as uuid in PostgreSQL.
        out.sort(key=_by_id)
        return out


def any_of(
    where: Iterable[tuple[tuple[str, str] | None, str, Collection[Any]]],
) -> tuple[str, list[Any]]:
    """SQL for "any ``guard AND column IN values`` holds", and its parameters.

    Columns are quoted SQL names; a guard is (column, value), an equality
    that leads a composite index. Empty lists are left out (a constant false
    term in an OR makes SQLite give up its per-index lookups and scan the
    table): with nothing left, the SQL is "".
    """
    clauses = []
    params: list[Any] = []
    for guard, column, values in where:
        if not values:
            continue
        clause = f"{column} IN ({', '.join(['%s'] * len(values))})"
        if guard is not None:
            clause = f"({guard[0]} = %s AND {clause})"
            params.append(guard[1])
        clauses.append(clause)
        params += [db_id(v) for v in values]
    return " OR ".join(clauses), params


def _by_id(row: Row) -> Any:
    return row["id"]


def _uuid_text(value: Any) -> str:
    """A stored UUID (32 hex digits in SQLite, a UUID elsewhere) as HSDS text."""
    if isinstance(value, str) and len(value) == 32:
        return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"
    return str(value)


def db_id(value: Any) -> Any:
    if isinstance(value, uuid.UUID) and not connection.features.has_native_uuid_field:
        return value.hex
    return value


def _is_uuid(f: Any) -> bool:
    target = f.target_field if isinstance(f, models.ForeignKey) else f
    return isinstance(target, models.UUIDField)


_READERS: dict[tuple[str, type[models.Model]], _Reader] = {}


def _iso_text(chain: tuple[_Converter, ...], what: type) -> _Converter:
    """A converter to the ISO text ``hsds_value`` would write; ``chain`` (the
    ORM's converters) handles any value not in the expected shape."""

    def convert(value: Any, expression: Any, conn: Any) -> Any:
        if value is None:
            return None
        if value.__class__ is str:
            if what is datetime and len(value) in (19, 26) and value[10] == " ":
                # Django writes UTC date-times as "YYYY-MM-DD HH:MM:SS[.ffffff]".
                return f"{value[:10]}T{value[11:]}+00:00"
            if what is date and len(value) == 10:
                return value
            if what is time and len(value) in (8, 15):
                return value
        for step in chain:
            value = step(value, expression, conn)
        return hsds_value(value)

    return convert


def json_value(value: Any, expression: Any, conn: Any) -> Any:
    """As ``JSONField.from_db_value`` without a decoder, parsed by orjson
    (2.4 µs instead of 6.4 µs for a service's translations, the largest
    cells of a page); what orjson refuses (NaN, integers past 64 bits) goes
    to ``json`` as before."""
    if value.__class__ is not str and not isinstance(value, bytes | bytearray):
        return value
    try:
        return orjson.loads(value)
    except orjson.JSONDecodeError:
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value


def _text_kept(f: models.Field[Any, Any]) -> type | None:
    """On SQLite (in UTC), which temporal type ``f`` holds as ISO text."""
    if connection.vendor != "sqlite" or not settings.USE_TZ:
        return None
    if connection.timezone_name != "UTC":
        return None
    if isinstance(f, models.DateTimeField):
        return datetime
    if isinstance(f, models.DateField):
        return date
    if isinstance(f, models.TimeField):
        return time
    return None


def _reader(model: type[models.Model]) -> _Reader:
    key = (connection.vendor, model)
    found = _READERS.get(key)
    if found is not None:
        return found
    table = model._meta.db_table
    fields: list[models.Field[Any, Any]] = sorted(
        model._meta.concrete_fields, key=lambda f: not f.primary_key
    )
    quote = connection.ops.quote_name
    converters: list[tuple[int, tuple[_Converter, ...], Any]] = []
    kept = [_text_kept(f) for f in fields]
    for i, f in enumerate(fields):
        if _is_uuid(f):
            # Kept as the database gives them (text in SQLite): they are only
            # compared with each other and written out as text.
            continue
        col = f.get_col(table)
        chain = [
            *connection.ops.get_db_converters(col),
            *f.get_db_converters(connection),
        ]
        temporal = kept[i]
        if isinstance(f, models.JSONField) and f.decoder is None:
            converters.append((i, (json_value,), col))
        elif temporal is not None:
            converters.append((i, (_iso_text(tuple(chain), temporal),), col))
        elif chain:
            converters.append((i, tuple(chain), col))
    # Constant SQL from the model's own table and column names. A temporal
    # column kept as text is read through CAST: without a declared type,
    # Python's sqlite3 leaves it as the stored text instead of parsing it.
    columns = ", ".join(
        f"CAST({quote(table)}.{quote(f.column or f.name)} AS TEXT)"
        if kind is not None
        else f"{quote(table)}.{quote(f.column or f.name)}"
        for f, kind in zip(fields, kept, strict=True)
    )
    select = f"SELECT {columns} FROM {quote(table)}"  # noqa: S608
    reader = _Reader(
        attnames=tuple(f.attname for f in fields),
        select=select,
        converters=tuple(converters),
        json_columns=frozenset(
            i for i, f in enumerate(fields) if isinstance(f, models.JSONField)
        ),
    )
    _READERS[key] = reader
    return reader


def _rows(model: type[models.Model], *where: tuple[str, Sequence[Any]]) -> list[Row]:
    return _reader(model).rows(where)


def _attribute_rows(objects: dict[str, dict[Any, list[dict[str, Any]]]]) -> list[Row]:
    # link_entity first: it leads the (link_entity, link_id) index.
    return _reader(Attribute).rows_guarded(
        [
            (("link_entity", name), "link_id", list(by_id))
            for name, by_id in objects.items()
        ]
    )


# --- Values -----------------------------------------------------------------------

_EXTENSION_DEFAULTS: tuple[Any, ...] = (None, "", False, 0, {})


_PLAIN, _TRANSLATED, _UUID = 0, 1, 2
_SPECS: dict[str, tuple[tuple[str, str, int, bool], ...]] = {}


def _spec(table: Table) -> tuple[tuple[str, str, int, bool], ...]:
    """(column, attribute, kind, required) of each HSDS column of ``table``."""
    found = _SPECS.get(table.name)
    if found is None:
        translated = getattr(table.model, "TRANSLATED_FIELDS", ())
        specs = []
        for column in table.columns:
            attname = table.attname(column)
            f = next(
                f
                for f in table.model._meta.concrete_fields
                if attname in (f.attname, f.name)
            )
            kind = (
                _TRANSLATED
                if column in translated
                else _UUID
                if _is_uuid(f)
                else _PLAIN
            )
            specs.append((column, f.attname, kind, column in table.required))
        found = _SPECS[table.name] = tuple(specs)
    return found


# Values that go into JSON as they are (everything else through ``hsds_value``).
_JSON_READY = frozenset({str, int, float, bool})


def row_scalars(table: Table, row: Row, ctx: Context) -> dict[str, Any]:
    """As ``mapping.scalars``, for a row of values."""
    out: dict[str, Any] = {}
    lang = ctx.lang
    for column, attname, kind, required in _spec(table):
        value: Any = row[attname]
        if kind == _TRANSLATED and lang is not None:
            text = ""
            if lang and lang != row["language"]:
                text = (row["translations"] or {}).get(lang, {}).get(column) or ""
            if text:
                value = str(text)
                ctx.languages_used.add(lang)
            else:
                value = str(value or "")
                if value:
                    ctx.languages_used.add(row["language"])
        if value is None or value == "":
            if required:
                out[column] = ""
        elif kind == _UUID:
            out[column] = _uuid_text(value)
        elif value.__class__ in _JSON_READY:
            out[column] = value
        else:
            out[column] = hsds_value(value)
    if table.name == "taxonomy_term" and lang is not None:
        name = (
            (row["translations"] or {}).get(lang, {}).get("name")
            if lang and lang != row["language"]
            else None
        )
        out["language"] = lang if name else row["language"]
    if ctx.extensions:
        for name, attname in table.extension_attnames.items():
            value = row.get(attname)
            if name == "x_language" or value not in _EXTENSION_DEFAULTS:
                out[name] = value
    return out


def _group(rows: Iterable[Row], *columns: str) -> dict[str, dict[Any, list[Row]]]:
    """Rows by each parent column: {column: {parent id: [rows]}}."""
    out: dict[str, dict[Any, list[Row]]] = {c: defaultdict(list) for c in columns}
    for row in rows:
        for column in columns:
            parent = row[column]
            if parent is not None:
                out[column][parent].append(row)
    return out


# --- Documents --------------------------------------------------------------------


@dataclass
class _Related:
    sals: dict[Any, list[Row]]
    locations: dict[Any, Row]
    organizations: dict[Any, Row]
    contacts: dict[str, dict[Any, list[Row]]]
    phones: dict[str, dict[Any, list[Row]]]
    languages: dict[str, dict[Any, list[Row]]]
    schedules: dict[str, dict[Any, list[Row]]]
    addresses: dict[Any, list[Row]]
    accessibility: dict[Any, list[Row]]
    service_areas: dict[Any, list[Row]]
    cost_options: dict[Any, list[Row]]
    required_documents: dict[Any, list[Row]]


def _related(services: list[Row]) -> _Related:
    ids = [s["id"] for s in services]
    sal_rows = _rows(ServiceAtLocation, ("service_id", ids))
    sal_ids = [r["id"] for r in sal_rows]
    location_ids = list(dict.fromkeys(r["location_id"] for r in sal_rows))
    org_ids = list(dict.fromkeys(s["organization_id"] for s in services))
    locations = {r["id"]: r for r in _rows(Location, ("id", location_ids))}
    organizations = {r["id"]: r for r in _rows(Organization, ("id", org_ids))}
    by_owner = (
        ("service_id", ids),
        ("service_at_location_id", sal_ids),
        ("location_id", location_ids),
    )
    contact_rows = _rows(Contact, *by_owner)
    contact_ids = [r["id"] for r in contact_rows]
    phone_rows = _rows(Phone, *by_owner, ("contact_id", contact_ids))
    phone_ids = [r["id"] for r in phone_rows]
    language_rows = _rows(
        Language,
        ("service_id", ids),
        ("location_id", location_ids),
        ("phone_id", phone_ids),
    )
    return _Related(
        sals=_group(sal_rows, "service_id")["service_id"],
        locations=locations,
        organizations=organizations,
        contacts=_group(
            contact_rows, "service_id", "service_at_location_id", "location_id"
        ),
        phones=_group(
            phone_rows,
            "service_id",
            "service_at_location_id",
            "location_id",
            "contact_id",
        ),
        languages=_group(language_rows, "service_id", "location_id", "phone_id"),
        schedules=_group(
            _rows(Schedule, *by_owner),
            "service_id",
            "service_at_location_id",
            "location_id",
        ),
        addresses=_group(_rows(Address, ("location_id", location_ids)), "location_id")[
            "location_id"
        ],
        accessibility=_group(
            _rows(Accessibility, ("location_id", location_ids)), "location_id"
        )["location_id"],
        service_areas=_group(_rows(ServiceArea, ("service_id", ids)), "service_id")[
            "service_id"
        ],
        cost_options=_group(_rows(CostOption, ("service_id", ids)), "service_id")[
            "service_id"
        ],
        required_documents=_group(
            _rows(RequiredDocument, ("service_id", ids)), "service_id"
        )["service_id"],
    )


class _Builder:
    def __init__(self, related: _Related, ctx: Context) -> None:
        self.r = related
        self.ctx = ctx
        # Every object written, by table and id: where attributes go.
        self.objects: dict[str, dict[Any, list[dict[str, Any]]]] = defaultdict(
            lambda: defaultdict(list)
        )

    def one(self, name: str, row: Row) -> dict[str, Any]:
        out = row_scalars(TABLE[name], row, self.ctx)
        self.objects[name][row["id"]].append(out)
        return out

    def many(self, name: str, rows: Iterable[Row]) -> list[dict[str, Any]]:
        return [self.one(name, row) for row in rows]

    def phones(self, column: str, parent: Any) -> list[dict[str, Any]]:
        out = []
        for row in self.r.phones[column].get(parent, ()):
            phone = self.one("phone", row)
            phone["languages"] = self.many(
                "language", self.r.languages["phone_id"].get(row["id"], ())
            )
            out.append(phone)
        return out

    def contacts(self, column: str, parent: Any) -> list[dict[str, Any]]:
        out = []
        for row in self.r.contacts[column].get(parent, ()):
            contact = self.one("contact", row)
            contact["phones"] = self.phones("contact_id", row["id"])
            out.append(contact)
        return out

    def location(self, pk: Any) -> dict[str, Any]:
        r = self.r
        out = self.one("location", r.locations[pk])
        out["languages"] = self.many("language", r.languages["location_id"].get(pk, ()))
        out["addresses"] = self.many("address", r.addresses.get(pk, ()))
        out["contacts"] = self.contacts("location_id", pk)
        out["accessibility"] = self.many("accessibility", r.accessibility.get(pk, ()))
        out["phones"] = self.phones("location_id", pk)
        out["schedules"] = self.many("schedule", r.schedules["location_id"].get(pk, ()))
        return out

    def sal(self, row: Row) -> dict[str, Any]:
        pk = row["id"]
        out = self.one("service_at_location", row)
        out["contacts"] = self.contacts("service_at_location_id", pk)
        out["phones"] = self.phones("service_at_location_id", pk)
        out["schedules"] = self.many(
            "schedule", self.r.schedules["service_at_location_id"].get(pk, ())
        )
        out["location"] = self.location(row["location_id"])
        return out

    def service(self, row: Row) -> dict[str, Any]:
        r, pk = self.r, row["id"]
        out = self.one("service", row)
        out["phones"] = self.phones("service_id", pk)
        out["schedules"] = self.many("schedule", r.schedules["service_id"].get(pk, ()))
        out["service_areas"] = self.many("service_area", r.service_areas.get(pk, ()))
        out["service_at_locations"] = [self.sal(x) for x in r.sals.get(pk, ())]
        out["languages"] = self.many("language", r.languages["service_id"].get(pk, ()))
        out["cost_options"] = self.many("cost_option", r.cost_options.get(pk, ()))
        out["required_documents"] = self.many(
            "required_document", r.required_documents.get(pk, ())
        )
        out["contacts"] = self.contacts("service_id", pk)
        out["organization"] = self.one(
            "organization", r.organizations[row["organization_id"]]
        )
        return out


def _attach_attributes(
    objects: dict[str, dict[Any, list[dict[str, Any]]]], ctx: Context
) -> None:
    """As ``mapping.attributes_attach``, reading plain rows (three statements).

    An attribute goes to the object of its ``link_entity`` with its ``link_id``.
    """
    attributes = _attribute_rows(objects)
    terms = {
        t["id"]: t
        for t in _rows(
            TaxonomyTerm, ("id", list({a["taxonomy_term_id"] for a in attributes}))
        )
    }
    taxonomies = {
        t["id"]: t
        for t in _rows(
            Taxonomy,
            ("id", list({t["taxonomy_ref_id"] for t in terms.values()} - {None})),
        )
    }
    attributes.sort(
        key=lambda a: (
            terms[a["taxonomy_term_id"]]["position"],
            terms[a["taxonomy_term_id"]]["name"],
            a["id"],
        )
    )
    rendered_terms: dict[Any, dict[str, Any]] = {}
    for attribute in attributes:
        term = terms[attribute["taxonomy_term_id"]]
        rendered = row_scalars(TABLE["attribute"], attribute, ctx)
        rendered_term = rendered_terms.get(term["id"])
        if rendered_term is None:
            rendered_term = row_scalars(TABLE["taxonomy_term"], term, ctx)
            if term["taxonomy_ref_id"] is not None:
                rendered_term["taxonomy_detail"] = row_scalars(
                    TABLE["taxonomy"], taxonomies[term["taxonomy_ref_id"]], ctx
                )
            rendered_terms[term["id"]] = rendered_term
        rendered["taxonomy_term"] = dict(rendered_term)
        by_id = objects.get(attribute["link_entity"], {})
        for obj in by_id.get(attribute["link_id"], []):
            obj.setdefault("attributes", []).append(rendered)


def service_rows(ids: Sequence[Any]) -> list[Row]:
    """The service rows of ``ids``, in that order (unknown ids left out)."""
    by_id = {r["id"]: r for r in _rows(Service, ("id", list(ids)))}
    return [by_id[key] for key in map(db_id, ids) if key in by_id]


def service_list_documents(services: list[Row], ctx: Context) -> list[dict[str, Any]]:
    """As ``mapping.service_dict(..., full=False)``: each with its organisation."""
    organizations = {
        r["id"]: r
        for r in _rows(
            Organization,
            ("id", list(dict.fromkeys(s["organization_id"] for s in services))),
        )
    }
    out = []
    for row in services:
        document = row_scalars(TABLE["service"], row, ctx)
        document["organization"] = row_scalars(
            TABLE["organization"], organizations[row["organization_id"]], ctx
        )
        out.append(document)
    return out


def service_documents(services: list[Row], ctx: Context) -> list[dict[str, Any]]:
    """Fully nested documents of these services, with their attributes."""
    builder = _Builder(_related(services), ctx)
    documents = [builder.service(row) for row in services]
    _attach_attributes(builder.objects, ctx)
    return documents
