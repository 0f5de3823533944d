"""Reads of referrals, always scoped to the asking user.

The sending side reaches a referral through its case (whoever may open the
case); the recipient side is every caseworker and supervisor of the recipient
organisation, who read the referral's snapshot and never the case. Anybody
else gets a 404. Each read of a referral is audited.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from waypoint.accounts.models import User
from waypoint.accounts.selectors import AnyUser, case_organizations
from waypoint.accounts.services import audit_event_record
from waypoint.cases.models import (
    Case,
    CaseType,
    Consent,
    ConsentScope,
    DataCategory,
    IdentificationStatus,
    ProtectionNeed,
    RiskLevel,
    SpecialMeasure,
    Stage,
)
from waypoint.cases.selectors import cases_visible_to, may_supervise
from waypoint.lib.countries import country_name, language_name
from waypoint.referrals.lifecycle import RECIPIENT, RESENDABLE, SENDER, TRANSITIONS
from waypoint.referrals.models import (
    Notification,
    Referral,
    ReferralAttachment,
    ReferralCategory,
    ReferralEvent,
    ReferralMessage,
    Status,
)

# Pages list at most this many referrals (newest first).
MAX_LISTED = 200
# Lists never show these, and each would be decrypted for every row listed.
LIST_DEFERRED = ("snapshot", "override_reason", "response_text", "outcome")
# The inbox lists show this many referrals a page (newest first).
PER_PAGE = 50


def _real(user: AnyUser) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def referrals_incoming(*, user: AnyUser, status: str = "") -> QuerySet[Referral]:
    """The inbox: referrals to the organisations where ``user`` works on cases."""
    if _real(user) is None:
        return Referral.objects.none()
    referrals = Referral.objects.filter(recipient__in=case_organizations(user))
    if status:
        referrals = referrals.filter(status=status)
    return referrals.select_related("sender_organization__organization").defer(
        *LIST_DEFERRED
    )


def referrals_outgoing(*, user: AnyUser, status: str = "") -> QuerySet[Referral]:
    """Referrals sent from the cases ``user`` may open."""
    if _real(user) is None:
        return Referral.objects.none()
    referrals = Referral.objects.filter(case__in=cases_visible_to(user))
    if status:
        referrals = referrals.filter(status=status)
    return referrals.select_related(
        "recipient__organization", "external_recipient", "case"
    ).defer(*LIST_DEFERRED)


@dataclass(frozen=True)
class ReferralPage:
    referrals: list[Referral]
    number: int
    has_next: bool


def referrals_page(
    referrals: QuerySet[Referral], *, number: int, per_page: int | None = None
) -> ReferralPage:
    """One page of ``referrals``: the page's ids first, sorted from the
    (recipient, status, sent_at) index alone, then only those rows. Sorting
    whole rows would read every referral of a large inbox."""
    per_page = per_page or PER_PAGE
    start = (max(number, 1) - 1) * per_page
    ids = list(referrals.values_list("pk", flat=True)[start : start + per_page + 1])
    rows = list(referrals.filter(pk__in=ids[:per_page]))
    return ReferralPage(rows, max(number, 1), len(ids) > per_page)


def referrals_of_case(case: Case) -> QuerySet[Referral]:
    """For the case page (whose reader was checked by ``case_get_for_user``)."""
    return case.referrals.select_related(
        "recipient__organization", "external_recipient"
    )


@dataclass(frozen=True)
class ReferralAccess:
    referral: Referral
    side: str

    @property
    def is_sender(self) -> bool:
        return self.side == SENDER


@transaction.atomic
def referral_get_for_user(*, user: AnyUser, pk: int) -> ReferralAccess:
    """The referral and the side ``user`` is on, or 404; the read is audited."""
    real = _real(user)
    if real is None:
        raise Http404
    referral = (
        Referral.objects.select_related(
            "recipient__organization",
            "external_recipient",
            "sender_organization__organization",
            "service",
            "sent_by",
            "previous",
        )
        .filter(pk=pk)
        .first()
    )
    if referral is None:
        raise Http404
    if cases_visible_to(real).filter(pk=referral.case_id).exists():
        side = SENDER
        organization = referral.sender_organization
    elif (
        referral.recipient is not None
        and case_organizations(real).filter(pk=referral.recipient.pk).exists()
    ):
        side = RECIPIENT
        organization = referral.recipient
    else:
        raise Http404
    audit_event_record(
        actor=real,
        action="referral.read",
        target=referral,
        organization=organization,
        details={"side": side},
    )
    return ReferralAccess(referral=referral, side=side)


def actions_allowed(access: ReferralAccess) -> list[str]:
    """The steps the reader's side may take now."""
    return [
        action
        for action, transition in TRANSITIONS.items()
        if transition.side == access.side
        and access.referral.status in transition.sources
    ]


def may_resend(access: ReferralAccess) -> bool:
    referral = access.referral
    return (
        access.is_sender
        and referral.status in RESENDABLE
        and not Referral.objects.filter(previous=referral).exists()
    )


def may_override_consent(user: AnyUser, case: Case) -> bool:
    return may_supervise(user, case)


def events_of(referral: Referral) -> QuerySet[ReferralEvent]:
    return referral.events.select_related("actor")


def messages_of(referral: Referral) -> QuerySet[ReferralMessage]:
    return referral.messages.select_related(
        "author", "organization__organization"
    ).prefetch_related("attachments")


def attachment_get_for_user(
    *, user: AnyUser, pk: int, attachment_pk: int
) -> ReferralAttachment:
    """An attachment of a referral ``user`` is a side of, or 404 (the referral
    read is audited; the download is audited by ``attachment_read``)."""
    access = referral_get_for_user(user=user, pk=pk)
    attachment = (
        ReferralAttachment.objects.filter(referral=access.referral, pk=attachment_pk)
        .select_related("referral")
        .first()
    )
    if attachment is None:
        raise Http404
    return attachment


def notifications_unread(*, user: AnyUser) -> QuerySet[Notification]:
    real = _real(user)
    if real is None:
        return Notification.objects.none()
    return Notification.objects.filter(user=real, read_at__isnull=True)


def sharing_consents(case: Case) -> QuerySet[Consent]:
    """The person's current consents to share data with a named organisation."""
    return Consent.objects.filter(
        person_id=case.person_id,
        scope=ConsentScope.SHARING,
        granted=True,
        replaced_by__isnull=True,
    ).select_related("recipient")


def consent_category_labels(consent: Consent) -> list[str]:
    labels = dict(DataCategory.choices)
    return [str(labels.get(code, code)) for code in consent.data_categories]


def status_label(status: str) -> str:
    return str(dict(Status.choices).get(status, status))


# --- The snapshot, as the reader's language shows it ----------------------------


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value)) if value else "—"


def _labels(choices: Any, values: list[str]) -> str:
    return ", ".join(_label(choices, value) for value in values) or "—"


def _yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


def _rows(category: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    if not data:
        return [(_("Recorded"), _("nothing recorded yet"))]
    if category == ReferralCategory.IDENTITY:
        return [
            (_("Given name"), data["given_name"] or "—"),
            (_("Family name"), data["family_name"] or "—"),
            (_("Date of birth"), data["birth_date"] or "—"),
        ]
    if category == ReferralCategory.CONTACT:
        return [(_("Contact details"), data["contact_details"] or "—")]
    if category == ReferralCategory.DOCUMENTS:
        return [(_("Identity document numbers"), data["identity_documents"] or "—")]
    if category == ReferralCategory.NATIONALITY_LANGUAGES:
        return [
            (_("Nationality"), country_name(data["nationality"]) or "—"),
            (
                _("Languages spoken"),
                ", ".join(language_name(code) for code in data["languages"]) or "—",
            ),
            (_("Interpreter needed"), _yes_no(data["interpreter_needed"])),
        ]
    if category == ReferralCategory.CASE_SUMMARY:
        return [
            (_("Type"), _label(CaseType.choices, data["case_type"])),
            (_("Stage"), _label(Stage.choices, data["stage"])),
            (_("Country of origin"), country_name(data["country_of_origin"]) or "—"),
            (
                _("Countries of transit"),
                ", ".join(country_name(c) for c in data["transit_countries"]) or "—",
            ),
            (
                _("Country of destination"),
                country_name(data["country_of_destination"]) or "—",
            ),
            (_("Cross-border"), _yes_no(data["cross_border"])),
        ]
    if category == ReferralCategory.NEEDS_ASSESSMENT:
        return [
            (_("Assessed on"), data["assessed_on"] or "—"),
            (
                _("Protection needs"),
                _labels(ProtectionNeed.choices, data["protection_needs"]),
            ),
            (
                _("Special measures"),
                _labels(SpecialMeasure.choices, data["special_measures"]),
            ),
        ]
    if category == ReferralCategory.RISK_LEVEL:
        return [
            (_("Risk level"), _label(RiskLevel.choices, data["level"])),
            (_("Assessed on"), data["assessed_on"] or "—"),
        ]
    if category == ReferralCategory.IDENTIFICATION_STATUS:
        return [
            (
                _("Identification status"),
                _label(IdentificationStatus.choices, data["status"]),
            ),
            (_("Decided on"), data["decided_on"] or "—"),
        ]
    return []


def snapshot_sections(referral: Referral) -> list[tuple[str, list[tuple[str, str]]]]:
    """The shared data by category, labelled in the active language."""
    labels = dict(ReferralCategory.choices)
    snapshot: dict[str, Any] = referral.snapshot or {}
    return [
        (str(labels.get(category, category)), _rows(category, data))
        for category, data in snapshot.items()
        if category in labels
    ]
