"""A person looking for help, walked through in Debian's Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from waypoint.directory.testing import service_make
from waypoint.lib.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EXIT_PAGE = "<!doctype html><html lang='en'><title>Neutral</title><p>Weather</p>"


def _directory() -> None:
    service_make(
        name="Consiliere juridică",
        org_name="Asociația Pro Refugiu",
        city="Brașov",
        language="ro",
        translations={"en": {"name": "Legal counselling"}},
        types=["legal-counselling"],
        targets=["thb"],
        languages=["ro", "en"],
        free=True,
        phone="+40268000000",
    )
    service_make(
        name="Shelter",
        city="Brașov",
        types=["shelter"],
        targets=["women-violence"],
        free=False,
    )
    service_make(name="Kvinnojour", city="Malmö", country="SE", types=["shelter"])


def test_a_person_searches_filters_opens_a_service_switches_language_and_exits(
    page: Any,
) -> None:
    _directory()
    page.route(
        settings.QUICK_EXIT_URL + "**",
        lambda route: route.fulfill(
            status=200, body=EXIT_PAGE, content_type="text/html"
        ),
    )
    page.goto("/en/search/")
    page.get_by_label("What are you looking for?").fill("brasov")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("2 services found")).to_be_visible()

    page.get_by_text("Distance and filters", exact=True).click()
    page.get_by_role("checkbox", name="Free of charge").check()
    expect(page.get_by_text("1 service found")).to_be_visible()
    assert "free=" in page.url

    page.get_by_role("link", name="Legal counselling").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Legal counselling")
    expect(page.get_by_role("link", name="+40 268 000 000")).to_have_attribute(
        "href", "tel:+40268000000"
    )

    page.get_by_role("link", name="Română").click()
    expect(page.locator("html")).to_have_attribute("lang", "ro")
    assert "/ro/services/" in page.url
    # The listing's own language is Romanian: its Romanian name is shown.
    expect(page.get_by_role("heading", level=1)).to_have_text("Consiliere juridică")

    service_url = page.url
    page.keyboard.press("Tab")  # the skip link, then onwards: keyboard works
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(settings.QUICK_EXIT_URL + "**")
    expect(page.locator("body")).to_contain_text("Weather")
    page.go_back()
    # The page where quick exit was pressed is no longer in the history.
    assert page.url != service_url
    assert page.foreign_requests == []


def test_escape_twice_is_a_quick_exit(page: Any) -> None:
    page.route(
        settings.QUICK_EXIT_URL + "**",
        lambda route: route.fulfill(
            status=200, body=EXIT_PAGE, content_type="text/html"
        ),
    )
    page.goto("/en/search/")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    page.wait_for_url(settings.QUICK_EXIT_URL + "**")


@pytest.mark.parametrize("language", [code for code, _ in settings.LANGUAGES])
def test_the_search_page_passes_axe_in_every_language(page: Any, language: str) -> None:
    """Results, filters with counts and an error, audited in each language."""
    _directory()
    page.goto(f"/{language}/search/?q=brasov&country=ZZ")
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.locator("details").first.evaluate("d => d.open = true")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.foreign_requests == []
