"""A caseworker's day with a case, in Debian's Chromium; and axe audits."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.accounts.testing import (
    PASSWORD,
    login_with_second_factor,
    staff_make,
    totp_code,
    totp_enable,
)
from waypoint.cases.models import (
    AssistanceSession,
    Case,
    CaseStatus,
    Identification,
    NeedsAssessment,
)
from waypoint.cases.services import (
    document_add,
    note_add,
    proceeding_record,
    task_create,
)
from waypoint.cases.tests.conftest import intake
from waypoint.directory.models import Organization
from waypoint.directory.testing import member_organization_make
from waypoint.lib.browser import axe_violations, describe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def organization(field_keys: None) -> MemberOrganization:
    return member_organization_make("Organisation A", country="RO")


@pytest.fixture
def caseworker(organization: MemberOrganization) -> User:
    return staff_make("maria", organization, Role.CASEWORKER)


def _sign_in(page: Any, username: str, secret: str) -> None:
    page.goto("/en/cases/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your code")
    page.get_by_label("Code").fill(totp_code(secret))
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My cases")


def test_a_caseworker_signs_in_with_a_code_records_the_work_and_closes_the_case(
    page: Any, caseworker: User, organization: MemberOrganization, live_server: Any
) -> None:
    """Password, then the code from the authenticator app; the case is opened
    from the list, identification, assessment and session are recorded, and
    the case is closed."""
    secret = totp_enable(caseworker)
    case = intake(caseworker, organization)
    _sign_in(page, "maria", secret)

    page.get_by_role("link", name=case.code).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Case {case.code}")
    assert "Zamfiraqueen" not in page.title()
    today = datetime.date.today().isoformat()  # noqa: DTZ011 (a form date)

    page.get_by_role("link", name="Record an identification").click()
    page.get_by_label("Identification status").select_option("presumed")
    page.get_by_label("Date of the status").fill(today)
    page.locator('input[value="dr-job"]').check()
    page.locator('input[value="cd-documents"]').check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Identification: presumed victim")).to_be_visible()

    page.get_by_role("link", name="Record a needs assessment").click()
    page.get_by_label("Assessed on").fill(today)
    page.get_by_role("checkbox", name="risk of intimidation").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Individual needs assessment").first).to_be_visible()

    page.get_by_role("link", name="Record an assistance session").click()
    page.get_by_label("Type of assistance").select_option("legal_counselling")
    page.get_by_label("Date").fill(today)
    page.get_by_label("Duration (minutes)").fill("45")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("legal counselling, 45 minutes")).to_be_visible()

    page.get_by_role("link", name="Close the case").click()
    page.get_by_label("Reason for closing").select_option("goals_met")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("button", name="Reopen the case")).to_be_visible()

    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    assert Identification.objects.get(case=case).answers.count() == 2
    assert NeedsAssessment.objects.filter(case=case).count() == 1
    assert AssistanceSession.objects.get(case=case).duration_minutes == 45
    assert page.foreign_requests == []


def _case_with_everything(
    caseworker: User, organization: MemberOrganization, settings: Any, tmp: Any
) -> Case:
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp
    case = intake(caseworker, organization)
    day = datetime.date(2026, 5, 4)
    note_add(actor=caseworker, case=case, text="A note")
    task_create(
        actor=caseworker, case=case, title="Call back", due_on=day, assignee=caseworker
    )
    document_add(
        actor=caseworker,
        case=case,
        kind="other",
        title="Scan",
        upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n..."),
    )
    proceeding_record(
        actor=caseworker,
        case=case,
        kind="criminal",
        authority=Organization.objects.create(name="Tribunalul", description="c"),
        stage="trial",
        person_role="witness",
        started_on=day,
        case_number="12/3/2026",
    )
    return case


def _signed_in(page: Any, caseworker: User, base_url: str) -> None:
    """Carry a test client's signed-in session (code proven) to the browser."""
    from django.conf import settings
    from django.test import Client

    client = login_with_second_factor(Client(), caseworker)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": base_url}]
    )


@pytest.mark.parametrize("where", ["home", "case"])
def test_the_case_home_and_the_case_page_pass_axe(
    page: Any,
    caseworker: User,
    organization: MemberOrganization,
    settings: Any,
    tmp_path: Any,
    where: str,
    live_server: Any,
) -> None:
    """No WCAG 2.2 A/AA or best-practice violations, with every section filled."""
    case = _case_with_everything(caseworker, organization, settings, tmp_path)
    _signed_in(page, caseworker, live_server.url)
    page.goto("/en/cases/" if where == "home" else f"/en/cases/{case.pk}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.url.endswith("/en/cases/" if where == "home" else f"/{case.pk}/")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    assert page.foreign_requests == []


def test_a_form_posted_by_the_browser_passes_the_origin_check(
    page: Any, caseworker: User
) -> None:
    """The sign-in form, posted by Chromium as it is, reaches the code step."""
    totp_enable(caseworker)
    page.goto("/en/accounts/login/")
    page.get_by_label("Username or email address").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter your code", timeout=3000
    )
