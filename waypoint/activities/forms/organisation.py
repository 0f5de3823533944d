"""The organisation: partners, departments and the annual report's own texts."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.activities import access
from waypoint.activities.forms.common import (
    ActivityForm,
    ActivityFormGroup,
    OrganizationChoiceField,
    SimpleFormGroup,
    StaffModelForm,
    kept_rows,
    organizations_all,
)
from waypoint.activities.models import AnnualReport, Department, Partnership, StaffCount
from waypoint.activities.services import manage as services
from waypoint.directory.forms.common import FormsetPart
from waypoint.directory.models import Organization
from waypoint.lib.forms import FORMSET_LIMITS

# --- The organisation: partners, departments, annual report ---------------


class PartnershipForm(forms.ModelForm[Partnership]):
    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(), label=_("Organisation")
    )
    partner = OrganizationChoiceField(queryset=organizations_all(), label=_("Partner"))

    class Meta:
        model = Partnership
        fields = ("organization", "kind", "partner", "position")

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(
            OrganizationChoiceField, self.fields["organization"]
        ).queryset = access.managed_organizations(user)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        organization, partner = data.get("organization"), data.get("partner")
        if organization is not None and organization == partner:
            self.add_error("partner", _("An organisation is not its own partner."))
        return data


def partnership_group(
    *, data: Any = None, instance: Partnership, user: User
) -> SimpleFormGroup:
    return SimpleFormGroup(
        form=PartnershipForm(data=data, instance=instance, user=user), user=user
    )


class DepartmentForm(ActivityForm):
    translated_fields = Department.TRANSLATED_FIELDS

    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(), label=_("Organisation")
    )

    class Meta:
        model = Department
        fields = (
            "organization",
            "kind",
            "name",
            "responsibilities",
            "position",
            "language",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._own_organizations("organization")


class StaffCountForm(StaffModelForm):
    class Meta:
        model = StaffCount
        fields = ("role", "count")


StaffCountFormSet = inlineformset_factory(
    Department,
    StaffCount,
    form=StaffCountForm,
    extra=1,
    can_delete=True,
    **FORMSET_LIMITS,
)


class DepartmentFormGroup(ActivityFormGroup):
    def __init__(self, *, data: Any = None, instance: Department, user: User) -> None:
        self.user = user
        self.form = DepartmentForm(data=data, instance=instance, user=user)
        self.staff = FormsetPart(
            formset=StaffCountFormSet(data=data, instance=instance, prefix="staff"),
            legend=_("Staff and collaborators"),
            row_label=_("Staff count %(number)s"),
        )
        self.parts = [self.staff]

    def save(self, *, actor: User) -> Department:
        form = cast(DepartmentForm, self.form)
        department = form.save(commit=False)
        form.translations_apply()
        return services.department_save(
            actor=actor, department=department, staff=kept_rows(self.staff.formset)
        )


class AnnualReportForm(ActivityForm):
    translated_fields = AnnualReport.TRANSLATED_FIELDS

    organization = OrganizationChoiceField(
        queryset=Organization.objects.none(), label=_("Organisation")
    )
    year = forms.IntegerField(label=_("Year"), min_value=1990, max_value=2100)

    class Meta:
        model = AnnualReport
        fields = (
            "organization",
            "year",
            "foreword",
            "about",
            "values",
            "objectives",
            "projects_introduction",
            "international_introduction",
            "partners_introduction",
            "language",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._own_organizations("organization")

    def validate_unique(self) -> None:
        try:
            self.instance.validate_constraints()
        except ValidationError:
            self.add_error(
                "year", _("Your organisation already has a report for this year.")
            )


def annual_report_group(
    *, data: Any = None, instance: AnnualReport, user: User
) -> SimpleFormGroup:
    return SimpleFormGroup(
        form=AnnualReportForm(data=data, instance=instance, user=user), user=user
    )
