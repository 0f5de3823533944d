"""Who may open which case."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.accounts.testing import staff_make
from waypoint.cases.models import Case
from waypoint.cases.selectors import (
    case_access_log,
    case_get_for_user,
    cases_visible_to,
)
from waypoint.cases.services import note_add

pytestmark = pytest.mark.django_db


def test_a_caseworker_sees_only_the_cases_assigned_to_them(
    caseworker_a: User, case_a: Case, unassigned_case_a: Case
) -> None:
    """The caseworker's list holds their case and not a colleague's."""
    assert list(cases_visible_to(caseworker_a)) == [case_a]


def test_a_supervisor_sees_every_case_of_their_organisation(
    supervisor_a: User, case_a: Case, unassigned_case_a: Case
) -> None:
    """Assigned or not, the organisation's cases are the supervisor's."""
    assert set(cases_visible_to(supervisor_a)) == {case_a, unassigned_case_a}


def test_another_organisations_caseworker_gets_a_404(
    caseworker_b: User, case_a: Case
) -> None:
    """A case of organisation A does not exist for organisation B's staff."""
    assert not cases_visible_to(caseworker_b).exists()
    with pytest.raises(Http404):
        case_get_for_user(user=caseworker_b, pk=case_a.pk)


def test_a_caseworker_not_assigned_gets_a_404(
    caseworker_a: User, unassigned_case_a: Case
) -> None:
    """Being in the organisation is not enough for a caseworker."""
    with pytest.raises(Http404):
        case_get_for_user(user=caseworker_a, pk=unassigned_case_a.pk)


def test_a_platform_administrator_cannot_read_a_case(
    platform_admin: User, case_a: Case
) -> None:
    """Managing accounts gives no access to case contents."""
    assert not cases_visible_to(platform_admin).exists()
    with pytest.raises(Http404):
        case_get_for_user(user=platform_admin, pk=case_a.pk)


def test_an_organisation_administrator_who_is_not_a_supervisor_cannot_read_a_case(
    org_admin_a: User, case_a: Case
) -> None:
    """Administering staff is not reading their cases."""
    with pytest.raises(Http404):
        case_get_for_user(user=org_admin_a, pk=case_a.pk)


def test_a_deactivated_membership_loses_access_at_once(
    caseworker_a: User, case_a: Case
) -> None:
    """Ending the role ends the access, with no session to expire first."""
    caseworker_a.memberships.update(is_active=False)
    assert not cases_visible_to(caseworker_a).exists()


def test_services_refuse_an_actor_without_access(
    caseworker_b: User, outsider: User, case_a: Case
) -> None:
    """The second lock: a service called directly checks the actor too."""
    for actor in (caseworker_b, outsider):
        with pytest.raises(PermissionDenied):
            note_add(actor=actor, case=case_a, text="x")


def test_only_a_supervisor_reads_the_access_log(
    caseworker_a: User, supervisor_a: User, case_a: Case
) -> None:
    """The access log is for the organisation's supervisors."""
    case_get_for_user(user=caseworker_a, pk=case_a.pk)
    with pytest.raises(Http404):
        case_access_log(user=caseworker_a, case=case_a)
    actions = list(
        case_access_log(user=supervisor_a, case=case_a).values_list("action", flat=True)
    )
    assert "case.read" in actions


def test_a_supervisor_of_another_organisation_sees_nothing(
    case_a: Case, org_b: MemberOrganization
) -> None:
    """Supervising organisation B gives nothing in organisation A."""
    supervisor_b = staff_make("supervisor_b", org_b, Role.SUPERVISOR)
    assert not cases_visible_to(supervisor_b).exists()
