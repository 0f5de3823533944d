"""Cases used across the case tests, built through the services."""

from __future__ import annotations

import pytest

from waypoint.accounts.models import MemberOrganization, User
from waypoint.cases.models import Case, CaseType
from waypoint.cases.services import CaseDetails, PersonDetails, case_intake

DISTINCTIVE_GIVEN = "Zamfiraqueen"
DISTINCTIVE_FAMILY = "Oltenescu-Vrancea"


def intake(
    actor: User,
    organization: MemberOrganization,
    given_name: str = DISTINCTIVE_GIVEN,
    family_name: str = DISTINCTIVE_FAMILY,
    staff: tuple[User, ...] = (),
) -> Case:
    return case_intake(
        actor=actor,
        organization=organization,
        person=PersonDetails(
            given_name=given_name,
            family_name=family_name,
            contact_details="+40 721 000 111",
            identity_documents="RX 123456",
            nationality="MD",
            languages=["ro", "ru"],
        ),
        case=CaseDetails(case_type=CaseType.THB_LABOUR, country_of_origin="MD"),
        staff=staff,
    )


@pytest.fixture
def case_a(field_keys: None, caseworker_a: User, org_a: MemberOrganization) -> Case:
    """A case of organisation A assigned to its caseworker (who opened it)."""
    return intake(caseworker_a, org_a)


@pytest.fixture
def unassigned_case_a(
    field_keys: None, supervisor_a: User, org_a: MemberOrganization
) -> Case:
    """A case of organisation A that its caseworker is not assigned to."""
    return intake(supervisor_a, org_a, given_name="Other", family_name="Person")
