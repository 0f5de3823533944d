"""Validate documents against the HSDS 3.0 JSON Schemas kept in ``schema/``.

The schema files refer to each other by bare file name (``phone.json``); the
registry below resolves those names to the local copies, so validation never
reaches for the network.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# The HSDS 3.0 schema files, with their source and licence in its README.
SCHEMA_DIR = Path(__file__).resolve().parent / "schema"


@cache
def _registry() -> Registry[Any]:
    resources = []
    for path in [*SCHEMA_DIR.glob("*.json"), *SCHEMA_DIR.glob("compiled/*.json")]:
        contents = json.loads(path.read_text())
        resource = Resource.from_contents(contents, default_specification=DRAFT202012)
        name = path.relative_to(SCHEMA_DIR).as_posix()
        resources.append((name, resource))
        resources.append((path.name, resource))
    return Registry().with_resources(resources)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for an HSDS object: "service", "compiled/service_list", …"""
    schema = json.loads((SCHEMA_DIR / f"{name}.json").read_text())
    return Draft202012Validator(schema, registry=_registry())


def problems(name: str, document: Any) -> list[str]:
    """Every way ``document`` breaks the schema, as readable lines."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in validator(name).iter_errors(document)
    ]
