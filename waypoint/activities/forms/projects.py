"""Projects: the project form, its partners and its funding."""

from __future__ import annotations

from typing import Any, cast

from django.forms.models import inlineformset_factory
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.activities import access
from waypoint.activities.forms.common import (
    ActivityForm,
    ActivityFormGroup,
    OrganizationChoiceField,
    PartnerModelForm,
    countries_field,
    date_widget,
    kept_rows,
    organizations_all,
)
from waypoint.activities.models import Project, ProjectPartner
from waypoint.activities.services import manage as services
from waypoint.directory.forms.common import FormsetPart
from waypoint.lib.forms import FORMSET_LIMITS

# --- Projects ---------------------------------------------------------------------


class ProjectForm(ActivityForm):
    translated_fields = Project.TRANSLATED_FIELDS

    coordinator = OrganizationChoiceField(
        queryset=organizations_all(),
        label=_("Coordinator"),
        required=False,
        help_text=_("Your organisation, or add it below as a partner."),
    )
    countries = countries_field(_("Countries"))

    class Meta:
        model = Project
        fields = (
            "title",
            "acronym",
            "funding_programme",
            "grant_reference",
            "coordinator",
            "countries",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "website",
            "objectives",
            "outputs",
            "language",
        )
        widgets = {"start_date": date_widget(), "end_date": date_widget()}


class PartnerForm(PartnerModelForm):
    organization = OrganizationChoiceField(
        queryset=organizations_all(), label=_("Organisation")
    )

    class Meta:
        model = ProjectPartner
        fields = ("organization", "role")


ProjectPartnerFormSet = inlineformset_factory(
    Project,
    ProjectPartner,
    form=PartnerForm,
    extra=1,
    can_delete=True,
    **FORMSET_LIMITS,
)


class ProjectFormGroup(ActivityFormGroup):
    def __init__(self, *, data: Any = None, instance: Project, user: User) -> None:
        self.user = user
        self.instance = instance
        self.form = ProjectForm(data=data, instance=instance, user=user)
        self.partners = FormsetPart(
            formset=ProjectPartnerFormSet(
                data=data, instance=instance, prefix="partners"
            ),
            legend=_("Partners"),
            row_label=_("Partner %(number)s"),
        )
        self.parts = [self.partners]

    def ownership_check(self) -> None:
        own = set(access.managed_organizations(self.user).values_list("pk", flat=True))
        coordinator = self.form.cleaned_data.get("coordinator")
        partners = {row.organization_id for row in kept_rows(self.partners.formset)}
        if not (coordinator is not None and coordinator.pk in own) and not (
            partners & own
        ):
            self.form.add_error(
                "coordinator",
                _(
                    "Choose your organisation as coordinator, or add it as a "
                    "partner below."
                ),
            )

    def save(self, *, actor: User) -> Project:
        form = cast(ProjectForm, self.form)
        project = form.save(commit=False)
        form.translations_apply()
        return services.project_save(
            actor=actor, project=project, partners=kept_rows(self.partners.formset)
        )
