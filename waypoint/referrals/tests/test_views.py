"""The referral pages: who gets what, and both sides' walk through one."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from waypoint.accounts.models import MemberOrganization, User
from waypoint.accounts.testing import login_with_second_factor
from waypoint.cases.models import Case, Consent
from waypoint.cases.tests.conftest import DISTINCTIVE_FAMILY, DISTINCTIVE_GIVEN
from waypoint.referrals import services
from waypoint.referrals import urls as referral_urls
from waypoint.referrals.models import Referral, ReferralAttachment, Status
from waypoint.referrals.tests.conftest import bring_to, send

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

PERSONAS = (
    "caseworker_a",  # sender, assigned to the case
    "supervisor_a",  # sender side through supervision
    "org_admin_a",
    "caseworker_b",  # recipient organisation
    "caseworker_c",  # a third member organisation
    # Before "outsider", whose sign-in gives the account an authenticator.
    "outsider_without_2fa",
    "outsider",
    "platform_admin",
    "anonymous",
)
DENIED: dict[str, int | str] = {
    "org_admin_a": 404,
    "caseworker_b": 404,
    "caseworker_c": 404,
    "outsider": 404,
    "outsider_without_2fa": "2fa",
    "platform_admin": 404,
    "anonymous": "login",
}
SENDER = {**DENIED, "caseworker_a": 200, "supervisor_a": 200}
BOTH = {**SENDER, "caseworker_b": 200}
# POSTs answer with a redirect back to the referral (302) to both sides.
BOTH_POST = {**BOTH, "caseworker_a": 302, "supervisor_a": 302, "caseworker_b": 302}
MATRIX: dict[str, dict[str, int | str]] = {
    "inbox": {**BOTH, "caseworker_c": 200},
    "send": SENDER,
    "detail": BOTH,
    # A stale version: answered with the conflict message, nothing changes.
    "act": BOTH_POST,
    # An empty message: the page again with the field's error, nothing written.
    "message": {**BOTH, "caseworker_a": 400, "supervisor_a": 400, "caseworker_b": 400},
    # Re-sending a declined referral: the sender side only.
    "resend": SENDER,
    # A file of a message: either side.
    "attachment": BOTH,
    # The printable form: either side.
    "print": BOTH,
    # A new link for a recipient outside the platform: the sender side; the
    # referral here goes to a member, so even the sender gets 404.
    "reissue": {**DENIED, "caseworker_a": 404, "supervisor_a": 404},
}
# The recipient outside the platform has no account: its pages are reached by
# the emailed link's token, whoever is signed in (see test_external.py).
EXTERNAL = {
    "external_open",
    "external_code",
    "external_referral",
    "external_act",
    "external_print",
}
POSTED: dict[str, dict[str, Any]] = {
    "act": {"action": "withdraw", "version": 99},
    "message": {"text": ""},
    "reissue": {},
}


def _client(persona: str, request: pytest.FixtureRequest) -> Client:
    if persona == "anonymous":
        return Client()
    client = Client()
    if persona == "outsider_without_2fa":
        client.force_login(request.getfixturevalue("outsider"))
        return client
    return login_with_second_factor(client, request.getfixturevalue(persona))


def _outcome(response: Any) -> int | str:
    if response.status_code == 302:
        for marker, outcome in (("/login", "login"), ("/2fa/", "2fa")):
            if marker in response["Location"]:
                return outcome
    return int(response.status_code)


def test_every_referral_url_is_in_the_authorization_matrix() -> None:
    """Adding a page without deciding who may open it fails here."""
    names = {
        pattern.name
        for pattern in referral_urls.urlpatterns
        if isinstance(pattern, URLPattern)
    }
    assert names == set(MATRIX) | EXTERNAL


def test_the_authorization_matrix_holds(
    request: pytest.FixtureRequest,
    referral: Referral,
    case_a: Case,
    caseworker_a: User,
    caseworker_b: User,
    caseworker_c: User,
    org_b: MemberOrganization,
) -> None:
    """Each persona gets the expected answer on each referral page."""
    declined = send(caseworker_a, case_a, org_b)
    bring_to(Status.DECLINED, declined, sender=caseworker_a, recipient=caseworker_b)
    services.referral_message_add(
        actor=caseworker_b,
        referral=referral,
        text="See the letter.",
        uploads=[SimpleUploadedFile("letter.pdf", PDF_BYTES)],
    )
    attachment = ReferralAttachment.objects.get()
    kwargs_by_name: dict[str, dict[str, int]] = {
        "inbox": {},
        "send": {"case_pk": case_a.pk},
        "resend": {"pk": declined.pk},
        "attachment": {"pk": referral.pk, "attachment_pk": attachment.pk},
    }
    cells = mismatches = 0
    report = []
    for persona in PERSONAS:
        client = _client(persona, request)
        for name, expected_by_persona in MATRIX.items():
            kwargs = kwargs_by_name.get(name, {"pk": referral.pk})
            url = reverse(f"referrals:{name}", kwargs=kwargs)
            if name in POSTED:
                response = client.post(url, POSTED[name])
            else:
                response = client.get(url)
            got = _outcome(response)
            cells += 1
            if got != expected_by_persona[persona]:
                mismatches += 1
                report.append(
                    f"{persona} {name}: {got} != {expected_by_persona[persona]}"
                )
    print(f"cells={cells} mismatches={mismatches}")
    assert not report, report
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == (Status.SENT, 1)
    assert stored.messages.count() == 1


def test_the_recipient_reads_the_snapshot_and_never_the_case(
    referral: Referral, case_a: Case, caseworker_b_client: Client
) -> None:
    """Shared: the name and the case summary. Not shared: contact details,
    documents, the case code, a link to the case. The title names no one."""
    html = caseworker_b_client.get(
        reverse("referrals:detail", kwargs={"pk": referral.pk})
    ).content.decode()
    assert DISTINCTIVE_GIVEN in html and DISTINCTIVE_FAMILY in html
    for hidden in ("+40 721", "RX 123456", case_a.code):
        assert hidden not in html
    assert reverse("cases:detail", kwargs={"pk": case_a.pk}) not in html
    title = html.split("<title>")[1].split("</title>")[0]
    assert DISTINCTIVE_GIVEN not in title
    assert f"R-{referral.pk}" in title
    # The case itself stays closed to the recipient.
    response = caseworker_b_client.get(
        reverse("cases:detail", kwargs={"pk": case_a.pk})
    )
    assert response.status_code == 404


def test_a_caseworker_refers_from_the_case_page_and_follows_each_step(
    caseworker_a_client: Client,
    caseworker_b_client: Client,
    case_a: Case,
    org_b: MemberOrganization,
    consent_b: Consent,
) -> None:
    """Refer link on the case, the form, the recipient's inbox and answer,
    the sender seeing the outcome, a message each way."""
    case_page = reverse("cases:detail", kwargs={"pk": case_a.pk})
    send_url = reverse("referrals:send", kwargs={"case_pk": case_a.pk})
    assert send_url in caseworker_a_client.get(case_page).content.decode()
    form_page = caseworker_a_client.get(send_url).content.decode()
    assert "Organisation B" in form_page  # the consent is shown
    response = caseworker_a_client.post(
        send_url,
        {
            "recipient": org_b.pk,
            "needs": ["legal-counselling", "shelter"],
            "priority": "urgent",
            "respond_by": (timezone.localdate()).isoformat(),
            "interpreter_language": "ro",
            "data_categories": ["identity", "needs_assessment"],
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    detail = reverse("referrals:detail", kwargs={"pk": referral.pk})
    assert response["Location"] == detail
    assert referral.data_categories == ["identity", "needs_assessment"]

    inbox = caseworker_b_client.get(reverse("referrals:inbox")).content.decode()
    assert detail in inbox
    act = reverse("referrals:act", kwargs={"pk": referral.pk})
    caseworker_b_client.post(act, {"action": "accept", "version": 1})
    caseworker_b_client.post(
        reverse("referrals:message", kwargs={"pk": referral.pk}),
        {"text": "Appointment on Monday at 10."},
    )
    caseworker_b_client.post(
        act, {"action": "complete", "version": 2, "text": "Advice given on rights."}
    )
    referral.refresh_from_db()
    assert referral.status == Status.COMPLETED

    sender_view = caseworker_a_client.get(detail).content.decode()
    assert "Advice given on rights." in sender_view
    assert "Appointment on Monday at 10." in sender_view
    assert case_a.code in sender_view
    assert f"R-{referral.pk}" in caseworker_a_client.get(case_page).content.decode()


def test_acting_from_a_stale_page_shows_a_clear_message(
    referral: Referral, caseworker_b: User, caseworker_a_client: Client
) -> None:
    """The recipient accepted after the sender's page loaded: the sender's
    withdrawal is refused with a message saying why."""
    services.referral_accept(actor=caseworker_b, referral=referral)
    response = caseworker_a_client.post(
        reverse("referrals:act", kwargs={"pk": referral.pk}),
        {"action": "withdraw", "version": 1},
        follow=True,
    )
    assert "Someone else changed this referral" in response.content.decode()
    assert Referral.objects.get(pk=referral.pk).status == Status.ACCEPTED


def test_the_recipient_cannot_take_the_senders_step(
    referral: Referral, caseworker_b_client: Client
) -> None:
    """Withdrawing belongs to the sender: refused to the recipient."""
    response = caseworker_b_client.post(
        reverse("referrals:act", kwargs={"pk": referral.pk}),
        {"action": "withdraw", "version": 1},
    )
    assert response.status_code == 403
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_referral_pages_are_not_cached(
    referral: Referral, caseworker_b_client: Client
) -> None:
    """Browsers and proxies keep no copy of a referral."""
    response = caseworker_b_client.get(
        reverse("referrals:detail", kwargs={"pk": referral.pk})
    )
    assert "no-store" in response["Cache-Control"]
