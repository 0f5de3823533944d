"""Anonymising a person erases what their referrals said, on both sides."""

from __future__ import annotations

import io
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DatabaseError, IntegrityError, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from waypoint.cases.models import Case
from waypoint.cases.services import case_close
from waypoint.cases.services.data_requests import person_anonymise
from waypoint.lib.crypto import emptied_text
from waypoint.referrals import services
from waypoint.referrals.models import (
    Referral,
    ReferralAttachment,
    ReferralEvent,
    ReferralMessage,
    Status,
)

pytestmark = pytest.mark.django_db

_erasure = import_module("waypoint.referrals.migrations.0006_erasure")

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
    """Only the raw empty text, with nothing else changed, only once."""
    message = ReferralMessage.objects.filter(referral=talked_about).first()
    assert message is not None
    refused = (IntegrityError, DatabaseError)
    now = timezone.now()
    # Outside a key rotation, a new text is refused.
    with pytest.raises(refused), transaction.atomic():
        ReferralMessage.objects.filter(pk=message.pk).update(text="Forged.")
    # Another text, even encrypted "", cannot pass for an erasure.
    for text in ("Nothing to see.", ""):
        with pytest.raises(refused), transaction.atomic():
            ReferralMessage.objects.filter(pk=message.pk).update(
                text=text, erased_at=now
            )
    with pytest.raises(refused), transaction.atomic():
        ReferralEvent.objects.filter(referral=talked_about).update(
            note="", erased_at=now
        )

    _erase(case_a, caseworker_a, supervisor_a, django_capture_on_commit_callbacks)

    for change in ({"text": "Put back."}, {"erased_at": None}, {"erased_at": now}):
        with pytest.raises(refused), transaction.atomic():
            ReferralMessage.objects.filter(pk=message.pk).update(**change)
    with pytest.raises(refused), transaction.atomic():
        ReferralMessage.objects.filter(pk=message.pk).delete()
    assert ReferralMessage.objects.get(pk=message.pk).text == ""

    # A row of the anonymised person's referral not erased yet (written past
    # the services): other text in the guise of an erasure, or a change of
    # its author or time, is refused; the erasure itself goes through.
    late = ReferralMessage.objects.create(
        referral=talked_about,
        author=caseworker_a,
        organization_id=talked_about.sender_organization_id,
        text="Ana Distinctova lives at 3 Strada Lunga.",
    )
    same = ReferralMessage.objects.filter(pk=late.pk)
    forgeries: list[dict[str, Any]] = [
        {"text": "Nothing to see.", "erased_at": now},
        {"text": emptied_text(), "erased_at": now, "at": now},
        {"text": emptied_text(), "erased_at": now, "author": supervisor_a},
    ]
    for forged in forgeries:
        with pytest.raises(refused), transaction.atomic():
            same.update(**forged)
    assert same.update(text=emptied_text(), erased_at=now) == 1
    assert same.get().text == ""


def test_an_open_referral_is_withdrawn_and_takes_no_more_text(
    referral: Referral,
    case_a: Case,
    caseworker_a: Any,
    caseworker_b: Any,
    supervisor_a: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """After the erasure nobody can write about the person there again."""
    services.referral_accept(actor=caseworker_b, referral=referral)
    referral.refresh_from_db()
    stale_version = referral.version
    _erase(case_a, caseworker_a, supervisor_a, django_capture_on_commit_callbacks)
    referral.refresh_from_db()
    assert referral.status == Status.WITHDRAWN
    assert referral.version > stale_version + 1  # withdrawn, then erased
    with pytest.raises(ValidationError) as caught:
        services.referral_message_add(
            actor=caseworker_b, referral=referral, text="Ana Distinctova called."
        )
    assert caught.value.code == "erased"
    with pytest.raises(ValidationError):
        services.referral_complete(
            actor=caseworker_b, referral=referral, outcome="Ana settled."
        )
    assert not ReferralMessage.objects.filter(referral=referral).exists()
    referral.refresh_from_db()
    assert referral.outcome == ""


def test_the_thread_says_why_it_takes_no_more_messages(
    referral: Referral,
    case_a: Case,
    caseworker_a: Any,
    supervisor_a: Any,
    caseworker_b_client: Client,
    django_capture_on_commit_callbacks: Any,
) -> None:
    _erase(case_a, caseworker_a, supervisor_a, django_capture_on_commit_callbacks)
    response = caseworker_b_client.post(
        reverse("referrals:message", kwargs={"pk": referral.pk}),
        {"text": "Ana Distinctova called again."},
    )
    page = response.content.decode()
    assert "this referral takes no more messages" in page
    assert not ReferralMessage.objects.filter(referral=referral).exists()


def test_the_erasure_rules_name_every_column_of_the_tables() -> None:
    """A column added later must be listed as kept, or the erasure could
    change it."""
    for model in (ReferralEvent, ReferralMessage):
        text, kept = _erasure.ERASED[model._meta.db_table]
        columns = {f.column for f in model._meta.concrete_fields}
        assert columns == {text, "erased_at", *kept}


def test_rotating_the_keys_re_encrypts_the_history_and_the_messages(
    talked_about: Referral,
    case_a: Case,
    caseworker_a: Any,
    supervisor_a: Any,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """The append-only rows take a new token; erased rows have none to take."""
    new_key = Fernet.generate_key().decode()
    settings.WAYPOINT_FIELD_KEYS = [new_key, *settings.WAYPOINT_FIELD_KEYS]
    call_command("rotate_keys", stdout=io.StringIO())
    settings.WAYPOINT_FIELD_KEYS = [new_key]
    texts = ReferralMessage.objects.filter(referral=talked_about)
    assert [m.text for m in texts] == [
        "She fears her brother in Vidin.",
        "The report on Ana is attached.",
    ]
    notes = ReferralEvent.objects.filter(referral=talked_about)
    assert "We booked an interpreter for Ana." in [e.note for e in notes]

    _erase(case_a, caseworker_a, supervisor_a, django_capture_on_commit_callbacks)
    newer_key = Fernet.generate_key().decode()
    settings.WAYPOINT_FIELD_KEYS = [newer_key, new_key]
    call_command("rotate_keys", stdout=io.StringIO())
    call_command("rotate_keys", "--check", stdout=io.StringIO())  # exits 1 if stale
    settings.WAYPOINT_FIELD_KEYS = [newer_key]
    assert [m.text for m in texts.all()] == ["", ""]
