"""An event from its creation to the annual report, in Debian's Chromium: a
coordinator creates a training and opens registration, a professional
registers on the public page, the coordinator marks the attendance and
issues the certificate, and the year's report counts the participant.
Axe audits the registration and the participants pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.accounts.testing import PASSWORD, staff_make, totp_code, totp_enable
from waypoint.activities.models import AnnualReport, Event, Registration
from waypoint.directory.testing import member_organization_make
from waypoint.lib.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organization(field_keys: None) -> MemberOrganization:
    return member_organization_make("Centre for Victim Support", country="RO")


@pytest.fixture
def coordinator(organization: MemberOrganization) -> User:
    return staff_make("elena", organization, Role.EVENT_COORDINATOR)


def _sign_in(page: Any, path: str, username: str, secret: str) -> None:
    page.goto(path)
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()


def _assert_accessible(page: Any) -> None:
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_training_from_registration_to_the_annual_report(
    page: Any,
    chromium: Any,
    live_server: Any,
    coordinator: User,
    organization: MemberOrganization,
) -> None:
    today = timezone.localdate()
    AnnualReport.objects.create(
        organization=organization.organization, year=today.year, language="en"
    )
    secret = totp_enable(coordinator)

    # The coordinator creates the training through the staff pages.
    _sign_in(page, "/en/activities/manage/events/new/", "elena", secret)
    expect(page.get_by_role("heading", level=1)).to_contain_text("event")
    # The staff form's fields, by their ids (its labels end with a colon).
    page.locator("#id_type").select_option("training")
    page.locator("#id_title").fill("Training on referral pathways")
    page.locator("#id_start_date").fill(today.isoformat())
    page.locator("#id_city").fill("Bucharest")
    page.locator("#id_country").select_option("RO")
    page.locator("#id_organiser").select_option(str(organization.organization.pk))
    page.get_by_role("button", name="Save", exact=True).click()
    event = Event.objects.get(title="Training on referral pathways")
    assert event.organiser_id == organization.organization.pk

    # ... and opens registration from the participants page.
    page.goto(f"/en/activities/events/{event.pk}/")
    page.get_by_role("link", name="Participants and attendance").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Participants")
    page.get_by_label("Registration is open").check()
    page.get_by_label("Places").fill("12")
    page.get_by_role("button", name="Save the registration settings").click()
    expect(page.get_by_text("Registration settings saved.")).to_be_visible()

    # A professional registers on the public page (another browser).
    context = chromium.new_context(base_url=live_server.url, locale="en-GB")
    foreign: list[str] = []

    def _route(route: Any) -> None:
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            foreign.append(route.request.url)
            route.fulfill(status=204, body="")

    context.route("**/*", _route)
    public = context.new_page()
    public.goto(f"/en/activities/events/{event.pk}/")
    expect(public.get_by_text("12 places left.")).to_be_visible()
    _assert_accessible(public)
    public.get_by_role("button", name="Register").click()
    expect(public.get_by_role("alert")).to_contain_text("Full name")
    _assert_accessible(public)
    public.get_by_role("textbox", name="Full name").fill("Ioana Marin")
    public.get_by_role("textbox", name="Email address").fill("ioana@example.org")
    public.get_by_role("textbox", name="Institution or organisation").fill(
        "Prosecutor's office"
    )
    public.get_by_role("combobox", name="Type of institution").select_option(
        "prosecution"
    )
    public.get_by_role("combobox", name="Profession").select_option("prosecutor")
    public.get_by_role("combobox", name="Country where you work").select_option("RO")
    public.get_by_label("I agree that the organiser keeps").check()
    public.get_by_role("button", name="Register").click()
    expect(public.get_by_role("status")).to_contain_text("your place is confirmed")
    context.close()
    registration = Registration.objects.get(event=event)
    assert registration.status == Registration.Status.CONFIRMED

    # The coordinator marks her present (htmx swaps the row) and issues the
    # certificate.
    page.goto(f"/en/activities/events/{event.pk}/participants/")
    row = page.locator(f"#registration-{registration.pk}")
    expect(row).to_contain_text("Ioana Marin")
    _assert_accessible(page)
    row.get_by_role("button", name="Mark present").click()
    expect(row.get_by_role("button", name="Mark absent")).to_be_visible()
    expect(page.locator("#participants-summary [data-attended]")).to_have_text("1")
    page.get_by_role("button", name="Issue 1 certificate").click()
    expect(page.get_by_text("1 certificate issued")).to_be_visible()
    with page.expect_download() as download:
        page.locator(f"#registration-{registration.pk}").get_by_role(
            "link", name="Download"
        ).click()
    assert download.value.suggested_filename.endswith(".pdf")
    _assert_accessible(page)

    # The year's activity report shows the training with its participant.
    page.goto(f"/en/activities/reports/{today.year}/{organization.organization.pk}/")
    report_row = page.locator(f'tr[data-event="{event.pk}"]')
    expect(report_row).to_contain_text("Training on referral pathways")
    expect(report_row.locator(".report-events__count")).to_have_text("1")
    expect(report_row).to_contain_text("prosecutors")
    assert page.foreign_requests == []
    assert foreign == []
