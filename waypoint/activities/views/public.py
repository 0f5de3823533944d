"""Public pages of the activities: projects, events, publications, partners
and the annual activity reports. Nothing here needs an account, and every page
reads through the selectors."""

from __future__ import annotations

import uuid

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from waypoint.activities import selectors
from waypoint.activities.forms import EventFilterForm, PublicationFilterForm
from waypoint.activities.models import AnnualReport, PublicationFile
from waypoint.activities.publication_files import EXTENSIONS
from waypoint.activities.views.participants import registration_context


@require_GET
def project_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "activities/project_list.html",
        {"projects": list(selectors.project_list())},
    )


@require_GET
def project_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    project = selectors.project_get_public(pk=pk)
    return render(request, "activities/project_detail.html", {"project": project})


@require_GET
def event_calendar(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, years=selectors.event_years())
    year: int | None = None
    event_type = ""
    if form.is_bound and form.is_valid():
        year = form.cleaned_data["year"]
        event_type = form.cleaned_data["type"]
    calendar = selectors.event_calendar(
        today=timezone.localdate(), year=year, event_type=event_type
    )
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "activities/event_calendar.html",
        {"form": form, "calendar": calendar, "filtered": bool(year or event_type)},
        status=status,
    )


@require_GET
def event_detail(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    event = selectors.event_get_public(pk=pk)
    context = {"event": event, **registration_context(request, event)}
    return render(request, "activities/event_detail.html", context)


@require_GET
def publication_list(request: HttpRequest) -> HttpResponse:
    form = PublicationFilterForm(request.GET or None)
    publication_type = ""
    if form.is_bound and form.is_valid():
        publication_type = form.cleaned_data["type"]
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(
        request,
        "activities/publication_list.html",
        {
            "form": form,
            "publications": list(
                selectors.publication_list(publication_type=publication_type)
            ),
            "campaigns": list(selectors.campaign_list()),
        },
        status=status,
    )


def _download_name(item: PublicationFile) -> str:
    stem = slugify(item.title or item.publication.title)[:80].strip("-")
    extension = EXTENSIONS.get(item.content_type, "")
    return f"{stem or 'publication'}-{item.language}{extension}"


@require_http_methods(["GET", "HEAD"])
def publication_file(request: HttpRequest, pk: uuid.UUID) -> FileResponse:
    """A publication's file, as a download named after it, with the type found
    in its content when it was uploaded."""
    item = selectors.publication_file_get_public(pk=pk)
    try:
        stream = item.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The file is missing") from exc
    return FileResponse(
        stream,
        as_attachment=True,
        filename=_download_name(item),
        content_type=item.content_type,
    )


@require_GET
def partners(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "activities/partners.html",
        {"networks": selectors.partner_networks()},
    )


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "activities/report_list.html",
        {"reports": list(selectors.annual_report_list())},
    )


@require_GET
def report_year(request: HttpRequest, year: int) -> HttpResponse:
    """The year's report, or a choice when several organisations wrote one."""
    reports = selectors.annual_reports_of_year(year=year)
    if len(reports) == 1:
        return _report(request, reports[0])
    if not reports:
        raise Http404("No report for this year")
    return render(
        request, "activities/report_list.html", {"reports": reports, "year": year}
    )


@require_GET
def report_detail(
    request: HttpRequest, year: int, organization: uuid.UUID
) -> HttpResponse:
    report = selectors.annual_report_get(year=year, organization=organization)
    return _report(request, report)


def _report(request: HttpRequest, report: AnnualReport) -> HttpResponse:
    data = selectors.annual_report_build(report=report)
    return render(request, "activities/report.html", {"data": data})
