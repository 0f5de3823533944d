from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class PrivacyHeadersMiddleware:
    """Keep pages out of shared caches and the browser's disk cache.

    A person looking for help on a shared or watched device must not find the
    pages they saw in the cache afterwards; static assets keep their own
    long-lived caching from WhiteNoise, which answers before this runs.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        response.setdefault(
            "Permissions-Policy",
            "camera=(), microphone=(), payment=(), usb=(), geolocation=(self)",
        )
        return response
