"""The message thread, its attachments, printing and reading notifications."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import MemberOrganization, User
from waypoint.accounts.services import audit_event_record
from waypoint.cases.documents import EXTENSIONS, document_read_checked
from waypoint.referrals.lifecycle import RECIPIENT, SENDER
from waypoint.referrals.models import (
    Notification,
    Referral,
    ReferralAttachment,
    ReferralMessage,
)
from waypoint.referrals.services.core import (
    is_recipient_side,
    is_sender_side,
    notify,
    other_side,
)

# --- Messages -------------------------------------------------------------------


MAX_ATTACHMENTS = 5


def _side_of(actor: User, referral: Referral) -> tuple[str, int]:
    if is_sender_side(actor, referral):
        return SENDER, referral.sender_organization_id
    if referral.recipient_id is not None and is_recipient_side(actor, referral):
        return RECIPIENT, referral.recipient_id
    raise PermissionDenied


@transaction.atomic
def referral_message_add(
    *,
    actor: User,
    referral: Referral,
    text: str,
    uploads: Sequence[UploadedFile[bytes]] = (),
) -> ReferralMessage:
    """A message to the other side, with files; either side may write at any
    time. Files are checked like case documents (PDF, JPEG, PNG, DOCX of at
    most 10 MB, by content) and stored encrypted."""
    side, organization_id = _side_of(actor, referral)
    # The referral's row locked: an anonymisation that has not yet reached it
    # erases this message too; one that has, this waits for and then sees.
    anonymised_at = (
        Referral.objects.select_for_update(of=("self",))
        .filter(pk=referral.pk)
        .values_list("case__person__anonymised_at", flat=True)
        .get()
    )
    if anonymised_at is not None:
        raise ValidationError(
            _("The person's data was erased: this referral takes no more messages."),
            code="erased",
        )
    if not text.strip():
        raise ValidationError(_("Write the message."), code="required")
    if len(uploads) > MAX_ATTACHMENTS:
        raise ValidationError(
            _("Attach at most %(count)d files.") % {"count": MAX_ATTACHMENTS},
            code="too_many_files",
        )
    checked = [(upload, *document_read_checked(upload)) for upload in uploads]
    message = ReferralMessage.objects.create(
        referral=referral,
        author=actor,
        organization_id=organization_id,
        text=text.strip(),
    )
    organization = MemberOrganization.objects.get(pk=organization_id)
    stored: list[ReferralAttachment] = []
    try:
        for upload, data, content_type in checked:
            attachment = ReferralAttachment(
                message=message,
                referral=referral,
                filename=(upload.name or "")[:200],
                content_type=content_type,
                size=len(data),
            )
            attachment.file.save(
                f"attachment{EXTENSIONS[content_type]}", ContentFile(data), save=False
            )
            stored.append(attachment)
            attachment.save()
    except Exception:
        for attachment in stored:
            attachment.file.delete(save=False)
        raise
    audit_event_record(
        actor=actor,
        action="referral.message_added",
        target=referral,
        organization=organization,
        details={
            "message": message.pk,
            "attachments": [attachment.pk for attachment in stored],
        },
    )
    notify(referral, side=other_side(side), actor=actor, is_message=True)
    return message


@transaction.atomic
def attachment_read(*, actor: User, attachment: ReferralAttachment) -> bytes:
    """The decrypted file, for either side only; every download is audited."""
    referral = attachment.referral
    side, organization_id = _side_of(actor, referral)
    with attachment.file.open("rb") as handle:
        data: bytes = handle.read()
    audit_event_record(
        actor=actor,
        action="referral.attachment_read",
        target=referral,
        organization=MemberOrganization.objects.get(pk=organization_id),
        details={"attachment": attachment.pk, "side": side},
    )
    return data


@transaction.atomic
def referral_print_record(*, actor: User, access_side: str, referral: Referral) -> None:
    """Audit that a side opened the printable referral form."""
    organization_id = (
        referral.sender_organization_id
        if access_side == SENDER
        else referral.recipient_id or referral.sender_organization_id
    )
    audit_event_record(
        actor=actor,
        action="referral.printed",
        target=referral,
        organization=MemberOrganization.objects.get(pk=organization_id),
        details={"side": access_side},
    )


@transaction.atomic
def notifications_read(*, actor: User, referral: Referral) -> int:
    """Mark the actor's notifications about ``referral`` as read."""
    return Notification.objects.filter(
        user=actor, referral=referral, read_at__isnull=True
    ).update(read_at=timezone.now())
