"""Forms of the referral pages: they validate input; services do the rest."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import MemberOrganization
from waypoint.cases.forms import SPOKEN_LANGUAGES, DateInput
from waypoint.directory.models import Service
from waypoint.lib.countries import language_name
from waypoint.referrals.models import (
    DeclineReason,
    Need,
    NotCompletedReason,
    Priority,
    ReferralCategory,
    Status,
)
from waypoint.referrals.services import TRANSITIONS

DEFAULT_RESPONSE_DAYS = 7


def _interpreter_languages() -> list[tuple[str, str]]:
    return [
        ("", str(_("No interpreter needed"))),
        *((code, language_name(code)) for code in SPOKEN_LANGUAGES),
    ]


class RecipientField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        organization = obj.organization
        return f"{organization.name} ({organization.country})"


class ServiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organization.name}: {obj.name}"


class SendForm(forms.Form):
    recipient = RecipientField(
        label=_("Recipient organisation"), queryset=MemberOrganization.objects.none()
    )
    service = ServiceField(
        label=_("Service (optional)"),
        queryset=Service.objects.none(),
        required=False,
        help_text=_("A service of the recipient organisation from the directory."),
    )
    needs = forms.MultipleChoiceField(
        label=_("Needs the referral is for"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    priority = forms.ChoiceField(
        label=_("Priority"), choices=Priority.choices, initial=Priority.ROUTINE
    )
    respond_by = forms.DateField(label=_("Respond by"), widget=DateInput)
    accompanied = forms.BooleanField(
        label=_("The person will be accompanied"), required=False
    )
    interpreter_language = forms.ChoiceField(
        label=_("Interpreter needed for"),
        choices=_interpreter_languages,
        required=False,
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Data to share"),
        choices=ReferralCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Only what the person consented to share with this organisation; "
            "the recipient sees these data as they are now and nothing else."
        ),
    )

    def __init__(
        self,
        *args: Any,
        recipients: QuerySet[MemberOrganization],
        may_override: bool,
        **kwargs: Any,
    ) -> None:
        kwargs.setdefault(
            "initial",
            {
                "respond_by": timezone.localdate()
                + datetime.timedelta(days=DEFAULT_RESPONSE_DAYS)
            },
        )
        super().__init__(*args, **kwargs)
        recipient_field = cast(forms.ModelChoiceField, self.fields["recipient"])  # type: ignore[type-arg]
        recipient_field.queryset = recipients.select_related("organization").order_by(
            "organization__name"
        )
        service_field = cast(forms.ModelChoiceField, self.fields["service"])  # type: ignore[type-arg]
        service_field.queryset = (
            Service.objects.filter(organization__member__in=recipients)
            .select_related("organization")
            .order_by("organization__name", "name")
        )
        if may_override:
            self.fields["override_reason"] = forms.CharField(
                label=_("Reason for sending without a covering consent (supervisors)"),
                widget=forms.Textarea(attrs={"rows": 3}),
                required=False,
                help_text=_(
                    "Only when no consent covers this organisation and these data; "
                    "the reason is recorded in the audit log."
                ),
            )


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *Status.choices],
        required=False,
    )


class TransitionForm(forms.Form):
    action = forms.ChoiceField(choices=[(name, name) for name in TRANSITIONS])
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decline_reason = forms.ChoiceField(
        label=_("Reason"), choices=DeclineReason.choices, required=False
    )
    not_completed_reason = forms.ChoiceField(
        label=_("Reason"), choices=NotCompletedReason.choices, required=False
    )
    text = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
