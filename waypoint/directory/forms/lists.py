"""Filters of the staff lists."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.lib.forms import choices_set, country_choices

# --- Lists ----------------------------------------------------------------------


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices_set(
            self.fields["country"],
            [
                ("", _("All countries")),
                *country_choices(blank=False),
            ],
        )
