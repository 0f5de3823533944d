"""Forms of the referral pages: they validate input; services do the rest."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import MemberOrganization
from waypoint.cases.documents import document_read_checked
from waypoint.cases.forms import SPOKEN_LANGUAGES, DateInput
from waypoint.directory.models import Organization, Service
from waypoint.lib.countries import language_name
from waypoint.referrals.lifecycle import TRANSITIONS
from waypoint.referrals.models import (
    DeclineReason,
    Need,
    NotCompletedReason,
    Priority,
    ReferralCategory,
    Status,
)
from waypoint.referrals.services import MAX_ATTACHMENTS

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


class ExternalRecipientField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.name} ({obj.country})" if obj.country else str(obj.name)


MEMBER = "member"
EXTERNAL = "external"


class SendForm(forms.Form):
    recipient_kind = forms.ChoiceField(
        label=_("Send to"),
        choices=[
            (MEMBER, _("a member organisation of the network (answers in Waypoint)")),
            (
                EXTERNAL,
                _(
                    "an organisation of the directory not on the platform (police, "
                    "court, embassy…): it gets a single-use link by email"
                ),
            ),
        ],
        initial=MEMBER,
        widget=forms.RadioSelect,
        required=False,
    )
    recipient = RecipientField(
        label=_("Recipient organisation"),
        queryset=MemberOrganization.objects.none(),
        required=False,
    )
    external_recipient = ExternalRecipientField(
        label=_("Organisation outside the platform"),
        queryset=Organization.objects.none(),
        required=False,
    )
    external_email = forms.EmailField(
        label=_("Email address for the link"),
        required=False,
        help_text=_(
            "Leave empty to use the address in the directory. The email holds "
            "only the link, never personal data."
        ),
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
        external_field = cast(forms.ModelChoiceField, self.fields["external_recipient"])  # type: ignore[type-arg]
        external_field.queryset = Organization.objects.filter(
            member__isnull=True
        ).order_by("name")
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

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("recipient_kind") == EXTERNAL:
            data["recipient"] = None
            if not data.get("external_recipient") and "external_recipient" not in (
                self.errors
            ):
                self.add_error(
                    "external_recipient", _("Choose the organisation to send it to.")
                )
            organization = data.get("external_recipient")
            if (
                organization is not None
                and not data.get("external_email")
                and not organization.email
            ):
                self.add_error(
                    "external_email",
                    _("The directory has no email address for it: give one."),
                )
        else:
            data["external_recipient"] = None
            data["external_email"] = ""
            if not data.get("recipient") and "recipient" not in self.errors:
                self.add_error("recipient", _("Choose the organisation to send it to."))
        return data


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


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class MessageForm(forms.Form):
    text = forms.CharField(
        label=_("Message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000
    )
    attachments = MultipleFileField(
        label=_("Attachments (optional)"),
        required=False,
        help_text=_(
            "Up to 5 files: PDF, JPEG, PNG or Word (DOCX), at most 10 MB each. "
            "They are stored encrypted and only the two sides can download them."
        ),
    )

    def clean_attachments(self) -> list[Any]:
        uploads: list[Any] = self.cleaned_data.get("attachments") or []
        if len(uploads) > MAX_ATTACHMENTS:
            raise forms.ValidationError(
                _("Attach at most %(count)d files."),
                code="too_many_files",
                params={"count": MAX_ATTACHMENTS},
            )
        for upload in uploads:
            try:
                document_read_checked(upload)
            except ValidationError as error:
                raise forms.ValidationError(
                    f"{upload.name}: {error.messages[0]}", code=error.code
                ) from error
            upload.seek(0)
        return uploads


class ExternalCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        min_length=6,
        max_length=6,
        help_text=_("The 6 digits sent to your email address."),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class ExternalAnswerForm(forms.Form):
    action = forms.ChoiceField(choices=[("accept", "accept"), ("decline", "decline")])
    version = forms.IntegerField(min_value=1, widget=forms.HiddenInput)
    decline_reason = forms.ChoiceField(
        label=_("Reason"), choices=DeclineReason.choices, required=False
    )
    text = forms.CharField(
        label=_("Explanation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=5000,
    )
