"""Proceedings and compensation claims: services, pages, case page, timeline."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import AuditEvent, User
from waypoint.cases.models import Case, CaseEvent, CompensationClaim, Proceeding
from waypoint.cases.selectors import case_timeline
from waypoint.cases.services import (
    ConcurrentUpdateError,
    compensation_claim_record,
    compensation_claim_status_set,
    proceeding_record,
    proceeding_stage_set,
)
from waypoint.directory.models import Attribute, Organization
from waypoint.directory.taxonomies import taxonomies_sync, term_id
from waypoint.directory.taxonomy_data import AUTHORITY_ROLE, ORGANIZATION_KIND

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 4, 2)


def _tagged(name: str, taxonomy: str, code: str, country: str = "RO") -> Organization:
    organization = Organization.objects.create(
        name=name, description=name, country=country
    )
    Attribute.objects.create(
        link_entity="organization",
        link_id=organization.pk,
        taxonomy_term_id=term_id(taxonomy, code),
    )
    return organization


@pytest.fixture
def authorities(db: None) -> dict[str, Organization]:
    taxonomies_sync()
    return {
        "court": _tagged("Tribunalul București", ORGANIZATION_KIND, "court"),
        "assisting": _tagged(
            "Ministerul Justiției", AUTHORITY_ROLE, "compensation-assisting"
        ),
        "deciding": _tagged(
            "Comisia pentru compensații", AUTHORITY_ROLE, "compensation-deciding"
        ),
        "other": _tagged("Inspectoratul", ORGANIZATION_KIND, "public-authority"),
    }


def _proceeding(actor: User, case: Case, court: Organization) -> Proceeding:
    return proceeding_record(
        actor=actor,
        case=case,
        kind="criminal",
        authority=court,
        stage="investigation",
        person_role="injured_party",
        started_on=DAY,
        case_number="1234/3/2026",
    )


def test_changing_a_proceedings_stage_is_audited_and_in_the_timeline(
    caseworker_a: User, case_a: Case, authorities: dict[str, Organization]
) -> None:
    """The new stage is stored, a case event and an audit row say so."""
    proceeding = _proceeding(caseworker_a, case_a, authorities["court"])
    proceeding_stage_set(actor=caseworker_a, proceeding=proceeding, stage="trial")
    assert Proceeding.objects.get().stage == "trial"
    event = CaseEvent.objects.get(case=case_a, kind="proceeding_stage")
    assert event.data == {
        "proceeding": proceeding.pk,
        "from": "investigation",
        "stage": "trial",
    }
    assert AuditEvent.objects.filter(action="case.proceeding_stage_changed").exists()
    labels = [entry.label for entry in case_timeline(case=case_a)]
    assert "Proceeding moved to: trial" in labels


def test_a_stale_stage_change_is_refused(
    caseworker_a: User, case_a: Case, authorities: dict[str, Organization]
) -> None:
    """Two people moving the same proceeding: the second one is told."""
    proceeding = _proceeding(caseworker_a, case_a, authorities["court"])
    stale = Proceeding.objects.get(pk=proceeding.pk)
    proceeding_stage_set(actor=caseworker_a, proceeding=proceeding, stage="trial")
    with pytest.raises(ConcurrentUpdateError):
        proceeding_stage_set(actor=caseworker_a, proceeding=stale, stage="appeal")
    assert Proceeding.objects.get().stage == "trial"


def test_another_organisations_caseworker_cannot_move_a_proceeding(
    caseworker_a: User,
    caseworker_b: User,
    case_a: Case,
    authorities: dict[str, Organization],
) -> None:
    """The service checks access itself, not only the view."""
    proceeding = _proceeding(caseworker_a, case_a, authorities["court"])
    with pytest.raises(PermissionDenied):
        proceeding_stage_set(actor=caseworker_b, proceeding=proceeding, stage="trial")


def test_a_granted_claim_needs_the_amount_awarded(
    caseworker_a: User, case_a: Case, authorities: dict[str, Organization]
) -> None:
    """Granted without an amount is refused; with one it is stored and logged."""
    claim = compensation_claim_record(
        actor=caseworker_a,
        case=case_a,
        deciding_authority=authorities["deciding"],
        assisting_authority=authorities["assisting"],
        crime_country="DE",
        status="filed",
        filed_on=DAY,
        amount_claimed=Decimal("15000.00"),
    )
    with pytest.raises(ValidationError):
        compensation_claim_status_set(actor=caseworker_a, claim=claim, status="granted")
    compensation_claim_status_set(
        actor=caseworker_a,
        claim=claim,
        status="partly_granted",
        decided_on=DAY + datetime.timedelta(days=90),
        amount_awarded=Decimal("9000.50"),
    )
    stored = CompensationClaim.objects.get()
    assert stored.status == "partly_granted"
    assert stored.amount_awarded == Decimal("9000.50")
    assert stored.filed_on == DAY
    labels = [entry.label for entry in case_timeline(case=case_a)]
    assert "Compensation claim now: partly granted" in labels
    audit = AuditEvent.objects.get(action="case.compensation_status_changed")
    assert "9000" not in str(audit.details)


def test_negative_amounts_are_refused(
    caseworker_a: User, case_a: Case, authorities: dict[str, Organization]
) -> None:
    with pytest.raises(ValidationError):
        compensation_claim_record(
            actor=caseworker_a,
            case=case_a,
            deciding_authority=authorities["deciding"],
            crime_country="RO",
            amount_claimed=Decimal("-1"),
        )


def test_the_claim_form_suggests_the_authorities_for_compensation_first(
    caseworker_a_client: Client, case_a: Case, authorities: dict[str, Organization]
) -> None:
    """Deciding authorities are in a "Suggested" group above other authorities."""
    html = caseworker_a_client.get(
        reverse("cases:claim_create", kwargs={"pk": case_a.pk})
    ).content.decode()
    deciding_select = html.split('name="deciding_authority"')[1].split("</select>")[0]
    suggested = deciding_select.index('label="Suggested"')
    assert suggested < deciding_select.index("Comisia pentru compensații")
    assert deciding_select.index("Comisia pentru compensații") < deciding_select.index(
        "Inspectoratul"
    )
    assisting_select = html.split('name="assisting_authority"')[1].split("</select>")[0]
    assert "Ministerul Justiției" in assisting_select.split("</optgroup>")[0]


def test_a_caseworker_records_a_proceeding_and_a_claim_and_moves_them_on(
    caseworker_a_client: Client, case_a: Case, authorities: dict[str, Organization]
) -> None:
    """Through the pages: both are listed on the case page, the case number
    shows there and is encrypted in the table."""
    client = caseworker_a_client
    response = client.post(
        reverse("cases:proceeding_create", kwargs={"pk": case_a.pk}),
        {
            "kind": "criminal",
            "authority": str(authorities["court"].pk),
            "case_number": "9876/299/2026",
            "stage": "complaint",
            "person_role": "injured_party",
            "started_on": "2026-03-01",
        },
    )
    assert response.status_code == 302
    proceeding = Proceeding.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT case_number FROM cases_proceeding")
        assert "9876" not in str(cursor.fetchall())
    response = client.post(
        reverse(
            "cases:proceeding_stage",
            kwargs={"pk": case_a.pk, "proceeding_pk": proceeding.pk},
        ),
        {"stage": "trial"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cases:claim_create", kwargs={"pk": case_a.pk}),
        {
            "deciding_authority": str(authorities["deciding"].pk),
            "assisting_authority": str(authorities["assisting"].pk),
            "crime_country": "DE",
            "status": "filed",
            "filed_on": "2026-03-05",
            "currency": "EUR",
            "amount_claimed": "12000",
        },
    )
    assert response.status_code == 302
    claim = CompensationClaim.objects.get()
    response = client.post(
        reverse("cases:claim_status", kwargs={"pk": case_a.pk, "claim_pk": claim.pk}),
        {"status": "granted", "decided_on": "2026-06-01", "amount_awarded": "8000"},
    )
    assert response.status_code == 302
    html = client.get(reverse("cases:detail", kwargs={"pk": case_a.pk})).content
    page = html.decode()
    for text in (
        "9876/299/2026",
        "Tribunalul București",
        "trial",
        "injured party",
        "Comisia pentru compensații",
        "Ministerul Justiției",
        "12000",
        "8000",
        "Proceeding moved to: trial",
        "Compensation claim now: granted",
    ):
        assert text in page, text


def test_an_organisation_not_offered_is_refused(
    caseworker_a_client: Client, case_a: Case, authorities: dict[str, Organization]
) -> None:
    """Only directory organisations of the right kind can be chosen."""
    ngo = Organization.objects.create(name="Some NGO", description="x")
    response = caseworker_a_client.post(
        reverse("cases:proceeding_create", kwargs={"pk": case_a.pk}),
        {
            "kind": "civil",
            "authority": str(ngo.pk),
            "stage": "complaint",
            "person_role": "claimant",
            "started_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert not Proceeding.objects.exists()


def test_the_identification_form_records_the_date_and_deciding_authority(
    caseworker_a_client: Client, case_a: Case, authorities: dict[str, Organization]
) -> None:
    """A reasonable-grounds decision with its date and authority; the case page
    shows the date each status was reached."""
    police = _tagged("Poliția Română", ORGANIZATION_KIND, "police")
    url = reverse("cases:identification_create", kwargs={"pk": case_a.pk})
    assert "Poliția Română" in caseworker_a_client.get(url).content.decode()
    for status, day, authority in (
        ("presumed", "2026-02-01", ""),
        ("reasonable_grounds", "2026-02-20", str(police.pk)),
    ):
        response = caseworker_a_client.post(
            url, {"status": status, "decided_on": day, "authority": authority}
        )
        assert response.status_code == 302
    decision = case_a.identifications.get(status="reasonable_grounds")
    assert decision.authority == police
    assert decision.decided_on == datetime.date(2026, 2, 20)
    page = caseworker_a_client.get(
        reverse("cases:detail", kwargs={"pk": case_a.pk})
    ).content.decode()
    assert 'datetime="2026-02-01"' in page and 'datetime="2026-02-20"' in page
