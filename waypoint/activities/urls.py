from __future__ import annotations

from django.urls import path

from waypoint.activities.views import public as views

app_name = "activities"

urlpatterns = [
    path("projects/", views.project_list, name="projects"),
    path("projects/<uuid:pk>/", views.project_detail, name="project"),
    path("events/", views.event_calendar, name="events"),
    path("events/<uuid:pk>/", views.event_detail, name="event"),
    path("publications/", views.publication_list, name="publications"),
    path("partners/", views.partners, name="partners"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:year>/", views.report_year, name="report_year"),
    path(
        "reports/<int:year>/<uuid:organization>/",
        views.report_detail,
        name="report",
    ),
]
