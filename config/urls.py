from __future__ import annotations

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="directory:search", permanent=False)),
    path("admin/", admin.site.urls),
    path("api/", include("waypoint.api.urls")),
]
urlpatterns += i18n_patterns(
    path("", include("waypoint.directory.urls")),
    path("accounts/", include("waypoint.accounts.urls")),
    path("cases/", include("waypoint.cases.urls")),
    path("referrals/", include("waypoint.referrals.urls")),
    path("activities/", include("waypoint.activities.urls")),
    path("reports/", include("waypoint.reports.urls")),
    path("api-tokens/", include("waypoint.api.urls.tokens")),
    # django-allauth's own pages: second factor, password change and reset,
    # re-authentication (sign-up is closed: staff are invited).
    path("accounts/", include("allauth.urls")),
    prefix_default_language=True,
)

# Error pages of the site, in its layout and the person's language, with the
# quick exit (JSON under /api/): waypoint/lib/views.py.
handler400 = "waypoint.lib.views.bad_request"
handler403 = "waypoint.lib.views.permission_denied"
handler404 = "waypoint.lib.views.page_not_found"
handler500 = "waypoint.lib.views.server_error"
