"""The organisation form of the staff interface."""

from __future__ import annotations

import uuid
from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.directory import services
from waypoint.directory.forms.common import (
    FormGroup,
    FormsetPart,
    OrganizationPhoneFormSet,
    TermChoiceField,
    TranslatedModelForm,
    region_from,
    terms_initial,
)
from waypoint.directory.models import (
    Organization,
)
from waypoint.directory.taxonomy_data import (
    AUTHORITY_ROLE,
    ORGANIZATION_KIND,
)
from waypoint.lib.forms import choices_set, country_choices, language_choices

# --- Organisation ---------------------------------------------------------------


class OrganizationForm(TranslatedModelForm):
    translated_fields = ("name", "description")
    extra_field_names = ("kinds", "roles")

    language = forms.ChoiceField(label=_("Language of the listing"))
    country = forms.ChoiceField(label=_("Country"), required=False)
    kinds = TermChoiceField(ORGANIZATION_KIND, label=_("Kind of organisation"))
    roles = TermChoiceField(AUTHORITY_ROLE, label=_("Role in the referral pathway"))

    class Meta:
        model = Organization
        fields = (
            "name",
            "alternate_name",
            "description",
            "email",
            "website",
            "country",
            "language",
            "tax_status",
            "tax_id",
            "legal_status",
            "year_incorporated",
            "parent_organization",
            "is_demo",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        organization = self.instance
        self.fields["year_incorporated"] = forms.IntegerField(
            label=_("Year incorporated"),
            required=False,
            min_value=1800,
            max_value=timezone.now().year,
        )
        choices_set(self.fields["language"], language_choices(organization.language))
        choices_set(self.fields["country"], country_choices(blank=True))
        parent = cast(
            "forms.ModelChoiceField[Organization]", self.fields["parent_organization"]
        )
        parent.queryset = Organization.objects.exclude(pk=organization.pk).only(
            "id", "name"
        )
        if not organization._state.adding:
            self.fields["kinds"].initial = terms_initial(
                "organization", organization.pk, ORGANIZATION_KIND
            )
            self.fields["roles"].initial = terms_initial(
                "organization", organization.pk, AUTHORITY_ROLE
            )

    @property
    def classification_fields(self) -> list[forms.BoundField]:
        return [self["kinds"], self["roles"]]

    def clean_parent_organization(self) -> Organization | None:
        parent: Organization | None = self.cleaned_data.get("parent_organization")
        seen: set[uuid.UUID] = set()
        ancestor = parent
        while ancestor is not None and ancestor.pk not in seen:
            if ancestor.pk == self.instance.pk:
                raise forms.ValidationError(
                    _("An organisation cannot be its own parent or ancestor.")
                )
            seen.add(ancestor.pk)
            ancestor = ancestor.parent_organization
        return parent


class OrganizationFormGroup(FormGroup):
    def __init__(self, *, data: Any = None, instance: Organization) -> None:
        self.instance = instance
        self.main = OrganizationForm(data=data, instance=instance)
        self.form = self.main
        region = region_from(data, "country", instance.country)
        self.phones = FormsetPart(
            formset=OrganizationPhoneFormSet(
                data=data,
                instance=instance,
                prefix="phones",
                form_kwargs={"region": region},
            ),
            legend=_("Phone numbers"),
            row_label=_("Phone %(number)s"),
        )
        self.parts = [self.phones]

    def save(self, *, actor: User) -> Organization:
        form = self.main
        organization = form.save(commit=False)
        form.translations_apply()
        return services.organization_save(
            actor=actor,
            organization=organization,
            kinds=list(form.cleaned_data["kinds"]),
            roles=list(form.cleaned_data["roles"]),
            children=[self._part_changes(self.phones)],
        )
