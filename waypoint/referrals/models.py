"""Referrals of a case to another member organisation.

A referral carries a ``snapshot`` of the case, frozen when it was sent and
holding only the data categories the person consented to share: the recipient
reads the snapshot, never the case. Every change of status is a
compare-and-swap on ``version`` and an append-only ``ReferralEvent`` (database
triggers refuse UPDATE and DELETE, see migration 0002). Free text that may
describe the person (reasons, outcomes, messages) is encrypted at rest.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.cases.models import AppendOnly, DataCategory
from waypoint.lib.crypto import EncryptedJSONField, EncryptedTextField
from waypoint.lib.crypto_files import EncryptedFileSystemStorage

USER = settings.AUTH_USER_MODEL


class Need(models.TextChoices):
    """What the referral asks for: the directory's service types."""

    LEGAL_COUNSELLING = "legal-counselling", _("legal counselling")
    LEGAL_REPRESENTATION = "legal-representation", _("legal representation")
    SOCIAL_COUNSELLING = "social-counselling", _("social counselling")
    PSYCHOLOGICAL_COUNSELLING = (
        "psychological-counselling",
        _("psychological counselling"),
    )
    MEDICAL_CARE = "medical-care", _("medical care")
    SHELTER = "shelter", _("shelter")
    INTERPRETATION = "interpretation", _("interpretation")
    COMPENSATION_CLAIMS = "compensation-claims", _("compensation claims")
    RETURN_REINTEGRATION = "return-reintegration", _("return and reintegration")
    ASYLUM_IMMIGRATION = "asylum-immigration", _("asylum and immigration")


class Priority(models.TextChoices):
    ROUTINE = "routine", _("routine")
    URGENT = "urgent", _("urgent")
    EMERGENCY = "emergency", _("emergency")


class ReferralCategory(models.TextChoices):
    """The parts of a case a referral may carry."""

    IDENTITY = "identity", _("name and date of birth")
    CONTACT = "contact", _("contact details")
    DOCUMENTS = "documents", _("identity document numbers")
    NATIONALITY_LANGUAGES = "nationality_languages", _("nationality and languages")
    CASE_SUMMARY = "case_summary", _("case summary")
    NEEDS_ASSESSMENT = "needs_assessment", _("needs assessment")
    RISK_LEVEL = "risk_level", _("risk level")
    IDENTIFICATION_STATUS = "identification_status", _("identification status")


# The consent category (waypoint.cases.models.DataCategory) that must cover
# each referral category. Nationality and languages identify a person as
# surely as a name in a small community, so they need the identity consent.
CONSENT_CATEGORY: dict[str, str] = {
    ReferralCategory.IDENTITY: DataCategory.IDENTITY,
    ReferralCategory.CONTACT: DataCategory.CONTACT,
    ReferralCategory.DOCUMENTS: DataCategory.DOCUMENTS,
    ReferralCategory.NATIONALITY_LANGUAGES: DataCategory.IDENTITY,
    ReferralCategory.CASE_SUMMARY: DataCategory.SITUATION,
    ReferralCategory.NEEDS_ASSESSMENT: DataCategory.NEEDS,
    ReferralCategory.RISK_LEVEL: DataCategory.NEEDS,
    ReferralCategory.IDENTIFICATION_STATUS: DataCategory.IDENTIFICATION,
}


class Status(models.TextChoices):
    SENT = "sent", _("sent")
    ACKNOWLEDGED = "acknowledged", _("acknowledged")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    IN_PROGRESS = "in_progress", _("in progress")
    COMPLETED = "completed", _("completed")
    NOT_COMPLETED = "not_completed", _("not completed")
    WITHDRAWN = "withdrawn", _("withdrawn")
    EXPIRED = "expired", _("expired")


# Waiting for the recipient's answer: these expire after the respond-by date.
AWAITING = frozenset({Status.SENT, Status.ACKNOWLEDGED})
# Not finished: these can still be withdrawn.
OPEN = AWAITING | {Status.ACCEPTED, Status.IN_PROGRESS}


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("no capacity at present")
    NOT_ELIGIBLE = "not_eligible", _("the person is not eligible")
    OUT_OF_AREA = "out_of_area", _("outside the area served")
    SERVICE_UNAVAILABLE = "service_unavailable", _("the service is not offered")
    INSUFFICIENT_INFORMATION = (
        "insufficient_information",
        _("not enough information to decide"),
    )
    OTHER = "other", _("other reason")


class NotCompletedReason(models.TextChoices):
    PERSON_WITHDREW = "person_withdrew", _("the person withdrew")
    CONTACT_LOST = "contact_lost", _("contact lost")
    OTHER = "other", _("other reason")


class Referral(models.Model):
    """A case's request for a service of another member organisation."""

    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("case"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    sender_organization = models.ForeignKey(
        "accounts.MemberOrganization",
        verbose_name=_("sending organisation"),
        on_delete=models.PROTECT,
        related_name="referrals_sent",
    )
    sent_by = models.ForeignKey(
        USER, verbose_name=_("sent by"), on_delete=models.PROTECT, related_name="+"
    )
    # Exactly one of these: a member organisation (whose staff answer in
    # Waypoint) or an organisation of the public directory that is not on the
    # platform (a police unit, a court, an embassy), which answers through an
    # emailed single-use link (see ``ExternalLink``).
    recipient = models.ForeignKey(
        "accounts.MemberOrganization",
        verbose_name=_("recipient organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_received",
    )
    external_recipient = models.ForeignKey(
        "directory.Organization",
        verbose_name=_("recipient outside the platform"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    external_email = models.EmailField(
        _("email address of the recipient outside the platform"), blank=True
    )
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("service"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    needs = models.JSONField(_("needs"), default=list)
    priority = models.CharField(
        _("priority"), max_length=12, choices=Priority.choices, default=Priority.ROUTINE
    )
    respond_by = models.DateField(_("respond by"))
    accompanied = models.BooleanField(
        _("the person will be accompanied"), default=False
    )
    interpreter_language = models.CharField(
        _("interpreter needed for"), max_length=8, blank=True
    )
    data_categories = models.JSONField(_("data shared"), default=list)
    consent = models.ForeignKey(
        "cases.Consent",
        verbose_name=_("consent"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    override_reason = EncryptedTextField(
        _("reason for sending without a covering consent"), blank=True
    )
    override_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    snapshot = EncryptedJSONField(_("data shared"), default=dict)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.SENT
    )
    decline_reason = models.CharField(
        _("reason"), max_length=32, choices=DeclineReason.choices, blank=True
    )
    not_completed_reason = models.CharField(
        _("reason"), max_length=32, choices=NotCompletedReason.choices, blank=True
    )
    response_text = EncryptedTextField(_("explanation"), blank=True)
    outcome = EncryptedTextField(_("outcome"), blank=True)
    previous = models.OneToOneField(
        "self",
        verbose_name=_("re-sends"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="resent_as",
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    # When the recipient side was reminded that the respond-by date is near
    # (once per referral, by ``referrals_remind``).
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(_("last change"), default=timezone.now)
    version = models.PositiveIntegerField(default=1, editable=False)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-sent_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "status", "sent_at"]),
            models.Index(fields=["status", "respond_by"]),
            # The inbox pages (newest first) without sorting the whole inbox.
            models.Index(fields=["recipient", "sent_at"], name="referrals_inbox_idx"),
            # Referral statistics of a year read everything they group by
            # from this index, not from the (encrypted) rows.
            models.Index(
                fields=[
                    "sender_organization",
                    "sent_at",
                    "status",
                    "priority",
                    "recipient",
                    "external_recipient",
                    "case",
                ],
                name="referrals_sent_stats_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(consent__isnull=False) | ~models.Q(override_by=None),
                name="referrals_referral_consent_or_override",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(recipient__isnull=False, external_recipient__isnull=True)
                    | models.Q(recipient__isnull=True, external_recipient__isnull=False)
                ),
                name="referrals_referral_one_recipient",
            ),
            models.CheckConstraint(
                condition=models.Q(external_recipient__isnull=True)
                | ~models.Q(external_email=""),
                name="referrals_referral_external_email",
            ),
        ]

    def __str__(self) -> str:
        return f"R-{self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("referrals:detail", kwargs={"pk": self.pk})

    @property
    def is_external(self) -> bool:
        return self.external_recipient_id is not None

    @property
    def recipient_name(self) -> str:
        # The check constraint makes exactly one of the two set.
        organization = self.external_recipient or self.recipient
        return organization.name if organization is not None else ""

    @property
    def recipient_directory_id(self) -> uuid.UUID:
        """The recipient's directory listing (what consents name)."""
        if self.external_recipient_id is not None:
            return self.external_recipient_id
        if self.recipient is None:  # the check constraint makes this impossible
            raise ValueError("a referral without a recipient")
        return self.recipient.organization_id

    @property
    def need_labels(self) -> list[str]:
        labels = dict(Need.choices)
        return [str(labels.get(code, code)) for code in self.needs]

    @property
    def category_labels(self) -> list[str]:
        labels = dict(ReferralCategory.choices)
        return [str(labels.get(code, code)) for code in self.data_categories]


class ReferralEvent(AppendOnly):
    """One change of a referral's status; never changed or deleted."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="events"
    )
    at = models.DateTimeField(default=timezone.now)
    # None when the platform acted (expiry at the respond-by date) or when a
    # recipient outside the platform answered through its emailed link: then
    # ``external_email`` names who it was.
    actor = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    external_email = models.EmailField(blank=True)
    from_status = models.CharField(max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=Status.choices)
    note = EncryptedTextField(blank=True)
    # Set, with the note emptied, when the person is anonymised: the one
    # change the database lets through (see migration 0006).
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            # Time to acceptance: the "accepted" events with their times.
            models.Index(
                fields=["to_status", "referral", "at"],
                name="referrals_event_status_idx",
            )
        ]

    def __str__(self) -> str:
        return f"R-{self.referral_id}: {self.from_status}→{self.to_status}"


class ReferralMessage(AppendOnly):
    """A message between the two sides of a referral."""

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="messages"
    )
    author = models.ForeignKey(USER, on_delete=models.PROTECT, related_name="+")
    organization = models.ForeignKey(
        "accounts.MemberOrganization", on_delete=models.PROTECT, related_name="+"
    )
    text = EncryptedTextField(_("message"))
    at = models.DateTimeField(default=timezone.now)
    # Set, with the text emptied, when the person is anonymised: the one
    # change the database lets through (see migration 0006).
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"R-{self.referral_id}: message {self.pk}"


def _attachment_storage() -> EncryptedFileSystemStorage:
    return EncryptedFileSystemStorage()


class ReferralAttachment(models.Model):
    """A file sent with a message, encrypted on disk under a random name.

    Nothing about the file is kept in clear but its type and size; its
    original name may name the person, so it is encrypted like the message.
    """

    message = models.ForeignKey(
        ReferralMessage, on_delete=models.PROTECT, related_name="attachments"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(_("file"), storage=_attachment_storage, max_length=100)
    filename = EncryptedTextField(_("file name"), blank=True)
    content_type = models.CharField(max_length=100, editable=False)
    size = models.PositiveIntegerField(editable=False)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return f"R-{self.referral_id}: attachment {self.pk}"


class ExternalLink(models.Model):
    """The emailed, single-use, expiring link of a recipient outside the platform.

    Only hashes are stored: of the link's token and of the one-time code sent
    to the same address. Opening the link asks for the code; once the code is
    right the link is used up and the browser session holds a short access to
    this one referral.
    """

    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="external_links"
    )
    email = models.EmailField()
    token_hash = models.CharField(max_length=64, unique=True)
    issued_by = models.ForeignKey(
        USER, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    code_hash = models.CharField(max_length=64, blank=True)
    code_expires_at = models.DateTimeField(null=True, blank=True)
    codes_sent = models.PositiveSmallIntegerField(default=0)
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    verified_at = models.DateTimeField(null=True, blank=True)
    access_until = models.DateTimeField(null=True, blank=True)
    # A newer link for the same referral replaces this one.
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"R-{self.referral_id}: link {self.pk}"


class AccessKind(models.TextChoices):
    LINK_OPENED = "link_opened", _("link opened")
    CODE_SENT = "code_sent", _("code sent")
    CODE_WRONG = "code_wrong", _("wrong code")
    CODE_OK = "code_ok", _("code accepted")
    LOCKED = "locked", _("too many wrong codes")
    SNAPSHOT_VIEWED = "snapshot_viewed", _("referral read")
    PRINTED = "printed", _("referral printed")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")
    LINK_EXPIRED = "link_expired", _("expired link used")
    LINK_USED = "link_used", _("used link opened again")
    LINK_REVOKED = "link_revoked", _("replaced link opened")


class ExternalAccess(AppendOnly):
    """One use of an external link; never changed or deleted."""

    link = models.ForeignKey(
        ExternalLink, on_delete=models.PROTECT, related_name="accesses"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.PROTECT, related_name="external_accesses"
    )
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"R-{self.referral_id}: {self.kind}"


class Notification(models.Model):
    """Something about a referral that a member of staff should look at.

    Holds codes only (the referral and its new status), never personal data.
    """

    user = models.ForeignKey(
        USER, on_delete=models.CASCADE, related_name="referral_notifications"
    )
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="notifications"
    )
    status = models.CharField(max_length=16, choices=Status.choices)
    is_message = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at", "created_at"])]

    def __str__(self) -> str:
        return f"R-{self.referral_id} → {self.user_id}"
