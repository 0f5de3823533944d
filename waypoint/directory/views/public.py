"""The public directory: search, a service, its printable card, an organisation.

Nothing here needs an account. Pages read only through the selectors, so
each runs a fixed number of queries whatever the size of the directory.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from waypoint.directory import selectors
from waypoint.directory.forms import SearchForm
from waypoint.directory.views import display


def _reader() -> str:
    return get_language() or settings.LANGUAGE_CODE


def _errors(form: SearchForm) -> list[dict[str, str]]:
    """Each problem with the field it belongs to, for the error summary."""
    problems = []
    for name, messages in form.errors.items():
        bound = form[name] if name in form.fields else None
        # Hidden coordinates are set by the "Use my location" button.
        target = "use-location" if name in ("lat", "lon") else f"id_{name}"
        for message in messages:
            problems.append(
                {
                    "field": name,
                    "label": str(bound.label) if bound is not None else "",
                    "message": str(message),
                    "target": target,
                }
            )
    return problems


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    reader = _reader()
    terms = selectors.filter_terms()
    cities = selectors.cities()
    form = SearchForm(request.GET, terms=terms, cities=cities)
    valid = form.is_valid()
    query = form.search_query(per_page=settings.SEARCH_PAGE_SIZE)
    results = selectors.service_search(query=query)
    counts = results.facet_counts
    data = request.GET
    facets = {
        name: display.facet_options(
            facet=name,
            choices=[(t.code, t.translated("name", reader)) for t in terms[name]],
            counts=counts,
            selected=data.getlist(name),
        )
        for name in ("type", "target")
    }
    facets["lang"] = display.facet_options(
        facet="lang",
        choices=display.language_choices(counts, data.getlist("lang"), reader),
        counts=counts,
        selected=data.getlist("lang"),
    )
    active_filters = sum(
        1
        for key in (
            "country",
            "city",
            "region",
            "type",
            "target",
            "lang",
            "free",
            "open",
        )
        if any(data.getlist(key))
    )
    context: dict[str, Any] = {
        "form": form,
        "query": query,
        "results": results,
        "cards": display.result_cards(results, reader),
        "facets": facets,
        "facet_items": {
            name: display.facet_items_html(options) for name, options in facets.items()
        },
        "country_options": display.country_options_html(
            counts, reader, data.get("country", "")
        ),
        "city_datalist": display.city_datalist_html(cities),
        "near_options": display.near_options_html(cities, reader, data.get("near", "")),
        "free_count": counts.get("free", {}).get("1", 0),
        "errors": _errors(form),
        "error_fields": set(form.errors),
        "page_links": display.page_links(data, query.page, results.pages),
        "previous_url": (
            display.query_string(data, page=query.page - 1) if query.page > 1 else ""
        ),
        "next_url": (
            display.query_string(data, page=query.page + 1)
            if query.page < results.pages
            else ""
        ),
        "past_the_end": query.page > results.pages,
        "first_number": (query.page - 1) * query.per_page + 1,
        "first_page_url": display.query_string(data, page=None),
        "clear_url": display.query_string(QueryDict(), q=data.get("q", "")),
        "stop_location_url": display.query_string(data, lat=None, lon=None, page=None),
        "active_filters": active_filters,
        "sorted_by_distance": query.near is not None,
        "uses_my_location": form.uses_my_location(),
    }
    status = 200 if valid else 400
    partial = request.htmx and not request.htmx.history_restore_request  # type: ignore[attr-defined]
    template = "directory/search_partial.html" if partial else "directory/search.html"
    response = render(request, template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])
    return response


@require_GET
def service_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    reader = _reader()
    service = selectors.service_get_public(pk=pk)
    terms = selectors.terms_for("service", [service.pk]).get(service.pk, [])
    return render(
        request,
        "directory/service_detail.html",
        {
            "service": service,
            "organization": service.organization,
            "terms": display.service_terms(terms),
            "locations": display.service_locations(service, reader),
            "phones": list(service.phones.all()),
            "hours": display.hours_lines(service.schedules.all(), reader),
            "languages": display.language_labels(
                [(lang.code or lang.name) for lang in service.languages.all()], reader
            ),
            "free": display.is_free(service),
            "demo": display.is_demo(service),
            "costs": list(service.cost_options.all()),
        },
    )


@require_GET
def service_card(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    reader = _reader()
    service = selectors.service_get_public(pk=pk)
    return render(
        request,
        "directory/service_card.html",
        {
            "service": service,
            "organization": service.organization,
            "address": display.first_address(service),
            "phones": display.all_phones(service),
            "hours": display.hours_lines(
                [
                    *service.schedules.all(),
                    *(
                        s
                        for sal in service.service_at_locations.all()
                        for s in sal.schedules.all()
                    ),
                ],
                reader,
            ),
            "languages": display.language_labels(
                display.language_codes(service), reader
            ),
            "demo": display.is_demo(service),
            "page_url": request.build_absolute_uri(service.get_absolute_url()),
        },
    )


@require_GET
def organization_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    organization = selectors.organization_get_public(pk=pk)
    terms = selectors.terms_for("organization", [organization.pk])
    demo = organization.is_demo or any(p.is_demo for p in organization.phones.all())
    return render(
        request,
        "directory/organization_detail.html",
        {
            "organization": organization,
            "terms": display.organization_terms(organization, terms),
            "services": list(organization.services.all()),
            "locations": list(organization.locations.all()),
            "phones": list(organization.phones.all()),
            "demo": demo,
        },
    )
