"""What the cases app announces to the apps above it.

Cases sit below referrals: a case never imports the referral code. When a
change to a case must reach the referrals made from it, the case service
sends one of these signals inside its own transaction, and the higher app
connects a receiver in its ``AppConfig.ready``. Signals are sent with
``send`` (never ``send_robust``): a receiver that fails rolls the whole
change back, so a consent is never withdrawn while its referrals stay open.
"""

from __future__ import annotations

from django.dispatch import Signal

# A consent was replaced by a withdrawal or a narrower one.
# Arguments: actor (User), consent (the replaced Consent), replacement (Consent).
consent_replaced = Signal()

# A person is being anonymised; their personal data is already erased.
# Arguments: actor (User | None), cases (QuerySet[Case]), now (datetime).
person_anonymising = Signal()
