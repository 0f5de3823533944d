"""Referrals to organisations outside the platform, answered through a link."""

from __future__ import annotations

import datetime
import threading
from typing import Any, cast

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.accounts.models import AuditEvent, MemberOrganization, User
from waypoint.cases.models import Case, Consent
from waypoint.cases.services import consent_record
from waypoint.cases.tests.conftest import (
    DISTINCTIVE_FAMILY,
    DISTINCTIVE_GIVEN,
    intake,
)
from waypoint.directory.models import Organization
from waypoint.lib.tokens import token_hash
from waypoint.referrals import services
from waypoint.referrals.models import (
    AccessKind,
    ExternalAccess,
    ExternalLink,
    Referral,
    ReferralEvent,
    Status,
)
from waypoint.referrals.services import external
from waypoint.referrals.tests.conftest import (
    POLICE_EMAIL,
    code_in,
    send_external,
    token_in,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(
    case_a: Case,
    caseworker_a: User,
    police: Organization,
    consent_police: Consent,
    django_capture_on_commit_callbacks: Any,
) -> tuple[Referral, str]:
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        referral = send_external(caseworker_a, case_a, police)
    return referral, token_in(str(mail.outbox[-1].body))


def _open_with_code(client: Client, token: str, capture: Any) -> Any:
    with capture(execute=True):
        client.post(reverse("referrals:external_open", kwargs={"token": token}))
    code = code_in(str(mail.outbox[-1].body))
    return client.post(
        reverse("referrals:external_code", kwargs={"token": token}), {"code": code}
    )


def _kinds(referral: Referral) -> list[str]:
    return list(
        ExternalAccess.objects.filter(referral=referral).values_list("kind", flat=True)
    )


def test_the_emailed_link_carries_no_personal_data_and_only_its_hash_is_stored(
    sent: tuple[Referral, str],
) -> None:
    referral, token = sent
    message = mail.outbox[-1]
    assert message.to == [POLICE_EMAIL]
    assert DISTINCTIVE_GIVEN not in message.body
    assert DISTINCTIVE_FAMILY not in message.body
    link = ExternalLink.objects.get(referral=referral)
    assert token not in link.token_hash
    assert link.token_hash == token_hash(token)
    assert referral.recipient is None and referral.external_email == POLICE_EMAIL


def test_the_recipient_proves_the_code_reads_the_snapshot_and_accepts(
    sent: tuple[Referral, str],
    caseworker_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Open, code by email, snapshot, accept: the sender sees who accepted."""
    referral, token = sent
    client = Client()
    landing = client.get(reverse("referrals:external_open", kwargs={"token": token}))
    assert landing.status_code == 200
    assert DISTINCTIVE_GIVEN not in landing.content.decode()
    response = _open_with_code(client, token, django_capture_on_commit_callbacks)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert DISTINCTIVE_GIVEN in page and DISTINCTIVE_FAMILY in page
    assert "+40 721" not in page  # contact details were not shared
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("referrals:external_act", kwargs={"token": token}),
            {"action": "accept", "version": 1},
        )
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    event = ReferralEvent.objects.get(referral=referral, to_status=Status.ACCEPTED)
    assert event.actor is None and event.external_email == POLICE_EMAIL
    assert caseworker_a.email in [m.to[0] for m in mail.outbox]
    assert _kinds(referral) == [
        AccessKind.LINK_OPENED,
        AccessKind.CODE_SENT,
        AccessKind.CODE_OK,
        AccessKind.SNAPSHOT_VIEWED,
        AccessKind.ACCEPTED,
    ]
    audited = set(
        AuditEvent.objects.filter(target_id=str(referral.pk)).values_list(
            "action", flat=True
        )
    )
    assert {"referral.external_code_ok", "referral.accept"} <= audited


def test_declining_through_the_link_needs_an_explanation_for_other(
    sent: tuple[Referral, str], django_capture_on_commit_callbacks: Any
) -> None:
    referral, token = sent
    client = Client()
    _open_with_code(client, token, django_capture_on_commit_callbacks)
    act = reverse("referrals:external_act", kwargs={"token": token})
    response = client.post(
        act, {"action": "decline", "version": 1, "decline_reason": "other"}, follow=True
    )
    assert "Explain why the referral is declined." in response.content.decode()
    client.post(
        act,
        {
            "action": "decline",
            "version": 1,
            "decline_reason": "out_of_area",
            "text": "Not our district.",
        },
    )
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (
        Status.DECLINED,
        "out_of_area",
    )
    assert AccessKind.DECLINED in _kinds(referral)


def test_the_link_works_once(
    sent: tuple[Referral, str], django_capture_on_commit_callbacks: Any
) -> None:
    """After the code, another browser opening the link is refused."""
    referral, token = sent
    _open_with_code(Client(), token, django_capture_on_commit_callbacks)
    other = Client()
    response = other.get(reverse("referrals:external_open", kwargs={"token": token}))
    assert response.status_code == 410
    assert "already used" in response.content.decode()
    assert AccessKind.LINK_USED in _kinds(referral)


def test_too_many_wrong_codes_lock_the_link(
    sent: tuple[Referral, str], django_capture_on_commit_callbacks: Any
) -> None:
    referral, token = sent
    client = Client()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("referrals:external_open", kwargs={"token": token}))
    right = code_in(str(mail.outbox[-1].body))
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    url = reverse("referrals:external_code", kwargs={"token": token})
    answers = [client.post(url, {"code": wrong}).status_code for _ in range(5)]
    assert answers == [400, 400, 400, 400, 410]
    # Even the right code no longer opens it.
    assert client.post(url, {"code": right}).status_code == 410
    kinds = _kinds(referral)
    assert kinds.count(AccessKind.CODE_WRONG) == 5
    assert AccessKind.LOCKED in kinds
    assert AccessKind.CODE_OK not in kinds


def test_an_expired_link_is_refused_and_logged(sent: tuple[Referral, str]) -> None:
    referral, token = sent
    ExternalLink.objects.filter(referral=referral).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    response = Client().get(reverse("referrals:external_open", kwargs={"token": token}))
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert _kinds(referral) == [AccessKind.LINK_EXPIRED]


def test_the_sender_sends_a_new_link_and_the_old_one_stops_working(
    sent: tuple[Referral, str],
    caseworker_a_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    referral, old = sent
    with django_capture_on_commit_callbacks(execute=True):
        caseworker_a_client.post(
            reverse("referrals:reissue", kwargs={"pk": referral.pk})
        )
    new = token_in(str(mail.outbox[-1].body))
    assert new != old
    client = Client()
    assert (
        client.get(
            reverse("referrals:external_open", kwargs={"token": old})
        ).status_code
        == 410
    )
    assert (
        client.get(
            reverse("referrals:external_open", kwargs={"token": new})
        ).status_code
        == 200
    )


def test_the_link_pages_answer_each_situation(
    request: pytest.FixtureRequest,
    sent: tuple[Referral, str],
    case_a: Case,
    caseworker_a: User,
    police: Organization,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The authorization matrix of the emailed link: who gets what on each
    of its pages (no account involved; the session proves the code)."""
    referral, token = sent
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        other_referral = send_external(caseworker_a, case_a, police)
    other_token = token_in(str(mail.outbox[-1].body))

    def urls(tok: str) -> dict[str, tuple[str, dict[str, Any] | None]]:
        return {
            "external_open": (
                reverse("referrals:external_open", kwargs={"token": tok}),
                None,
            ),
            "external_code": (
                reverse("referrals:external_code", kwargs={"token": tok}),
                {"code": "000000"},
            ),
            "external_referral": (
                reverse("referrals:external_referral", kwargs={"token": tok}),
                None,
            ),
            "external_act": (
                reverse("referrals:external_act", kwargs={"token": tok}),
                {"action": "accept", "version": 1},
            ),
            "external_print": (
                reverse("referrals:external_print", kwargs={"token": tok}),
                None,
            ),
        }

    cells = 0
    report: list[str] = []

    def check(
        situation: str, client: Client, tok: str, expected: dict[str, int]
    ) -> None:
        nonlocal cells
        for name, (url, data) in urls(tok).items():
            response = client.post(url, data) if data is not None else client.get(url)
            cells += 1
            if response.status_code != expected[name]:
                report.append(f"{situation} {name}: {response.status_code}")

    # Unknown token: nothing there.
    check("unknown", Client(), "x" * 43, dict.fromkeys(urls("y"), 404))
    # Link not yet proven by a code: the referral stays closed; a wrong code
    # is answered on the form.
    fresh = {
        "external_open": 200,
        "external_code": 400,
        "external_referral": 404,
        "external_act": 404,
        "external_print": 404,
    }
    check("no code", Client(), other_token, fresh)
    # Signed-in staff get nothing more from a link than anybody else.
    staff = request.getfixturevalue("caseworker_a_client")
    check("staff", staff, other_token, fresh)
    # Proven for one referral: another referral's token opens nothing.
    proven = Client()
    _open_with_code(proven, token, django_capture_on_commit_callbacks)
    check(
        "other referral",
        proven,
        other_token,
        {**fresh, "external_code": 400},
    )
    # Proven for this link: its own pages open (act answers with a redirect).
    check(
        "proven",
        proven,
        token,
        {
            "external_open": 302,
            "external_code": 302,
            "external_referral": 200,
            "external_act": 302,
            "external_print": 200,
        },
    )
    # The used link in another browser: refused.
    used = {
        "external_open": 410,
        "external_code": 410,
        "external_referral": 404,
        "external_act": 404,
        "external_print": 404,
    }
    check("used", Client(), token, used)
    # The access runs out.
    ExternalLink.objects.filter(referral=referral).update(
        access_until=timezone.now() - datetime.timedelta(seconds=1)
    )
    check("access over", proven, token, used)
    # Expired link.
    ExternalLink.objects.filter(referral=other_referral).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    check("expired", Client(), other_token, used)
    print(f"cells={cells} mismatches={len(report)}")
    assert not report, report
    other_referral.refresh_from_db()
    assert other_referral.status == Status.SENT


def test_a_stale_answer_through_the_link_is_a_conflict(
    sent: tuple[Referral, str],
    caseworker_a: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The sender withdrew after the page loaded: the accept is refused."""
    referral, token = sent
    client = Client()
    _open_with_code(client, token, django_capture_on_commit_callbacks)
    services.referral_withdraw(actor=caseworker_a, referral=referral)
    response = client.post(
        reverse("referrals:external_act", kwargs={"token": token}),
        {"action": "accept", "version": 1},
        follow=True,
    )
    assert "Someone else changed this referral" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN


def test_the_send_form_offers_organisations_outside_the_platform(
    caseworker_a_client: Client,
    case_a: Case,
    police: Organization,
    consent_police: Consent,
) -> None:
    url = reverse("referrals:send", kwargs={"case_pk": case_a.pk})
    assert "Police trafficking unit" in caseworker_a_client.get(url).content.decode()
    form = {
        "recipient_kind": "external",
        "needs": ["legal-counselling"],
        "priority": "routine",
        "respond_by": timezone.localdate().isoformat(),
        "data_categories": ["identity"],
    }
    missing = caseworker_a_client.post(url, form)
    assert "Choose the organisation to send it to." in missing.content.decode()
    response = caseworker_a_client.post(
        url,
        {
            **form,
            "external_recipient": police.pk,
            "external_email": "duty@police.example.org",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.external_recipient == police
    assert referral.external_email == "duty@police.example.org"


def test_a_member_organisation_cannot_be_chosen_as_outside_the_platform(
    case_a: Case,
    caseworker_a: User,
    org_b: MemberOrganization,
    consent_b: Consent,
) -> None:
    with pytest.raises(ValidationError):
        send_external(caseworker_a, case_a, org_b.organization)


@pytest.mark.django_db(transaction=True)
def test_an_answer_through_the_link_and_a_withdrawal_at_once_apply_once(
    field_keys: None,
    caseworker_a: User,
    org_a: MemberOrganization,
    police: Organization,
) -> None:
    """The link's accept and the sender's withdrawal race: one wins."""
    if connection.vendor == "sqlite" and cast(Any, connection).is_in_memory_db():
        pytest.skip("threads need a database file or a server to share")
    case = intake(caseworker_a, org_a)
    consent_record(
        actor=caseworker_a,
        case=case,
        scope="sharing",
        method="signed",
        given_on=datetime.date(2026, 5, 1),
        data_categories=("identity", "situation"),
        recipient=police,
    )
    referral = send_external(caseworker_a, case, police)
    link = ExternalLink.objects.get(referral=referral)
    now = timezone.now()
    ExternalLink.objects.filter(pk=link.pk).update(
        verified_at=now, access_until=now + datetime.timedelta(minutes=5)
    )
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def accept() -> None:
        try:
            copy = ExternalLink.objects.select_related("referral").get(pk=link.pk)
            barrier.wait()
            external.external_accept(link=copy, version=1)
            outcomes.append("accepted")
        except services.ConcurrentUpdateError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    def withdraw() -> None:
        try:
            copy = Referral.objects.get(pk=referral.pk)
            barrier.wait()
            services.referral_withdraw(actor=caseworker_a, referral=copy)
            outcomes.append("withdrawn")
        except services.ConcurrentUpdateError:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept), threading.Thread(target=withdraw)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) in (["accepted", "conflict"], ["conflict", "withdrawn"])
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.version == 2
    assert ReferralEvent.objects.filter(referral=referral).count() == 2
