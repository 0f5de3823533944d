from __future__ import annotations

from django.urls import path

from waypoint.directory.views import manage, members, public

app_name = "directory"

urlpatterns = [
    path("search/", public.search, name="search"),
    path("services/<uuid:pk>/", public.service_detail, name="service"),
    path("services/<uuid:pk>/card/", public.service_card, name="service_card"),
    path("organizations/<uuid:pk>/", public.organization_detail, name="organization"),
    # Staff interface for directory editors.
    path("manage/", manage.home, name="manage_home"),
    path(
        "manage/organizations/new/",
        manage.organization_create,
        name="organization_create",
    ),
    path(
        "manage/organizations/<uuid:pk>/",
        manage.organization_edit,
        name="organization_edit",
    ),
    path(
        "manage/organizations/<uuid:pk>/history/",
        manage.organization_history,
        name="organization_history",
    ),
    path(
        "manage/organizations/<uuid:pk>/verify/",
        manage.organization_verify,
        name="organization_verify",
    ),
    path(
        "manage/organizations/<uuid:pk>/services/new/",
        manage.service_create,
        name="service_create",
    ),
    path(
        "manage/organizations/<uuid:pk>/locations/new/",
        manage.location_create,
        name="location_create",
    ),
    path("manage/services/<uuid:pk>/", manage.service_edit, name="service_edit"),
    path(
        "manage/services/<uuid:pk>/verify/",
        manage.service_verify,
        name="service_verify",
    ),
    path("manage/locations/<uuid:pk>/", manage.location_edit, name="location_edit"),
    # Platform administrators turn listings into member organisations.
    path(
        "manage/member-organisations/",
        members.member_organizations,
        name="member_organizations",
    ),
]

# HSDS import and export for directory editors.
from waypoint.directory.views import hsds as hsds_views  # noqa: E402

urlpatterns += [
    path("manage/hsds/", hsds_views.hsds_import_upload, name="hsds_import"),
    path(
        "manage/hsds/confirm/",
        hsds_views.hsds_import_confirm,
        name="hsds_import_confirm",
    ),
    path("manage/hsds/export/", hsds_views.hsds_export_download, name="hsds_export"),
]
