"""Every error page is a page of the site, in the person's language.

A person who mistypes a link, or meets an outage, keeps the site's layout, the
quick exit and a next step; nothing internal (a path, an id, the exception's
text) reaches the page. The APIs keep answering in JSON. The 500 and 503 pages
render without the database, and a database outage is a 503, not a 500.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.middleware import AuthenticationMiddleware
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory

from waypoint.lib.middleware import ErrorPagesMiddleware
from waypoint.lib.views import server_error

pytestmark = pytest.mark.django_db

ERROR_URLS = "waypoint.lib.tests.urls_errors"
SECRET = "/srv/waypoint"


def _is_site_page(response: Any) -> str:
    """The page's text, after checking it is one of the site's pages."""
    html: str = response.content.decode()
    assert "data-quick-exit" in html, "no quick exit"
    assert 'class="site-header"' in html, "not in the site's layout"
    assert 'name="robots" content="noindex"' in html
    assert SECRET not in html and "Traceback" not in html
    return html


def _refusing(error: type[Exception]) -> Callable[..., Any]:
    def refuse(*args: Any) -> Any:
        raise error("the database refuses every query")

    return refuse


def test_a_mistyped_service_link_answers_the_404_page_in_romanian() -> None:
    missing = "00000000-0000-0000-0000-000000000000"
    response = Client().get(f"/ro/services/{missing}/")
    assert response.status_code == 404
    html = _is_site_page(response)
    assert '<html lang="ro"' in html
    assert "Această pagină nu a fost găsită" in html
    assert "Ieșire rapidă" in html  # the quick exit, in Romanian too
    assert missing not in html
    assert response["Content-Language"] == "ro"
    assert response["Cache-Control"] == "no-store"


def test_the_404_page_offers_a_search_of_the_directory() -> None:
    html = _is_site_page(Client().get("/bg/no-such-page/"))
    assert 'role="search"' in html and 'action="/bg/search/"' in html
    assert "Тази страница не беше намерена" in html


def test_a_page_asked_for_with_the_wrong_method_keeps_405_and_allow() -> None:
    response = Client().get(f"/de/activities/events/{uuid.uuid4()}/register/")
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "Diese Seite kann so nicht verwendet werden" in _is_site_page(response)


def test_a_request_for_an_unknown_host_answers_the_400_page() -> None:
    response = Client(HTTP_HOST="attacker.example").get("/sv/search/")
    assert response.status_code == 400
    assert "Begäran kunde inte förstås" in _is_site_page(response)
    assert "attacker.example" not in response.content.decode()


def test_a_form_without_its_csrf_token_answers_the_expired_form_page() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/es/accounts/login/", {"login": "x", "password": "y"})
    assert response.status_code == 403
    assert "Este formulario ha caducado" in _is_site_page(response)


@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize(
    ("status", "title"),
    [
        (400, "Το αίτημα δεν ήταν δυνατό να γίνει κατανοητό"),
        (403, "Δεν μπορείτε να ανοίξετε αυτή τη σελίδα"),
        (404, "Η σελίδα δεν βρέθηκε"),
        (405, "Αυτή η σελίδα δεν μπορεί να χρησιμοποιηθεί"),
        (429, "Πάρα πολλά αιτήματα"),
        (500, "Κάτι πήγε στραβά"),
        (503, "Η υπηρεσία δεν είναι προσωρινά διαθέσιμη"),
    ],
)
def test_every_error_page_is_a_page_of_the_site(status: int, title: str) -> None:
    response = Client(raise_request_exception=False).get(f"/el/error-test/{status}/")
    assert response.status_code == status
    html = _is_site_page(response)
    assert title in html
    assert '<html lang="el"' in html
    assert "112" in html


@pytest.mark.urls(ERROR_URLS)
def test_a_bare_429_keeps_its_retry_after() -> None:
    response = Client().get("/it/error-test/429/")
    assert response.status_code == 429
    assert response["Retry-After"] == "42"
    assert "Troppe richieste" in _is_site_page(response)


@pytest.mark.urls(ERROR_URLS)
@pytest.mark.parametrize("status", [400, 403, 404, 405, 429, 500, 503])
def test_the_apis_keep_answering_errors_in_json(status: int) -> None:
    response = Client(raise_request_exception=False).get(f"/api/error-test/{status}/")
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {"detail", "errors"}
    assert SECRET not in body["detail"]


def test_an_unknown_api_path_answers_json() -> None:
    response = Client().get("/api/no-such-thing/")
    assert response.status_code == 404
    assert response.json() == {"detail": "No such object.", "errors": []}


@pytest.mark.urls(ERROR_URLS)
def test_a_database_outage_in_a_view_is_a_503_logged_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.WARNING):
        response = Client().get("/ro/error-test/503/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert "Serviciul este temporar indisponibil" in _is_site_page(response)
    assert [r.levelname for r in caplog.records] == ["WARNING"]
    assert all(record.exc_info is None for record in caplog.records)
    assert "OperationalError" in caplog.records[0].getMessage()


def test_a_signed_in_caseworker_meets_a_database_outage_as_the_503_page(
    caseworker_a_client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    """The outage strikes before the view: the middleware that reads the
    session and the user meets it, and the answer is still the 503 page."""
    caseworker_a_client.raise_request_exception = False
    with (
        caplog.at_level(logging.WARNING),
        connection.execute_wrapper(_refusing(OperationalError)),
    ):
        response = caseworker_a_client.get("/en/cases/")
    assert response.status_code == 503
    assert "The service is temporarily unavailable" in _is_site_page(response)
    assert all(record.exc_info is None for record in caplog.records)


def test_a_public_page_that_fails_answers_the_500_page() -> None:
    with connection.execute_wrapper(_refusing(RuntimeError)):
        response = Client(raise_request_exception=False).get("/ro/search/?q=ajutor")
    assert response.status_code == 500
    html = _is_site_page(response)
    assert "Ceva nu a funcționat" in html
    assert "the database refuses" not in html


def test_the_500_page_renders_without_a_single_query(
    caseworker_a_client: Client,
) -> None:
    """With a signed-in session in hand, rendering the page reads neither the
    session nor the user: it renders while every query is refused."""
    request = RequestFactory().get("/bg/cases/")
    request.COOKIES.update(
        {name: morsel.value for name, morsel in caseworker_a_client.cookies.items()}
    )

    def view(request: HttpRequest) -> HttpResponse:
        return HttpResponse()

    SessionMiddleware(view).process_request(request)
    AuthenticationMiddleware(view).process_request(request)
    with connection.execute_wrapper(_refusing(OperationalError)):
        try:
            raise RuntimeError("a bug")
        except RuntimeError:
            response = server_error(request)
    assert response.status_code == 500
    assert "Нещо се обърка" in _is_site_page(response)


def test_a_page_that_writes_its_own_429_is_left_alone() -> None:
    """The registration form answers 429 with the form and its message: that
    page stays; only answers without a body get the error page."""
    own = HttpResponse("<p>the form, with its error</p>", status=429)
    middleware = ErrorPagesMiddleware(lambda request: own)
    assert middleware(RequestFactory().get("/en/activities/")) is own
