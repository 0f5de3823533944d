from __future__ import annotations

from django.urls import path, register_converter

from waypoint.reports import views


class DocumentFormat:
    regex = "pdf|docx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


class TableFormat(DocumentFormat):
    regex = "csv|xlsx"


register_converter(DocumentFormat, "document_format")
register_converter(TableFormat, "table_format")

app_name = "reports"

urlpatterns = [
    path(
        "annual/<int:year>.<document_format:fmt>",
        views.annual_report_year,
        name="annual_year",
    ),
    path(
        "annual/<int:year>/<uuid:organization>.<document_format:fmt>",
        views.annual_report,
        name="annual",
    ),
    path("newsletter/", views.newsletter, name="newsletter"),
    path(
        "newsletter.<document_format:fmt>",
        views.newsletter_download,
        name="newsletter_download",
    ),
    path("statistics/", views.activity_statistics, name="activities"),
    path(
        "statistics/<slug:slug>.<table_format:fmt>",
        views.activity_table_download,
        name="activities_table",
    ),
    path("statistics/casework/", views.casework_statistics, name="casework"),
    path(
        "statistics/casework/<slug:slug>.<table_format:fmt>",
        views.casework_table_download,
        name="casework_table",
    ),
]
