"""The query parameters and envelopes of the HSDS API, as pydantic schemas.

Parameter names are the HSDS 3.0 ones; Waypoint's additions start with
``x_`` so that a later HSDS version cannot clash with them.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any, Literal

from ninja import Schema
from pydantic import Field

LANG_PATTERN = r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$"
MAX_PER_PAGE = 1000
# The last page a client may ask for: with the largest pages, an offset of a
# billion rows, far beyond any directory, and within the 64-bit integers both
# databases compare offsets with (a page past them answered 500).
MAX_PAGE = 1_000_000
MAX_SEARCH = 200


class LangParams(Schema):
    x_lang: str | None = Field(
        None,
        pattern=LANG_PATTERN,
        description=(
            "Waypoint extension: answer in this language (overrides "
            "Accept-Language). Texts without a translation stay in the "
            "listing's own language; Content-Language names the languages used."
        ),
    )


class PageParams(LangParams):
    page: int = Field(
        1, ge=1, le=MAX_PAGE, description="Page number of paginated result."
    )
    per_page: int = Field(
        50,
        ge=1,
        le=MAX_PER_PAGE,
        description="Number of results requested in a single page.",
    )
    format: Literal["json", "ndjson"] = Field(
        "json",
        description=(
            "Return results in the specified format. `ndjson` streams all "
            "the results, one per line, without pagination."
        ),
    )
    search: str | None = Field(
        None, max_length=MAX_SEARCH, description="Full text search."
    )


class TaxonomyParams(PageParams):
    pass


class TaxonomyTermParams(PageParams):
    taxonomy_id: uuid.UUID | None = Field(
        None, description="Only terms of the taxonomy with this id."
    )
    top_only: bool = Field(
        False, description="Only retrieve taxonomy terms that have no parent."
    )
    parent_id: uuid.UUID | None = Field(
        None, description="Taxonomy terms that have a parent with this id."
    )


class OrganizationParams(PageParams):
    full: bool = Field(False, description="Return fully nested organizations.")
    full_service: bool = Field(
        False,
        description="Nest each organization's services with full information.",
    )
    x_country: str | None = Field(
        None,
        pattern=r"^[A-Za-z]{2}$",
        description="Waypoint extension: organisations of this country (ISO 3166-1).",
    )


class ServiceFilterParams(PageParams):
    taxonomy_term_id: uuid.UUID | None = Field(
        None, description="Services with this taxonomy term."
    )
    taxonomy_id: uuid.UUID | None = Field(
        None, description="Services with any term of this taxonomy."
    )
    organization_id: uuid.UUID | None = Field(
        None, description="Services provided by this organization."
    )
    modified_after: datetime | None = Field(
        None,
        description=(
            "Services modified on or after this date-time (ISO 8601; UTC "
            "when no offset is given)."
        ),
    )
    full: bool = Field(False, description="Return fully nested objects.")
    x_country: str | None = Field(
        None,
        pattern=r"^[A-Za-z]{2}$",
        description="Waypoint extension: services in this country (ISO 3166-1).",
    )
    x_language: str | None = Field(
        None,
        pattern=LANG_PATTERN,
        description="Waypoint extension: services where this language is spoken.",
    )
    x_target_group: str | None = Field(
        None,
        max_length=100,
        description=(
            "Waypoint extension: services for this target group (term code of "
            "the target-group taxonomy)."
        ),
    )
    x_lat: float | None = Field(
        None,
        ge=-90,
        le=90,
        description="Waypoint extension: latitude to sort by distance from.",
    )
    x_lon: float | None = Field(
        None,
        ge=-180,
        le=180,
        description="Waypoint extension: longitude to sort by distance from.",
    )
    x_radius_km: float | None = Field(
        None,
        gt=0,
        le=20000,
        description=(
            "Waypoint extension: only results within this many kilometres of "
            "x_lat/x_lon."
        ),
    )


class ServiceParams(ServiceFilterParams):
    minimal: bool = Field(
        False,
        description=(
            "Return services with only id, name, status and last_modified "
            "(the fields the HSDS schema requires, plus the date)."
        ),
    )


class ServiceAtLocationParams(ServiceFilterParams):
    postcode: str | None = Field(
        None,
        max_length=20,
        description=(
            "Only results at a location with this postal code; with "
            "`proximity`, results within that distance of the postcode's centre."
        ),
    )
    proximity: float | None = Field(
        None,
        gt=0,
        description="Distance in metres from the centroid of `postcode`.",
    )


class Root(Schema):
    version: str
    profile: str
    openapi_url: str


class Page(Schema):
    total_items: int = Field(description="The total number of entities returned.")
    total_pages: int = Field(description="Count of total pages.")
    page_number: int = Field(description="The number of the current page.")
    size: int = Field(description="The number of entities in the current page.")
    first_page: bool = Field(description="Whether this is the first page.")
    last_page: bool = Field(description="Whether this is the last page.")
    empty: bool = Field(description="Whether the result set is empty.")
    contents: list[dict[str, Any]]


class ParameterError(Schema):
    parameter: str
    message: str


class Error(Schema):
    detail: str
    errors: list[ParameterError] = []
    retry_after: int | None = None
