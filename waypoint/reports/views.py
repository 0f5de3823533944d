"""Downloads of the annual report and the statistics pages.

The annual report and the activity statistics are public, as the records
behind them are. Casework statistics need a signed-in account with a case
role and its second factor; they count only the cases of that account's
organisations, are never cached, and show counts below five as "<5".
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from waypoint.accounts.decorators import second_factor_required
from waypoint.accounts.selectors import can_see_case_data, case_organizations
from waypoint.activities import selectors as activity_selectors
from waypoint.activities.models import AnnualReport
from waypoint.activities.selectors import NewsletterData
from waypoint.lib.forms import error_summary
from waypoint.lib.pdf import PDF_TYPE
from waypoint.reports import documents, exports
from waypoint.reports.charts import bar_chart
from waypoint.reports.forms import NewsletterForm
from waypoint.reports.statistics import (
    Table,
    activity_tables,
    casework_tables,
    table_find,
)


class YearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Year"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, data: object, *, years: list[int], all_years: bool = True
    ) -> None:
        super().__init__(data)  # type: ignore[arg-type]
        field = cast(forms.TypedChoiceField, self.fields["year"])
        choices: list[tuple[object, str]] = [(y, str(y)) for y in years]
        if all_years:
            choices.insert(0, ("", str(_("All years"))))
        field.choices = choices
        field.required = not all_years


def _language() -> str:
    return get_language() or "en"


def _attachment(content: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Annual report ---


def _document(outline: documents.Outline, fmt: str, name: str) -> HttpResponse:
    if fmt == "pdf":
        return _attachment(documents.outline_pdf(outline), PDF_TYPE, name)
    return _attachment(documents.outline_docx(outline), documents.DOCX_TYPE, name)


def _report_download(report: AnnualReport, fmt: str) -> HttpResponse:
    data = activity_selectors.annual_report_build(report=report)
    outline = documents.report_outline(data, _language())
    return _document(outline, fmt, documents.filename(report.year, fmt))


@require_GET
def annual_report_year(request: HttpRequest, year: int, fmt: str) -> HttpResponse:
    """The year's report, or the choice of reports when several were written."""
    reports = activity_selectors.annual_reports_of_year(year=year)
    if not reports:
        raise Http404("No report for this year")
    if len(reports) > 1:
        return redirect("activities:report_year", year=year)
    return _report_download(reports[0], fmt)


@require_GET
def annual_report(
    request: HttpRequest, year: int, organization: uuid.UUID, fmt: str
) -> HttpResponse:
    report = activity_selectors.annual_report_get(year=year, organization=organization)
    return _report_download(report, fmt)


# --- Newsletter ---


def _newsletter(request: HttpRequest) -> tuple[NewsletterForm, NewsletterData | None]:
    form = NewsletterForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return form, None
    data = form.cleaned_data
    built = activity_selectors.newsletter_build(
        start=data["start"],
        end=data["end"],
        project=data["project"],
        organization=data["organization"],
    )
    return form, built


@require_GET
def newsletter(request: HttpRequest) -> HttpResponse:
    """Choose a project or a period; the newsletter shows under the form."""
    form, data = _newsletter(request)
    outline = documents.newsletter_outline(data, _language()) if data else None
    return render(
        request,
        "reports/newsletter.html",
        {
            "form": form,
            "outline": outline,
            "query": request.GET.urlencode(),
            "summary": error_summary(form) if form.is_bound else [],
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


@require_GET
def newsletter_download(request: HttpRequest, fmt: str) -> HttpResponse:
    _form, data = _newsletter(request)
    if data is None:
        raise Http404("Choose a project or a period")
    outline = documents.newsletter_outline(data, _language())
    return _document(outline, fmt, documents.newsletter_filename(data, fmt))


# --- Statistics ---


def _with_charts(tables: list[Table]) -> list[tuple[Table, object]]:
    return [(t, bar_chart(t, chart_id=f"chart-{t.slug}")) for t in tables]


def _table_download(table: Table, fmt: str, suffix: str) -> HttpResponse:
    name = f"{table.slug}{suffix}.{fmt}"
    if fmt == "csv":
        return _attachment(exports.table_csv(table), exports.CSV_TYPE, name)
    return _attachment(exports.table_xlsx(table), exports.XLSX_TYPE, name)


def _activity_year(request: HttpRequest) -> tuple[YearForm, int | None, bool]:
    form = YearForm(request.GET or None, years=activity_selectors.event_years())
    if not form.is_bound:
        return form, None, True
    if not form.is_valid():
        return form, None, False
    return form, form.cleaned_data["year"], True


@require_GET
def activity_statistics(request: HttpRequest) -> HttpResponse:
    form, year, valid = _activity_year(request)
    tables = activity_tables(year=year, language=_language())
    return render(
        request,
        "reports/activity_statistics.html",
        {
            "form": form,
            "year": year,
            "tables": _with_charts(tables),
            "casework_allowed": can_see_case_data(request.user),
        },
        status=200 if valid else 400,
    )


@require_GET
def activity_table_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    _form, year, valid = _activity_year(request)
    if not valid:
        raise Http404("Unknown year")
    table = table_find(activity_tables(year=year, language=_language()), slug)
    if table is None:
        raise Http404("No such table")
    return _table_download(table, fmt, f"-{year}" if year else "")


def case_role_required[View: Callable[..., HttpResponse]](view: View) -> View:
    """Signed in with a case role (403 otherwise), then a proven second factor."""
    guarded = second_factor_required(view)

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not can_see_case_data(request.user):
            raise PermissionDenied
        return guarded(request, *args, **kwargs)

    return cast(View, login_required(wrapper))


def _casework_scope(request: HttpRequest) -> tuple[YearForm, int, bool]:
    this_year = timezone.localdate().year
    years = list(range(this_year, this_year - 10, -1))
    form = YearForm(request.GET or None, years=years, all_years=False)
    if not form.is_bound:
        return form, this_year, True
    if not form.is_valid():
        return form, this_year, False
    return form, form.cleaned_data["year"] or this_year, True


@never_cache
@require_GET
@case_role_required
def casework_statistics(request: HttpRequest) -> HttpResponse:
    form, year, valid = _casework_scope(request)
    organizations = case_organizations(request.user).select_related("organization")
    tables = casework_tables(organizations=organizations, year=year)
    return render(
        request,
        "reports/casework_statistics.html",
        {
            "form": form,
            "year": year,
            "organizations": list(organizations),
            "tables": _with_charts(tables),
        },
        status=200 if valid else 400,
    )


@never_cache
@require_GET
@case_role_required
def casework_table_download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    _form, year, valid = _casework_scope(request)
    if not valid:
        raise Http404("Unknown year")
    organizations = case_organizations(request.user)
    table = table_find(casework_tables(organizations=organizations, year=year), slug)
    if table is None:
        raise Http404("No such table")
    return _table_download(table, fmt, f"-{year}")
