"""Casework written through the services, for the drills, the hostile walk
and the release fixture (``scripts/release_fixture.py``): a case with
everything its pages, a backup and a restore deal with."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from waypoint.accounts.models import MemberOrganization, User
from waypoint.cases.models import Case, Consent, Document
from waypoint.cases.services import consent_record, document_add
from waypoint.referrals.models import Referral
from waypoint.referrals.services import referral_message_add, referral_send

# The smallest file the document checks take for a PDF.
PDF = b"%PDF-1.4\n%\xe2\xe3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Casework:
    consent: Consent
    document: Document
    referral: Referral


def casework_make(
    *,
    caseworker: User,
    case: Case,
    recipient: MemberOrganization,
    data_categories: Sequence[str] = ("identity",),
    attachment: bool = False,
) -> Casework:
    """A consent to share with ``recipient``, a document, and a referral
    to it of ``data_categories`` (with a message carrying a PDF when
    ``attachment``), all by ``caseworker`` on ``case``."""
    consent = consent_record(
        actor=caseworker,
        case=case,
        scope="sharing",
        method="signed",
        given_on=datetime.date(2026, 5, 1),
        data_categories=("identity", "situation", "needs"),
        recipient=recipient.organization,
    )
    document = document_add(
        actor=caseworker,
        case=case,
        kind="other",
        title="Statement",
        upload=SimpleUploadedFile("statement.pdf", PDF),
    )
    referral = referral_send(
        actor=caseworker,
        case=case,
        recipient=recipient,
        needs=["legal-counselling"],
        respond_by=timezone.localdate() + datetime.timedelta(days=7),
        data_categories=list(data_categories),
    )
    if attachment:
        referral_message_add(
            actor=caseworker,
            referral=referral,
            text="The statement is attached.",
            uploads=[SimpleUploadedFile("statement.pdf", PDF)],
        )
    return Casework(consent=consent, document=document, referral=referral)
