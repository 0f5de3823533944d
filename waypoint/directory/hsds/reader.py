"""Reading HSDS 3.0 input into flat tables of raw records.

Nested JSON (one object, an array, an API page, or the ``{"services.csv":
[...]}`` tabular JSON) and the tabular data package (a folder or zip of CSV
files, described by ``datapackage.json``) all end as the same thing: for each
HSDS table, records keyed by id, each remembering where it was read so that
a problem can name its file and record.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson
from django.utils.translation import gettext as _

from waypoint.directory.hsds.mapping import BY_FILENAME, IGNORED_TABLES, TABLE

csv.field_size_limit(10 * 1024 * 1024)


@dataclass(frozen=True)
class Problem:
    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.message}"


@dataclass
class RawRecord:
    values: dict[str, Any]
    file: str
    where: str


@dataclass
class RawTables:
    tables: dict[str, dict[str, RawRecord]] = field(default_factory=dict)
    ignored: dict[str, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def add(self, table: str, values: dict[str, Any], file: str, where: str) -> str:
        """Add or merge one record; returns its id ("" when it has none)."""
        if table not in TABLE:
            self.ignored[table] = self.ignored.get(table, 0) + 1
            return ""
        raw_id = values.get("id")
        if raw_id in (None, ""):
            self.problems.append(Problem(file, where, "id", _("missing")))
            return ""
        key = str(raw_id).strip().lower()
        rows = self.tables.setdefault(table, {})
        known = rows.get(key)
        if known is None:
            rows[key] = RawRecord(dict(values), file, where)
        elif known.values != values:
            # The same object nested in several places: each place may add
            # the link to its parent.
            for name, value in values.items():
                if known.values.get(name) in (None, "") and value not in (None, ""):
                    known.values[name] = value
        return key

    def count(self) -> int:
        return sum(len(rows) for rows in self.tables.values())


# --- Nested JSON ----------------------------------------------------------------

# Exact classes: JSON parsers give no subclasses, and a set lookup is cheaper
# than ``isinstance`` on the hundreds of thousands of values of an import.
_SCALAR = frozenset({str, int, float, bool, type(None)})
# Nested HSDS objects Waypoint does not keep, by key: the table they count for.
_IGNORED_KEYS = {
    "funding": "funding",
    "programs": "program",
    "program": "program",
    "organization_identifiers": "organization_identifier",
    "metadata": "metadata",
}


def _scalars(obj: dict[str, Any]) -> dict[str, Any]:
    return {
        k: v for k, v in obj.items() if v.__class__ in _SCALAR or k == "x_translations"
    }


class _Flattener:
    def __init__(self, raw: RawTables, file: str) -> None:
        self.raw = raw
        self.file = file

    def _children(
        self,
        obj: dict[str, Any],
        where: str,
        key: str,
        add: Any,
        links: dict[str, str],
    ) -> None:
        items = obj.get(key)
        if items is None:
            return
        if not isinstance(items, list):
            self.raw.problems.append(
                Problem(self.file, where, key, _("must be an array"))
            )
            return
        for n, item in enumerate(items):
            if not isinstance(item, dict):
                self.raw.problems.append(
                    Problem(
                        self.file, f"{where}.{key}[{n}]", key, _("must be an object")
                    )
                )
                continue
            add(item, f"{where}.{key}[{n}]", links)

    def _ignored(self, obj: dict[str, Any], *keys: str) -> None:
        for key in keys:
            value = obj.get(key)
            if value is None:
                continue
            table = _IGNORED_KEYS[key]
            if isinstance(value, list):
                self.raw.ignored[table] = self.raw.ignored.get(table, 0) + len(value)
            elif isinstance(value, dict):
                self.raw.ignored[table] = self.raw.ignored.get(table, 0) + 1

    def _record(
        self, table: str, obj: dict[str, Any], where: str, links: dict[str, str]
    ) -> str:
        values = _scalars(obj)
        for column, value in links.items():
            if value:
                values[column] = value
        return self.raw.add(table, values, self.file, where)

    def _attributes(
        self, obj: dict[str, Any], where: str, entity: str, pk: str
    ) -> None:
        def add(item: dict[str, Any], at: str, links: dict[str, str]) -> None:
            term = item.get("taxonomy_term")
            values = dict(links)
            if isinstance(term, dict):
                values["taxonomy_term_id"] = self.taxonomy_term(
                    term, at + ".taxonomy_term"
                )
            self._record("attribute", item, at, values)

        if pk:
            self._children(
                obj, where, "attributes", add, {"link_entity": entity, "link_id": pk}
            )
        self._ignored(obj, "metadata")

    def _leaf(self, table: str) -> Any:
        def add(item: dict[str, Any], where: str, links: dict[str, str]) -> None:
            pk = self._record(table, item, where, links)
            self._attributes(item, where, table, pk)

        return add

    def phone(self, obj: dict[str, Any], where: str, links: dict[str, str]) -> None:
        pk = self._record("phone", obj, where, links)
        self._children(
            obj, where, "languages", self._leaf("language"), {"phone_id": pk}
        )
        self._attributes(obj, where, "phone", pk)

    def contact(self, obj: dict[str, Any], where: str, links: dict[str, str]) -> None:
        pk = self._record("contact", obj, where, links)
        self._children(obj, where, "phones", self.phone, {"contact_id": pk})
        self._attributes(obj, where, "contact", pk)

    def location(
        self, obj: dict[str, Any], where: str, links: dict[str, str] | None = None
    ) -> str:
        pk = self._record("location", obj, where, links or {})
        own = {"location_id": pk}
        self._children(obj, where, "languages", self._leaf("language"), own)
        self._children(obj, where, "addresses", self._leaf("address"), own)
        self._children(obj, where, "contacts", self.contact, own)
        self._children(obj, where, "accessibility", self._leaf("accessibility"), own)
        self._children(obj, where, "phones", self.phone, own)
        self._children(obj, where, "schedules", self._leaf("schedule"), own)
        self._attributes(obj, where, "location", pk)
        return pk

    def service_at_location(
        self, obj: dict[str, Any], where: str, links: dict[str, str] | None = None
    ) -> str:
        values = dict(links or {})
        location = obj.get("location")
        if isinstance(location, dict):
            values["location_id"] = self.location(location, where + ".location")
        service = obj.get("service")
        if isinstance(service, dict):
            values["service_id"] = self.service(service, where + ".service")
        pk = self._record("service_at_location", obj, where, values)
        own = {"service_at_location_id": pk}
        self._children(obj, where, "contacts", self.contact, own)
        self._children(obj, where, "phones", self.phone, own)
        self._children(obj, where, "schedules", self._leaf("schedule"), own)
        self._attributes(obj, where, "service_at_location", pk)
        return pk

    def service(
        self, obj: dict[str, Any], where: str, links: dict[str, str] | None = None
    ) -> str:
        values = dict(links or {})
        organization = obj.get("organization")
        if isinstance(organization, dict):
            values["organization_id"] = self.organization(
                organization, where + ".organization"
            )
        pk = self._record("service", obj, where, values)
        own = {"service_id": pk}
        self._children(obj, where, "phones", self.phone, own)
        self._children(obj, where, "schedules", self._leaf("schedule"), own)
        self._children(obj, where, "service_areas", self._leaf("service_area"), own)
        self._children(
            obj, where, "service_at_locations", self.service_at_location, own
        )
        self._children(obj, where, "languages", self._leaf("language"), own)
        self._children(obj, where, "cost_options", self._leaf("cost_option"), own)
        self._children(
            obj, where, "required_documents", self._leaf("required_document"), own
        )
        self._children(obj, where, "contacts", self.contact, own)
        self._ignored(obj, "funding", "program")
        self._attributes(obj, where, "service", pk)
        return pk

    def organization(
        self, obj: dict[str, Any], where: str, links: dict[str, str] | None = None
    ) -> str:
        pk = self._record("organization", obj, where, links or {})
        own = {"organization_id": pk}
        self._children(obj, where, "contacts", self.contact, own)
        self._children(obj, where, "phones", self.phone, own)
        self._children(obj, where, "locations", self.location, own)
        self._children(obj, where, "services", self.service, own)
        self._ignored(obj, "funding", "programs", "organization_identifiers")
        self._attributes(obj, where, "organization", pk)
        return pk

    def taxonomy(self, obj: dict[str, Any], where: str) -> str:
        return self._record("taxonomy", obj, where, {})

    def taxonomy_term(self, obj: dict[str, Any], where: str) -> str:
        links: dict[str, str] = {}
        detail = obj.get("taxonomy_detail")
        if isinstance(detail, dict):
            links["taxonomy_id"] = self.taxonomy(detail, where + ".taxonomy_detail")
        return self._record("taxonomy_term", obj, where, links)


_ORGANIZATION_KEYS = {
    "services",
    "locations",
    "website",
    "tax_status",
    "tax_id",
    "year_incorporated",
    "legal_status",
    "funding",
    "parent_organization_id",
    "organization_identifiers",
    "programs",
    "logo",
}
_TERM_KEYS = {"taxonomy_detail", "parent_id", "term_uri", "code", "taxonomy"}


def object_kind(obj: dict[str, Any]) -> str:
    """Which HSDS object a top-level JSON object is ("" when it cannot tell)."""
    keys = set(obj)
    if "status" in keys or "service_at_locations" in keys:
        return "service"
    if "location_type" in keys:
        return "location"
    if isinstance(obj.get("location"), dict) or isinstance(obj.get("service"), dict):
        return "service_at_location"
    if keys & _TERM_KEYS:
        return "taxonomy_term"
    if keys & _ORGANIZATION_KEYS:
        return "organization"
    if keys <= {"id", "name", "description", "uri", "version", "metadata"}:
        return "taxonomy"
    return ""


def read_json(data: Any, file: str, raw: RawTables) -> None:
    flat = _Flattener(raw, file)

    def one(obj: Any, where: str, default: str = "") -> None:
        if not isinstance(obj, dict):
            raw.problems.append(Problem(file, where, "", _("must be an object")))
            return
        kind = object_kind(obj) or default
        if not kind:
            raw.problems.append(
                Problem(file, where, "", _("cannot tell which HSDS object this is"))
            )
            return
        getattr(flat, kind)(obj, where)

    if isinstance(data, list):
        for n, obj in enumerate(data):
            one(obj, f"[{n}]", "service")
    elif isinstance(data, dict) and isinstance(data.get("contents"), list):
        for n, obj in enumerate(data["contents"]):
            one(obj, f"contents[{n}]")
    elif isinstance(data, dict) and data and all(str(k).endswith(".csv") for k in data):
        for name, rows in data.items():
            rows_list = rows if isinstance(rows, list) else []
            _read_rows(name, rows_list, file, raw)
    elif isinstance(data, dict) and "openapi_url" in data and "id" not in data:
        return  # the API's own description of itself: no directory data
    else:
        one(data, "(root)")


# --- Tabular data package ---------------------------------------------------------


def _table_of(filename: str, names: dict[str, str]) -> str:
    base = filename.rsplit("/", 1)[-1]
    if base in names:
        return names[base]
    if base in BY_FILENAME:
        return BY_FILENAME[base].name
    for table, ignored_file in IGNORED_TABLES.items():
        if base == ignored_file:
            return table
    return base.removesuffix(".csv")


def _read_rows(
    filename: str,
    rows: Iterable[dict[str, Any]],
    file: str,
    raw: RawTables,
    *,
    names: dict[str, str] | None = None,
) -> None:
    table = _table_of(filename, names or {})
    for n, row in enumerate(rows, start=2):
        values = {k: (None if v == "" else v) for k, v in row.items() if k is not None}
        raw.add(
            table,
            values,
            filename if file == filename else f"{file}/{filename}",
            f"row {n}",
        )


def _names_from_datapackage(text: str) -> dict[str, str]:
    try:
        package = json.loads(text)
    except ValueError:
        return {}
    names: dict[str, str] = {}
    for resource in package.get("resources", []) if isinstance(package, dict) else []:
        if isinstance(resource, dict) and resource.get("path") and resource.get("name"):
            names[str(resource["path"]).rsplit("/", 1)[-1]] = str(resource["name"])
    return names


def read_csv_files(files: dict[str, str], file: str, raw: RawTables) -> None:
    """``files`` maps each CSV file name (and datapackage.json) to its text."""
    names = _names_from_datapackage(files.get("datapackage.json", ""))
    for filename in sorted(files):
        if not filename.endswith(".csv"):
            continue
        reader = csv.DictReader(io.StringIO(files[filename].lstrip("\ufeff")))
        _read_rows(filename, reader, file, raw, names=names)


def read_path(path: Path) -> RawTables:
    """Read a JSON file, a folder of CSV files, or a zip of either."""
    raw = RawTables()
    if path.is_dir():
        files = {
            p.name: p.read_text(encoding="utf-8")
            for p in sorted(path.iterdir())
            if p.suffix in (".csv", ".json")
            and (p.suffix == ".csv" or p.name == "datapackage.json")
        }
        if any(name.endswith(".csv") for name in files):
            read_csv_files(files, path.name, raw)
        else:
            for p in sorted(path.glob("*.json")):
                read_bytes(p.read_bytes(), p.name, raw)
        return raw
    read_bytes(path.read_bytes(), path.name, raw)
    return raw


def read_bytes(content: bytes, name: str, raw: RawTables) -> None:
    if content[:4] == b"PK\x03\x04":
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            members = {
                info.filename.rsplit("/", 1)[-1]: archive.read(info).decode("utf-8")
                for info in archive.infolist()
                if not info.is_dir()
                and info.filename.rsplit("/", 1)[-1].endswith((".csv", ".json"))
            }
        if any(n.endswith(".csv") for n in members):
            read_csv_files(members, name, raw)
        else:
            for member, text in sorted(members.items()):
                _read_json_text(text, f"{name}/{member}", raw)
        return
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raw.problems.append(Problem(name, "(file)", "", _("not UTF-8 text")))
        return
    _read_json_text(text, name, raw)


def _read_json_text(text: str, name: str, raw: RawTables) -> None:
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raw.problems.append(
            Problem(
                name, "(file)", "", _("not valid JSON: %(error)s") % {"error": error}
            )
        )
        return
    read_json(data, name, raw)
