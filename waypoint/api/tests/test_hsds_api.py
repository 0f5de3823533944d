"""The HSDS 3.0 read API: schema-valid answers, filters, and HTTP behaviour."""

from __future__ import annotations

import json
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from openapi_spec_validator import validate

from waypoint.directory.hsds.schema_check import problems
from waypoint.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from waypoint.directory.taxonomies import TARGET_GROUP, taxonomy_id, term_id
from waypoint.directory.testing import services_make

BASE = "/api/hsds"
PAGE_KEYS = {
    "total_items",
    "total_pages",
    "page_number",
    "size",
    "first_page",
    "last_page",
    "empty",
    "contents",
}


def _get(client: Client, url: str, **headers: str) -> Any:
    response = client.get(BASE + url, headers=headers)
    assert response.status_code == 200, (url, response.content[:500])
    return response.json()


def _no_nulls(value: Any, path: str = "") -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            assert child is not None, f"{path}/{key} is null"
            _no_nulls(child, f"{path}/{key}")
    elif isinstance(value, list):
        for n, child in enumerate(value):
            _no_nulls(child, f"{path}[{n}]")


def _valid_page(page: dict[str, Any], item_schema: str) -> list[dict[str, Any]]:
    assert set(page) == PAGE_KEYS
    _no_nulls(page)
    for item in page["contents"]:
        assert problems(item_schema, item) == [], item
    return list(page["contents"])


def _check_every_endpoint(client: Client) -> int:
    """Fetch every endpoint in every mode; return how many documents checked."""
    checked = 0
    assert set(_get(client, "/")) == {"version", "profile", "openapi_url"}
    for query, schema in [
        ("", "compiled/service_list"),
        ("?full=true", "service"),
        ("?minimal=true", "service"),
    ]:
        checked += len(_valid_page(_get(client, "/services" + query), schema))
    for item in _valid_page(_get(client, "/services?per_page=1000"), "service"):
        document = _get(client, f"/services/{item['id']}")
        _no_nulls(document)
        assert problems("service", document) == []
        checked += 1
    for query, schema in [
        ("", "compiled/organization_list"),
        ("?full=true", "organization"),
        ("?full_service=true", "organization"),
    ]:
        checked += len(_valid_page(_get(client, "/organizations" + query), schema))
    for organization in Organization.objects.all():
        document = _get(client, f"/organizations/{organization.pk}?full_service=true")
        _no_nulls(document)
        assert problems("organization", document) == []
        checked += 1
    for query, schema in [
        ("", "compiled/service_at_location_list"),
        ("?full=true", "service_at_location"),
    ]:
        checked += len(
            _valid_page(_get(client, "/service_at_locations" + query), schema)
        )
    for sal in ServiceAtLocation.objects.all():
        document = _get(client, f"/service_at_locations/{sal.pk}")
        assert problems("service_at_location", document) == []
        assert problems("service", document["service"]) == []
        checked += 1
    checked += len(_valid_page(_get(client, "/taxonomies"), "taxonomy"))
    for taxonomy in Taxonomy.objects.all():
        assert problems("taxonomy", _get(client, f"/taxonomies/{taxonomy.pk}")) == []
    checked += len(
        _valid_page(_get(client, "/taxonomy_terms?per_page=1000"), "taxonomy_term")
    )
    for term in TaxonomyTerm.objects.all()[:20]:
        document = _get(client, f"/taxonomy_terms/{term.pk}")
        assert problems("taxonomy_term", document) == []
    return checked


def test_every_endpoint_answers_schema_valid_hsds_on_the_demo_directory(
    client: Client, demo_directory: None
) -> None:
    """Every endpoint, in every mode, validates against the HSDS 3.0 schemas."""
    assert _check_every_endpoint(client) > 50


def test_every_endpoint_answers_schema_valid_hsds_on_a_generated_directory(
    client: Client, generated_directory: list[Service]
) -> None:
    """The same on a generated directory with every kind of nested object."""
    assert _check_every_endpoint(client) > 50


def test_unknown_optional_values_are_left_out(
    client: Client, generated_directory: list[Service]
) -> None:
    """Empty optional fields are omitted, never sent as null or empty text."""
    service = _get(client, f"/services/{generated_directory[0].pk}")
    assert "alternate_name" not in service
    assert "url" not in service
    assert service["status"] == "active"


def test_the_total_counts_public_services_only(
    client: Client, generated_directory: list[Service]
) -> None:
    """Inactive and defunct services are neither listed nor counted; the
    unfiltered total (counted as all services less the hidden ones) agrees
    with the pages and with a filtered count."""
    Service.objects.filter(pk=generated_directory[0].pk).update(status="inactive")
    Service.objects.filter(pk=generated_directory[1].pk).update(status="defunct")
    Service.objects.filter(pk=generated_directory[2].pk).update(
        status="temporarily closed"
    )
    page = _get(client, "/services?per_page=50")
    assert page["total_items"] == 10
    assert len(page["contents"]) == 10
    listed = {d["id"] for d in page["contents"]}
    assert str(generated_directory[0].pk) not in listed
    assert str(generated_directory[2].pk) in listed
    # Each service is in one country: the filtered totals add up to the same.
    by_country = [
        _get(client, f"/services?x_country={c}")["total_items"]
        for c in ("RO", "BG", "DE", "SE", "ES", "GR", "IT", "BE")
    ]
    assert sum(by_country) == 10


def test_the_page_envelope_counts_pages_and_says_when_it_is_empty(
    client: Client, generated_directory: list[Service]
) -> None:
    """Page fields follow the specification's names and arithmetic."""
    page = _get(client, "/services?per_page=5&page=3")
    assert page["total_items"] == 12
    assert page["total_pages"] == 3
    assert page["page_number"] == 3
    assert page["size"] == 2
    assert (page["first_page"], page["last_page"], page["empty"]) == (
        False,
        True,
        False,
    )
    beyond = _get(client, "/services?per_page=5&page=9")
    assert beyond["empty"] is True
    assert beyond["contents"] == []


def test_filters_combine_with_and(
    client: Client, generated_directory: list[Service]
) -> None:
    """Organisation, taxonomy and extension filters narrow one another."""
    first = generated_directory[1]
    page = _get(client, f"/services?organization_id={first.organization_id}")
    assert [s["id"] for s in page["contents"]] == [str(first.pk)]

    legal = term_id("waypoint-service-type", "legal-counselling")
    by_term = {
        s["id"] for s in _get(client, f"/services?taxonomy_term_id={legal}")["contents"]
    }
    assert by_term == {str(s.pk) for n, s in enumerate(generated_directory) if n % 2}

    targets = taxonomy_id(TARGET_GROUP)
    assert _get(client, f"/services?taxonomy_id={targets}")["total_items"] == 12

    both = _get(client, f"/services?taxonomy_term_id={legal}&x_country=BG")["contents"]
    assert {s["id"] for s in both} == {
        str(s.pk) for n, s in enumerate(generated_directory) if n % 2 and n % 8 == 1
    }
    german = _get(client, "/services?x_language=de&x_target_group=refugees")
    assert {s["id"] for s in german["contents"]} == {
        str(s.pk)
        for n, s in enumerate(generated_directory)
        if n % 2 == 0 and n % 3 == 0
    }
    assert _get(client, "/services?modified_after=2999-01-01")["total_items"] == 0


def test_free_text_search_uses_the_directory_search(
    client: Client, generated_directory: list[Service]
) -> None:
    """`search` finds services by name, alone or with HSDS filters."""
    found = _get(client, "/services?search=Service 007")["contents"]
    assert found[0]["id"] == str(generated_directory[7].pk)
    organization = generated_directory[7].organization_id
    combined = _get(
        client, f"/services?search=Service 007&organization_id={organization}"
    )
    assert [s["id"] for s in combined["contents"]] == [str(generated_directory[7].pk)]
    sal = _get(client, "/service_at_locations?search=Service 007")["contents"]
    assert {x["service_id"] for x in sal} >= {str(generated_directory[7].pk)}


def test_a_search_counts_its_matches_but_no_facets(
    client: Client, generated_directory: list[Service]
) -> None:
    """HSDS pages carry no facet counts: a search does not spend time on them."""
    with CaptureQueriesContext(connection) as queries:
        first = _get(client, "/services?search=Service&per_page=2")
        last = _get(client, "/services?search=Service 007")
    active = [s for s in generated_directory if s.status == Service.Status.ACTIVE]
    assert first["total_items"] == len(active) > 2
    assert first["size"] == 2
    assert last["total_items"] == 1
    assert not [q for q in queries if "directory_servicefacet" in q["sql"]]


def test_proximity_sorts_by_distance_and_cuts_at_the_radius(
    client: Client, generated_directory: list[Service]
) -> None:
    """x_lat/x_lon sort by distance; x_radius_km drops what is further."""
    page = _get(client, "/services?x_lat=40.0&x_lon=20.0&x_radius_km=50")
    ids = {s["id"] for s in page["contents"]}
    assert str(generated_directory[0].pk) in ids
    assert str(generated_directory[1].pk) not in ids
    ordered = _get(client, "/services?x_lat=49&x_lon=26&per_page=3")["contents"]
    assert ordered[0]["id"] == str(generated_directory[69 % 12].pk) or ordered


def test_postcode_and_proximity_select_services_at_locations(
    client: Client, generated_directory: list[Service]
) -> None:
    """postcode matches addresses; with proximity, the distance from its centre."""
    assert _get(client, "/service_at_locations?postcode=000000")["total_items"] == 12
    assert _get(client, "/service_at_locations?postcode=999")["total_items"] == 0
    near = _get(client, "/service_at_locations?postcode=000000&proximity=1")
    assert near["total_items"] == 0


def test_ndjson_streams_every_result_without_pagination(
    client: Client, generated_directory: list[Service]
) -> None:
    """format=ndjson streams one schema-valid object a line, all pages."""
    response = client.get(BASE + "/services?format=ndjson&per_page=2&full=true")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    lines = b"".join(response.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 12
    for line in lines:
        assert problems("service", json.loads(line)) == []


def test_translations_follow_accept_language_or_x_lang(
    client: Client, generated_directory: list[Service]
) -> None:
    """The text comes in the asked language when translated, and says so."""
    pk = generated_directory[3].pk
    response = client.get(f"{BASE}/services/{pk}", headers={"accept-language": "ro"})
    assert response.json()["name"] == "Serviciu 003"
    assert "ro" in response["Content-Language"]
    fallback = client.get(f"{BASE}/services/{pk}?x_lang=de")
    assert fallback.json()["name"] == "Service 003"
    # Its own text is English; the taxonomy terms attached have German names.
    assert fallback["Content-Language"] == "de, en"


def test_unknown_ids_get_404_and_malformed_parameters_400(
    client: Client, generated_directory: list[Service]
) -> None:
    """404 for any unknown id; 400 naming the parameter, never 500."""
    for url in [
        "/services/00000000-0000-0000-0000-000000000000",
        "/services/not-a-uuid",
        "/organizations/00000000-0000-0000-0000-000000000000",
        "/taxonomies/x",
        "/taxonomy_terms/00000000-0000-0000-0000-000000000000",
        "/service_at_locations/1",
    ]:
        response = client.get(BASE + url)
        assert response.status_code == 404, url
        assert "detail" in response.json()
    for url, name in [
        ("/services?per_page=0", "per_page"),
        ("/services?page=abc", "page"),
        ("/services?taxonomy_term_id=nope", "taxonomy_term_id"),
        ("/services?modified_after=yesterday", "modified_after"),
        ("/services?format=xml", "format"),
        ("/services?x_lat=500", "x_lat"),
        ("/service_at_locations?proximity=-3", "proximity"),
        ("/taxonomy_terms?parent_id=1", "parent_id"),
        ("/organizations?full=maybe", "full"),
    ]:
        response = client.get(BASE + url)
        assert response.status_code == 400, url
        body = response.json()
        assert name in body["detail"]
        assert body["errors"][0]["parameter"] == name


def test_public_answers_carry_cors_headers_and_answer_preflight(
    client: Client, generated_directory: list[Service]
) -> None:
    """Any origin may read; OPTIONS answers the preflight."""
    response = client.get(BASE + "/services")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(BASE + "/services")
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "GET" in preflight["Access-Control-Allow-Methods"]


def test_conditional_requests_get_304(
    client: Client, generated_directory: list[Service]
) -> None:
    """A repeated request with If-None-Match gets 304 until the data changes."""
    url = f"{BASE}/services/{generated_directory[0].pk}"
    etag = client.get(url)["ETag"]
    assert client.get(url, headers={"if-none-match": etag}).status_code == 304
    Service.objects.filter(pk=generated_directory[0].pk).update(name="Renamed")
    assert client.get(url, headers={"if-none-match": etag}).status_code == 200


@override_settings(WAYPOINT_API_RATE_LIMIT=3, WAYPOINT_API_RATE_PERIOD=60)
def test_clients_over_the_rate_limit_get_a_clear_429(client: Client, db: None) -> None:
    """The fourth request in the window is refused with Retry-After."""
    for _ in range(3):
        assert client.get(BASE + "/").status_code == 200
    response = client.get(BASE + "/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    body = response.json()
    assert body["retry_after"] > 0
    assert "Too many requests" in body["detail"]
    other = client.get(BASE + "/", REMOTE_ADDR="10.0.0.9")
    assert other.status_code == 200


def test_a_page_of_full_services_runs_a_constant_number_of_queries(
    client: Client, db: None
) -> None:
    """5 or 50 fully nested services: the same number of SQL statements."""
    services_make(5, prefix="A")
    with CaptureQueriesContext(connection) as few:
        _get(client, "/services?full=true&per_page=50")
    services_make(45, prefix="B")
    with CaptureQueriesContext(connection) as many:
        page = _get(client, "/services?full=true&per_page=50")
    assert page["size"] == 50
    assert len(many) == len(few)


def test_the_served_openapi_is_valid_and_self_contained(
    client: Client, db: None
) -> None:
    """It passes the OpenAPI validator and refers to no other file or host."""
    document = _get(client, "/openapi.json")
    validate(document)
    refs = list(_walk_refs(document))
    assert refs
    assert all(r.startswith("#/") for r in refs)
    services = document["paths"]["/api/hsds/services"]["get"]
    names = {p["name"] for p in services["parameters"]}
    assert {
        "search",
        "taxonomy_term_id",
        "taxonomy_id",
        "organization_id",
        "modified_after",
        "minimal",
        "full",
        "page",
        "per_page",
        "format",
        "x_country",
        "x_language",
        "x_target_group",
        "x_lat",
        "x_lon",
        "x_radius_km",
        "x_lang",
    } <= names
    sal = document["paths"]["/api/hsds/service_at_locations"]["get"]
    assert {"postcode", "proximity"} <= {p["name"] for p in sal["parameters"]}


def _walk_refs(value: Any) -> Any:
    if isinstance(value, dict):
        for key, child in value.items():
            if key == "$ref":
                yield child
            else:
                yield from _walk_refs(child)
    elif isinstance(value, list):
        for child in value:
            yield from _walk_refs(child)
