"""The recipient country's authorities, suggested on the referral page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from waypoint.directory.models import Attribute, Organization
from waypoint.directory.taxonomies import taxonomies_sync, term_id
from waypoint.directory.taxonomy_data import AUTHORITY_ROLE
from waypoint.referrals.authorities import authorities_suggested
from waypoint.referrals.models import Referral


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """Requests in Swedish leave Swedish active in the test's thread."""
    yield
    translation.deactivate()


def _authority(name: str, country: str, *roles: str) -> Organization:
    organization = Organization.objects.create(
        name=name, description=name, country=country
    )
    for role in roles:
        Attribute.objects.create(
            link_entity="organization",
            link_id=organization.pk,
            taxonomy_term_id=term_id(AUTHORITY_ROLE, role),
        )
    return organization


@pytest.fixture
def german_authorities(db: None) -> None:
    """Organisation B, the recipient, is in Germany; A, the sender, in Romania."""
    taxonomies_sync()
    _authority("Bundeskriminalamt", "DE", "nrm-coordinator")
    _authority(
        "Versorgungsamt", "DE", "compensation-assisting", "compensation-deciding"
    )
    _authority("Agenția Națională", "RO", "nrm-coordinator")
    _authority("Landgericht", "DE")  # no role


def test_the_recipients_countrys_authorities_are_suggested_by_role(
    referral: Referral, german_authorities: None
) -> None:
    with translation.override("en"):
        suggestions = authorities_suggested(referral=referral)
    assert suggestions.country == "DE"
    assert suggestions.country_label == "Germany"
    assert [
        (group.role, [a.name for a in group.authorities])
        for group in suggestions.groups
    ] == [
        ("nrm-coordinator", ["Bundeskriminalamt"]),
        ("compensation-assisting", ["Versorgungsamt"]),
        ("compensation-deciding", ["Versorgungsamt"]),
    ]
    assert suggestions.groups[0].label == "National referral mechanism coordinator"


@pytest.mark.parametrize("side", ["sender", "recipient"])
def test_both_sides_see_them_on_the_referral_page_in_their_language(
    side: str,
    referral: Referral,
    german_authorities: None,
    caseworker_a_client: Client,
    caseworker_b_client: Client,
) -> None:
    client = caseworker_a_client if side == "sender" else caseworker_b_client
    with translation.override("sv"):
        url = reverse("referrals:detail", kwargs={"pk": referral.pk})
    page = client.get(url).content.decode()
    assert "Tyskland" in page  # the country, named in Swedish
    assert "Samordnare av den nationella hänvisningsmekanismen" in page
    assert "Beslutande myndighet (direktiv 2004/80/EG)" in page
    assert "Bundeskriminalamt" in page and "Versorgungsamt" in page
    assert "Agenția Națională" not in page and "Landgericht" not in page


def test_a_country_without_tagged_authorities_says_so(
    referral: Referral, caseworker_b_client: Client
) -> None:
    taxonomies_sync()
    _authority("Agenția Națională", "RO", "nrm-coordinator")
    suggestions = authorities_suggested(referral=referral)
    assert not suggestions.found
    page = caseworker_b_client.get(
        reverse("referrals:detail", kwargs={"pk": referral.pk})
    ).content.decode()
    assert page.count("none listed in the directory") == 3
