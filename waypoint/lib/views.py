"""The site's error pages: 400, 403, 404, 405, 414, 429, 500 and 503.

A person looking for help who mistypes a link must keep the way out: every
error page is a page of the site, in the site's layout and the person's
language (the URL's prefix), with the quick exit. It says what happened and
what to do next, and reveals nothing internal: no path, id or exception text.

Under ``/api/`` the same errors answer in JSON, as the APIs do.

The 500 and 503 pages render without the database: no context processor, no
session or user lookup, nothing translated from stored content. They are
what a person sees when the database is down, full or read-only.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger("waypoint.errors")

# Seconds a client should wait before trying again after a 503.
UNAVAILABLE_RETRY_AFTER = 30

# The errors that mean "the database cannot serve now" (connection lost or
# refused, server shutting down, disk full, read-only database), not a bug.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)

# What each page says: its title, what happened, what to do next.
MESSAGES: dict[int | str, tuple[Promise, Promise, Promise]] = {
    400: (
        _("The request could not be understood"),
        _("Something in the address or in the form that was sent is not valid."),
        _("Go back, check what you typed and try again, or search the directory."),
    ),
    # An address too long to read (waypoint.lib.middleware): the 400 text,
    # which says the address is not valid, fits it.
    414: (
        _("The request could not be understood"),
        _("Something in the address or in the form that was sent is not valid."),
        _("Go back, check what you typed and try again, or search the directory."),
    ),
    403: (
        _("You cannot open this page"),
        _("Your account does not give you access to this page."),
        _(
            "If you think you should have access, ask your organisation's "
            "administrator. You can also go back or search the directory."
        ),
    ),
    "csrf": (
        _("This form has expired"),
        _("The form was sent from a page that is too old, or without its cookie."),
        _("Go back, reload the page and send the form again."),
    ),
    404: (
        _("This page was not found"),
        _("The link may be mistyped, or the page may have been moved or removed."),
        _("Check the address, or search the directory to find help near you."),
    ),
    405: (
        _("This page cannot be used this way"),
        _("The page was asked for in a way it does not accept."),
        _("Go back and use the page's own links and buttons."),
    ),
    429: (
        _("Too many requests"),
        _("Too many requests came from your network in a short time."),
        _("Wait a minute, then try again."),
    ),
    500: (
        _("Something went wrong"),
        _(
            "The page could not be shown because of an error on our side. "
            "It has been recorded."
        ),
        _("Try again in a few minutes, or search the directory."),
    ),
    503: (
        _("The service is temporarily unavailable"),
        _(
            "Waypoint cannot answer right now. Nothing you sent was saved: "
            "if you were filling in a form, it was not recorded."
        ),
        _("Try again in a few minutes."),
    ),
}

# What the APIs answer under /api/ for the same errors.
API_MESSAGES: dict[int, Promise] = {
    400: _("Bad request."),
    403: _("Forbidden."),
    414: _("Bad request."),
    404: _("No such object."),
    405: _("Method not allowed."),
    429: _("Too many requests."),
    500: _("Internal error."),
    503: _("Service temporarily unavailable."),
}


def is_api(request: HttpRequest) -> bool:
    """Whether the request is for one of the APIs (which answer in JSON)."""
    return request.path_info.startswith("/api/")


def error_response(
    request: HttpRequest,
    status: int,
    *,
    kind: str | None = None,
    with_database: bool = True,
) -> HttpResponse:
    """The error page (or the API's JSON) for ``status``.

    ``kind`` picks another text for the same status (``"csrf"``).
    ``with_database=False`` renders without anything that may query the
    database: no context processors, no user, no session.
    """
    if is_api(request):
        body = json.dumps({"detail": str(API_MESSAGES[status]), "errors": []})
        return HttpResponse(body, status=status, content_type="application/json")
    language = translation.get_language_from_path(request.path_info)
    with translation.override(language or translation.get_language()):
        title, happened, next_step = MESSAGES[kind or status]
        context: dict[str, Any] = {
            "status": status,
            "title": title,
            "happened": happened,
            "next_step": next_step,
            "retry": status in (429, 500, 503),
            "language_home": True,
        }
        if with_database:
            html = render_to_string("errors/error.html", context, request=request)
        else:
            # What the context processors would add, none of which may query.
            context.update(
                csp_nonce=get_nonce(request),
                QUICK_EXIT_URL=settings.QUICK_EXIT_URL,
            )
            html = render_to_string("errors/error.html", context)
        response = HttpResponse(html, status=status)
        response["Content-Language"] = translation.get_language()
    return response


def unavailable_response(
    request: HttpRequest, exception: BaseException
) -> HttpResponse:
    """The 503 answer to a database that cannot serve, logged in one line.

    The log names the error's kind and the view, never the request's data, and
    carries no traceback: an outage is an operational event, not a bug.
    """
    match = request.resolver_match
    logger.warning(
        "Database unavailable (%s: %s) during %s %s",
        type(exception).__name__,
        str(exception).strip().splitlines()[0][:200] if str(exception) else "",
        request.method,
        match.view_name if match is not None else "an unresolved page",
    )
    response = error_response(request, 503, with_database=False)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_AFTER)
    # Django logs every 5xx answer once more, with the traceback of the
    # exception being handled; this one has been logged already.
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


# --- The handlers of config/urls.py ---------------------------------------------


def bad_request(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return error_response(request, 400)


def permission_denied(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return error_response(request, 403)


def page_not_found(
    request: HttpRequest, exception: Exception | None = None
) -> HttpResponse:
    return error_response(request, 404)


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page, or the 503 page when the database is the cause.

    Django calls this while it handles the exception, so the exception is at
    hand; a database outage met outside a view (a middleware reading the
    session or the user) arrives here rather than in
    ``ErrorPagesMiddleware``.
    """
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return unavailable_response(request, exception)
    return error_response(request, 500, with_database=False)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without its valid CSRF token (an expired page, a cookie
    refused): the 403 page, which says to go back and try again."""
    return error_response(request, 403, kind="csrf")
