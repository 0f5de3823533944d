"""Referrals used across the referral tests, built through the services.

Organisation A (Romania) refers the person of its case to organisation B
(Germany); organisation C is a third member that must see nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from waypoint.accounts.models import MemberOrganization, Profession, Role, User
from waypoint.accounts.testing import staff_make
from waypoint.cases.models import Case, Consent
from waypoint.cases.services import consent_record
from waypoint.cases.tests.conftest import intake
from waypoint.directory.models import Organization
from waypoint.directory.testing import member_organization_make
from waypoint.referrals import services
from waypoint.referrals.models import Referral, Status

SHARED = ["identity", "case_summary"]


@pytest.fixture
def org_c(db: None) -> MemberOrganization:
    return member_organization_make("Organisation C", country="SE")


@pytest.fixture
def caseworker_c(org_c: MemberOrganization) -> User:
    return staff_make("caseworker_c", org_c, Role.CASEWORKER, Profession.LAWYER)


@pytest.fixture
def supervisor_b(org_b: MemberOrganization) -> User:
    return staff_make("supervisor_b", org_b, Role.SUPERVISOR)


@pytest.fixture
def case_a(field_keys: None, caseworker_a: User, org_a: MemberOrganization) -> Case:
    """A case of organisation A assigned to its caseworker (who opened it)."""
    return intake(caseworker_a, org_a)


def consent_for(
    actor: User,
    case: Case,
    recipient: MemberOrganization,
    categories: tuple[str, ...] = ("identity", "situation", "needs"),
) -> Consent:
    return consent_record(
        actor=actor,
        case=case,
        scope="sharing",
        method="signed",
        given_on=datetime.date(2026, 5, 1),
        data_categories=categories,
        recipient=recipient.organization,
    )


@pytest.fixture
def consent_b(case_a: Case, caseworker_a: User, org_b: MemberOrganization) -> Consent:
    """The person agreed to share identity, case summary and needs with B."""
    return consent_for(caseworker_a, case_a, org_b)


def send(
    actor: User,
    case: Case,
    recipient: MemberOrganization,
    categories: list[str] | None = None,
    **extra: object,
) -> Referral:
    kwargs: dict[str, object] = {
        "needs": ["legal-counselling"],
        "respond_by": timezone.localdate() + datetime.timedelta(days=7),
        "data_categories": SHARED if categories is None else categories,
        **extra,
    }
    return services.referral_send(
        actor=actor,
        case=case,
        recipient=recipient,
        **kwargs,  # type: ignore[arg-type]
    )


@pytest.fixture
def referral(
    case_a: Case,
    caseworker_a: User,
    caseworker_b: User,
    org_b: MemberOrganization,
    consent_b: Consent,
) -> Referral:
    """Sent by caseworker A to organisation B, sharing identity and summary."""
    return send(caseworker_a, case_a, org_b)


# How a referral reaches each status, as (side, action) steps.
PATHS: dict[str, list[tuple[str, str]]] = {
    Status.SENT: [],
    Status.ACKNOWLEDGED: [("recipient", "acknowledge")],
    Status.ACCEPTED: [("recipient", "accept")],
    Status.DECLINED: [("recipient", "decline")],
    Status.IN_PROGRESS: [("recipient", "accept"), ("recipient", "start")],
    Status.COMPLETED: [("recipient", "accept"), ("recipient", "complete")],
    Status.NOT_COMPLETED: [("recipient", "accept"), ("recipient", "not_complete")],
    Status.WITHDRAWN: [("sender", "withdraw")],
    Status.EXPIRED: [("platform", "expire")],
}


def apply(action: str, actor: User, referral: Referral) -> Referral:
    """Take ``action`` with the arguments it needs."""
    calls: dict[str, Callable[[], Referral]] = {
        "acknowledge": lambda: services.referral_acknowledge(
            actor=actor, referral=referral
        ),
        "accept": lambda: services.referral_accept(actor=actor, referral=referral),
        "decline": lambda: services.referral_decline(
            actor=actor, referral=referral, reason="no_capacity"
        ),
        "start": lambda: services.referral_start(actor=actor, referral=referral),
        "complete": lambda: services.referral_complete(
            actor=actor, referral=referral, outcome="Counselling given."
        ),
        "not_complete": lambda: services.referral_not_complete(
            actor=actor, referral=referral, reason="contact_lost"
        ),
        "withdraw": lambda: services.referral_withdraw(actor=actor, referral=referral),
    }
    return calls[action]()


def bring_to(
    status: str, referral: Referral, *, sender: User, recipient: User
) -> Referral:
    for side, action in PATHS[status]:
        if action == "expire":
            later = timezone.now() + datetime.timedelta(days=30)
            services.referrals_expire(now=later)
            referral.refresh_from_db()
        else:
            apply(action, sender if side == "sender" else recipient, referral)
    assert referral.status == status
    return referral


@pytest.fixture(autouse=True)
def _private_files(settings: Any, tmp_path: Path) -> None:
    """Encrypted attachments go to a temporary folder."""
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path / "private"


POLICE_EMAIL = "trafficking-unit@police.example.org"


@pytest.fixture
def police(db: None) -> Organization:
    """A directory organisation that is not on the platform."""
    return Organization.objects.create(
        name="Police trafficking unit",
        description="Investigates trafficking.",
        country="DE",
        email=POLICE_EMAIL,
    )


@pytest.fixture
def consent_police(case_a: Case, caseworker_a: User, police: Organization) -> Consent:
    return consent_record(
        actor=caseworker_a,
        case=case_a,
        scope="sharing",
        method="signed",
        given_on=datetime.date(2026, 5, 1),
        data_categories=("identity", "situation"),
        recipient=police,
    )


def send_external(
    actor: User, case: Case, organization: Organization, **extra: object
) -> Referral:
    kwargs: dict[str, object] = {
        "needs": ["legal-counselling"],
        "respond_by": timezone.localdate() + datetime.timedelta(days=7),
        "data_categories": SHARED,
        **extra,
    }
    return services.referral_send(
        actor=actor,
        case=case,
        external_recipient=organization,
        **kwargs,  # type: ignore[arg-type]
    )


def token_in(body: str) -> str:
    """The token of the link in an email's body."""
    match = re.search(r"/referrals/x/([A-Za-z0-9_\-]+)/", body)
    assert match, body
    return match.group(1)


def code_in(body: str) -> str:
    match = re.search(r"\b(\d{6})\b", body)
    assert match, body
    return match.group(1)
