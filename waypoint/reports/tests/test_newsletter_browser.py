"""The newsletter page in Debian's Chromium: axe-core finds no violation in
the choice form or in the 2018 newsletter, in English and Greek, and nothing
is loaded from another host."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from waypoint.lib.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("lang", ["en", "el"])
def test_the_newsletter_page_passes_axe(page: Any, demo: None, lang: str) -> None:
    response = page.goto(f"/{lang}/reports/newsletter/")
    assert response.status == 200
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    page.locator("#id_start").fill("2018-01-01")
    page.locator("#id_end").fill("2018-12-31")
    page.locator("form.newsletter-form button[type=submit]").click()
    expect(page.locator("h5", has_text="Local Conference in Sofia")).to_be_visible()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.foreign_requests == []
