"""The HSDS 3.0 read API of the public directory, under ``/api/hsds/``.

Public and read-only. Texts come in the language asked for (``x_lang`` or
``Accept-Language``) where a translation exists, in the listing's own language
otherwise; ``Content-Language`` names the languages the answer uses.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any

from django.conf import settings
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation.trans_real import parse_accept_lang_header
from ninja import NinjaAPI, Query
from ninja.errors import HttpError, ValidationError
from ninja.openapi.schema import OpenAPISchema

from waypoint.api import openapi
from waypoint.api.http import json_bytes, json_response
from waypoint.api.schemas.hsds import (
    Error,
    LangParams,
    OrganizationParams,
    Page,
    PageParams,
    Root,
    ServiceAtLocationParams,
    ServiceParams,
    TaxonomyParams,
    TaxonomyTermParams,
)
from waypoint.api.selectors.hsds import (
    Selection,
    organizations_select,
    parse_id,
    service_at_locations_select,
    services_select,
    taxonomies_select,
    taxonomy_terms_select,
    total_pages,
)
from waypoint.directory.hsds.documents import (
    service_documents,
    service_list_documents,
    service_rows,
)
from waypoint.directory.hsds.mapping import (
    HSDS_VERSION,
    PROFILE_URL,
    PUBLIC_STATUSES,
    TABLE,
    Context,
    attributes_attach,
    organization_dict,
    organizations_full,
    scalars,
    service_at_location_dict,
    service_at_locations_full,
    taxonomy_term_dict,
)
from waypoint.directory.models import (
    Organization,
    Service,
    ServiceAtLocation,
    Taxonomy,
    TaxonomyTerm,
)
from waypoint.lib.memory import garbage_collection_paused

STREAM_CHUNK = 200
_SUPPORTED = {code for code, _name in settings.LANGUAGES}


class HsdsApi(NinjaAPI):
    def get_openapi_schema(
        self,
        *,
        path_prefix: str | None = None,
        path_params: dict[str, Any] | None = None,
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(
            path_prefix=path_prefix, path_params=path_params
        )
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(openapi.hsds_components())
        for model in (Page, Root, Error):
            definition = model.model_json_schema(
                ref_template="#/components/schemas/{model}"
            )
            for name, sub in definition.pop("$defs", {}).items():
                components[name] = sub
            components[model.__name__] = definition
        return schema


api = HsdsApi(
    title="Waypoint directory — HSDS 3.0 API",
    version=HSDS_VERSION,
    description=(
        "The public directory of the Waypoint network in the Open Referral "
        "Human Services Data Specification 3.0. No account needed. "
        "Waypoint extensions are the parameters starting with `x_`: "
        "`x_country`, `x_language`, `x_target_group`, `x_lat`/`x_lon`/"
        "`x_radius_km` (sorted by distance) and `x_lang` (translations; "
        "`Accept-Language` works too, `Content-Language` says which "
        "languages were used). Responses carry CORS headers and an ETag; "
        "clients are rate-limited (HTTP 429 with Retry-After)."
    ),
    urls_namespace="hsds",
    docs_url=None,
)


@api.exception_handler(ValidationError)
def _bad_parameters(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        name = location[-1] if location else "?"
        errors.append({"parameter": name, "message": str(error.get("msg", ""))})
    names = ", ".join(sorted({e["parameter"] for e in errors}))
    return json_response(
        {
            "detail": _("Malformed parameter: %(names)s") % {"names": names},
            "errors": errors,
        },
        status=400,
    )


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return json_response({"detail": _("No such object."), "errors": []}, status=404)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return json_response({"detail": str(exc), "errors": []}, status=exc.status_code)


# --- Helpers ----------------------------------------------------------------


def requested_language(request: HttpRequest, params: LangParams) -> str:
    """The language asked for, or "" for each listing's own language."""
    if params.x_lang:
        return params.x_lang.lower()
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header):
        primary = code.split("-")[0].lower()
        if primary in _SUPPORTED:
            return primary
    return ""


def _respond(data: Any, ctx: Context) -> HttpResponse:
    response = json_response(data)
    if ctx.languages_used:
        response["Content-Language"] = ", ".join(sorted(ctx.languages_used))
    return response


def _in_order[M: Model](qs: QuerySet[M], ids: Sequence[Any]) -> list[M]:
    by_id = {obj.pk: obj for obj in qs.filter(pk__in=ids)}
    return [by_id[pk] for pk in ids if pk in by_id]


Render = Callable[[Sequence[Any], Context], list[dict[str, Any]]]


def _listing(
    request: HttpRequest,
    params: PageParams,
    select: Callable[..., Selection],
    render: Render,
) -> HttpResponse | StreamingHttpResponse:
    """A page (or, as ndjson, all) of what ``select(params, stream=…)`` picks.

    Picking and rendering a page allocate up to a hundred thousand objects
    (matched ids, rows, documents), all freed by reference counting once the
    page is written: with the cyclic collector running meanwhile, they pushed
    it into a whole-process walk (about 90 ms) every dozen pages.
    """
    ctx = Context(lang=requested_language(request, params))
    stream = params.format == "ndjson"
    with garbage_collection_paused():
        selection = select(params, stream=stream)
        if stream:
            return _stream(selection.ids, render, ctx)
        contents = render(selection.ids, ctx)
        pages = total_pages(selection.total, params.per_page)
        return _respond(
            {
                "total_items": selection.total,
                "total_pages": pages,
                "page_number": params.page,
                "size": len(contents),
                "first_page": params.page == 1,
                "last_page": params.page >= pages,
                "empty": not contents,
                "contents": contents,
            },
            ctx,
        )


def _stream(ids: list[Any], render: Render, ctx: Context) -> StreamingHttpResponse:
    def lines() -> Iterator[bytes]:
        for start in range(0, len(ids), STREAM_CHUNK):
            for document in render(ids[start : start + STREAM_CHUNK], ctx):
                yield json_bytes(document) + b"\n"

    response = StreamingHttpResponse(
        lines(), content_type="application/x-ndjson; charset=utf-8"
    )
    if ctx.lang:
        response["Content-Language"] = ctx.lang
    return response


def _render_services(*, full: bool, minimal: bool) -> Render:
    def render(ids: Sequence[Any], ctx: Context) -> list[dict[str, Any]]:
        if minimal:
            rows = Service.objects.filter(pk__in=ids).values(
                "pk", "name", "status", "updated_at", "language", "translations"
            )
            by_id = {row["pk"]: row for row in rows}
            out = []
            for pk in ids:
                row = by_id.get(pk)
                if row is None:
                    continue
                name = row["name"]
                translated = (row["translations"] or {}).get(ctx.lang, {}).get("name")
                if ctx.lang and ctx.lang != row["language"] and translated:
                    name = translated
                    ctx.languages_used.add(ctx.lang)
                else:
                    ctx.languages_used.add(row["language"])
                out.append(
                    {
                        "id": str(pk),
                        "name": name,
                        "status": row["status"],
                        "last_modified": row["updated_at"].isoformat(),
                    }
                )
            return out
        services = service_rows(ids)
        if full:
            return service_documents(services, ctx)
        return service_list_documents(services, ctx)

    return render


def _render_sals(*, full: bool) -> Render:
    def render(ids: Sequence[Any], ctx: Context) -> list[dict[str, Any]]:
        if full:
            qs = service_at_locations_full(ServiceAtLocation.objects.all())
        else:
            qs = ServiceAtLocation.objects.select_related(
                "location", "service__organization"
            )
        documents = [
            service_at_location_dict(x, ctx, full=full, with_service=True)
            for x in _in_order(qs, ids)
        ]
        if full:
            attributes_attach(documents, ctx)
        return documents

    return render


def _render_organizations(*, full: bool, full_service: bool) -> Render:
    services = "full" if full_service else ("list" if full else "")

    def render(ids: Sequence[Any], ctx: Context) -> list[dict[str, Any]]:
        qs: QuerySet[Organization] = Organization.objects.all()
        if full or full_service:
            qs = organizations_full(qs, full_services=full_service)
        documents = [
            organization_dict(o, ctx, full=full or full_service, services=services)
            for o in _in_order(qs, ids)
        ]
        if full or full_service:
            attributes_attach(documents, ctx)
        return documents

    return render


def _render_taxonomies(ids: Sequence[Any], ctx: Context) -> list[dict[str, Any]]:
    return [
        scalars(TABLE["taxonomy"], t, ctx)
        for t in _in_order(Taxonomy.objects.all(), ids)
    ]


def _render_terms(ids: Sequence[Any], ctx: Context) -> list[dict[str, Any]]:
    qs = TaxonomyTerm.objects.select_related("taxonomy_ref")
    return [taxonomy_term_dict(t, ctx) for t in _in_order(qs, ids)]


# --- Endpoints ----------------------------------------------------------------


@api.get(
    "/",
    operation_id="getAPIMetaInformation",
    summary="Information about this API and its relationship with HSDS.",
    openapi_extra={
        "responses": openapi.responses(
            {"$ref": "#/components/schemas/Root"}, "About this API."
        )
    },
)
def root(request: HttpRequest) -> HttpResponse:
    return json_response(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("hsds:openapi-json")),
        }
    )


@api.get(
    "/services",
    operation_id="getPaginatedListOfServices",
    summary="Paginated services, one-to-one fields (full=true: fully nested).",
    openapi_extra={
        "responses": openapi.list_responses("service", "A page of services.")
    },
)
def services(
    request: HttpRequest, params: Query[ServiceParams]
) -> HttpResponse | StreamingHttpResponse:
    render = _render_services(full=params.full, minimal=params.minimal)
    return _listing(request, params, services_select, render)


@api.get(
    "/services/{id}",
    operation_id="getFullyNestedServiceById",
    summary="A fully nested service with all related data.",
    openapi_extra={
        "responses": openapi.responses(openapi.ref("service"), "A service.")
    },
)
def service(request: HttpRequest, id: str, params: Query[LangParams]) -> HttpResponse:
    rows = service_rows([parse_id(id)])
    if not rows or rows[0]["status"] not in PUBLIC_STATUSES:
        raise Http404
    ctx = Context(lang=requested_language(request, params))
    return _respond(service_documents(rows, ctx)[0], ctx)


@api.get(
    "/organizations",
    operation_id="getPaginatedListOfOrganizations",
    summary="Paginated organizations (full=true: fully nested).",
    openapi_extra={
        "responses": openapi.list_responses("organization", "A page of organizations.")
    },
)
def organizations(
    request: HttpRequest, params: Query[OrganizationParams]
) -> HttpResponse | StreamingHttpResponse:
    render = _render_organizations(full=params.full, full_service=params.full_service)
    return _listing(request, params, organizations_select, render)


@api.get(
    "/organizations/{id}",
    operation_id="getOrganizationById",
    summary="A fully nested organization with its services.",
    openapi_extra={
        "responses": openapi.responses(openapi.ref("organization"), "An organization.")
    },
)
def organization(
    request: HttpRequest,
    id: str,
    params: Query[LangParams],
    full_service: bool = False,
) -> HttpResponse:
    pk = parse_id(id)
    found = organizations_full(
        Organization.objects.filter(pk=pk), full_services=full_service
    ).first()
    if found is None:
        raise Http404
    ctx = Context(lang=requested_language(request, params))
    document = organization_dict(
        found, ctx, full=True, services="full" if full_service else "list"
    )
    attributes_attach([document], ctx)
    return _respond(document, ctx)


@api.get(
    "/taxonomies",
    operation_id="getPaginatedListOfTaxonomies",
    summary="Paginated taxonomies.",
    openapi_extra={
        "responses": openapi.list_responses("taxonomy", "A page of taxonomies.")
    },
)
def taxonomies(
    request: HttpRequest, params: Query[TaxonomyParams]
) -> HttpResponse | StreamingHttpResponse:
    return _listing(request, params, taxonomies_select, _render_taxonomies)


@api.get(
    "/taxonomies/{id}",
    operation_id="getTaxonomyById",
    summary="A taxonomy.",
    openapi_extra={
        "responses": openapi.responses(openapi.ref("taxonomy"), "A taxonomy.")
    },
)
def taxonomy(request: HttpRequest, id: str, params: Query[LangParams]) -> HttpResponse:
    found = Taxonomy.objects.filter(pk=parse_id(id)).first()
    if found is None:
        raise Http404
    ctx = Context(lang=requested_language(request, params))
    return _respond(scalars(TABLE["taxonomy"], found, ctx), ctx)


@api.get(
    "/taxonomy_terms",
    operation_id="getPaginatedListOfTaxonomyTerms",
    summary="Paginated taxonomy terms.",
    openapi_extra={
        "responses": openapi.list_responses(
            "taxonomy_term", "A page of taxonomy terms."
        )
    },
)
def taxonomy_terms(
    request: HttpRequest, params: Query[TaxonomyTermParams]
) -> HttpResponse | StreamingHttpResponse:
    return _listing(request, params, taxonomy_terms_select, _render_terms)


@api.get(
    "/taxonomy_terms/{id}",
    operation_id="getTaxonomyTermById",
    summary="A taxonomy term.",
    openapi_extra={
        "responses": openapi.responses(openapi.ref("taxonomy_term"), "A taxonomy term.")
    },
)
def taxonomy_term(
    request: HttpRequest,
    id: str,
    params: Query[LangParams],
) -> HttpResponse:
    found = (
        TaxonomyTerm.objects.select_related("taxonomy_ref")
        .filter(pk=parse_id(id))
        .first()
    )
    if found is None:
        raise Http404
    ctx = Context(lang=requested_language(request, params))
    return _respond(taxonomy_term_dict(found, ctx), ctx)


@api.get(
    "/service_at_locations",
    operation_id="getPaginatedListOfServiceAtLocation",
    summary="Paginated services at locations (full=true: fully nested).",
    openapi_extra={
        "responses": openapi.list_responses(
            "service_at_location", "A page of services at locations."
        )
    },
)
def service_at_locations(
    request: HttpRequest, params: Query[ServiceAtLocationParams]
) -> HttpResponse | StreamingHttpResponse:
    return _listing(
        request, params, service_at_locations_select, _render_sals(full=params.full)
    )


@api.get(
    "/service_at_locations/{id}",
    operation_id="getServiceAtLocationWithNestedDataById",
    summary="A fully nested service at a location.",
    openapi_extra={
        "responses": openapi.responses(
            openapi.ref("service_at_location"), "A service at a location."
        )
    },
)
def service_at_location(
    request: HttpRequest,
    id: str,
    params: Query[LangParams],
) -> HttpResponse:
    found = service_at_locations_full(
        ServiceAtLocation.objects.filter(
            pk=parse_id(id), service__status__in=PUBLIC_STATUSES
        )
    ).first()
    if found is None:
        raise Http404
    ctx = Context(lang=requested_language(request, params))
    document = service_at_location_dict(found, ctx, full=True, with_service=True)
    attributes_attach([document], ctx)
    return _respond(document, ctx)
