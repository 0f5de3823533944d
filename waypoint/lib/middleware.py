from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from waypoint.lib.views import (
    DATABASE_UNAVAILABLE,
    error_response,
    unavailable_response,
)

# The longest address (path and query) the site reads, as gunicorn's
# ``limit_request_line`` (4094 bytes for the whole request line) and most
# proxies already cap it in production. A longer one answers 414 here too, so
# that no page ever builds a redirect or a link from it: a login redirect
# carries the address it came from, and Django refuses redirects over 16,384
# characters with an error in the log.
MAX_ADDRESS_LENGTH = 4094


class AddressLengthMiddleware:
    """Answer an over-long address with the site's 414 page, before anything
    reads it (sessions, the second-factor check, the views)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        raw = request.META.get("QUERY_STRING", "")
        if len(request.path) + len(raw) + 1 > MAX_ADDRESS_LENGTH:
            return error_response(request, 414, with_database=False)
        return self.get_response(request)


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


class ErrorPagesMiddleware:
    """Give the site's error page to bare error answers of pages, and turn a
    database that cannot serve into the 503 page.

    A view or decorator that answers 400, 403, 404, 405 or 429 without a body
    (``HttpResponseNotAllowed`` from ``require_POST``, a bare 400 of a form
    post) gets the site's page instead (the JSON error under ``/api/``), with
    its status and its ``Allow`` and ``Retry-After`` headers kept. Answers
    with a body of their own (a form with its errors, the APIs' JSON) are left
    alone.

    A database ``OperationalError`` or ``InterfaceError`` raised by a view
    (connection lost, server down, disk full, read-only database) becomes the
    503 page (JSON under ``/api/``), logged in one line without personal data.
    Every write is one atomic service call, so the transaction it was in has
    rolled back: nothing is half-written. The same error raised outside a view
    reaches ``waypoint.lib.views.server_error``, which answers the same.
    """

    BARE_STATUSES = frozenset({400, 403, 404, 405, 429})
    KEPT_HEADERS = ("Allow", "Retry-After")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            response.status_code in self.BARE_STATUSES
            and not response.streaming
            and not response.content
        ):
            page = error_response(request, response.status_code)
            for header in self.KEPT_HEADERS:
                if header in response:
                    page[header] = response[header]
            return page
        return response

    def process_exception(
        self, request: HttpRequest, exception: Exception
    ) -> HttpResponse | None:
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return unavailable_response(request, exception)
        return None
