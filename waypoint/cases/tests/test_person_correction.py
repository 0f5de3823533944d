"""Correcting a person's details after intake."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import AuditEvent, MemberOrganization, User
from waypoint.cases.models import Case, DuplicateStatus, Person, PossibleDuplicate
from waypoint.cases.services import (
    duplicate_decide,
    name_index_of,
    person_correct,
    person_details_of,
)
from waypoint.cases.tests.conftest import DISTINCTIVE_GIVEN, intake

pytestmark = pytest.mark.django_db


def _rename(actor: User, case: Case, given: str, family: str) -> Person:
    details = person_details_of(case.person)
    details.given_name, details.family_name = given, family
    return person_correct(actor=actor, case=case, details=details)


def test_a_new_name_recomputes_the_index_and_the_duplicate_flags(
    caseworker_a: User, org_a: MemberOrganization, case_a: Case
) -> None:
    """The flag with the old namesake goes, one with the new namesake comes."""
    namesake = intake(caseworker_a, org_a)
    other = intake(caseworker_a, org_a, given_name="Ana", family_name="Popa")
    assert PossibleDuplicate.objects.filter(person_id=namesake.person_id).exists()

    person = _rename(caseworker_a, namesake, "Ana", "Popa")
    assert person.name_index == name_index_of("Ana", "Popa")
    assert Person.objects.get(pk=person.pk).name_index == person.name_index
    pairs = {
        (pair.person_id, pair.other_id, pair.status)
        for pair in PossibleDuplicate.objects.all()
    }
    assert pairs == {(person.pk, other.person_id, DuplicateStatus.FLAGGED)}


def test_decided_pairs_stay_as_they_were_decided(
    caseworker_a: User, org_a: MemberOrganization, case_a: Case
) -> None:
    """A link a caseworker made is a decision: a correction does not undo it."""
    namesake = intake(caseworker_a, org_a)
    pair = PossibleDuplicate.objects.get(person_id=namesake.person_id)
    duplicate_decide(actor=caseworker_a, duplicate=pair, same_person=True)
    _rename(caseworker_a, namesake, "Ioana", "Marin")
    assert PossibleDuplicate.objects.get().status == DuplicateStatus.LINKED


def test_the_audit_row_names_the_fields_never_the_values(
    caseworker_a: User, case_a: Case
) -> None:
    details = person_details_of(case_a.person)
    details.contact_details = "+40 744 999 888"
    details.languages = ["ro"]
    person_correct(actor=caseworker_a, case=case_a, details=details)
    event = AuditEvent.objects.get(action="person.corrected")
    assert event.details["fields"] == ["contact_details", "languages"]
    assert "999" not in str(event.details)
    assert Person.objects.get().contact_details == "+40 744 999 888"


def test_nothing_changed_writes_nothing(caseworker_a: User, case_a: Case) -> None:
    person_correct(
        actor=caseworker_a, case=case_a, details=person_details_of(case_a.person)
    )
    assert not AuditEvent.objects.filter(action="person.corrected").exists()


def test_only_those_who_may_open_the_case_correct_the_person(
    caseworker_b: User, case_a: Case
) -> None:
    with pytest.raises(PermissionDenied):
        _rename(caseworker_b, case_a, "X", "Y")


def test_an_anonymised_person_cannot_be_corrected(
    caseworker_a: User, case_a: Case
) -> None:
    Person.objects.filter(pk=case_a.person_id).update(anonymised_at=timezone.now())
    case_a.refresh_from_db()
    with pytest.raises(ValidationError):
        _rename(caseworker_a, case_a, "X", "Y")


def test_the_page_shows_the_current_details_and_saves_a_correction(
    caseworker_a_client: Client, case_a: Case
) -> None:
    """The form starts from what is recorded; saving goes back to the case."""
    url = reverse("cases:person_edit", kwargs={"pk": case_a.pk})
    page = caseworker_a_client.get(url)
    html = page.content.decode()
    assert f'value="{DISTINCTIVE_GIVEN}"' in html
    title = html.split("<title>")[1].split("</title>")[0]
    assert DISTINCTIVE_GIVEN not in title
    response = caseworker_a_client.post(
        url,
        {
            "given_name": "Maria",
            "family_name": "Ionescu",
            "nationality": "MD",
            "languages": ["ro", "ru"],
            "gender": "female",
            "age_band": "25-34",
        },
    )
    assert response.status_code == 302
    assert DISTINCTIVE_GIVEN not in response["Location"]
    person = Person.objects.get()
    assert (person.given_name, person.family_name) == ("Maria", "Ionescu")
    assert person.contact_details == ""
