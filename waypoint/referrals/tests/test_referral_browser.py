"""A cross-border referral in Debian's Chromium: Bucharest refers a person to
an organisation in Sweden, whose caseworker works on it in Swedish."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from playwright.sync_api import expect

from waypoint.accounts.models import MemberOrganization, Role
from waypoint.accounts.testing import PASSWORD, staff_make, totp_code, totp_enable
from waypoint.cases.tests.conftest import intake
from waypoint.directory.models import Organization
from waypoint.directory.testing import member_organization_make
from waypoint.lib.browser import axe_violations, describe
from waypoint.referrals.models import Referral, Status
from waypoint.referrals.tests.conftest import consent_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def bucharest(field_keys: None) -> MemberOrganization:
    return member_organization_make("Asociația din București", country="RO")


@pytest.fixture
def stockholm(field_keys: None) -> MemberOrganization:
    return member_organization_make("Stödcentrum Stockholm", country="SE")


def _sign_in(page: Any, path: str, username: str, secret: str) -> None:
    """By field names: the labels are in the page's language."""
    page.goto(path)
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("form button[type=submit]").first.click()
    page.locator("input[name=code]").fill(totp_code(secret))
    page.locator("form button[type=submit]").first.click()


def test_a_referral_from_bucharest_is_worked_on_in_swedish_and_the_outcome_returns(
    page: Any,
    chromium: Any,
    live_server: Any,
    bucharest: MemberOrganization,
    stockholm: MemberOrganization,
) -> None:
    ioana = staff_make("ioana", bucharest, Role.CASEWORKER)
    astrid = staff_make("astrid", stockholm, Role.CASEWORKER)
    ioana_secret, astrid_secret = totp_enable(ioana), totp_enable(astrid)
    case = intake(ioana, bucharest)
    consent_for(ioana, case, stockholm)
    authority = Organization.objects.create(
        name="Brottsoffermyndigheten", description="Authority", country="SE"
    )
    _tag(authority, "compensation-deciding")

    page.set_default_timeout(30_000)  # a loaded test machine is slow to start
    # Bucharest, in English: refer the person to Stockholm.
    _sign_in(page, "/en/cases/", "ioana", ioana_secret)
    page.goto(f"/en/cases/{case.pk}/")
    page.get_by_role("link", name="Refer to another organisation").click()
    page.get_by_label("Recipient organisation").select_option(
        label="Stödcentrum Stockholm (SE)"
    )
    page.get_by_role("checkbox", name="legal counselling").check()
    respond_by = datetime.date.today() + datetime.timedelta(days=7)  # noqa: DTZ011
    page.get_by_label("Respond by").fill(respond_by.isoformat())
    page.get_by_role("checkbox", name="name and date of birth").check()
    page.get_by_role("checkbox", name="case summary").check()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("Referral sent.")).to_be_visible()
    referral = Referral.objects.get()
    assert referral.recipient == stockholm

    # Stockholm, in Swedish, in a browser of its own.
    context = chromium.new_context(
        base_url=live_server.url, locale="sv-SE", timezone_id="Europe/Stockholm"
    )
    context.set_default_timeout(30_000)
    swedish = context.new_page()
    try:
        _sign_in(swedish, "/sv/referrals/", "astrid", astrid_secret)
        swedish.get_by_role("link", name=f"R-{referral.pk}").first.click()
        expect(swedish.get_by_role("heading", level=1)).to_have_text(
            f"Hänvisning R-{referral.pk}"
        )
        assert swedish.locator("html").get_attribute("lang") == "sv"
        for text in (
            "Delade uppgifter",  # Data shared
            "namn och födelsedatum",  # the category's label
            "sammanfattning av ärendet",
            "juridisk rådgivning",  # the need
            "Förnamn",  # a field of the snapshot
            "skickad",  # the status
            "Beslutande myndighet (direktiv 2004/80/EG)",  # suggested authority
            "Brottsoffermyndigheten",
        ):
            expect(swedish.get_by_text(text, exact=True).first).to_be_visible()
        violations = axe_violations(swedish)
        assert not violations, describe(violations)

        swedish.get_by_role("button", name="Acceptera", exact=True).click()
        expect(swedish.get_by_text("accepterad", exact=True).first).to_be_visible()
        swedish.locator("textarea[name=text]").last.fill("Vi träffar henne på måndag.")
        swedish.get_by_role("button", name="Skicka meddelandet").click()
        expect(swedish.get_by_text("Vi träffar henne på måndag.")).to_be_visible()
        swedish.locator("#complete-text").fill("Juridisk rådgivning given.")
        swedish.get_by_role("button", name="Slutför", exact=True).click()
        expect(swedish.get_by_text("slutförd", exact=True).first).to_be_visible()
    finally:
        context.close()

    # Bucharest sees the outcome and the message, in English.
    page.goto(f"/en/referrals/{referral.pk}/")
    expect(page.get_by_text("completed", exact=True).first).to_be_visible()
    expect(page.get_by_text("Juridisk rådgivning given.").first).to_be_visible()
    expect(page.get_by_text("Vi träffar henne på måndag.")).to_be_visible()
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED
    assert page.foreign_requests == []


def _tag(organization: Organization, role: str) -> None:
    from waypoint.directory.models import Attribute
    from waypoint.directory.taxonomies import taxonomies_sync, term_id
    from waypoint.directory.taxonomy_data import AUTHORITY_ROLE

    taxonomies_sync()
    Attribute.objects.create(
        link_entity="organization",
        link_id=organization.pk,
        taxonomy_term_id=term_id(AUTHORITY_ROLE, role),
    )
