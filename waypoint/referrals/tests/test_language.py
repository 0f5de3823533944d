"""The recipient of a cross-border referral reads it in their own language:
the pages in the language they chose, the email in the language they last
used, whatever the sender's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation

from waypoint.accounts.models import MemberOrganization, User
from waypoint.cases.models import Case
from waypoint.referrals.models import Referral
from waypoint.referrals.tests.conftest import send

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """Requests under /sv/ leave Swedish active in the test's thread."""
    yield
    translation.deactivate()


def test_the_language_chosen_on_the_pages_sticks_to_the_account(
    caseworker_b: User, caseworker_b_client: Client
) -> None:
    assert caseworker_b.language == ""
    caseworker_b_client.get("/sv/referrals/")
    caseworker_b.refresh_from_db()
    assert caseworker_b.language == "sv"
    caseworker_b_client.get("/de/referrals/")
    caseworker_b.refresh_from_db()
    assert caseworker_b.language == "de"


def test_the_email_about_a_referral_uses_each_recipients_language(
    case_a: Case,
    caseworker_a: User,
    caseworker_b: User,
    supervisor_b: User,
    org_b: MemberOrganization,
    consent_b: object,
    django_capture_on_commit_callbacks: Any,
) -> None:
    User.objects.filter(pk=caseworker_b.pk).update(language="sv")
    mail.outbox.clear()
    with (
        translation.override("ro"),  # the sender works in Romanian
        django_capture_on_commit_callbacks(execute=True),
    ):
        referral = send(caseworker_a, case_a, org_b)
    by_address = {message.to[0]: message for message in mail.outbox}
    swedish = by_address[caseworker_b.email]
    assert swedish.subject == "Waypoint: en hänvisning till dig"
    assert f"/sv/referrals/{referral.pk}/" in swedish.body
    default = by_address[supervisor_b.email]  # no language chosen yet
    assert default.subject == "Waypoint: a referral for you"
    assert f"/en/referrals/{referral.pk}/" in default.body


def test_the_referral_page_labels_follow_the_readers_language(
    referral: Referral, caseworker_b_client: Client
) -> None:
    with translation.override("sv"):
        url = reverse("referrals:detail", kwargs={"pk": referral.pk})
    page = caseworker_b_client.get(url).content.decode()
    for swedish in (
        "Delade uppgifter",
        "namn och födelsedatum",
        "sammanfattning av ärendet",
        "juridisk rådgivning",
        "Förnamn",
        "skickad",
        "Nästa steg",
    ):
        assert swedish in page, swedish
    assert "Data shared" not in page and "legal counselling" not in page
