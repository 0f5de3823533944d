"""Every read and change of a case leaves an audit row without personal data."""

from __future__ import annotations

import json

import pytest

from waypoint.accounts.models import AuditEvent, User
from waypoint.cases.models import Case
from waypoint.cases.selectors import case_get_for_user
from waypoint.cases.services import note_add
from waypoint.cases.tests.conftest import DISTINCTIVE_FAMILY, DISTINCTIVE_GIVEN

pytestmark = pytest.mark.django_db


def _events(case: Case) -> list[AuditEvent]:
    return list(
        AuditEvent.objects.filter(target_type="cases.case", target_id=str(case.pk))
    )


def test_opening_a_case_records_who_read_which_case(
    caseworker_a: User, case_a: Case
) -> None:
    """case_get_for_user appends a "case.read" row naming the reader."""
    before = AuditEvent.objects.filter(action="case.read").count()
    case_get_for_user(user=caseworker_a, pk=case_a.pk)
    read = AuditEvent.objects.filter(action="case.read").order_by("-id").first()
    assert AuditEvent.objects.filter(action="case.read").count() == before + 1
    assert read is not None
    assert read.actor == caseworker_a
    assert read.target_id == str(case_a.pk)
    assert read.organization_id == case_a.organization_id


def test_a_refused_read_writes_no_read_row(caseworker_b: User, case_a: Case) -> None:
    """A 404 is not a read of the case."""
    from django.http import Http404

    with pytest.raises(Http404):
        case_get_for_user(user=caseworker_b, pk=case_a.pk)
    assert not AuditEvent.objects.filter(actor=caseworker_b).exists()


def test_writes_are_audited_with_ids_and_never_with_contents(
    caseworker_a: User, case_a: Case
) -> None:
    """Intake and a note leave rows; none carries the name or the note."""
    note = note_add(actor=caseworker_a, case=case_a, text="Secret-note-text")
    actions = {event.action for event in _events(case_a)}
    assert {"case.opened", "person.created", "case.note_added"} <= actions
    added = next(e for e in _events(case_a) if e.action == "case.note_added")
    assert added.details == {"record": "cases.note", "id": note.pk}
    dumped = json.dumps([e.details for e in AuditEvent.objects.all()])
    for secret in (DISTINCTIVE_GIVEN, DISTINCTIVE_FAMILY, "Secret-note-text"):
        assert secret not in dumped
