"""The inbox lists a page of referrals at a time, newest first."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import MemberOrganization, User
from waypoint.cases.models import Case
from waypoint.referrals import selectors
from waypoint.referrals.tests.conftest import send


def test_the_inbox_pages_through_the_referrals_received(
    monkeypatch: pytest.MonkeyPatch,
    case_a: Case,
    caseworker_a: User,
    org_b: MemberOrganization,
    consent_b: object,
    caseworker_b_client: Client,
) -> None:
    monkeypatch.setattr(selectors, "PER_PAGE", 2)
    sent = [send(caseworker_a, case_a, org_b).pk for _ in range(3)]
    inbox = reverse("referrals:inbox")
    first = caseworker_b_client.get(inbox)
    assert [r.pk for r in first.context["incoming"].referrals] == sent[:0:-1]
    page = first.content.decode()
    assert "page_in=2" in page and "Next page" in page
    second = caseworker_b_client.get(inbox, {"page_in": "2", "status": "sent"})
    assert [r.pk for r in second.context["incoming"].referrals] == [sent[0]]
    assert not second.context["incoming"].has_next
    assert "Previous page" in second.content.decode()
    nonsense = caseworker_b_client.get(inbox, {"page_in": "x"})
    assert nonsense.context["incoming"].number == 1
