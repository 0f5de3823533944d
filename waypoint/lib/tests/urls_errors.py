"""The site's URLs plus one page per error, for the error-page tests.

``/<lang>/error-test/<status>/`` fails the way a real page would: it raises
what Django turns into that status, answers a bare 405 or 429, or meets a
database that cannot serve. The site's own URLs stay, so that the layout's
links resolve; they are read from the site's URLconf by name, since lib
imports nothing above it.
"""

from __future__ import annotations

from importlib import import_module

from django.conf.urls.i18n import i18n_patterns
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import OperationalError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import path


def fail(request: HttpRequest, status: int) -> HttpResponse:
    if status == 400:
        raise BadRequest("a secret detail /srv/waypoint")
    if status == 403:
        raise PermissionDenied("a secret detail /srv/waypoint")
    if status == 404:
        raise Http404("a secret detail /srv/waypoint")
    if status == 405:
        return HttpResponseNotAllowed(["POST"])
    if status == 429:
        return HttpResponse(status=429, headers={"Retry-After": "42"})
    if status == 503:
        raise OperationalError("could not connect to server /srv/waypoint")
    raise RuntimeError("a secret detail /srv/waypoint")


_site = import_module("config.urls")

urlpatterns = [
    path("api/error-test/<int:status>/", fail),
    *i18n_patterns(
        path("error-test/<int:status>/", fail), prefix_default_language=True
    ),
    *_site.urlpatterns,
]

handler400 = "waypoint.lib.views.bad_request"
handler403 = "waypoint.lib.views.permission_denied"
handler404 = "waypoint.lib.views.page_not_found"
handler500 = "waypoint.lib.views.server_error"
