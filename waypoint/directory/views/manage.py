"""The directory editors' staff interface.

Only users holding ``directory.edit_directory`` (the "Directory editors"
group, and superusers) get in: anonymous visitors are sent to the login page,
anyone else gets 403. Pages are kept out of search engines and caches.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.paginator import Page, Paginator
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from waypoint.accounts.decorators import acting_user
from waypoint.directory import selectors, services
from waypoint.directory.forms import (
    FormGroup,
    LocationFormGroup,
    OrganizationFilterForm,
    OrganizationFormGroup,
    ServiceFormGroup,
)
from waypoint.directory.models import (
    ChangeRecord,
    Location,
    Organization,
    Service,
)
from waypoint.lib.forms import field_label

EDIT_PERMISSION = "directory.edit_directory"
ORGANIZATIONS_PER_PAGE = 25
CHANGES_PER_PAGE = 50

View = Callable[..., HttpResponse]


def editor_required(view: View) -> View:
    """Anonymous → login page; signed in without the permission → 403."""
    return login_required(
        permission_required(EDIT_PERMISSION, raise_exception=True)(view)
    )


def _render(
    request: HttpRequest,
    template: str,
    context: dict[str, Any],
    status: int = 200,
) -> HttpResponse:
    response = render(request, f"directory/manage/{template}", context, status=status)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _page(request: HttpRequest, items: QuerySet[Any], per_page: int) -> Page[Any]:
    return Paginator(items, per_page).get_page(request.GET.get("page"))


# --- Reads (the staff see every listing, whatever its status) ---------------------


def _organization_get(pk: uuid.UUID) -> Organization:
    return get_object_or_404(
        Organization.objects.select_related("last_verified_by", "parent_organization"),
        pk=pk,
    )


def _service_get(pk: uuid.UUID) -> Service:
    return get_object_or_404(
        Service.objects.select_related("organization", "last_verified_by"), pk=pk
    )


def _location_get(pk: uuid.UUID) -> Location:
    return get_object_or_404(
        Location.objects.select_related("organization").filter(
            organization__isnull=False
        ),
        pk=pk,
    )


# --- Pages --------------------------------------------------------------------------


@editor_required
@require_http_methods(["GET", "HEAD"])
def home(request: HttpRequest) -> HttpResponse:
    filters = OrganizationFilterForm(request.GET or None)
    organizations = Organization.objects.select_related("last_verified_by").annotate(
        service_count=Count("services", distinct=True)
    )
    if filters.is_valid():
        text = filters.cleaned_data["q"].strip()
        if text:
            organizations = organizations.filter(
                Q(name__icontains=text) | Q(alternate_name__icontains=text)
            )
        if filters.cleaned_data["country"]:
            organizations = organizations.filter(
                country=filters.cleaned_data["country"]
            )
    page = _page(request, organizations.order_by("name", "pk"), ORGANIZATIONS_PER_PAGE)
    query = request.GET.copy()
    query.pop("page", None)
    return _render(
        request,
        "home.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


def _edit_page(
    request: HttpRequest,
    group: FormGroup,
    template: str,
    context: dict[str, Any],
    saved_message: str,
    next_url: Callable[[Any], str],
) -> HttpResponse:
    """Validate every part of a page and save them together, or show why not."""
    if request.method == "POST":
        if group.is_valid():
            saved = group.save(actor=acting_user(request))
            messages.success(request, saved_message)
            return redirect(next_url(saved))
        return _render(
            request,
            template,
            {**context, "group": group, "summary": group.error_summary()},
            status=400,
        )
    return _render(request, template, {**context, "group": group, "summary": []})


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_create(request: HttpRequest) -> HttpResponse:
    organization = Organization()
    group = OrganizationFormGroup(
        data=request.POST if request.method == "POST" else None,
        instance=organization,
    )
    return _edit_page(
        request,
        group,
        "organization_form.html",
        {"organization": None},
        _("The organisation was created."),
        lambda o: _edit_url("organization_edit", o.pk),
    )


def _edit_url(name: str, pk: uuid.UUID) -> str:
    return reverse(f"directory:{name}", kwargs={"pk": pk})


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    organization = _organization_get(pk)
    group = OrganizationFormGroup(
        data=request.POST if request.method == "POST" else None,
        instance=organization,
    )
    context = {
        "organization": organization,
        "services": organization.services.order_by("name"),
        "locations": organization.locations.prefetch_related("addresses").order_by(
            "name"
        ),
    }
    return _edit_page(
        request,
        group,
        "organization_form.html",
        context,
        _("The organisation was saved."),
        lambda o: _edit_url("organization_edit", o.pk),
    )


@editor_required
@require_POST
def organization_verify(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    organization = _organization_get(pk)
    services.listing_verify(actor=acting_user(request), listing=organization)
    messages.success(request, _("Marked as checked today."))
    return redirect(_edit_url("organization_edit", organization.pk))


@editor_required
@require_http_methods(["GET", "HEAD"])
def organization_history(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    organization = _organization_get(pk)
    page = _page(
        request,
        selectors.listing_history(organization=organization).order_by(
            "-created_at", "resource_type", "field_name"
        ),
        CHANGES_PER_PAGE,
    )
    return _render(
        request,
        "history.html",
        {
            "organization": organization,
            "page": page,
            "rows": _history_rows(list(page.object_list)),
        },
    )


def _history_rows(records: list[ChangeRecord]) -> list[dict[str, Any]]:
    """Each change with a readable object and field name."""
    ids: dict[str, set[uuid.UUID]] = defaultdict(set)
    for record in records:
        ids[record.resource_type].add(record.resource_id)
    names: dict[uuid.UUID, str] = {}
    for model in (Organization, Service, Location):
        wanted = ids.get(model._meta.model_name or "", set())
        if wanted:
            names.update(
                model._default_manager.filter(pk__in=wanted).values_list("pk", "name")
            )
    rows = []
    for record in records:
        model = _directory_model(record.resource_type)
        rows.append(
            {
                "record": record,
                "object_type": (
                    str(model._meta.verbose_name).capitalize()
                    if model is not None
                    else record.resource_type
                ),
                "object_name": names.get(record.resource_id, ""),
                "field": field_label(model, record.field_name),
            }
        )
    return rows


def _directory_model(name: str) -> Any:
    try:
        return apps.get_model("directory", name)
    except LookupError:
        return None


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def service_create(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    organization = _organization_get(pk)
    service = Service(organization=organization)
    group = ServiceFormGroup(
        data=request.POST if request.method == "POST" else None, instance=service
    )
    return _edit_page(
        request,
        group,
        "service_form.html",
        {"organization": organization, "service": None},
        _("The service was created."),
        lambda s: _edit_url("service_edit", s.pk),
    )


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def service_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = _service_get(pk)
    group = ServiceFormGroup(
        data=request.POST if request.method == "POST" else None, instance=service
    )
    return _edit_page(
        request,
        group,
        "service_form.html",
        {"organization": service.organization, "service": service},
        _("The service was saved."),
        lambda s: _edit_url("service_edit", s.pk),
    )


@editor_required
@require_POST
def service_verify(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    service = _service_get(pk)
    services.listing_verify(actor=acting_user(request), listing=service)
    messages.success(request, _("Marked as checked today."))
    return redirect(_edit_url("service_edit", service.pk))


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def location_create(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    organization = _organization_get(pk)
    location = Location(organization=organization)
    group = LocationFormGroup(
        data=request.POST if request.method == "POST" else None, instance=location
    )
    return _edit_page(
        request,
        group,
        "location_form.html",
        {"organization": organization, "location": None},
        _("The location was created."),
        lambda loc: _edit_url("location_edit", loc.pk),
    )


@editor_required
@require_http_methods(["GET", "HEAD", "POST"])
def location_edit(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    location = _location_get(pk)
    group = LocationFormGroup(
        data=request.POST if request.method == "POST" else None, instance=location
    )
    return _edit_page(
        request,
        group,
        "location_form.html",
        {"organization": location.organization, "location": location},
        _("The location was saved."),
        lambda loc: _edit_url("location_edit", loc.pk),
    )
