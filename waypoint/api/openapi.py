"""The HSDS 3.0 object schemas, as self-contained OpenAPI components.

The schema files in ``waypoint/directory/hsds/schema/`` refer to each other
as ``phone.json``; the served description turns those into
``#/components/schemas/phone`` and drops the HSDS-only keywords (``core``,
``constraints``, …) so that nothing points at another file or host.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from waypoint.directory.hsds.schema_check import SCHEMA_DIR

PREFIX = "hsds_"

_KEEP = {
    "type",
    "format",
    "enum",
    "items",
    "properties",
    "required",
    "description",
    "title",
    "$ref",
    "minimum",
    "maximum",
    "pattern",
    "additionalProperties",
}


def _clean(schema: Any) -> Any:
    if isinstance(schema, list):
        return [_clean(s) for s in schema]
    if not isinstance(schema, dict):
        return schema
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key not in _KEEP:
            continue
        if key == "properties":
            out[key] = {name: _clean(sub) for name, sub in value.items()}
        elif key == "$ref":
            name = str(value).rsplit("/", 1)[-1].removesuffix(".json")
            out[key] = f"#/components/schemas/{PREFIX}{name}"
        elif key in ("items", "additionalProperties"):
            out[key] = _clean(value)
        else:
            out[key] = value
    if "required" in out and not isinstance(out["required"], list):
        del out["required"]
    return out


@cache
def hsds_components() -> dict[str, Any]:
    """Every schema file as a component named ``hsds_<object>``."""
    components: dict[str, Any] = {}
    for path in sorted(SCHEMA_DIR.glob("*.json")):
        components[PREFIX + path.stem] = _clean(json.loads(path.read_text()))
    for path in sorted((SCHEMA_DIR / "compiled").glob("*.json")):
        components[PREFIX + path.stem] = _clean(json.loads(path.read_text()))
    return components


def ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{PREFIX}{name}"}


def paged(item: str) -> dict[str, Any]:
    """A paginated envelope whose ``contents`` are HSDS ``item`` objects."""
    return {
        "allOf": [{"$ref": "#/components/schemas/Page"}],
        "properties": {"contents": {"type": "array", "items": ref(item)}},
    }


def json_content(schema: dict[str, Any], description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": schema}},
    }


ERROR = {"$ref": "#/components/schemas/Error"}

# Any address whose path and query pass 4,094 characters is refused before it
# reaches a view (waypoint.lib.middleware.AddressLengthMiddleware).
TOO_LONG = "The address (path and query) is longer than 4,094 characters."


def responses(schema: dict[str, Any], description: str) -> dict[int, Any]:
    return {
        200: json_content(schema, description),
        304: {"description": "Not modified since the ETag given in If-None-Match."},
        400: json_content(ERROR, "A malformed parameter, named in the body."),
        404: json_content(ERROR, "No such object."),
        414: json_content(ERROR, TOO_LONG),
        429: json_content(
            ERROR, "Too many requests; Retry-After says when to try again."
        ),
    }


def list_responses(item: str, description: str) -> dict[int, Any]:
    out = responses(paged(item), description)
    out[200]["description"] += " With format=ndjson: every result, one a line."
    out[200]["content"]["application/x-ndjson"] = {"schema": ref(item)}
    return out
