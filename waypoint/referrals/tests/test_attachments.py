"""Files sent with referral messages: encrypted on disk, either side only."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from waypoint.accounts.models import AuditEvent, User
from waypoint.cases.documents import MAX_DOCUMENT_BYTES
from waypoint.referrals import services
from waypoint.referrals.models import Referral, ReferralAttachment

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a referral letter naming Ana Distinctova\n%%EOF\n"


def test_an_attachment_is_stored_encrypted_and_both_sides_download_it(
    referral: Referral,
    caseworker_b_client: Client,
    caseworker_a_client: Client,
) -> None:
    response = caseworker_b_client.post(
        reverse("referrals:message", kwargs={"pk": referral.pk}),
        {"text": "The letter.", "attachments": [SimpleUploadedFile("a.pdf", PDF)]},
    )
    assert response.status_code == 302
    attachment = ReferralAttachment.objects.get()
    on_disk = Path(settings.WAYPOINT_PRIVATE_FILES_DIR, str(attachment.file.name))
    assert b"Distinctova" not in on_disk.read_bytes()
    url = reverse(
        "referrals:attachment",
        kwargs={"pk": referral.pk, "attachment_pk": attachment.pk},
    )
    assert url in caseworker_a_client.get(referral.get_absolute_url()).content.decode()
    for client in (caseworker_a_client, caseworker_b_client):
        download = client.get(url)
        assert download.status_code == 200
        assert download.content == PDF
        assert download["Content-Type"] == "application/pdf"
    assert AuditEvent.objects.filter(action="referral.attachment_read").count() == 2


def test_another_referrals_attachment_is_not_found_through_this_one(
    referral: Referral,
    caseworker_a: User,
    caseworker_b: User,
    caseworker_c: User,
    case_a: object,
    org_b: object,
) -> None:
    from waypoint.referrals.tests.conftest import send

    other = send(caseworker_a, case_a, org_b)  # type: ignore[arg-type]
    services.referral_message_add(
        actor=caseworker_a,
        referral=other,
        text="x",
        uploads=[SimpleUploadedFile("a.pdf", PDF)],
    )
    attachment = ReferralAttachment.objects.get()
    from waypoint.accounts.testing import login_with_second_factor

    client = login_with_second_factor(Client(), caseworker_b)
    wrong = reverse(
        "referrals:attachment",
        kwargs={"pk": referral.pk, "attachment_pk": attachment.pk},
    )
    assert client.get(wrong).status_code == 404
    third = login_with_second_factor(Client(), caseworker_c)
    right = reverse(
        "referrals:attachment", kwargs={"pk": other.pk, "attachment_pk": attachment.pk}
    )
    assert third.get(right).status_code == 404
    assert not AuditEvent.objects.filter(action="referral.attachment_read").exists()


@pytest.mark.parametrize(
    ("name", "content", "error"),
    [
        ("run.exe", b"MZ\x90\x00", "Only PDF, JPEG, PNG and Word (DOCX) files"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_DOCUMENT_BYTES, "larger than 10 MB"),
        ("empty.pdf", b"", "The submitted file is empty."),
    ],
)
def test_a_refused_file_is_named_beside_the_attachments_field(
    referral: Referral,
    caseworker_b_client: Client,
    name: str,
    content: bytes,
    error: str,
) -> None:
    response = caseworker_b_client.post(
        reverse("referrals:message", kwargs={"pk": referral.pk}),
        {"text": "Here.", "attachments": [SimpleUploadedFile(name, content)]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert error in html
    assert 'href="#id_attachments"' in html  # the error summary links the field
    assert not referral.messages.exists()
    assert not ReferralAttachment.objects.exists()


def test_the_printable_form_shows_the_snapshot_and_is_audited(
    referral: Referral, caseworker_b_client: Client
) -> None:
    from waypoint.cases.tests.conftest import DISTINCTIVE_GIVEN

    response = caseworker_b_client.get(
        reverse("referrals:print", kwargs={"pk": referral.pk})
    )
    html = response.content.decode()
    assert DISTINCTIVE_GIVEN in html
    assert "referrals/print.css" in html
    assert AuditEvent.objects.filter(action="referral.printed").count() == 1
