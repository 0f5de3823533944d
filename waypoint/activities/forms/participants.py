"""Forms of the registration, the feedback and the participants page."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.conf import settings
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waypoint.activities.models import (
    Event,
    Feedback,
    InstitutionType,
    ParticipantProfession,
    registration_settings_errors,
)
from waypoint.lib.countries import countries_by_name, language_name


class RegistrationForm(forms.Form):
    """The public registration: what the attendance list, the certificate and
    the event's statistics need, and nothing else."""

    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        help_text=_("As it should appear on the certificate of attendance."),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The confirmation and the link to cancel are sent here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    institution = forms.CharField(
        label=_("Institution or organisation"),
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    institution_type = forms.ChoiceField(label=_("Type of institution"))
    profession = forms.ChoiceField(label=_("Profession"))
    country = forms.ChoiceField(label=_("Country where you work"))
    languages = forms.MultipleChoiceField(
        label=_("Languages you can follow (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the organiser keeps my name, email address, "
            "institution, profession and country for the attendance list, my "
            "certificate of attendance and the event's anonymous statistics."
        ),
        error_messages={
            "required": _("Registration needs your consent to keep these details.")
        },
    )

    def __init__(self, *args: Any, retention_days: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        # The consent's label is a whole sentence: the error summary names it so.
        self.fields["consent"].summary_label = _("Consent")  # type: ignore[attr-defined]
        self.fields["consent"].help_text = _(
            "Name, email address and institution are deleted %(days)s days "
            "after the event; you can cancel at any time with the link in the "
            "confirmation email."
        ) % {"days": retention_days}
        cast(forms.ChoiceField, self.fields["institution_type"]).choices = [
            ("", _("Choose…")),
            *InstitutionType.choices,
        ]
        cast(forms.ChoiceField, self.fields["profession"]).choices = [
            ("", _("Choose…")),
            *ParticipantProfession.choices,
        ]
        cast(forms.ChoiceField, self.fields["country"]).choices = [
            ("", _("Choose…")),
            *countries_by_name(language),
        ]
        cast(forms.MultipleChoiceField, self.fields["languages"]).choices = [
            (code, language_name(code, language)) for code, _name in settings.LANGUAGES
        ]


class RegistrationSettingsForm(forms.Form):
    registration_open = forms.BooleanField(
        label=_("Registration is open"), required=False
    )
    capacity = forms.IntegerField(
        label=_("Places"),
        required=False,
        min_value=1,
        help_text=_(
            "Empty for no limit. When all are taken, people join a waiting list."
        ),
    )
    registration_deadline = forms.DateField(
        label=_("Registration deadline"),
        required=False,
        help_text=_(
            "The last day to register. Empty: until the first day of the event."
        ),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.event = event

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        errors = registration_settings_errors(
            start_date=self.event.start_date,
            capacity=data.get("capacity"),
            deadline=data.get("registration_deadline"),
        )
        for name, message in errors.items():
            if name not in self.errors:
                self.add_error(name, message)
        return data


class FeedbackForm(forms.Form):
    usefulness = forms.TypedChoiceField(
        label=_("How useful was the event for your work?"),
        choices=Feedback.RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1: not useful, 5: very useful."),
    )
    organisation = forms.TypedChoiceField(
        label=_("How well was it organised?"),
        choices=Feedback.RATINGS,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1: badly, 5: very well."),
    )
    improve = forms.CharField(
        label=_("What could we improve? (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Please do not write names or anything that identifies someone."),
    )
