"""Referrals react to what the cases app announces (``waypoint.cases.signals``).

Connected in ``ReferralsConfig.ready``. Each receiver runs inside the case
service's transaction, so a failure here undoes the case change as well.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from waypoint.accounts.models import User
from waypoint.cases.models import Case, Consent
from waypoint.referrals.services import (
    referrals_erase_for_anonymisation,
    referrals_withdraw_for_consent,
)


def on_consent_replaced(
    *,
    actor: User,
    consent: Consent,
    replacement: Consent,
    **kwargs: Any,
) -> None:
    """The open referrals the earlier consent allowed are withdrawn."""
    referrals_withdraw_for_consent(
        actor=actor, consent=consent, replacement=replacement
    )


def on_person_anonymising(
    *,
    actor: User | None,
    cases: QuerySet[Case],
    now: datetime.datetime,
    **kwargs: Any,
) -> None:
    """What the person's referrals carried is erased on both sides."""
    referrals_erase_for_anonymisation(actor=actor, cases=cases, now=now)
