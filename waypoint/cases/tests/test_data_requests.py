"""Data-subject requests: export and anonymisation; the retention policy."""

from __future__ import annotations

import datetime
import json
import time
from pathlib import Path
from typing import Any

import pytest
from allauth.account.internal.flows.login import (
    _AUTHENTICATION_METHODS_USER_SESSION_KEY,
    AUTHENTICATION_METHODS_SESSION_KEY,
)
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import AuditEvent, MemberOrganization, User
from waypoint.cases.models import Case, Document, Note, Person
from waypoint.cases.services import case_close, document_add, note_add
from waypoint.cases.services.data_requests import (
    person_anonymise,
    retention_apply,
    retention_policy_set,
)
from waypoint.cases.tests.conftest import DISTINCTIVE_FAMILY, DISTINCTIVE_GIVEN

pytestmark = pytest.mark.django_db


def _reauthenticated(client: Client, user: User) -> Client:
    """As if the password and the code had just been entered again."""
    session = client.session
    session[_AUTHENTICATION_METHODS_USER_SESSION_KEY] = str(user.pk)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": method, "at": time.time(), "reauthenticated": True}
        for method in ("password", "mfa")
    ]
    session.save()
    return client


def _raw(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
        return repr(cursor.fetchall())


def test_a_supervisor_exports_everything_as_json_after_reauthenticating(
    supervisor_a_client: Client, supervisor_a: User, caseworker_a: User, case_a: Case
) -> None:
    """The JSON holds the decrypted data, records of each case, and the export
    is in the case's access log."""
    note_add(actor=caseworker_a, case=case_a, text="Met at the shelter")
    url = reverse("cases:person_export_json", kwargs={"person_pk": case_a.person_id})
    assert "reauthenticate" in supervisor_a_client.get(url)["Location"]
    response = _reauthenticated(supervisor_a_client, supervisor_a).get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert DISTINCTIVE_GIVEN not in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["given_name"] == DISTINCTIVE_GIVEN
    assert data["person"]["identity_documents"] == "RX 123456"
    assert data["cases"][0]["code"] == case_a.code
    assert data["cases"][0]["note"][0]["text"] == "Met at the shelter"
    assert AuditEvent.objects.filter(
        action="person.exported", target_id=str(case_a.pk)
    ).exists()


def test_the_printable_export_is_a_page_titled_by_the_code(
    supervisor_a_client: Client, supervisor_a: User, case_a: Case
) -> None:
    """Readable by a person, with no name in the title."""
    url = reverse("cases:person_export_print", kwargs={"person_pk": case_a.person_id})
    html = _reauthenticated(supervisor_a_client, supervisor_a).get(url).content.decode()
    assert DISTINCTIVE_FAMILY in html
    title = html.split("<title>")[1].split("</title>")[0]
    assert case_a.person.code in title and DISTINCTIVE_FAMILY not in title


def test_anonymising_erases_personal_data_and_keeps_the_statistics(
    supervisor_a: User,
    caseworker_a: User,
    case_a: Case,
    settings: Any,
    tmp_path: Path,
) -> None:
    """Names, notes and files go; type, country and age band stay."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    note_add(actor=caseworker_a, case=case_a, text="Met at the shelter")
    document_add(
        actor=caseworker_a,
        case=case_a,
        kind="identity",
        title="Passport",
        upload=SimpleUploadedFile("p.png", b"\x89PNG\r\n\x1a\nxx"),
    )
    with pytest.raises(ValidationError):
        person_anonymise(actor=supervisor_a, person=case_a.person)
    case_close(actor=caseworker_a, case=case_a, reason="goals_met")
    with pytest.raises(PermissionDenied):
        person_anonymise(actor=caseworker_a, person=case_a.person)
    with django_capture_commits():
        person = person_anonymise(actor=supervisor_a, person=case_a.person)
    assert person.anonymised_at is not None
    assert person.given_name == "" and person.identity_documents == ""
    assert person.nationality == "MD"
    assert not Note.objects.exists() and not Document.objects.exists()
    assert not [path for path in tmp_path.rglob("*") if path.is_file()]
    case = Case.objects.get(pk=case_a.pk)
    assert (case.case_type, case.country_of_origin) == ("thb_labour", "MD")
    assert AuditEvent.objects.filter(action="person.anonymised").count() == 1


def django_capture_commits() -> Any:
    """Run on_commit callbacks (file deletion) inside the test transaction."""
    from django.test import TestCase

    return TestCase.captureOnCommitCallbacks(execute=True)


def test_the_retention_policy_anonymises_only_people_past_their_period(
    supervisor_a: User,
    caseworker_a: User,
    org_a: MemberOrganization,
    case_a: Case,
    unassigned_case_a: Case,
) -> None:
    """Closed long enough ago: anonymised. Still open or closed lately: kept."""
    retention_policy_set(actor=supervisor_a, organization=org_a, years=5)
    case_close(actor=caseworker_a, case=case_a, reason="goals_met")
    long_ago = timezone.now() - datetime.timedelta(days=6 * 366)
    Case.objects.filter(pk=case_a.pk).update(closed_at=long_ago)
    assert retention_apply() == 1
    assert Person.objects.get(pk=case_a.person_id).anonymised_at is not None
    assert Person.objects.get(pk=unassigned_case_a.person_id).anonymised_at is None
    assert retention_apply() == 0
    assert "RX 123456" not in _raw("cases_person")


def test_the_scheduler_runs_the_retention_policy_as_a_daily_task(
    supervisor_a: User, caseworker_a: User, org_a: MemberOrganization, case_a: Case
) -> None:
    """The periodic task anonymises what the command would, once a day."""
    from django.conf import settings

    from waypoint.cases.tasks import retention_apply_task
    from waypoint.lib.scheduling import scheduler_from_settings

    path = "waypoint.cases.tasks.retention_apply_task"
    assert settings.WAYPOINT_PERIODIC_TASKS[path] == 24 * 3600
    retention_policy_set(actor=supervisor_a, organization=org_a, years=5)
    case_close(actor=caseworker_a, case=case_a, reason="goals_met")
    long_ago = timezone.now() - datetime.timedelta(days=6 * 366)
    Case.objects.filter(pk=case_a.pk).update(closed_at=long_ago)

    assert path in scheduler_from_settings().tick()
    assert Person.objects.get(pk=case_a.person_id).anonymised_at is not None
    assert retention_apply_task.enqueue().return_value == 0


def test_the_retention_command_reports_what_it_did(capsys: Any, db: None) -> None:
    """The scheduled command prints one line with the count."""
    call_command("apply_retention")
    assert capsys.readouterr().out.strip() == "anonymised=0"


def test_a_caseworker_cannot_set_the_retention_policy(
    caseworker_a: User, org_a: MemberOrganization
) -> None:
    """Supervisors and organisation administrators decide it."""
    with pytest.raises(PermissionDenied):
        retention_policy_set(actor=caseworker_a, organization=org_a, years=3)


def test_the_anonymise_page_asks_for_confirmation_then_erases(
    supervisor_a_client: Client, supervisor_a: User, caseworker_a: User, case_a: Case
) -> None:
    """Without the box ticked nothing happens; with it the data is gone."""
    case_close(actor=caseworker_a, case=case_a, reason="goals_met")
    url = reverse("cases:person_anonymise", kwargs={"person_pk": case_a.person_id})
    client = _reauthenticated(supervisor_a_client, supervisor_a)
    assert client.get(url).status_code == 200
    assert client.post(url, {}).status_code == 200
    assert Person.objects.get(pk=case_a.person_id).anonymised_at is None
    assert client.post(url, {"confirm": "on"}).status_code == 302
    assert Person.objects.get(pk=case_a.person_id).given_name == ""
