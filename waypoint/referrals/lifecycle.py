"""The lifecycle of a referral: its two sides and the changes of status each
side may take. Plain data, read by services, selectors and forms."""

from __future__ import annotations

from dataclasses import dataclass

from waypoint.referrals.models import AWAITING, OPEN, Status

SENDER = "sender"
RECIPIENT = "recipient"


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
