"""The machine-readable APIs: HSDS 3.0 under ``/api/hsds/`` (public) and the
partner API under ``/api/partner/`` (member organisations' systems, by token)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from waypoint.api.http import public_endpoint
from waypoint.api.views.hsds import api
from waypoint.api.views.partner import api as partner_api


def _public_urls() -> tuple[list[URLPattern | URLResolver], str, str]:
    patterns, app_name, namespace = api.urls
    for pattern in patterns:
        if isinstance(pattern, URLPattern):
            pattern.callback = public_endpoint(pattern.callback)
    return patterns, app_name, namespace


urlpatterns: list[URLPattern | URLResolver] = [
    path("hsds/", _public_urls()),
    path("partner/", partner_api.urls),
]
