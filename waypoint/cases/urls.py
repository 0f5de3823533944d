from __future__ import annotations

from django.urls import path

from waypoint.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("new/", views.case_create, name="create"),
    path("retention/", views.retention, name="retention"),
    path(
        "people/<int:person_pk>/export.json",
        views.person_export_json,
        name="person_export_json",
    ),
    path(
        "people/<int:person_pk>/export/",
        views.person_export_print,
        name="person_export_print",
    ),
    path(
        "people/<int:person_pk>/anonymise/",
        views.person_anonymise,
        name="person_anonymise",
    ),
    path("<int:pk>/", views.case_detail, name="detail"),
    path(
        "<int:pk>/identification/",
        views.identification_create,
        name="identification_create",
    ),
    path("<int:pk>/needs/", views.needs_assessment_create, name="needs_create"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("<int:pk>/notes/new/", views.note_create, name="note_create"),
    path("<int:pk>/person/", views.person_edit, name="person_edit"),
    path(
        "<int:pk>/proceedings/new/", views.proceeding_create, name="proceeding_create"
    ),
    path(
        "<int:pk>/proceedings/<int:proceeding_pk>/stage/",
        views.proceeding_stage,
        name="proceeding_stage",
    ),
    path("<int:pk>/compensation/new/", views.claim_create, name="claim_create"),
    path(
        "<int:pk>/compensation/<int:claim_pk>/status/",
        views.claim_status,
        name="claim_status",
    ),
    path("<int:pk>/close/", views.case_close, name="close"),
    path("<int:pk>/reopen/", views.case_reopen, name="reopen"),
    path("<int:pk>/access-log/", views.access_log, name="access_log"),
    path("<int:pk>/stage/", views.stage_change, name="stage_change"),
    path("<int:pk>/staff/", views.assign, name="assign"),
    path("<int:pk>/risk/", views.risk_create, name="risk_create"),
    path("<int:pk>/rights/", views.rights_create, name="rights_create"),
    path("<int:pk>/reflection/", views.reflection_create, name="reflection_create"),
    path(
        "<int:pk>/reflection/<int:period_pk>/decision/",
        views.reflection_decide,
        name="reflection_decide",
    ),
    path("<int:pk>/tasks/new/", views.task_create, name="task_create"),
    path("<int:pk>/tasks/<int:task_pk>/done/", views.task_done, name="task_done"),
    path("<int:pk>/documents/new/", views.document_create, name="document_create"),
    path(
        "<int:pk>/documents/<int:document_pk>/",
        views.document_download,
        name="document_download",
    ),
    path("<int:pk>/consents/new/", views.consent_create, name="consent_create"),
    path(
        "<int:pk>/consents/<int:consent_pk>/withdraw/",
        views.consent_withdraw,
        name="consent_withdraw",
    ),
    path(
        "<int:pk>/duplicates/<int:duplicate_pk>/",
        views.duplicate_decide,
        name="duplicate_decide",
    ),
]
