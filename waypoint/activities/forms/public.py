from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.activities.models import EventType, PublicationType


class EventFilterForm(forms.Form):
    """The calendar's filters: a year that has events, and a type of event."""

    year = forms.TypedChoiceField(
        label=_("Year"), required=False, coerce=int, empty_value=None
    )
    type = forms.ChoiceField(label=_("Type of event"), required=False)

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        year_field = cast(forms.TypedChoiceField, self.fields["year"])
        year_field.choices = [("", _("All years")), *((y, str(y)) for y in years)]
        type_field = cast(forms.ChoiceField, self.fields["type"])
        type_field.choices = [("", _("All types")), *EventType.choices]


class PublicationFilterForm(forms.Form):
    type = forms.ChoiceField(
        label=_("Type of publication"),
        required=False,
        choices=[("", _("All types")), *PublicationType.choices],
    )
