"""The case pages: who gets what, and a caseworker's walk through a case."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, reverse

from waypoint.accounts.models import User
from waypoint.accounts.testing import login_with_second_factor
from waypoint.cases import urls as case_urls
from waypoint.cases.models import (
    AssistanceSession,
    Case,
    CaseStatus,
    Identification,
    NeedsAssessment,
    PossibleDuplicate,
)
from waypoint.cases.services import (
    compensation_claim_record,
    consent_record,
    document_add,
    proceeding_record,
    reflection_period_start,
    task_create,
)
from waypoint.cases.tests.conftest import (
    DISTINCTIVE_FAMILY,
    DISTINCTIVE_GIVEN,
    intake,
)
from waypoint.directory.models import Organization

pytestmark = pytest.mark.django_db

# Expected status per URL name and persona, for a GET (a POST for "reopen")
# of organisation A's case assigned to caseworker_a. "login" is a redirect to
# sign in, "2fa" one to set up a second factor (an account without a role and
# without one: every case page asks for it). "outsider" has no role and a
# second factor.
PERSONAS = (
    "caseworker_a",
    "supervisor_a",
    "org_admin_a",
    "caseworker_b",
    # Before "outsider", whose sign-in gives the account an authenticator.
    "outsider_without_2fa",
    "outsider",
    "platform_admin",
    "anonymous",
)
DENIED: dict[str, int | str] = {
    "org_admin_a": 404,
    "caseworker_b": 404,
    "outsider": 404,
    "outsider_without_2fa": "2fa",
    "platform_admin": 404,
    "anonymous": "login",
}
CASE_PAGE = {"caseworker_a": 200, "supervisor_a": 200, **DENIED}
MATRIX: dict[str, dict[str, int | str]] = {
    "home": {**CASE_PAGE, "caseworker_b": 200},
    "create": {**CASE_PAGE, "caseworker_b": 200},
    "detail": CASE_PAGE,
    "identification_create": CASE_PAGE,
    "needs_create": CASE_PAGE,
    "session_create": CASE_PAGE,
    "note_create": CASE_PAGE,
    "person_edit": CASE_PAGE,
    "proceeding_create": CASE_PAGE,
    "proceeding_stage": CASE_PAGE,
    "claim_create": CASE_PAGE,
    "claim_status": CASE_PAGE,
    "close": CASE_PAGE,
    # The case is open: reopening it is a no-op that goes back to the page.
    "reopen": {**CASE_PAGE, "caseworker_a": 302, "supervisor_a": 302},
    "access_log": {**CASE_PAGE, "caseworker_a": 404},
    "stage_change": CASE_PAGE,
    "assign": {**CASE_PAGE, "caseworker_a": 404},
    "risk_create": CASE_PAGE,
    "rights_create": CASE_PAGE,
    "reflection_create": CASE_PAGE,
    "reflection_decide": CASE_PAGE,
    "task_create": CASE_PAGE,
    "task_done": {**CASE_PAGE, "caseworker_a": 302, "supervisor_a": 302},
    "document_create": CASE_PAGE,
    "document_download": CASE_PAGE,
    "consent_create": CASE_PAGE,
    "consent_withdraw": CASE_PAGE,
    "duplicate_decide": {**CASE_PAGE, "caseworker_a": 302, "supervisor_a": 302},
    "retention": {**CASE_PAGE, "caseworker_a": 404},
    # Data-subject requests: supervisors only, and only after re-entering the
    # password ("reauth").
    "person_export_json": {**CASE_PAGE, "caseworker_a": 404, "supervisor_a": "reauth"},
    "person_export_print": {
        **CASE_PAGE,
        "caseworker_a": 404,
        "supervisor_a": "reauth",
    },
    "person_anonymise": {**CASE_PAGE, "caseworker_a": 404, "supervisor_a": "reauth"},
}
WITHOUT_PK = {"home", "create", "retention"}
PERSON_URLS = {"person_export_json", "person_export_print", "person_anonymise"}
POSTED = {"reopen": {"version": 1}, "task_done": {}, "duplicate_decide": {}}


def _records(case: Case, actor: User) -> dict[str, dict[str, int]]:
    """One record of each kind a URL names, and the URL arguments for it."""
    today = datetime.date(2026, 5, 1)
    period = reflection_period_start(actor=actor, case=case, starts_on=today)
    task = task_create(actor=actor, case=case, title="t", due_on=today, assignee=actor)
    document = document_add(
        actor=actor,
        case=case,
        kind="other",
        title="t",
        upload=SimpleUploadedFile("a.png", b"\x89PNG\r\n\x1a\n..."),
    )
    consent = consent_record(
        actor=actor, case=case, scope="services", method="oral", given_on=today
    )
    again = intake(actor, case.organization)
    duplicate = PossibleDuplicate.objects.get(person_id=again.person_id)
    court = Organization.objects.create(name="Tribunalul", description="court")
    proceeding = proceeding_record(
        actor=actor,
        case=case,
        kind="criminal",
        authority=court,
        stage="investigation",
        person_role="injured_party",
        started_on=today,
    )
    claim = compensation_claim_record(
        actor=actor, case=case, deciding_authority=court, crime_country="RO"
    )
    return {
        "proceeding_stage": {"proceeding_pk": proceeding.pk},
        "claim_status": {"claim_pk": claim.pk},
        "reflection_decide": {"period_pk": period.pk},
        "task_done": {"task_pk": task.pk},
        "document_download": {"document_pk": document.pk},
        "consent_withdraw": {"consent_pk": consent.pk},
        "duplicate_decide": {"duplicate_pk": duplicate.pk},
    }


def _outcome(response: Any) -> int | str:
    """The status, or where a redirect to a sign-in step goes."""
    if response.status_code == 302:
        for marker, outcome in (
            ("reauthenticate", "reauth"),
            ("/login", "login"),
            ("/2fa/", "2fa"),
        ):
            if marker in response["Location"]:
                return outcome
    return int(response.status_code)


def _client(persona: str, request: pytest.FixtureRequest) -> Client:
    if persona == "anonymous":
        return Client()
    client = Client()
    if persona == "outsider_without_2fa":
        client.force_login(request.getfixturevalue("outsider"))
        return client
    return login_with_second_factor(client, request.getfixturevalue(persona))


def test_every_case_url_is_in_the_authorization_matrix() -> None:
    """Adding a page without deciding who may open it fails here."""
    names = {
        pattern.name
        for pattern in case_urls.urlpatterns
        if isinstance(pattern, URLPattern)
    }
    assert names == set(MATRIX)


def test_the_authorization_matrix_holds(
    request: pytest.FixtureRequest,
    case_a: Case,
    unassigned_case_a: Case,
    caseworker_a: User,
    settings: Any,
    tmp_path: Path,
) -> None:
    """Each persona gets the expected answer on each case page."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path
    extra = _records(case_a, caseworker_a)
    cells = mismatches = 0
    report = []
    for persona in PERSONAS:
        client = _client(persona, request)
        for name, expected_by_persona in MATRIX.items():
            if name in WITHOUT_PK:
                kwargs = {}
            elif name in PERSON_URLS:
                kwargs = {"person_pk": case_a.person_id}
            else:
                kwargs = {"pk": case_a.pk, **extra.get(name, {})}
            url = reverse(f"cases:{name}", kwargs=kwargs)
            if name == "duplicate_decide":
                response = client.post(url, {"decision": "dismissed"})
            elif name in POSTED:
                response = client.post(url, POSTED[name])
            else:
                response = client.get(url)
            expected = expected_by_persona[persona]
            got: int | str = response.status_code
            if response.status_code == 302 and "/login" in response["Location"]:
                got = "login"
            elif response.status_code == 302 and "/2fa/" in response["Location"]:
                got = "2fa"
            elif (
                response.status_code == 302 and "reauthenticate" in response["Location"]
            ):
                got = "reauth"
            cells += 1
            if got != expected:
                mismatches += 1
                report.append(f"{persona} {name}: {got} != {expected}")
    print(f"cells={cells} mismatches={mismatches}")
    assert not report, report


def test_a_caseworker_does_not_reach_a_colleagues_case(
    caseworker_a_client: Client, unassigned_case_a: Case
) -> None:
    """Same organisation, not assigned: 404 on the page and its actions."""
    for name in ("detail", "close", "session_create", "access_log"):
        url = reverse(f"cases:{name}", kwargs={"pk": unassigned_case_a.pk})
        assert caseworker_a_client.get(url).status_code == 404
    reopen = reverse("cases:reopen", kwargs={"pk": unassigned_case_a.pk})
    assert caseworker_a_client.post(reopen, {"version": 1}).status_code == 404


def test_a_session_without_a_second_factor_cannot_reach_case_data(
    caseworker_a: User, case_a: Case
) -> None:
    """Password alone is not enough for a role that reads cases."""
    client = Client()
    client.force_login(caseworker_a)
    response = client.get(reverse("cases:detail", kwargs={"pk": case_a.pk}))
    assert response.status_code == 302
    assert DISTINCTIVE_GIVEN not in response.content.decode()


def test_a_caseworker_walks_a_case_from_intake_to_closing_and_back(
    caseworker_a_client: Client, caseworker_a: User
) -> None:
    """Intake, identification, assessment, session, note, close, reopen."""
    client = caseworker_a_client
    response = client.post(
        reverse("cases:create"),
        {
            "organization": caseworker_a.memberships.get().organization_id,
            "given_name": DISTINCTIVE_GIVEN,
            "family_name": DISTINCTIVE_FAMILY,
            "birth_date": "1999-04-01",
            "nationality": "MD",
            "languages": ["ro", "ru"],
            "gender": "female",
            "age_band": "25-34",
            "case_type": "thb_labour",
            "country_of_origin": "MD",
            "country_of_destination": "DE",
            "cross_border": "on",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get()
    detail = reverse("cases:detail", kwargs={"pk": case.pk})
    assert response["Location"] == detail
    assert DISTINCTIVE_GIVEN not in response["Location"]

    page = client.get(detail)
    html = page.content.decode()
    assert DISTINCTIVE_GIVEN in html
    title = html.split("<title>")[1].split("</title>")[0]
    assert case.code in title
    assert DISTINCTIVE_GIVEN not in title and DISTINCTIVE_FAMILY not in title

    today = datetime.date.today().isoformat()  # noqa: DTZ011 (a form date)
    assert (
        client.post(
            reverse("cases:identification_create", kwargs={"pk": case.pk}),
            {
                "status": "presumed",
                "decided_on": today,
                "dimension_deceptive_recruitment": ["dr-job", "dr-wages"],
                "dimension_coercion_at_destination": ["cd-documents"],
            },
        ).status_code
        == 302
    )
    identification = Identification.objects.get(case=case)
    assert sorted(identification.answers.values_list("indicator__code", flat=True)) == [
        "cd-documents",
        "dr-job",
        "dr-wages",
    ]
    assert (
        client.post(
            reverse("cases:needs_create", kwargs={"pk": case.pk}),
            {
                "assessed_on": today,
                "protection_needs": ["intimidation"],
                "special_measures": ["same_sex"],
            },
        ).status_code
        == 302
    )
    assert NeedsAssessment.objects.filter(case=case).count() == 1
    assert (
        client.post(
            reverse("cases:session_create", kwargs={"pk": case.pk}),
            {
                "kind": "psychological_counselling",
                "held_on": today,
                "duration_minutes": "50",
                "notes": "x",
            },
        ).status_code
        == 302
    )
    assert AssistanceSession.objects.get(case=case).staff == caseworker_a

    close = reverse("cases:close", kwargs={"pk": case.pk})
    assert client.get(close).status_code == 200
    response = client.post(close, {"version": case.version, "reason": "goals_met"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    html = client.get(detail).content.decode()
    assert "Case closed" in html or case.get_status_display() in html

    reopen = reverse("cases:reopen", kwargs={"pk": case.pk})
    assert client.post(reopen, {"version": case.version}).status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.OPEN
    timeline = client.get(detail).content.decode()
    for label in ("Identification", "Individual needs assessment", "Case reopened"):
        assert label in timeline


def test_closing_from_a_stale_page_reports_the_conflict(
    caseworker_a_client: Client, caseworker_a: User, case_a: Case
) -> None:
    """The version in the form is the one the page showed: a newer change wins."""
    close = reverse("cases:close", kwargs={"pk": case_a.pk})
    stale_version = case_a.version
    from waypoint.cases.services import case_stage_set

    case_stage_set(actor=caseworker_a, case=case_a, stage="first_assistance")
    response = caseworker_a_client.post(
        close, {"version": stale_version, "reason": "goals_met"}, follow=True
    )
    assert "Someone else changed this case" in response.content.decode()
    case_a.refresh_from_db()
    assert case_a.status == CaseStatus.OPEN


def test_case_pages_are_not_cached(caseworker_a_client: Client, case_a: Case) -> None:
    """Browsers and proxies keep no copy of a case page."""
    response = caseworker_a_client.get(
        reverse("cases:detail", kwargs={"pk": case_a.pk})
    )
    assert "no-store" in response["Cache-Control"]
