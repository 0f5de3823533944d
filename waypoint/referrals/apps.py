from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "waypoint.referrals"
    label = "referrals"
    verbose_name = _("Referrals")

    def ready(self) -> None:
        from waypoint.cases.signals import consent_replaced, person_anonymising
        from waypoint.referrals import receivers

        # Cases announce, referrals follow: the cases app never imports us.
        consent_replaced.connect(
            receivers.on_consent_replaced, dispatch_uid="referrals.consent_replaced"
        )
        person_anonymising.connect(
            receivers.on_person_anonymising,
            dispatch_uid="referrals.person_anonymising",
        )
