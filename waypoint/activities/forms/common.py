"""Forms of the activities staff pages: what the pages of each section share.

They reuse the directory's staff building blocks: ``TranslatedModelForm``
(a fieldset per other platform language), ``FormGroup`` (a page's forms are
valid together or not at all, with an error summary naming each field) and
``FormsetPart``. Each group's ``save`` makes one service call.

Every group knows the acting user: the choices of projects and organisations
are those the user manages, and a record that would not belong to one of the
user's organisations is refused with an error on the field that decides it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.accounts.selectors import is_platform_admin
from waypoint.activities import access
from waypoint.activities.models import (
    Project,
    ProjectPartner,
    PublicationFile,
    StaffCount,
)
from waypoint.activities.services import manage as services
from waypoint.directory.forms.common import (
    SPOKEN_LANGUAGE_CODES,
    FormGroup,
    TranslatedModelForm,
)
from waypoint.directory.models import Organization
from waypoint.lib.countries import country_name, language_name
from waypoint.lib.forms import PLATFORM_LANGUAGES, country_choices, language_choices

if TYPE_CHECKING:
    OrganizationField = forms.ModelChoiceField[Organization]
    OrganizationsField = forms.ModelMultipleChoiceField[Organization]
    ProjectField = forms.ModelChoiceField[Project]
    PartnerModelForm = forms.ModelForm[ProjectPartner]
    StaffModelForm = forms.ModelForm[StaffCount]
    PublicationFileModelForm = forms.ModelForm[PublicationFile]
else:
    OrganizationField = ProjectField = forms.ModelChoiceField
    OrganizationsField = forms.ModelMultipleChoiceField
    PartnerModelForm = StaffModelForm = PublicationFileModelForm = forms.ModelForm


def date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class OrganizationChoiceField(OrganizationField):
    def label_from_instance(self, obj: Organization) -> str:
        if obj.country:
            return f"{obj.name} ({country_name(obj.country)})"
        return obj.name


class OrganizationsChoiceField(OrganizationsField):
    def label_from_instance(self, obj: Organization) -> str:
        if obj.country:
            return f"{obj.name} ({country_name(obj.country)})"
        return obj.name


class ProjectChoiceField(ProjectField):
    def label_from_instance(self, obj: Project) -> str:
        if obj.acronym:
            return f"{obj.acronym} — {obj.title}"
        return obj.title


def organizations_all() -> QuerySet[Organization]:
    return Organization.objects.order_by("name")


def languages_field(label: Any) -> forms.MultipleChoiceField:
    codes = sorted(set(SPOKEN_LANGUAGE_CODES) | set(PLATFORM_LANGUAGES))
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(c, language_name(c)) for c in codes],
    )


def countries_field(label: Any) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=country_choices(blank=False),
    )


class ActivityForm(TranslatedModelForm):
    """A translated activity record form that knows who is filling it in."""

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if "language" in self.fields:
            language = str(getattr(self.instance, "language", "") or "en")
            self.fields["language"] = forms.ChoiceField(
                label=_("Language of the texts"),
                choices=language_choices(language),
                initial=language,
            )
        for name in ("languages", "countries"):
            if name in self.fields and self.instance.pk:
                self.initial[name] = list(getattr(self.instance, name) or [])

    def _project_field(self, required_for_staff: bool) -> None:
        """Limit the project to the user's own (and the record's current one)."""
        field = cast(ProjectChoiceField, self.fields["project"])
        projects = access.projects_managed(self.user)
        current = getattr(self.instance, "project_id", None)
        if current is not None:
            projects = projects | Project.objects.filter(pk=current)
        field.queryset = projects.distinct().order_by("-start_date", "title")
        if required_for_staff and not is_platform_admin(self.user):
            field.required = True
            field.help_text = _("One of your organisation's projects.")

    def _own_organizations(self, name: str) -> None:
        field = cast(OrganizationChoiceField, self.fields[name])
        field.queryset = access.managed_organizations(self.user)


def kept_rows(formset: Any) -> list[Any]:
    """The instances of a validated model formset's rows that stay."""
    kept = []
    for form in formset.forms:
        if not form.has_changed() and form.instance._state.adding:
            continue  # the empty row
        if formset.can_delete and formset._should_delete_form(form):
            continue
        kept.append(form.instance)
    return kept


class ActivityFormGroup(FormGroup):
    """A page's forms plus the check that the record stays the user's."""

    user: User

    def is_valid(self) -> bool:
        valid = super().is_valid()
        if valid and not is_platform_admin(self.user):
            self.ownership_check()
            valid = self.form.is_valid() and not self.form.errors
        return valid

    def ownership_check(self) -> None:
        """Add an error to the deciding field when the record is not the user's."""


class SimpleFormGroup(ActivityFormGroup):
    """A record without parts, saved with ``managed_record_save``."""

    def __init__(self, *, form: forms.ModelForm[Any], user: User) -> None:
        self.user = user
        self.form = form
        self.parts = []

    def save(self, *, actor: User) -> Model:
        form = cast(forms.ModelForm[Any], self.form)
        instance = form.save(commit=False)
        if isinstance(form, TranslatedModelForm):
            form.translations_apply()
        saved: Model = services.managed_record_save(actor=actor, instance=instance)
        return saved
