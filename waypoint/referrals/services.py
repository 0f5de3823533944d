"""Every change to a referral.

Each service is atomic, keyword-only, takes the acting user, checks which side
of the referral the actor is on (views check too: this is the second lock),
writes one ``ReferralEvent`` and one ``AuditEvent`` per change, and notifies
the other side (a ``Notification`` row per member, and an email without any
personal data, sent once the transaction has committed).

A change of status is a compare-and-swap on ``version`` (``UPDATE … WHERE
id = … AND version = v``): ``select_for_update`` does nothing on SQLite, the
swap works the same on PostgreSQL. When someone else changed the referral
since it was read, :class:`ConcurrentUpdateError` is raised and nothing is
written.
"""

from __future__ import annotations

import datetime
import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import validate_email
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from waypoint.accounts.models import (
    CASE_ROLES,
    AuditEvent,
    MemberOrganization,
    Membership,
    Role,
    User,
)
from waypoint.accounts.services import audit_event_record
from waypoint.cases.documents import EXTENSIONS, document_read_checked
from waypoint.cases.models import (
    Case,
    CaseStatus,
    Consent,
    ConsentScope,
    Identification,
    NeedsAssessment,
    RiskAssessment,
)
from waypoint.cases.selectors import cases_visible_to, may_supervise
from waypoint.directory.models import Organization, Service
from waypoint.lib.crypto import emptied_text
from waypoint.referrals import tasks
from waypoint.referrals.models import (
    AWAITING,
    CONSENT_CATEGORY,
    OPEN,
    DeclineReason,
    Need,
    NotCompletedReason,
    Notification,
    Priority,
    Referral,
    ReferralAttachment,
    ReferralCategory,
    ReferralEvent,
    ReferralMessage,
    Status,
)

SENDER = "sender"
RECIPIENT = "recipient"


class ConcurrentUpdateError(Exception):
    """The referral changed since it was read; reload it and try again."""

    def __init__(self) -> None:
        super().__init__(
            _(
                "Someone else changed this referral since you opened it. Reload "
                "the page to see its current state."
            )
        )


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    side: str


# The allowed changes: which statuses each action leaves, where it goes, and
# which side may take it. Expiry is the platform's own (``referrals_expire``).
TRANSITIONS: dict[str, Transition] = {
    "acknowledge": Transition(frozenset({Status.SENT}), Status.ACKNOWLEDGED, RECIPIENT),
    "accept": Transition(AWAITING, Status.ACCEPTED, RECIPIENT),
    "decline": Transition(AWAITING, Status.DECLINED, RECIPIENT),
    "start": Transition(frozenset({Status.ACCEPTED}), Status.IN_PROGRESS, RECIPIENT),
    "complete": Transition(
        frozenset({Status.ACCEPTED, Status.IN_PROGRESS}), Status.COMPLETED, RECIPIENT
    ),
    "not_complete": Transition(
        frozenset({Status.ACCEPTED, Status.IN_PROGRESS}),
        Status.NOT_COMPLETED,
        RECIPIENT,
    ),
    "withdraw": Transition(OPEN, Status.WITHDRAWN, SENDER),
}
RESENDABLE = frozenset({Status.DECLINED, Status.EXPIRED})


# --- Sides, consent, snapshot ---------------------------------------------------


def is_recipient_side(user: User, referral: Referral) -> bool:
    """A caseworker or supervisor of the recipient organisation."""
    return Membership.objects.filter(
        user=user,
        user__is_active=True,
        is_active=True,
        organization_id=referral.recipient_id,
        organization__is_active=True,
        role__in=CASE_ROLES,
    ).exists()


def is_sender_side(user: User, referral: Referral) -> bool:
    """Whoever may open the referred case (its caseworkers and supervisors)."""
    return cases_visible_to(user).filter(pk=referral.case_id).exists()


def consent_covering(
    *,
    case: Case,
    recipient: MemberOrganization | Organization,
    categories: Iterable[str],
) -> Consent | None:
    """The newest current consent of the person to share ``categories`` with
    ``recipient`` (a member organisation or a directory listing), or ``None``."""
    directory_id = (
        recipient.organization_id
        if isinstance(recipient, MemberOrganization)
        else recipient.pk
    )
    needed = {CONSENT_CATEGORY[category] for category in categories}
    consents = Consent.objects.filter(
        person_id=case.person_id,
        scope=ConsentScope.SHARING,
        recipient_id=directory_id,
        granted=True,
        replaced_by__isnull=True,
    ).order_by("-recorded_at", "-id")
    for consent in consents:
        if needed <= set(consent.data_categories):
            return consent
    return None


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


def snapshot_build(*, case: Case, categories: Sequence[str]) -> dict[str, Any]:
    """The case's data in ``categories`` as it is now, and nothing else."""
    person = case.person
    snapshot: dict[str, Any] = {}
    for category in categories:
        if category == ReferralCategory.IDENTITY:
            snapshot[category] = {
                "given_name": person.given_name,
                "family_name": person.family_name,
                "birth_date": _iso(person.birth_date),
            }
        elif category == ReferralCategory.CONTACT:
            snapshot[category] = {"contact_details": person.contact_details}
        elif category == ReferralCategory.DOCUMENTS:
            snapshot[category] = {"identity_documents": person.identity_documents}
        elif category == ReferralCategory.NATIONALITY_LANGUAGES:
            snapshot[category] = {
                "nationality": person.nationality,
                "languages": list(person.languages),
                "interpreter_needed": person.interpreter_needed,
            }
        elif category == ReferralCategory.CASE_SUMMARY:
            snapshot[category] = {
                "case_type": case.case_type,
                "stage": case.stage,
                "country_of_origin": case.country_of_origin,
                "transit_countries": list(case.transit_countries),
                "country_of_destination": case.country_of_destination,
                "cross_border": case.cross_border,
            }
        elif category == ReferralCategory.NEEDS_ASSESSMENT:
            needs = NeedsAssessment.objects.filter(case=case).last()
            snapshot[category] = (
                {
                    "assessed_on": _iso(needs.assessed_on),
                    "protection_needs": list(needs.protection_needs),
                    "special_measures": list(needs.special_measures),
                }
                if needs
                else {}
            )
        elif category == ReferralCategory.RISK_LEVEL:
            risk = RiskAssessment.objects.filter(case=case).last()
            snapshot[category] = {
                "level": case.risk_level,
                "assessed_on": _iso(risk.assessed_on) if risk else None,
            }
        elif category == ReferralCategory.IDENTIFICATION_STATUS:
            identification = Identification.objects.filter(case=case).last()
            snapshot[category] = (
                {
                    "status": identification.status,
                    "decided_on": _iso(identification.decided_on),
                }
                if identification
                else {}
            )
    return snapshot


def _choices(values: Iterable[str], allowed: type[models.TextChoices]) -> list[str]:
    chosen = list(dict.fromkeys(values))
    if set(chosen) - set(allowed.values):
        raise ValidationError(_("Unknown choice."), code="invalid_choice")
    return chosen


# --- Notifications --------------------------------------------------------------


def _side_members(referral: Referral, side: str) -> list[User]:
    """Who is told of a change: the recipient's caseworkers and supervisors, or
    the sender and the sending organisation's supervisors."""
    if side == RECIPIENT:
        memberships = Membership.objects.filter(
            organization_id=referral.recipient_id, role__in=CASE_ROLES
        )
    else:
        memberships = Membership.objects.filter(
            organization_id=referral.sender_organization_id, role=Role.SUPERVISOR
        )
    ids = set(
        memberships.filter(is_active=True, user__is_active=True).values_list(
            "user_id", flat=True
        )
    )
    if side == SENDER and referral.sent_by.is_active:
        ids.add(referral.sent_by_id)
    return list(User.objects.filter(pk__in=ids).order_by("pk"))


def _mail_on_commit(user_ids: Sequence[int], referral_id: int | None) -> None:
    """Tell these users by email, from the task worker once committed.

    The task gets ids only; it writes one message per address (nobody sees
    who else was told) without personal data: only that something waits.
    """
    if not user_ids:
        return
    ids = sorted(user_ids)
    transaction.on_commit(
        lambda: tasks.referral_notify_mail.enqueue(
            user_ids=ids, referral_id=referral_id
        )
    )


def _notify(
    referral: Referral, *, side: str, actor: User | None, is_message: bool = False
) -> None:
    users = [user for user in _side_members(referral, side) if user != actor]
    Notification.objects.bulk_create(
        Notification(
            user=user,
            referral=referral,
            status=referral.status,
            is_message=is_message,
        )
        for user in users
    )
    _mail_on_commit([user.pk for user in users if user.email], referral.pk)


def _other(side: str) -> str:
    return RECIPIENT if side == SENDER else SENDER


# --- Sending --------------------------------------------------------------------


@transaction.atomic
def referral_send(
    *,
    actor: User,
    case: Case,
    recipient: MemberOrganization | None = None,
    needs: Sequence[str],
    respond_by: datetime.date,
    data_categories: Sequence[str],
    external_recipient: Organization | None = None,
    external_email: str = "",
    priority: str = Priority.ROUTINE,
    service: Service | None = None,
    accompanied: bool = False,
    interpreter_language: str = "",
    override_reason: str = "",
    previous: Referral | None = None,
) -> Referral:
    """Refer the person of ``case`` to ``recipient``, or to
    ``external_recipient``, an organisation of the directory that is not on
    the platform, which is sent a single-use link at ``external_email`` (its
    directory address when not given).

    Needs a current consent of the person that names the recipient's directory
    listing and covers every category; without one, a supervisor of the case's
    organisation may send with a written ``override_reason`` (audited). The
    snapshot holds the chosen categories as they are now and never changes.
    """
    if not cases_visible_to(actor).filter(pk=case.pk).exists():
        raise PermissionDenied
    if case.status != CaseStatus.OPEN:
        raise ValidationError(_("The case is closed: reopen it first."), code="closed")
    if (recipient is None) == (external_recipient is None):
        raise ValidationError(_("Choose one recipient organisation."), code="recipient")
    if recipient is not None and (
        not recipient.is_active or recipient.pk == case.organization_id
    ):
        raise ValidationError(
            _("Choose another member organisation of the network."), code="recipient"
        )
    if external_recipient is not None:
        external_email = _external_address(case, external_recipient, external_email)
    else:
        external_email = ""
    target: MemberOrganization | Organization = recipient or external_recipient  # type: ignore[assignment]
    needs = _choices(needs, Need)
    if not needs:
        raise ValidationError(_("Choose what the referral is for."), code="needs")
    categories = _choices(data_categories, ReferralCategory)
    _choices([priority], Priority)
    if respond_by < timezone.localdate():
        raise ValidationError(
            _("The respond-by date cannot be in the past."), code="respond_by"
        )
    target_directory_id = (
        recipient.organization_id if recipient is not None else target.pk
    )
    if service is not None and service.organization_id != target_directory_id:
        raise ValidationError(
            _("The service belongs to another organisation."), code="service"
        )
    if previous is not None:
        _require_resendable(actor, previous, case, target)
    consent = consent_covering(case=case, recipient=target, categories=categories)
    override_reason = override_reason.strip()
    if consent is None:
        if not override_reason:
            raise ValidationError(
                _(
                    "No consent of the person covers this organisation and these "
                    "data. Record the consent first."
                ),
                code="consent",
            )
        if not may_supervise(actor, case):
            raise ValidationError(
                _("Only a supervisor may send a referral without a covering consent."),
                code="override_not_allowed",
            )
    now = timezone.now()
    referral = Referral.objects.create(
        case=case,
        sender_organization_id=case.organization_id,
        sent_by=actor,
        recipient=recipient,
        external_recipient=external_recipient,
        external_email=external_email,
        service=service,
        needs=needs,
        priority=priority,
        respond_by=respond_by,
        accompanied=accompanied,
        interpreter_language=interpreter_language,
        data_categories=categories,
        consent=consent,
        override_reason="" if consent else override_reason,
        override_by=None if consent else actor,
        snapshot=snapshot_build(case=case, categories=categories),
        previous=previous,
        sent_at=now,
        updated_at=now,
    )
    ReferralEvent.objects.create(
        referral=referral, at=now, actor=actor, to_status=Status.SENT
    )
    details: dict[str, Any] = {
        "case": case.pk,
        "recipient": recipient.pk if recipient else None,
        "external_recipient": str(external_recipient.pk)
        if external_recipient
        else None,
        "categories": categories,
        "consent": consent.pk if consent else None,
        "previous": previous.pk if previous else None,
    }
    audit_event_record(
        actor=actor,
        action="referral.sent",
        target=referral,
        organization=case.organization,
        details=details,
    )
    if consent is None:
        audit_event_record(
            actor=actor,
            action="referral.consent_overridden",
            target=referral,
            organization=case.organization,
            details={"case": case.pk, "recipient": str(target_directory_id)},
        )
    if external_recipient is not None:
        # Imported here: the external module builds on this one.
        from waypoint.referrals.external import external_link_issue

        external_link_issue(actor=actor, referral=referral, first=True)
    else:
        _notify(referral, side=RECIPIENT, actor=actor)
    return referral


def _external_address(case: Case, organization: Organization, email: str) -> str:
    """The address the link goes to: the one given, or the directory's."""
    if MemberOrganization.objects.filter(
        organization=organization, is_active=True
    ).exists():
        raise ValidationError(
            _(
                "This organisation works in Waypoint: choose it as a member "
                "organisation instead."
            ),
            code="external_recipient",
        )
    if case.organization.organization_id == organization.pk:
        raise ValidationError(
            _("Choose another organisation than your own."), code="external_recipient"
        )
    address = (email or organization.email).strip()
    if not address:
        raise ValidationError(
            _("The directory has no email address for this organisation: give one."),
            code="external_email",
        )
    try:
        validate_email(address)
    except ValidationError as error:
        raise ValidationError(
            _("Enter a valid email address."), code="external_email"
        ) from error
    return address


def _require_resendable(
    actor: User,
    previous: Referral,
    case: Case,
    recipient: MemberOrganization | Organization,
) -> None:
    if previous.case_id != case.pk or not is_sender_side(actor, previous):
        raise PermissionDenied
    if previous.status not in RESENDABLE:
        raise ValidationError(
            _("Only a declined or expired referral can be sent elsewhere."),
            code="not_resendable",
        )
    if Referral.objects.filter(previous=previous).exists():
        raise ValidationError(
            _("This referral was already sent elsewhere."), code="resent"
        )
    same = (
        previous.recipient_id == recipient.pk
        if isinstance(recipient, MemberOrganization)
        else previous.external_recipient_id == recipient.pk
    )
    if same:
        raise ValidationError(
            _("Choose another organisation than the one that did not take it."),
            code="recipient",
        )


# --- Changes of status ----------------------------------------------------------


def _swap(
    *,
    actor: User | None,
    referral: Referral,
    action: str,
    note: str = "",
    external_email: str = "",
    **fields: Any,
) -> Referral:
    """Move ``referral`` along ``action`` if still at ``referral.version``."""
    transition = TRANSITIONS[action]
    if referral.status not in transition.sources:
        raise ValidationError(
            _("This step is not possible in the referral's current state."),
            code="transition",
        )
    now = timezone.now()
    before = referral.status
    updated = Referral.objects.filter(
        pk=referral.pk, version=referral.version, status=before
    ).update(
        **fields, status=transition.target, updated_at=now, version=F("version") + 1
    )
    if updated != 1:
        raise ConcurrentUpdateError
    for name, value in fields.items():
        setattr(referral, name, value)
    referral.status = transition.target
    referral.updated_at = now
    referral.version += 1
    ReferralEvent.objects.create(
        referral=referral,
        at=now,
        actor=actor,
        from_status=before,
        to_status=transition.target,
        note=note,
        external_email=external_email,
    )
    organization_id = (
        referral.recipient_id
        if transition.side == RECIPIENT and referral.recipient_id is not None
        else referral.sender_organization_id
    )
    details: dict[str, Any] = {"from": before, "to": transition.target}
    if external_email:
        details["external_email"] = external_email
    audit_event_record(
        actor=actor,
        action=f"referral.{action}",
        target=referral,
        organization=MemberOrganization.objects.get(pk=organization_id),
        details=details,
    )
    _notify(referral, side=_other(transition.side), actor=actor)
    return referral


def _require_side(actor: User, referral: Referral, action: str) -> None:
    side = TRANSITIONS[action].side
    allowed = (
        is_recipient_side(actor, referral)
        if side == RECIPIENT
        else is_sender_side(actor, referral)
    )
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def referral_acknowledge(*, actor: User, referral: Referral) -> Referral:
    _require_side(actor, referral, "acknowledge")
    return _swap(actor=actor, referral=referral, action="acknowledge")


@transaction.atomic
def referral_accept(*, actor: User, referral: Referral, note: str = "") -> Referral:
    _require_side(actor, referral, "accept")
    return _swap(actor=actor, referral=referral, action="accept", note=note)


def referral_decline_check(reason: str, text: str) -> None:
    """A known reason code and, for "other", an explanation."""
    _choices([reason], DeclineReason)
    if reason == DeclineReason.OTHER and not text.strip():
        raise ValidationError(_("Explain why the referral is declined."), code="text")


@transaction.atomic
def referral_decline(
    *, actor: User, referral: Referral, reason: str, text: str = ""
) -> Referral:
    """Decline with a reason code (and, for "other", an explanation)."""
    _require_side(actor, referral, "decline")
    referral_decline_check(reason, text)
    return _swap(
        actor=actor,
        referral=referral,
        action="decline",
        note=text,
        decline_reason=reason,
        response_text=text.strip(),
    )


@transaction.atomic
def referral_start(*, actor: User, referral: Referral) -> Referral:
    _require_side(actor, referral, "start")
    return _swap(actor=actor, referral=referral, action="start")


@transaction.atomic
def referral_complete(*, actor: User, referral: Referral, outcome: str) -> Referral:
    """Completed, with the outcome reported back to the sender."""
    _require_side(actor, referral, "complete")
    if not outcome.strip():
        raise ValidationError(_("Describe the outcome."), code="outcome")
    return _swap(
        actor=actor,
        referral=referral,
        action="complete",
        note=outcome,
        outcome=outcome.strip(),
    )


@transaction.atomic
def referral_not_complete(
    *, actor: User, referral: Referral, reason: str, text: str = ""
) -> Referral:
    """The service could not be completed (the person withdrew, contact lost)."""
    _require_side(actor, referral, "not_complete")
    _choices([reason], NotCompletedReason)
    if reason == NotCompletedReason.OTHER and not text.strip():
        raise ValidationError(_("Explain what happened."), code="text")
    return _swap(
        actor=actor,
        referral=referral,
        action="not_complete",
        note=text,
        not_completed_reason=reason,
        outcome=text.strip(),
    )


@transaction.atomic
def referral_withdraw(*, actor: User, referral: Referral, note: str = "") -> Referral:
    _require_side(actor, referral, "withdraw")
    return _swap(actor=actor, referral=referral, action="withdraw", note=note)


@transaction.atomic
def referrals_withdraw_for_consent(
    *, actor: User, consent: Consent, replacement: Consent
) -> int:
    """Withdraw the open referrals that ``consent`` allowed and that
    ``replacement`` (a withdrawal or a change) no longer covers.

    Called by the cases app's consent service, which has checked the actor's
    access to the case. Returns how many referrals were withdrawn.
    """
    withdrawn = 0
    for referral in Referral.objects.filter(consent=consent, status__in=OPEN):
        still_covered = (
            replacement.granted
            and replacement.recipient_id == consent.recipient_id
            and {CONSENT_CATEGORY[c] for c in referral.data_categories}
            <= set(replacement.data_categories)
        )
        if still_covered:
            continue
        _swap(
            actor=actor,
            referral=referral,
            action="withdraw",
            note=_("The person withdrew their consent."),
        )
        withdrawn += 1
    return withdrawn


# --- Erasure -------------------------------------------------------------------


def referrals_erase_for_anonymisation(
    *, actor: User | None, cases: QuerySet[Case], now: datetime.datetime
) -> None:
    """Erase what the referrals of these cases carried, on both sides.

    Called by ``person_anonymise`` (inside its transaction, after it set the
    person's ``anonymised_at``, which ``referral_message_add`` checks). A
    referral still open is withdrawn first: nobody can answer it, report an
    outcome or write in its thread any more (``referral_message_add`` refuses
    too). Then the data shared, every free text either side wrote (the
    reason for sending without consent, the explanation of a decline, the
    outcome, the notes on status changes, the messages) and the attached files
    go. The version moves on, so a change already on its way is refused as a
    conflict. What stays holds no personal data and feeds the statistics:
    the organisations, needs, dates and status history. A message keeps its
    place in the thread, marked as erased.
    """
    referrals = Referral.objects.filter(case__in=cases)
    # Locked first, so that no answer can slip in between reading a
    # referral's version and withdrawing it.
    for referral in referrals.filter(status__in=OPEN).select_for_update():
        _swap(actor=actor, referral=referral, action="withdraw")
    referrals.update(
        snapshot={},
        override_reason=emptied_text(),
        response_text=emptied_text(),
        outcome=emptied_text(),
        version=F("version") + 1,
    )
    not_yet = {"referral__in": referrals, "erased_at__isnull": True}
    ReferralEvent.objects.filter(**not_yet).update(note=emptied_text(), erased_at=now)
    ReferralMessage.objects.filter(**not_yet).update(text=emptied_text(), erased_at=now)
    for attachment in ReferralAttachment.objects.filter(referral__in=referrals):
        # As for case documents: the file goes once the erasure is committed.
        if attachment.file.name:
            transaction.on_commit(
                functools.partial(attachment.file.storage.delete, attachment.file.name)
            )
        attachment.delete()


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
    _notify(referral, side=_other(side), actor=actor, is_message=True)
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


# --- Expiry ---------------------------------------------------------------------


@transaction.atomic
def referrals_expire(*, now: datetime.datetime | None = None) -> int:
    """Expire the referrals still awaiting an answer after their respond-by date.

    One UPDATE for all of them; their events, audit rows and notifications are
    written in bulk, and each person told gets one email. The rows are locked
    first (PostgreSQL; SQLite's immediate transaction holds the write lock
    already), so the events record the status each one really left.
    """
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = Referral.objects.filter(status__in=AWAITING, respond_by__lt=today)
    rows = list(
        due.select_for_update().values_list(
            "pk", "status", "sender_organization_id", "sent_by_id"
        )
    )
    if not rows:
        return 0
    last = max(row[0] for row in rows)
    updated = due.filter(pk__lte=last).update(
        status=Status.EXPIRED, updated_at=now, version=F("version") + 1
    )
    if updated != len(rows):  # the lock makes this impossible; be loud if not
        raise ConcurrentUpdateError
    ReferralEvent.objects.bulk_create(
        (
            ReferralEvent(
                referral_id=pk, at=now, from_status=status, to_status=Status.EXPIRED
            )
            for pk, status, _org, _sender in rows
        ),
        batch_size=2000,
    )
    AuditEvent.objects.bulk_create(
        (
            AuditEvent(
                at=now,
                action="referral.expired",
                target_type=Referral._meta.label_lower,
                target_id=str(pk),
                organization_id=organization_id,
                details={"from": status, "to": Status.EXPIRED},
            )
            for pk, status, organization_id, _sender in rows
        ),
        batch_size=2000,
    )
    _notify_expired(rows, now)
    return len(rows)


def _notify_expired(
    rows: list[tuple[int, str, int, int]], now: datetime.datetime
) -> None:
    """The sender and their organisation's supervisors, once per referral, and
    one email per person whatever the number of referrals."""
    supervisors: dict[int, set[int]] = {}
    for organization_id, user_id in Membership.objects.filter(
        organization_id__in={row[2] for row in rows},
        role=Role.SUPERVISOR,
        is_active=True,
        user__is_active=True,
    ).values_list("organization_id", "user_id"):
        supervisors.setdefault(organization_id, set()).add(user_id)
    told: set[int] = set()
    notifications = []
    for pk, _status, organization_id, sender_id in rows:
        for user_id in supervisors.get(organization_id, set()) | {sender_id}:
            told.add(user_id)
            notifications.append(
                Notification(
                    user_id=user_id,
                    referral_id=pk,
                    status=Status.EXPIRED,
                    created_at=now,
                )
            )
    Notification.objects.bulk_create(notifications, batch_size=2000)
    _mail_on_commit(list(told), None)


# --- Reminders ------------------------------------------------------------------


@transaction.atomic
def referrals_remind(*, now: datetime.datetime | None = None) -> int:
    """Remind the recipient side of referrals whose respond-by date is
    tomorrow and that are still unanswered, once per referral.

    Members of the recipient organisation get a notification and an email;
    a recipient outside the platform gets an email at its link's address
    (no link: its link may be used up; the sender can issue a new one).
    """
    now = now or timezone.now()
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    due = list(
        Referral.objects.select_for_update()
        .filter(status__in=AWAITING, respond_by=tomorrow, reminded_at__isnull=True)
        .select_related("sent_by")
    )
    if not due:
        return 0
    Referral.objects.filter(pk__in=[r.pk for r in due]).update(reminded_at=now)
    external_addresses: list[str] = []
    for referral in due:
        audit_event_record(
            actor=None,
            action="referral.reminded",
            target=referral,
            organization=referral.sender_organization,
            details={"respond_by": referral.respond_by.isoformat()},
        )
        if referral.is_external:
            external_addresses.append(referral.external_email)
            continue
        users = _side_members(referral, RECIPIENT)
        Notification.objects.bulk_create(
            Notification(user=user, referral=referral, status=referral.status)
            for user in users
        )
        _mail_on_commit([user.pk for user in users if user.email], referral.pk)
    if external_addresses:
        from waypoint.referrals.external import reminder_mail_on_commit

        reminder_mail_on_commit(external_addresses)
    return len(due)
