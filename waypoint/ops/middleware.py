"""The load balancer's probes, answered before every other middleware.

A load balancer often asks by the instance's address (``Host: 10.0.0.5``),
over plain HTTP: the host check (``ALLOWED_HOSTS``) would refuse it and the
HTTPS redirect would send it away. The probes build no link from the host
and reveal nothing, so they answer first; every other path goes on to the
site as usual.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from waypoint.ops import views

PROBES: dict[str, Callable[[HttpRequest], HttpResponse]] = {
    "/healthz": views.healthz,
    "/readyz": views.readyz,
}


class HealthProbeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        probe = PROBES.get(request.path_info)
        if probe is not None and request.method in ("GET", "HEAD"):
            return probe(request)
        return self.get_response(request)
