"""Erasing what a person's referrals carried when the person is anonymised."""

from __future__ import annotations

import datetime
import functools

from django.db import transaction
from django.db.models import F, QuerySet

from waypoint.accounts.models import User
from waypoint.cases.models import Case
from waypoint.lib.crypto import emptied_text
from waypoint.referrals.models import (
    OPEN,
    Referral,
    ReferralAttachment,
    ReferralEvent,
    ReferralMessage,
)
from waypoint.referrals.services.core import status_swap

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
        status_swap(actor=actor, referral=referral, action="withdraw")
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
