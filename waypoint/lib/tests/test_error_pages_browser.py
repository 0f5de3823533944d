"""The error pages in Debian's Chromium, in English, Romanian and Bulgarian.

Each of them (400, 403, 404, 405, 429, 500, 503) is a page of the site: its
heading in the person's language, the quick exit that works, and no finding
of axe. Nothing is fetched from another host.
"""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from playwright.sync_api import expect

from waypoint.lib.browser import axe_violations, describe

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("waypoint.lib.tests.urls_errors"),
]

HEADINGS = {
    "en": {
        400: "The request could not be understood",
        403: "You cannot open this page",
        404: "This page was not found",
        405: "This page cannot be used this way",
        429: "Too many requests",
        500: "Something went wrong",
        503: "The service is temporarily unavailable",
    },
    "ro": {
        400: "Cererea nu a putut fi înțeleasă",
        403: "Nu puteți deschide această pagină",
        404: "Această pagină nu a fost găsită",
        405: "Această pagină nu poate fi folosită astfel",
        429: "Prea multe cereri",
        500: "Ceva nu a funcționat",
        503: "Serviciul este temporar indisponibil",
    },
    "bg": {
        400: "Заявката не може да бъде разбрана",
        403: "Не можете да отворите тази страница",
        404: "Тази страница не беше намерена",
        405: "Тази страница не може да се използва по този начин",
        429: "Твърде много заявки",
        500: "Нещо се обърка",
        503: "Услугата е временно недостъпна",
    },
}


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_every_error_page_is_a_page_of_the_site_in_the_language(
    page: Any, language: str
) -> None:
    for status, heading in HEADINGS[language].items():
        response = page.goto(f"/{language}/error-test/{status}/")
        assert response.status == status
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(page.locator("[data-quick-exit]")).to_be_visible()
        expect(page.get_by_role("main")).not_to_contain_text("/srv/waypoint")
        violations = axe_violations(page)
        assert violations == [], f"{status} in {language}:\n{describe(violations)}"
    assert page.foreign_requests == []


@pytest.mark.parametrize("language", sorted(HEADINGS))
def test_the_quick_exit_leaves_a_mistyped_service_link(
    page: Any, language: str
) -> None:
    page.route(
        settings.QUICK_EXIT_URL + "**",
        lambda route: route.fulfill(
            status=200, body="<title>Elsewhere</title>", content_type="text/html"
        ),
    )
    missing = f"/{language}/services/00000000-0000-0000-0000-000000000000/"
    response = page.goto(missing)
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text(HEADINGS[language][404])
    page.locator("[data-quick-exit]").click()
    page.wait_for_url(settings.QUICK_EXIT_URL + "**")
    page.go_back()
    # The error page where the quick exit was pressed is not in the history.
    assert not page.url.endswith(missing)


def test_the_404_page_searches_the_directory(page: Any) -> None:
    page.goto("/ro/no-such-page/")
    page.get_by_role("searchbox").fill("consiliere")
    page.get_by_role("searchbox").press("Enter")
    page.wait_for_url("**/ro/search/?q=consiliere")
    expect(page.locator("html")).to_have_attribute("lang", "ro")
