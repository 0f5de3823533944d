"""Writing the public directory as HSDS 3.0: a tabular data package and JSON.

The package holds one CSV file per HSDS table Waypoint keeps, with the
specification's column names (Waypoint's own values as ``x_`` columns) and a
``datapackage.json`` describing them; ``services.json`` holds every public
service fully nested. Rows and objects come in id order, so the same data
always gives the same files.

Cells are written as they are, without spreadsheet-formula neutralisation:
this is an interchange format read by programs, and altering values would
break the round trip. Open it with an import dialog, not by double-click.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

import orjson
from django.db.models import Q, QuerySet

from waypoint.directory.hsds.documents import service_documents, service_rows
from waypoint.directory.hsds.mapping import (
    PUBLIC_STATUSES,
    TABLES,
    Context,
    Table,
)
from waypoint.directory.hsds.schema_check import SCHEMA_DIR
from waypoint.directory.models import Service
from waypoint.lib.memory import garbage_collection_paused

# Services per read; keeps every IN list well under SQLite's variable limit.
CHUNK = 250


def _hidden_services() -> QuerySet[Service, Any]:
    return Service.objects.exclude(status__in=PUBLIC_STATUSES).values("pk")


def public_rows(table: Table) -> QuerySet[Any]:
    """The rows of ``table`` that belong to the public directory."""
    qs: QuerySet[Any] = table.model._default_manager.all()
    names = {f.name for f in table.model._meta.concrete_fields}
    if table.name == "service":
        return qs.filter(status__in=PUBLIC_STATUSES)
    hidden = _hidden_services()
    if table.name == "attribute":
        return qs.exclude(Q(link_entity="service") & Q(link_id__in=hidden))
    if "service" in names:
        qs = qs.exclude(service_id__in=hidden)
    if "service_at_location" in names:
        qs = qs.exclude(service_at_location__service_id__in=hidden)
    return qs


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True) if value else ""
    if hasattr(value, "isoformat"):
        return str(value.isoformat())
    return str(value)


def table_rows(table: Table) -> Iterator[list[str]]:
    """Header, then every public row of ``table`` as CSV cells."""
    columns = list(table.columns)
    extensions = table.extension_attnames
    attnames = [table.attname(c) for c in columns] + list(extensions.values())
    yield columns + list(extensions)
    default_off = {"x_demo": "false", "x_position": "0"}
    for values in (
        public_rows(table)
        .order_by("pk")
        .values_list(*attnames)
        .iterator(chunk_size=5000)
    ):
        cells = [csv_cell(v) for v in values]
        for n, name in enumerate(extensions, start=len(columns)):
            if cells[n] == default_off.get(name):
                cells[n] = ""
        yield cells


def datapackage() -> dict[str, Any]:
    spec = json.loads((SCHEMA_DIR / "datapackage.json").read_text())
    resources = {r["name"]: r for r in spec["resources"]}
    package = {k: v for k, v in spec.items() if k != "resources"}
    package["name"] = "waypoint_directory"
    package["title"] = "Waypoint directory (HSDS 3.0)"
    package["resources"] = []
    for table in TABLES:
        resource = dict(resources[table.name])
        fields = {f["name"]: f for f in resource["schema"]["fields"]}
        schema = {k: v for k, v in resource["schema"].items() if k != "fields"}
        schema["fields"] = [fields[c] for c in table.columns] + [
            {
                "name": name,
                "type": "string",
                "description": "Waypoint extension (not part of HSDS).",
            }
            for name in table.extensions
        ]
        resource["path"] = table.filename
        resource["schema"] = schema
        package["resources"].append(resource)
    return package


def services_documents(ctx: Context) -> Iterator[dict[str, Any]]:
    ids = list(
        Service.objects.filter(status__in=PUBLIC_STATUSES)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for start in range(0, len(ids), CHUNK):
        yield from service_documents(service_rows(ids[start : start + CHUNK]), ctx)


@dataclass
class ExportResult:
    services: int
    files: list[str]


def _write_services_json(out: TextIO) -> int:
    ctx = Context(lang=None, extensions=True)
    out.write("[")
    count = 0
    for document in services_documents(ctx):
        out.write(",\n" if count else "\n")
        out.write(orjson.dumps(document, option=orjson.OPT_SORT_KEYS).decode())
        count += 1
    out.write("\n]\n")
    return count


def hsds_export(*, path: Path) -> ExportResult:
    """Write the data package and services.json into the folder ``path``."""
    with garbage_collection_paused():
        return _export(path)


def _export(path: Path) -> ExportResult:
    path.mkdir(parents=True, exist_ok=True)
    files = []
    for table in TABLES:
        with (path / table.filename).open("w", encoding="utf-8", newline="") as out:
            csv.writer(out).writerows(table_rows(table))
        files.append(table.filename)
    (path / "datapackage.json").write_text(
        json.dumps(datapackage(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    with (path / "services.json").open("w", encoding="utf-8") as out:
        count = _write_services_json(out)
    return ExportResult(
        services=count, files=[*files, "datapackage.json", "services.json"]
    )


def hsds_export_zip() -> bytes:
    """The same files in one zip archive (for a download)."""
    buffer = io.BytesIO()
    with (
        garbage_collection_paused(),
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for table in TABLES:
            text = io.StringIO(newline="")
            csv.writer(text).writerows(table_rows(table))
            archive.writestr(table.filename, text.getvalue())
        archive.writestr(
            "datapackage.json", json.dumps(datapackage(), ensure_ascii=False, indent=2)
        )
        services = io.StringIO()
        _write_services_json(services)
        archive.writestr("services.json", services.getvalue())
    return buffer.getvalue()
