"""Anonymising a person erases what their referrals said, on both sides."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from waypoint.cases.data_requests import person_anonymise
from waypoint.cases.models import Case
from waypoint.cases.services import case_close
from waypoint.referrals import services
from waypoint.referrals.models import (
    Referral,
    ReferralAttachment,
    ReferralEvent,
    ReferralMessage,
    Status,
)

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% the medical report of Ana Distinctova\n%%EOF\n"
SECRETS = (
    "Distinctova",
    "her brother in Vidin",
    "an interpreter for Ana",
    "The report on Ana",
    "Ana settled in the shelter",
)


def _erase(case: Case, caseworker: Any, supervisor: Any, callbacks: Any) -> None:
    case_close(actor=caseworker, case=case, reason="goals_met")
    with callbacks(execute=True):
        person_anonymise(actor=supervisor, person=case.person)


@pytest.fixture
def talked_about(referral: Referral, caseworker_a: Any, caseworker_b: Any) -> Referral:
    """A referral whose history, messages and file all speak of the person."""
    services.referral_accept(
        actor=caseworker_b, referral=referral, note="We booked an interpreter for Ana."
    )
    services.referral_message_add(
        actor=caseworker_a, referral=referral, text="She fears her brother in Vidin."
    )
    services.referral_message_add(
        actor=caseworker_b,
        referral=referral,
        text="The report on Ana is attached.",
        uploads=[SimpleUploadedFile("Distinctova-report.pdf", PDF)],
    )
    services.referral_start(actor=caseworker_b, referral=referral)
    services.referral_complete(
        actor=caseworker_b, referral=referral, outcome="Ana settled in the shelter."
    )
    referral.refresh_from_db()
    return referral


def test_anonymising_erases_the_messages_notes_outcome_and_files(
    talked_about: Referral,
    case_a: Case,
    caseworker_a: Any,
    supervisor_a: Any,
    caseworker_b_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    attachment = ReferralAttachment.objects.get(referral=talked_about)
    on_disk = Path(settings.WAYPOINT_PRIVATE_FILES_DIR, str(attachment.file.name))
    assert on_disk.exists()
    page = caseworker_b_client.get(talked_about.get_absolute_url()).content.decode()
    assert all(secret in page for secret in SECRETS[1:])

    _erase(case_a, caseworker_a, supervisor_a, django_capture_on_commit_callbacks)

    talked_about.refresh_from_db()
    assert talked_about.outcome == ""
    assert talked_about.snapshot == {}
    # The thread keeps its two places, each marked as erased.
    messages = list(ReferralMessage.objects.filter(referral=talked_about))
    assert [(m.text, m.erased_at is not None) for m in messages] == [
        ("", True),
        ("", True),
    ]
    events = ReferralEvent.objects.filter(referral=talked_about)
    assert [e.note for e in events] == [""] * 4
    assert not ReferralAttachment.objects.filter(referral=talked_about).exists()
    assert not on_disk.exists()
    # What the statistics count stays.
    assert talked_about.status == Status.COMPLETED

    page = caseworker_b_client.get(talked_about.get_absolute_url()).content.decode()
    assert not any(secret in page for secret in SECRETS)
    assert page.count("Erased when the person's data was anonymised.") == 2


def test_the_database_lets_through_the_erasure_and_nothing_else(
    talked_about: Referral,
    case_a: Case,
    caseworker_a: Any,
    supervisor_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """Once erased, a row is fixed again; an erasure cannot hide another change."""
    message = ReferralMessage.objects.filter(referral=talked_about).first()
    assert message is not None
    refused = (IntegrityError, DatabaseError)
    now = timezone.now()
    # An "erasure" that also changes the author or the time is refused.
    with pytest.raises(refused), transaction.atomic():
        ReferralMessage.objects.filter(pk=message.pk).update(
            text="", erased_at=now, at=now
        )
    with pytest.raises(refused), transaction.atomic():
        ReferralEvent.objects.filter(referral=talked_about).update(
            note="", erased_at=now, to_status=Status.DECLINED
        )

    _erase(case_a, caseworker_a, supervisor_a, django_capture_on_commit_callbacks)

    for change in ({"text": "Put back."}, {"erased_at": None}, {"erased_at": now}):
        with pytest.raises(refused), transaction.atomic():
            ReferralMessage.objects.filter(pk=message.pk).update(**change)
    with pytest.raises(refused), transaction.atomic():
        ReferralMessage.objects.filter(pk=message.pk).delete()
    assert ReferralMessage.objects.get(pk=message.pk).text == ""
