"""The newsletter's choice: a project, or a period (of one organisation)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.activities import selectors
from waypoint.activities.models import Project
from waypoint.directory.models import Organization

if TYPE_CHECKING:
    _ProjectField = forms.ModelChoiceField[Project]
    _OrganizationField = forms.ModelChoiceField[Organization]
else:
    _ProjectField = _OrganizationField = forms.ModelChoiceField

# Longer periods make documents nobody reads to the end.
MAX_DAYS = 3 * 366


class _ProjectChoice(_ProjectField):
    def label_from_instance(self, obj: Project) -> str:
        return f"{obj.acronym} — {obj.title}" if obj.acronym else obj.title


class NewsletterForm(forms.Form):
    project = _ProjectChoice(
        queryset=Project.objects.none(),
        label=_("Project"),
        required=False,
        help_text=_("Leave empty for a newsletter of everything in the period."),
    )
    start = forms.DateField(
        label=_("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For a project, empty means from its start."),
    )
    end = forms.DateField(
        label=_("To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("For a project, empty means until its end."),
    )
    organization = _OrganizationField(
        queryset=Organization.objects.none(),
        label=_("Organisation"),
        required=False,
        help_text=_("Only the activities of one organisation (for a period)."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            _ProjectChoice, self.fields["project"]
        ).queryset = selectors.newsletter_project_choices()
        cast(
            _OrganizationField, self.fields["organization"]
        ).queryset = selectors.newsletter_organization_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if data.get("project") is None and not self.has_error("project"):
            if start is None and not self.has_error("start"):
                self.add_error("start", _("Give the first day, or choose a project."))
            if end is None and not self.has_error("end"):
                self.add_error("end", _("Give the last day, or choose a project."))
            if start and end and (end - start).days > MAX_DAYS:
                self.add_error("end", _("Choose a period of at most three years."))
        if start and end and end < start:
            self.add_error("end", _("The last day comes before the first."))
        return data
