"""The public search page: text, filters, counts, pages, errors, htmx, queries."""

from __future__ import annotations

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from waypoint.directory.models import Service
from waypoint.directory.testing import service_make

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_city_cache() -> None:
    # The city list is cached across requests; each test builds its own cities.
    cache.clear()


def _url() -> str:
    with translation.override("en"):
        return reverse("directory:search")


def _names(html: str) -> list[str]:
    return re.findall(r'<h3 class="result-card__title"[^>]*><a [^>]*>([^<]+)</a>', html)


def _get(client: Client, **params: str | int) -> tuple[int, str]:
    response = client.get(_url(), params)
    return response.status_code, response.content.decode()


@pytest.mark.parametrize(
    ("typed", "city", "country"),
    [
        ("brasov", "Brașov", "RO"),
        ("malmo", "Malmö", "SE"),
        ("sofia", "София", "BG"),
        ("athina", "Αθήνα", "GR"),
    ],
)
def test_free_text_finds_a_city_whatever_its_script_or_diacritics(
    client: Client, typed: str, city: str, country: str
) -> None:
    """Plain typing finds a city written with diacritics or in another script."""
    service_make(name="Counselling centre", city=city, country=country)
    service_make(name="Elsewhere", city="Roma", country="IT")
    status, html = _get(client, q=typed)
    assert status == 200
    assert _names(html) == ["Counselling centre"]
    assert "1 service found" in html


def test_each_filter_narrows_the_results(client: Client) -> None:
    """Country, city, region, type, target, language and free each narrow."""
    service_make(
        name="Alpha", types=["shelter"], targets=["thb"], languages=["ro"], free=True
    )
    service_make(name="Beta", types=["hotline"], targets=["children"], languages=["en"])
    service_make(
        name="Gamma", country="BG", city="Варна", types=["shelter"], free=False
    )
    assert len(_names(_get(client)[1])) == 3
    assert _names(_get(client, country="BG")[1]) == ["Gamma"]
    assert _names(_get(client, city="Варна")[1]) == ["Gamma"]
    assert _names(_get(client, region="Варна")[1]) == ["Gamma"]
    assert sorted(_names(_get(client, type="shelter")[1])) == ["Alpha", "Gamma"]
    assert _names(_get(client, type="shelter", target="thb")[1]) == ["Alpha"]
    assert _names(_get(client, lang="en")[1]) == ["Beta"]
    assert _names(_get(client, free="on")[1]) == ["Alpha"]


def test_an_empty_choice_is_no_filter_not_an_error(client: Client) -> None:
    """A reset filter arrives as ``?type=``: all services, no error."""
    service_make(name="Alpha", types=["shelter"], free=True)
    service_make(name="Beta", types=["hotline"], free=True)
    response = client.get(_url() + "?type=&target=&lang=&free=1")
    assert response.status_code == 200
    assert sorted(_names(response.content.decode())) == ["Alpha", "Beta"]
    # An empty choice beside a real one keeps the real one.
    response = client.get(_url() + "?type=&type=shelter")
    assert _names(response.content.decode()) == ["Alpha"]


def test_counts_are_shown_for_the_results_and_each_filter_value(client: Client) -> None:
    """The page says how many services it found and how many per filter value."""
    service_make(name="Alpha", types=["shelter"], languages=["ro"])
    service_make(name="Beta", types=["shelter"], languages=["ro", "en"])
    service_make(name="Gamma", types=["hotline"])
    status, html = _get(client)
    assert status == 200
    assert "3 services found" in html
    assert 'id="count-f-type-shelter">2<' in html
    assert 'id="count-f-type-hotline">1<' in html
    assert 'id="count-f-lang-ro">2<' in html
    assert "Romania (3)" in html
    assert 'aria-live="polite"' in html


def test_results_are_paginated_with_the_current_page_marked(
    client: Client, settings: object
) -> None:
    """Past one page of results: numbered pages and next/previous links."""
    settings.SEARCH_PAGE_SIZE = 2  # type: ignore[attr-defined]
    for letter in "ABCDE":
        service_make(name=f"Service {letter}")
    status, html = _get(client)
    assert _names(html) == ["Service A", "Service B"]
    assert 'rel="next"' in html
    assert 'rel="prev"' not in html
    status, html = _get(client, page=3)
    assert status == 200
    assert _names(html) == ["Service E"]
    assert re.search(r'href="\?page=3" aria-current="page"', html)
    assert 'rel="prev"' in html
    assert 'rel="next"' not in html


def test_the_search_is_kept_in_the_page_links(client: Client, settings: object) -> None:
    """Pages of a filtered search keep the filters: the URL can be shared."""
    settings.SEARCH_PAGE_SIZE = 1  # type: ignore[attr-defined]
    service_make(name="One", types=["shelter"])
    service_make(name="Two", types=["shelter"])
    _status, html = _get(client, type="shelter", q="")
    assert 'href="?type=shelter&amp;page=2"' in html


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"country": "XX"}, "Country"),
        ({"page": "abc"}, "Page"),
        ({"page": "0"}, "Page"),
        ({"lat": "91", "lon": "10"}, "Your location (latitude)"),
        ({"lat": "45"}, "Your location (longitude)"),
        ({"type": "no-such-type"}, "Type of help"),
        ({"lang": "xx"}, "Languages spoken"),
        ({"near": "RO:Nowhere"}, "Sort by distance from"),
    ],
)
def test_an_invalid_value_answers_400_naming_the_field(
    client: Client, params: dict[str, str], field: str
) -> None:
    """The page still renders, with an alert naming the field and the problem."""
    service_make(name="Alpha")
    status, html = _get(client, **params)
    assert status == 400
    alert = re.search(r'<div class="error-summary" role="alert".*?</div>', html, re.S)
    assert alert is not None
    assert f"{field}: " in alert.group(0)
    # The rest of the search still works.
    assert _names(html) == ["Alpha"]


def test_an_invalid_field_is_linked_to_its_error(client: Client) -> None:
    """The invalid control points at its message with aria-describedby."""
    status, html = _get(client, country="XX")
    assert status == 400
    assert (
        'id="id_country" aria-invalid="true" aria-describedby="error-country"' in html
    )
    assert 'id="error-country"' in html


def test_an_htmx_request_gets_only_the_results(client: Client) -> None:
    """htmx swaps the results region; the count and filter counts come out of band."""
    service_make(name="Alpha", types=["shelter"])
    response = client.get(_url(), {"q": "alpha"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "<form" not in html
    assert _names(html) == ["Alpha"]
    assert 'id="search-status" hx-swap-oob="innerHTML"' in html
    assert 'id="count-f-type-shelter" hx-swap-oob="true">1<' in html
    assert "HX-Request" in response["Vary"]


def test_an_htmx_history_restore_gets_the_whole_page(client: Client) -> None:
    """Going back after htmx navigation rebuilds the whole page."""
    response = client.get(
        _url(),
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in response.content.decode()


def test_the_page_works_as_a_plain_form_and_as_htmx(client: Client) -> None:
    """A GET form for browsers without JavaScript, with htmx attributes on top."""
    _status, html = _get(client)
    form = re.search(r"<form [^>]*>", html, re.S)
    assert form is not None
    tag = form.group(0)
    assert 'method="get"' in tag
    assert 'hx-get="/en/search/"' in tag
    assert 'hx-target="#search-results"' in tag
    assert 'hx-push-url="true"' in tag
    assert 'hx-trigger="change, submit"' in tag


def test_the_title_never_contains_the_query_and_robots_are_told_not_to_index(
    client: Client,
) -> None:
    """What a person searched for stays out of the title (and thus history lists)."""
    _status, html = _get(client, q="trafficking shelter")
    title = re.search(r"<title>(.*?)</title>", html, re.S)
    assert title is not None
    assert "trafficking" not in title.group(1)
    assert title.group(1).strip().startswith("Search")
    assert '<meta name="robots" content="noindex">' in html


def test_sorting_by_distance_shows_distances_nearest_first(client: Client) -> None:
    """A city or the browser's position sorts by distance and shows kilometres."""
    service_make(name="Far", city="Cluj-Napoca", latitude=46.77, longitude=23.59)
    service_make(name="Near", city="Ploiești", latitude=44.94, longitude=26.01)
    status, html = _get(client, near="RO:Ploiești")
    assert status == 200
    assert _names(html) == ["Near", "Far"]
    assert "km away" in html
    status, html = _get(client, lat="46.7712345", lon="23.6")
    assert _names(html) == ["Far", "Near"]
    # The position is rounded before it is used or echoed back in the form
    # (the browser script rounds it before it is even sent).
    assert 'name="lat" value="46.77"' in html
    assert 'value="46.7712345"' not in html


def test_open_now_and_free_filters_are_offered(client: Client) -> None:
    """Both checkboxes exist and an unknown value is not an error."""
    service_make(name="Alpha", free=True)
    status, html = _get(client, free="on", open="on")
    assert status == 200
    assert 'name="free"' in html
    assert 'name="open"' in html


def _queries(client: Client) -> int:
    client.get(_url(), {"q": "help"})  # warm the city cache
    with CaptureQueriesContext(connection) as captured:
        response = client.get(
            _url(), {"q": "help", "type": "shelter", "near": "RO:București"}
        )
    assert response.status_code == 200
    return len(captured.captured_queries)


def test_the_search_runs_a_constant_number_of_queries(
    client: Client, settings: object
) -> None:
    """3 results or 30 results: the same number of SQL queries."""
    settings.SEARCH_PAGE_SIZE = 50  # type: ignore[attr-defined]
    for i in range(3):
        service_make(
            name=f"Help {i}",
            types=["shelter"],
            languages=["ro", "en"],
            free=True,
            phone="+40211234567",
        )
    small = _queries(client)
    for i in range(3, 30):
        service_make(
            name=f"Help {i}",
            types=["shelter"],
            languages=["ro", "en"],
            free=True,
            phone="+40211234567",
        )
    cache.clear()
    large = _queries(client)
    assert Service.objects.count() == 30
    assert small == large, (small, large)


def test_pages_load_nothing_from_other_hosts(client: Client) -> None:
    """A CSP is sent and the only outside address is the quick-exit link."""
    service_make(name="Alpha", phone="+40211234567")
    response = client.get(_url())
    assert "default-src 'self'" in response["Content-Security-Policy"]
    html = response.content.decode()
    outside = re.findall(r"https?://[^\"'\s<>]+", html)
    assert set(outside) <= {"https://www.wikipedia.org/"}
    assert " style=" not in html
    assert "<style" not in html


def test_an_htmx_request_with_an_invalid_value_gets_the_alert_and_400(
    client: Client,
) -> None:
    """The partial carries the alert too; htmx is configured to swap a 400."""
    service_make(name="Alpha")
    response = client.get(_url(), {"country": "XX"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 400
    assert 'role="alert"' in html
    assert "Country: " in html
    assert "<html" not in html
    assert _names(html) == ["Alpha"]


def test_the_location_button_explains_that_nothing_is_stored(client: Client) -> None:
    """The button is shown by the script only; the page says what happens."""
    _status, html = _get(client)
    assert re.search(r"<button [^>]*data-use-location[^>]*hidden", html, re.S)
    assert "It is not stored." in html
    assert "/static/waypoint/search.js" in html


def test_distance_sorting_offers_cities_of_locations_without_a_street_address(
    client: Client,
) -> None:
    """A location known only to its city (named after it) gives a city to sort by."""
    service = service_make(name="Alpha", city="Cluj-Napoca", country="RO")
    location = service.service_at_locations.get().location
    location.addresses.all().delete()
    location.name = "Cluj-Napoca"
    location.save()
    service_make(name="Beta", city="Iași", country="RO")
    status, html = _get(client)
    assert status == 200
    assert '<option value="RO:Cluj-Napoca">Cluj-Napoca</option>' in html
    assert '<option value="RO:Iași">Iași</option>' in html
    status, html = _get(client, near="RO:Cluj-Napoca")
    assert status == 200
    assert "nearest first" in html
