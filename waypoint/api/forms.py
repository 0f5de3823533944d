from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("Which system will use it, e.g. “case management system”."),
    )
    acts_as = forms.ModelChoiceField(
        label=_("Acts as"),
        queryset=User.objects.none(),
        help_text=_(
            "The caseworker or supervisor in whose name the system reads and "
            "changes referrals. It sees what they see."
        ),
    )

    def __init__(self, *args: Any, members: QuerySet[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["acts_as"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = members
