"""The caseworker's home: recent activity and pages of cases."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import MemberOrganization, User
from waypoint.cases.models import Case
from waypoint.cases.selectors import recent_activity_for_user
from waypoint.cases.services import case_stage_set, note_add
from waypoint.cases.tests.conftest import DISTINCTIVE_FAMILY, DISTINCTIVE_GIVEN, intake

pytestmark = pytest.mark.django_db


def _section(html: str, heading_id: str) -> str:
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def test_recent_activity_lists_changes_in_the_users_cases_only(
    caseworker_a: User,
    supervisor_a: User,
    caseworker_b: User,
    org_b: MemberOrganization,
    case_a: Case,
    unassigned_case_a: Case,
) -> None:
    """Changes (not reads) in cases the user may open, newest first."""
    note_add(actor=supervisor_a, case=case_a, text=f"About {DISTINCTIVE_GIVEN}")
    case_stage_set(actor=caseworker_a, case=case_a, stage="first_assistance")
    note_add(actor=supervisor_a, case=unassigned_case_a, text="elsewhere")
    case_b = intake(caseworker_b, org_b)
    note_add(actor=caseworker_b, case=case_b, text="other organisation")

    mine = recent_activity_for_user(user=caseworker_a)
    assert {entry.case_id for entry in mine} == {case_a.pk}
    assert [entry.label for entry in mine][:2] == ["stage changed", "note added"]
    assert mine[1].actor == "supervisor_a"
    supervisor = recent_activity_for_user(user=supervisor_a)
    assert {entry.case_id for entry in supervisor} == {case_a.pk, unassigned_case_a.pk}


def test_the_home_page_shows_activity_without_personal_data(
    caseworker_a_client: Client, caseworker_a: User, case_a: Case
) -> None:
    note_add(actor=caseworker_a, case=case_a, text=f"Met {DISTINCTIVE_FAMILY}")
    html = caseworker_a_client.get(reverse("cases:home")).content.decode()
    activity = _section(html, "activity-title")
    assert case_a.code in activity
    assert "note added" in activity
    assert DISTINCTIVE_GIVEN not in html and DISTINCTIVE_FAMILY not in html


def test_the_case_list_comes_in_pages(
    caseworker_a_client: Client, caseworker_a: User, org_a: MemberOrganization
) -> None:
    """A page of cases at a time, a link to the next while there are more."""
    from waypoint.cases.views import CASES_PER_PAGE

    cases = [
        intake(caseworker_a, org_a, given_name=f"P{i}", family_name="X")
        for i in range(CASES_PER_PAGE + 1)
    ]
    first = caseworker_a_client.get(reverse("cases:home")).content.decode()
    listing = _section(first, "cases-title")
    assert listing.count('scope="row"') == CASES_PER_PAGE
    assert 'rel="next"' in listing
    second = caseworker_a_client.get(
        reverse("cases:home") + "?status=open&page=2"
    ).content.decode()
    listing = _section(second, "cases-title")
    assert listing.count('scope="row"') == 1
    assert cases[0].code in listing  # the oldest comes last
    assert 'rel="prev"' in listing and "status=open" in listing
    assert 'rel="next"' not in listing
