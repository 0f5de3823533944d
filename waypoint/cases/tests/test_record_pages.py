"""The pages that add records to a case, and the document download."""

from __future__ import annotations

import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import AuditEvent, User
from waypoint.cases.models import (
    Case,
    CompensationClaim,
    Consent,
    Document,
    Proceeding,
    RiskLevel,
    Task,
)
from waypoint.cases.services import (
    compensation_claim_record,
    consent_record,
    proceeding_record,
    risk_assessment_record,
)
from waypoint.directory.models import Organization

pytestmark = pytest.mark.django_db

TODAY = "2026-05-01"


def _url(name: str, case: Case, **kwargs: int) -> str:
    return reverse(f"cases:{name}", kwargs={"pk": case.pk, **kwargs})


def test_a_document_is_uploaded_and_downloaded_as_a_neutral_attachment(
    caseworker_a_client: Client, case_a: Case, settings: Any, tmp_path: Path
) -> None:
    """The download is the original bytes, an attachment named by the case code,
    never sniffed by the browser, and the read is audited."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    content = b"%PDF-1.4 statement"
    response = caseworker_a_client.post(
        _url("document_create", case_a),
        {
            "kind": "legal",
            "title": "Statement",
            "file": SimpleUploadedFile("Statement of Ana.pdf", content),
        },
    )
    assert response.status_code == 302
    document = Document.objects.get()
    response = caseworker_a_client.get(
        _url("document_download", case_a, document_pk=document.pk)
    )
    assert response.content == content
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert case_a.code in disposition and "Ana" not in disposition
    assert AuditEvent.objects.filter(action="case.document_read").exists()


def test_an_upload_of_the_wrong_type_shows_the_error_on_the_form(
    caseworker_a_client: Client, case_a: Case, settings: Any, tmp_path: Path
) -> None:
    """The page says why, and nothing is stored."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    response = caseworker_a_client.post(
        _url("document_create", case_a),
        {
            "kind": "legal",
            "title": "x",
            "file": SimpleUploadedFile("x.pdf", b"GIF89a"),
        },
    )
    assert response.status_code == 200
    assert "Only PDF, JPEG, PNG and Word" in response.content.decode()
    assert not Document.objects.exists()


def test_a_consent_is_recorded_and_withdrawn_through_the_pages(
    caseworker_a_client: Client, case_a: Case
) -> None:
    """Withdrawing adds a second row and leaves the first as it was."""
    response = caseworker_a_client.post(
        _url("consent_create", case_a),
        {"scope": "statistics", "method": "signed", "given_on": TODAY},
    )
    assert response.status_code == 302
    given = Consent.objects.get()
    response = caseworker_a_client.post(
        _url("consent_withdraw", case_a, consent_pk=given.pk),
        {"method": "oral", "withdrawn_on": TODAY},
    )
    assert response.status_code == 302
    assert list(Consent.objects.values_list("granted", flat=True)) == [True, False]
    again = caseworker_a_client.get(
        _url("consent_withdraw", case_a, consent_pk=given.pk)
    )
    assert again.status_code == 404


def test_a_supervisor_assigns_staff_and_the_new_caseworker_gets_the_case(
    supervisor_a_client: Client,
    caseworker_a: User,
    unassigned_case_a: Case,
) -> None:
    """Assignment opens the case to the caseworker, and nobody else."""
    response = supervisor_a_client.post(
        _url("assign", unassigned_case_a),
        {"version": unassigned_case_a.version, "staff": [caseworker_a.pk]},
    )
    assert response.status_code == 302
    assert list(unassigned_case_a.assigned.all()) == [caseworker_a]


def test_staff_of_another_organisation_cannot_be_assigned(
    supervisor_a_client: Client, caseworker_b: User, case_a: Case
) -> None:
    """Only the organisation's own caseworkers and supervisors are offered."""
    response = supervisor_a_client.post(
        _url("assign", case_a), {"version": case_a.version, "staff": [caseworker_b.pk]}
    )
    assert response.status_code == 200
    assert caseworker_b not in case_a.assigned.all()


def test_a_task_is_added_and_marked_done(
    caseworker_a_client: Client, caseworker_a: User, case_a: Case
) -> None:
    """A task without an assignee is the author's; done is a timestamp."""
    caseworker_a_client.post(
        _url("task_create", case_a), {"title": "Call the lawyer", "due_on": TODAY}
    )
    task = Task.objects.get()
    assert task.assignee == caseworker_a
    caseworker_a_client.post(_url("task_done", case_a, task_pk=task.pk))
    task.refresh_from_db()
    assert task.done_at is not None


def test_a_risk_assessment_revision_is_a_new_row_and_sets_the_case_level(
    caseworker_a: User, case_a: Case
) -> None:
    """Two assessments stay; the case shows the latest level."""
    day = datetime.date(2026, 5, 1)
    risk_assessment_record(
        actor=caseworker_a, case=case_a, assessed_on=day, level=RiskLevel.HIGH
    )
    risk_assessment_record(
        actor=caseworker_a, case=case_a, assessed_on=day, level=RiskLevel.MEDIUM
    )
    case_a.refresh_from_db()
    assert case_a.risk_assessments.count() == 2
    assert case_a.risk_level == RiskLevel.MEDIUM


def test_proceedings_and_compensation_claims_name_directory_authorities(
    caseworker_a: User, case_a: Case
) -> None:
    """Court and authorities come from the directory; the case number is
    encrypted."""
    court = Organization.objects.create(name="Tribunal", description="x")
    proceeding_record(
        actor=caseworker_a,
        case=case_a,
        kind="criminal",
        authority=court,
        stage="investigation",
        person_role="injured_party",
        started_on=datetime.date(2026, 1, 5),
        case_number="1234/3/2026",
    )
    compensation_claim_record(
        actor=caseworker_a,
        case=case_a,
        deciding_authority=court,
        crime_country="RO",
        status="filed",
        amount_claimed=Decimal("15000.00"),
    )
    assert Proceeding.objects.get().case_number == "1234/3/2026"
    assert CompensationClaim.objects.get().amount_claimed == Decimal("15000.00")
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT case_number FROM cases_proceeding")
        assert "1234/3/2026" not in repr(cursor.fetchall())


def test_a_consent_cannot_replace_one_of_another_case(
    caseworker_a: User, supervisor_a: User, case_a: Case, unassigned_case_a: Case
) -> None:
    """A withdrawal belongs to the case of the consent it replaces."""
    from django.core.exceptions import PermissionDenied

    other = consent_record(
        actor=supervisor_a,
        case=unassigned_case_a,
        scope="services",
        method="oral",
        given_on=datetime.date(2026, 5, 1),
    )
    with pytest.raises(PermissionDenied):
        consent_record(
            actor=caseworker_a,
            case=case_a,
            scope="services",
            method="oral",
            given_on=datetime.date(2026, 5, 1),
            replaces=other,
            granted=False,
        )
