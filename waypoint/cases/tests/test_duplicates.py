"""Possible duplicates are flagged by blind index and never merged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from waypoint.accounts.models import MemberOrganization, User
from waypoint.cases.models import Case, DuplicateStatus, Person, PossibleDuplicate
from waypoint.cases.services import duplicate_decide
from waypoint.cases.tests.conftest import intake

pytestmark = pytest.mark.django_db


def test_the_same_name_in_the_same_organisation_is_flagged(
    caseworker_a: User, org_a: MemberOrganization, case_a: Case
) -> None:
    """Letter case and spacing aside, the same name gives the same index."""
    second = intake(
        caseworker_a,
        org_a,
        given_name="  ZAMFIRAQUEEN ",
        family_name="oltenescu-vrancea",
    )
    flag = PossibleDuplicate.objects.get()
    assert flag.person_id == second.person_id
    assert flag.other_id == case_a.person_id
    assert flag.status == DuplicateStatus.FLAGGED
    assert Person.objects.count() == 2


def test_a_different_name_is_not_flagged(
    caseworker_a: User, org_a: MemberOrganization, case_a: Case
) -> None:
    """Only exact (normalised) matches are flagged."""
    intake(caseworker_a, org_a, given_name="Ana", family_name="Pop")
    assert not PossibleDuplicate.objects.exists()


def test_the_same_name_in_another_organisation_is_not_flagged(
    caseworker_b: User, org_b: MemberOrganization, case_a: Case
) -> None:
    """Organisations never learn of each other's people."""
    intake(caseworker_b, org_b)
    assert not PossibleDuplicate.objects.exists()


def test_linking_keeps_both_records_and_cannot_be_decided_twice(
    caseworker_a: User, org_a: MemberOrganization, case_a: Case
) -> None:
    """Linked records stay two rows; the decision is final."""
    intake(caseworker_a, org_a)
    flag = PossibleDuplicate.objects.get()
    duplicate_decide(actor=caseworker_a, duplicate=flag, same_person=True)
    flag.refresh_from_db()
    assert flag.status == DuplicateStatus.LINKED
    assert flag.decided_by == caseworker_a
    assert Person.objects.count() == 2
    with pytest.raises(ValidationError):
        duplicate_decide(actor=caseworker_a, duplicate=flag, same_person=False)


def test_the_code_is_per_organisation_and_never_a_name(
    caseworker_a: User, org_a: MemberOrganization, case_a: Case
) -> None:
    """Codes count up per organisation and year, prefixed by its country."""
    second = intake(caseworker_a, org_a, given_name="Ana", family_name="Pop")
    first_code, second_code = case_a.person.code, second.person.code
    assert first_code.startswith("RO-") and first_code.endswith("-00001")
    assert second_code.endswith("-00002")
    assert str(case_a.person) == first_code
    assert str(case_a) == f"{first_code}-1"


def test_two_organisations_in_one_country_both_count_from_one(
    caseworker_a: User, org_a: MemberOrganization, case_a: Case
) -> None:
    """Codes are unique within an organisation, not across the network."""
    from waypoint.accounts.models import Role
    from waypoint.accounts.testing import staff_make
    from waypoint.directory.testing import member_organization_make

    other = member_organization_make("Organisation C", country="RO")
    worker = staff_make("caseworker_c", other, Role.CASEWORKER)
    case_c = intake(worker, other, given_name="Ana", family_name="Pop")
    assert case_c.person.code == case_a.person.code
    assert case_c.organization != case_a.organization
