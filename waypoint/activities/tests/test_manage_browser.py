"""The activities staff pages in Debian's Chromium: a coordinator signs in,
opens the new-event form, sends it empty and is led to each problem; axe-core
finds no violation, before or after, and nothing comes from another host."""

from __future__ import annotations

from typing import Any

import pytest
from playwright.sync_api import expect

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.accounts.testing import PASSWORD, staff_make, totp_code, totp_enable
from waypoint.directory.testing import member_organization_make
from waypoint.lib.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organization(field_keys: None) -> MemberOrganization:
    return member_organization_make("Centre for Victim Support", country="RO")


@pytest.fixture
def coordinator(organization: MemberOrganization) -> User:
    return staff_make("mara", organization, Role.EVENT_COORDINATOR)


def test_the_event_form_passes_axe_and_names_each_problem(
    page: Any, coordinator: User
) -> None:
    secret = totp_enable(coordinator)
    page.goto("/en/activities/manage/events/new/")
    page.get_by_label("Username or email address").fill("mara")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("New event")
    violations = axe_violations(page)
    assert violations == [], describe(violations)

    page.get_by_role("button", name="Save", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Title: This field is required.")
    expect(summary).to_contain_text("City: Give the city or the venue")
    summary.get_by_role("link", name="Title: This field is required.").click()
    expect(page.locator("#id_title")).to_be_focused()
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.foreign_requests == []

    # The site navigation leads back to the staff pages.
    page.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Manage activities"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Manage activities")
