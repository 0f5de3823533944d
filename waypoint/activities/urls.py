from __future__ import annotations

from django.urls import path

from waypoint.activities.views import manage, participants
from waypoint.activities.views import public as views

app_name = "activities"

urlpatterns = [
    path("projects/", views.project_list, name="projects"),
    path("projects/<uuid:pk>/", views.project_detail, name="project"),
    path("events/", views.event_calendar, name="events"),
    path("events/<uuid:pk>/", views.event_detail, name="event"),
    path("publications/", views.publication_list, name="publications"),
    path(
        "publications/files/<uuid:pk>/",
        views.publication_file,
        name="publication_file",
    ),
    path("partners/", views.partners, name="partners"),
    path("reports/", views.report_list, name="reports"),
    path("reports/<int:year>/", views.report_year, name="report_year"),
    path(
        "reports/<int:year>/<uuid:organization>/",
        views.report_detail,
        name="report",
    ),
    path("manage/", manage.index, name="manage"),
    # Registration and participants (views/participants.py).
    path(
        "events/<uuid:pk>/register/", participants.event_register, name="event_register"
    ),
    path(
        "registration/cancel/<str:token>/",
        participants.registration_cancel,
        name="registration_cancel",
    ),
    path("feedback/<str:token>/", participants.feedback, name="feedback"),
    path(
        "events/<uuid:pk>/participants/",
        participants.participants,
        name="participants",
    ),
    path(
        "events/<uuid:pk>/participants/settings/",
        participants.registration_settings,
        name="participants_settings",
    ),
    path(
        "events/<uuid:pk>/participants/attendance.csv",
        participants.attendance_csv,
        name="participants_csv",
    ),
    path(
        "events/<uuid:pk>/participants/certificates/",
        participants.certificates_issue,
        name="participants_certificates",
    ),
    path(
        "events/<uuid:pk>/participants/feedback-requests/",
        participants.feedback_requests,
        name="participants_feedback_requests",
    ),
    path(
        "registrations/<uuid:pk>/attendance/",
        participants.attendance,
        name="registration_attendance",
    ),
    path(
        "registrations/<uuid:pk>/cancel/",
        participants.registration_staff_cancel,
        name="registration_staff_cancel",
    ),
    path(
        "registrations/<uuid:pk>/certificate.pdf",
        participants.certificate_download,
        name="registration_certificate",
    ),
]

# The staff pages of each kind of record: list, new, edit, delete.
for _kind in manage.KINDS:
    _views = manage.VIEWS[_kind.slug]
    urlpatterns += [
        path(
            f"manage/{_kind.slug}/",
            _views["list"],
            name=f"manage_{_kind.slug}",
        ),
        path(
            f"manage/{_kind.slug}/new/",
            _views["create"],
            name=f"manage_{_kind.name}_create",
        ),
        path(
            f"manage/{_kind.slug}/<uuid:pk>/",
            _views["edit"],
            name=f"manage_{_kind.name}_edit",
        ),
        path(
            f"manage/{_kind.slug}/<uuid:pk>/delete/",
            _views["delete"],
            name=f"manage_{_kind.name}_delete",
        ),
    ]
