"""The partner API: tokens, scoping to the organisation, reads and changes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from waypoint.accounts.models import (
    AuditEvent,
    MemberOrganization,
    Membership,
    Role,
    User,
)
from waypoint.accounts.testing import staff_make
from waypoint.api.models import ApiToken
from waypoint.api.services import api_token_create, api_token_revoke
from waypoint.cases.models import Case
from waypoint.cases.tests.conftest import intake
from waypoint.directory.testing import member_organization_make
from waypoint.referrals.models import Referral, ReferralMessage, Status
from waypoint.referrals.tests.conftest import consent_for, send

BASE = "/api/partner"


@pytest.fixture(autouse=True)
def _language_reset() -> Iterator[None]:
    """Requests in Swedish leave Swedish active in the test's thread."""
    yield
    translation.deactivate()


@pytest.fixture
def org_c(db: None) -> MemberOrganization:
    return member_organization_make("Organisation C", country="SE")


@pytest.fixture
def caseworker_c(org_c: MemberOrganization) -> User:
    return staff_make("caseworker_c", org_c, Role.CASEWORKER)


@pytest.fixture
def case_a(field_keys: None, caseworker_a: User, org_a: MemberOrganization) -> Case:
    return intake(caseworker_a, org_a)


@pytest.fixture
def referral(
    case_a: Case, caseworker_a: User, caseworker_b: User, org_b: MemberOrganization
) -> Referral:
    """Organisation A refers its case to B, sharing identity and case summary."""
    consent_for(caseworker_a, case_a, org_b)
    return send(caseworker_a, case_a, org_b)


def _token(organization: MemberOrganization, acts_as: User) -> str:
    admin = staff_make(
        f"admin_{organization.pk}_{acts_as.pk}", organization, Role.ORG_ADMIN
    )
    _token, raw = api_token_create(
        actor=admin, organization=organization, name="CMS", acts_as=acts_as
    )
    return raw


@pytest.fixture
def token_b(org_b: MemberOrganization, caseworker_b: User) -> str:
    """The recipient's system, acting as caseworker B."""
    return _token(org_b, caseworker_b)


@pytest.fixture
def token_a(org_a: MemberOrganization, supervisor_a: User) -> str:
    """The sender's system, acting as supervisor A."""
    return _token(org_a, supervisor_a)


@pytest.fixture
def token_c(org_c: MemberOrganization, caseworker_c: User) -> str:
    """A third organisation's system: it must see nothing of A's and B's."""
    return _token(org_c, caseworker_c)


def _get(token: str, path: str, language: str = "en") -> Any:
    return Client().get(
        BASE + path,
        headers={"authorization": f"Bearer {token}", "accept-language": language},
    )


def _post(token: str, path: str, body: dict[str, Any]) -> Any:
    return Client().post(
        BASE + path,
        json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def test_the_recipient_lists_its_incoming_referrals_and_filters_by_status(
    referral: Referral, token_b: str
) -> None:
    response = _get(token_b, "/referrals?direction=incoming")
    assert response.status_code == 200
    page = response.json()
    assert page["total_items"] == 1
    item = page["contents"][0]
    assert item["id"] == referral.pk
    assert item["direction"] == "incoming"
    assert item["status"] == {"code": "sent", "label": "sent"}
    assert item["sender"]["name"] == "Organisation A"
    assert item["recipient"]["country"] == "DE"
    assert (
        _get(token_b, "/referrals?direction=incoming&status=accepted").json()[
            "total_items"
        ]
        == 0
    )
    assert _get(token_b, "/referrals?direction=outgoing").json()["total_items"] == 0


def test_the_sender_lists_its_outgoing_referrals(
    referral: Referral, token_a: str
) -> None:
    page = _get(token_a, "/referrals?direction=outgoing").json()
    assert [item["id"] for item in page["contents"]] == [referral.pk]
    assert page["contents"][0]["direction"] == "outgoing"
    assert _get(token_a, "/referrals").json()["total_items"] == 0  # incoming


def test_listing_is_paginated(
    case_a: Case, caseworker_a: User, org_b: MemberOrganization, token_b: str
) -> None:
    consent_for(caseworker_a, case_a, org_b)
    sent = [send(caseworker_a, case_a, org_b).pk for _ in range(3)]
    first = _get(token_b, "/referrals?per_page=2").json()
    second = _get(token_b, "/referrals?per_page=2&page=2").json()
    assert (first["total_items"], first["total_pages"], first["size"]) == (3, 2, 2)
    listed = [i["id"] for i in first["contents"]] + [
        i["id"] for i in second["contents"]
    ]
    assert sorted(listed) == sorted(sent)


def test_a_bad_filter_is_refused_naming_the_parameter(token_b: str) -> None:
    response = _get(token_b, "/referrals?status=lost&per_page=1000")
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"status", "per_page"}


def test_the_recipient_reads_only_the_shared_snapshot_in_its_language(
    referral: Referral, token_b: str, caseworker_b: User
) -> None:
    response = _get(token_b, f"/referrals/{referral.pk}", language="sv")
    assert response.status_code == 200
    data = response.json()
    assert data["case_code"] is None  # the recipient never sees the case
    assert [s["category"]["code"] for s in data["shared_data"]] == [
        "identity",
        "case_summary",
    ]
    assert data["shared_data"][0]["category"]["label"] == "namn och födelsedatum"
    assert data["status"]["label"] == "skickad"
    assert data["needs"] == [
        {"code": "legal-counselling", "label": "juridisk rådgivning"}
    ]
    labels = [f["label"] for f in data["shared_data"][0]["fields"]]
    assert "Förnamn" in labels
    assert data["actions"] == ["acknowledge", "accept", "decline"]
    reads = AuditEvent.objects.filter(target_id=str(referral.pk), actor=caseworker_b)
    assert reads.filter(action="referral.read").count() == 1
    api_read = reads.get(action="api.referral_read")
    token = ApiToken.objects.get(acts_as=caseworker_b)
    assert api_read.details == {"token": token.pk}
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_another_organisations_token_gets_404(referral: Referral, token_c: str) -> None:
    for path in (
        f"/referrals/{referral.pk}",
        f"/referrals/{referral.pk}/messages",
    ):
        response = _get(token_c, path)
        assert response.status_code == 404, path
        assert response.json()["detail"] == "No such referral."
    response = _post(token_c, f"/referrals/{referral.pk}/accept", {"version": 1})
    assert response.status_code == 404
    assert _get(token_c, "/referrals").json()["total_items"] == 0
    assert _get(token_c, "/referrals?direction=outgoing").json()["total_items"] == 0
    assert not AuditEvent.objects.filter(
        target_id=str(referral.pk), action="referral.read"
    ).exists()


def test_revoked_unknown_and_missing_tokens_get_401(
    referral: Referral, org_b: MemberOrganization, caseworker_b: User
) -> None:
    admin = staff_make("admin_b", org_b, Role.ORG_ADMIN)
    token, raw = api_token_create(
        actor=admin, organization=org_b, name="CMS", acts_as=caseworker_b
    )
    assert _get(raw, "/referrals").status_code == 200
    api_token_revoke(actor=admin, token=token)
    response = _get(raw, "/referrals")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert _get("wpt_guessed", "/referrals").status_code == 401
    assert Client().get(BASE + "/referrals").status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoked").count() == 1


def test_a_token_whose_member_lost_the_case_role_gets_403(
    referral: Referral, token_b: str, caseworker_b: User
) -> None:
    Membership.objects.filter(user=caseworker_b).update(is_active=False)
    response = _get(token_b, "/referrals")
    assert response.status_code == 403
    assert "no longer works on cases" in response.json()["detail"]


def test_only_case_workers_can_be_the_acting_member(
    org_b: MemberOrganization, caseworker_a: User
) -> None:
    from django.core.exceptions import ValidationError

    admin = staff_make("admin_b", org_b, Role.ORG_ADMIN)
    with pytest.raises(ValidationError) as error:
        api_token_create(actor=admin, organization=org_b, name="CMS", acts_as=admin)
    assert "acts_as" in error.value.message_dict
    with pytest.raises(ValidationError):  # a member of another organisation
        api_token_create(
            actor=admin, organization=org_b, name="CMS", acts_as=caseworker_a
        )


def test_recipient_accepts_starts_and_completes_and_the_sender_reads_it(
    referral: Referral, token_b: str, token_a: str, caseworker_b: User
) -> None:
    path = f"/referrals/{referral.pk}"
    version = _post(token_b, path + "/acknowledge", {"version": 1}).json()["version"]
    accepted = _post(token_b, path + "/accept", {"version": version, "note": "Yes"})
    assert accepted.status_code == 200
    assert accepted.json()["status"]["code"] == "accepted"
    version = _post(
        token_b, path + "/start", {"version": accepted.json()["version"]}
    ).json()["version"]
    done = _post(
        token_b, path + "/complete", {"version": version, "outcome": "Advice given."}
    )
    assert done.status_code == 200
    sender_view = _get(token_a, path).json()
    assert sender_view["status"]["code"] == "completed"
    assert sender_view["outcome"] == "Advice given."
    assert sender_view["case_code"] == referral.case.code
    assert [e["to_status"]["code"] for e in sender_view["events"]] == [
        "sent",
        "acknowledged",
        "accepted",
        "in_progress",
        "completed",
    ]
    assert {e["by"] for e in sender_view["events"][1:]} == {"caseworker_b"}
    assert AuditEvent.objects.filter(
        action="referral.complete", actor=caseworker_b
    ).exists()


def test_a_side_cannot_take_the_other_sides_steps(
    referral: Referral, token_a: str, token_b: str
) -> None:
    path = f"/referrals/{referral.pk}"
    response = _post(token_a, path + "/accept", {"version": 1})
    assert response.status_code == 403
    assert response.json()["detail"] == "Only the receiving organisation may do that."
    assert _post(token_b, path + "/withdraw", {"version": 1}).status_code == 403
    withdrawn = _post(token_a, path + "/withdraw", {"version": 1, "note": "Moved"})
    assert withdrawn.json()["status"]["code"] == "withdrawn"


def test_a_stale_version_and_an_impossible_step_are_conflicts(
    referral: Referral, token_b: str
) -> None:
    path = f"/referrals/{referral.pk}"
    assert _post(token_b, path + "/accept", {"version": 1}).status_code == 200
    stale = _post(token_b, path + "/decline", {"version": 1, "reason": "no_capacity"})
    assert stale.status_code == 409
    assert "changed this referral" in stale.json()["detail"]
    impossible = _post(token_b, path + "/acknowledge", {"version": 2})
    assert impossible.status_code == 409
    referral.refresh_from_db()
    assert (referral.status, referral.version) == (Status.ACCEPTED, 2)


def test_invalid_changes_name_the_field(referral: Referral, token_b: str) -> None:
    path = f"/referrals/{referral.pk}"
    unknown = _post(token_b, path + "/decline", {"version": 1, "reason": "bored"})
    assert unknown.status_code == 422
    assert [e["field"] for e in unknown.json()["errors"]] == ["reason"]
    unexplained = _post(token_b, path + "/decline", {"version": 1, "reason": "other"})
    assert unexplained.status_code == 422
    assert unexplained.json()["errors"][0]["field"] == "text"
    no_version = _post(token_b, path + "/accept", {})
    assert no_version.status_code == 422
    assert no_version.json()["errors"][0]["field"] == "version"
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_messages_go_both_ways(
    referral: Referral, token_a: str, token_b: str, caseworker_b: User
) -> None:
    path = f"/referrals/{referral.pk}/messages"
    posted = _post(token_b, path, {"text": "When can she come?"})
    assert posted.status_code == 201
    assert posted.json()["author"] == "caseworker_b"
    assert _post(token_b, path, {"text": ""}).json()["errors"][0]["field"] == "text"
    thread = _get(token_a, path).json()
    assert [(m["text"], m["organisation"]["name"]) for m in thread] == [
        ("When can she come?", "Organisation B")
    ]
    assert ReferralMessage.objects.get().author == caseworker_b


def test_the_openapi_document_describes_every_operation(client: Client) -> None:
    response = client.get(BASE + "/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    operations = {
        operation["operationId"]
        for methods in schema["paths"].values()
        for operation in methods.values()
    }
    assert operations == {
        "referrals_list",
        "referral_read",
        "referral_acknowledge",
        "referral_accept",
        "referral_decline",
        "referral_start",
        "referral_complete",
        "referral_not_complete",
        "referral_withdraw",
        "referral_messages_list",
        "referral_message_add",
    }
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    decline = schema["components"]["schemas"]["DeclineIn"]
    assert "reason" in decline["required"]


# --- Authorization matrix ---------------------------------------------------------

# Who the caller is: the recipient's token, the sender's, a third organisation's,
# a revoked token, none.
CALLERS = ("recipient", "sender", "third", "revoked", "none")
# (method, path, body) → expected status per caller. The referral stays "sent":
# the changes tried are refused or taken on a fresh copy each time.
MATRIX: dict[str, dict[str, int]] = {
    "list": {
        "recipient": 200,
        "sender": 200,
        "third": 200,
        "revoked": 401,
        "none": 401,
    },
    "read": {
        "recipient": 200,
        "sender": 200,
        "third": 404,
        "revoked": 401,
        "none": 401,
    },
    "messages": {
        "recipient": 200,
        "sender": 200,
        "third": 404,
        "revoked": 401,
        "none": 401,
    },
    "acknowledge": {
        "recipient": 200,
        "sender": 403,
        "third": 404,
        "revoked": 401,
        "none": 401,
    },
    "withdraw": {
        "recipient": 403,
        "sender": 200,
        "third": 404,
        "revoked": 401,
        "none": 401,
    },
    "message": {
        "recipient": 201,
        "sender": 201,
        "third": 404,
        "revoked": 401,
        "none": 401,
    },
}


def test_the_api_authorization_matrix_holds(
    case_a: Case,
    caseworker_a: User,
    org_b: MemberOrganization,
    token_a: str,
    token_b: str,
    token_c: str,
) -> None:
    consent_for(caseworker_a, case_a, org_b)
    admin = staff_make("admin_revoker", org_b, Role.ORG_ADMIN)
    revoked, revoked_raw = api_token_create(
        actor=admin,
        organization=org_b,
        name="old",
        acts_as=ApiToken.objects.get(organization=org_b).acts_as,
    )
    api_token_revoke(actor=admin, token=revoked)
    raw = {
        "recipient": token_b,
        "sender": token_a,
        "third": token_c,
        "revoked": revoked_raw,
        "none": "",
    }
    report = []
    for name, expected in MATRIX.items():
        for caller in CALLERS:
            referral = send(caseworker_a, case_a, org_b)
            path = f"/referrals/{referral.pk}"
            requests = {
                "list": ("get", "/referrals", None),
                "read": ("get", path, None),
                "messages": ("get", path + "/messages", None),
                "acknowledge": ("post", path + "/acknowledge", {"version": 1}),
                "withdraw": ("post", path + "/withdraw", {"version": 1}),
                "message": ("post", path + "/messages", {"text": "Hello"}),
            }
            method, url, body = requests[name]
            headers = {"authorization": f"Bearer {raw[caller]}"} if raw[caller] else {}
            client = Client()
            if method == "get":
                response = client.get(BASE + url, headers=headers)
            else:
                response = client.post(
                    BASE + url,
                    json.dumps(body),
                    content_type="application/json",
                    headers=headers,
                )
            if response.status_code != expected[caller]:
                report.append(f"{caller} {name}: {response.status_code}")
            if response.status_code >= 400:
                referral.refresh_from_db()
                assert (referral.status, referral.version) == (Status.SENT, 1)
                assert not referral.messages.exists()
    assert not report, report


# --- The administrator's page -----------------------------------------------------


def test_an_administrator_creates_a_token_shown_once_and_revokes_it(
    org_admin_a_client: Client,
    org_a: MemberOrganization,
    caseworker_a: User,
    org_admin_a: User,
) -> None:
    url = reverse("api_tokens:list", kwargs={"pk": org_a.pk})
    missing = org_admin_a_client.post(url, {"name": "", "acts_as": ""})
    assert missing.status_code == 200
    assert "manage-error-summary" in missing.content.decode()
    assert not ApiToken.objects.exists()
    response = org_admin_a_client.post(
        url, {"name": "Our CMS", "acts_as": caseworker_a.pk}
    )
    assert response["Cache-Control"] == "no-store"
    raw = response.context["raw_token"]
    assert raw.startswith("wpt_") and raw in response.content.decode()
    token = ApiToken.objects.get()
    assert raw not in (token.token_hash, token.prefix)
    assert (token.acts_as, token.created_by) == (caseworker_a, org_admin_a)
    listing = org_admin_a_client.get(url).content.decode()
    assert raw not in listing and token.prefix in listing
    assert _get(raw, "/referrals").status_code == 200
    revoke = reverse("api_tokens:revoke", kwargs={"pk": org_a.pk, "token_pk": token.pk})
    assert org_admin_a_client.post(revoke).status_code == 302
    assert _get(raw, "/referrals").status_code == 401
    assert list(
        AuditEvent.objects.filter(target_type="api.apitoken").values_list(
            "action", flat=True
        )
    ) == ["api_token.revoked", "api_token.created"]


def test_only_the_organisations_administrator_opens_the_token_page(
    caseworker_a_client: Client,
    org_admin_a_client: Client,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
) -> None:
    own = reverse("api_tokens:list", kwargs={"pk": org_a.pk})
    other = reverse("api_tokens:list", kwargs={"pk": org_b.pk})
    assert org_admin_a_client.get(own).status_code == 200
    assert org_admin_a_client.get(other).status_code == 404
    assert caseworker_a_client.get(own).status_code == 404


def test_changes_need_no_csrf_token_but_a_bearer_token(
    referral: Referral, token_b: str
) -> None:
    """Partner systems have no browser session: the bearer token is the proof."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        f"{BASE}/referrals/{referral.pk}/acknowledge",
        json.dumps({"version": 1}),
        content_type="application/json",
        headers={"authorization": f"Bearer {token_b}"},
    )
    assert response.status_code == 200
    assert response.json()["status"]["code"] == "acknowledged"


def test_a_token_over_its_rate_limit_gets_a_clear_429(
    token_b: str, token_a: str, referral: Referral, settings: Any
) -> None:
    """The third request in the window is refused; another token goes on."""
    settings.WAYPOINT_PARTNER_RATE_LIMIT = 2
    for _ in range(2):
        assert _get(token_b, "/referrals").status_code == 200
    response = _get(token_b, "/referrals")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["retry_after"] == int(response["Retry-After"])
    assert "Too many requests: at most 2 every 60 seconds" in body["detail"]
    assert _get(token_a, "/referrals").status_code == 200
