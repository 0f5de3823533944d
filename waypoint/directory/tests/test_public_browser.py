"""The public pages in a real browser: accessibility, htmx, nothing from elsewhere."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from playwright.sync_api import expect

from waypoint.directory.testing import service_make
from waypoint.lib.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _directory() -> Any:
    service = service_make(
        name="Shelter for women",
        description="A safe place.",
        types=["shelter"],
        targets=["women-violence"],
        languages=["ro", "en"],
        free=True,
        hours=("MO,TU,WE,TH,FR", dt.time(9), dt.time(17)),
        phone="+40211234567",
    )
    service_make(
        name="Hotline",
        types=["hotline"],
        city="Brașov",
        latitude=45.6427,
        longitude=25.5887,
        phone="+40268000000",
    )
    service_make(
        name="Правна помощ",
        city="София",
        country="BG",
        language="bg",
        latitude=42.6977,
        longitude=23.3219,
    )
    return service


def _errors(page: Any) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    return errors


@pytest.mark.parametrize("path", ["search", "service", "card", "organization"])
def test_public_pages_pass_axe_and_load_nothing_from_elsewhere(
    page: Any, path: str
) -> None:
    """WCAG 2.2 A/AA checks by axe-core; no CSP violations, no foreign requests."""
    service = _directory()
    errors = _errors(page)
    url = {
        "search": "/en/search/?q=shelter",
        "service": f"/en/services/{service.pk}/",
        "card": f"/en/services/{service.pk}/card/",
        "organization": f"/en/organizations/{service.organization_id}/",
    }[path]
    page.goto(url)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.foreign_requests == []
    assert errors == []


def test_filters_update_the_results_in_place_and_the_address(page: Any) -> None:
    """Ticking a filter swaps the results, announces the count and updates the URL."""
    _directory()
    errors = _errors(page)
    page.goto("/en/search/")
    expect(page.locator("#search-status")).to_contain_text("3 services found")
    page.locator(".filters > summary").click()
    page.locator("#f-type-hotline").check()
    expect(page.locator("#search-status")).to_contain_text("1 service found")
    assert page.locator(".result-card__title").all_inner_texts() == ["Hotline"]
    assert "type=hotline" in page.url
    # The filter counts follow the results.
    assert page.locator("#count-f-type-shelter").inner_text() == "0"
    assert errors == []


def test_an_invalid_value_shows_its_error_with_htmx_too(page: Any) -> None:
    """A 400 answer to an htmx request is swapped in, so its alert is read out."""
    _directory()
    page.goto("/en/search/")

    def _tamper(route: Any) -> None:
        if route.request.headers.get("hx-request"):
            route.continue_(url=route.request.url + "&lat=91&lon=10")
        else:
            route.continue_()

    page.route("**/en/search/?*", _tamper)
    page.locator(".filters > summary").click()
    page.locator("#f-type-hotline").check()
    alert = page.locator(".error-summary[role=alert]")
    expect(alert).to_contain_text("Your location (latitude):")
    assert page.locator(".result-card__title").all_inner_texts() == ["Hotline"]


def test_the_print_button_appears_with_javascript(page: Any) -> None:
    service = _directory()
    page.goto(f"/en/services/{service.pk}/card/")
    assert page.locator("[data-print]").is_visible()


def test_my_location_sorts_by_distance_once_asked(page: Any) -> None:
    """Only after the button is pressed; the position is sent rounded."""
    _directory()
    page.context.grant_permissions(["geolocation"])
    page.context.set_geolocation({"latitude": 45.651234, "longitude": 25.601234})
    page.goto("/en/search/")
    assert "lat=" not in page.url
    page.locator(".filters > summary").click()  # the distance folds with the filters
    page.get_by_role("button", name="Use my location").click()
    expect(page.locator("#search-status")).to_contain_text("nearest first")
    titles = page.locator(".result-card__title").all_inner_texts()
    assert titles == ["Hotline", "Shelter for women", "Правна помощ"]
    assert "lat=45.65" in page.url
    assert "lon=25.60" in page.url
    assert "45.6512" not in page.url
