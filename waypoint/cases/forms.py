"""Forms of the case pages: they validate input; services do the rest."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import MemberOrganization, User
from waypoint.cases.indicator_data import INDICATORS
from waypoint.cases.models import (
    AgeBand,
    CaseStatus,
    CaseType,
    ClaimStatus,
    ClosureReason,
    ConsentMethod,
    ConsentScope,
    DataCategory,
    Dimension,
    DocumentKind,
    Gender,
    IdentificationStatus,
    PersonRole,
    ProceedingKind,
    ProceedingStage,
    ProtectionNeed,
    ReflectionDecision,
    RightsItem,
    RiskLevel,
    SessionKind,
    SpecialMeasure,
    Stage,
)
from waypoint.directory.models import Attribute, Organization
from waypoint.directory.taxonomies import term_id
from waypoint.directory.taxonomy_data import AUTHORITY_ROLE, ORGANIZATION_KIND
from waypoint.lib.countries import COUNTRY_CHOICES, language_name
from waypoint.lib.forms import BoundedModelMultipleChoiceField

# Languages offered for "languages spoken": the network's and those most often
# spoken by the people its members assist.
SPOKEN_LANGUAGES = (
    "en", "ro", "bg", "de", "sv", "es", "el", "it", "fr", "ru", "uk", "ar",
    "fa", "ps", "ur", "tr", "sq", "ti", "so", "am", "bn", "zh", "vi", "rom",
)  # fmt: skip

# Currencies of the network's countries.
CURRENCIES = ("EUR", "RON", "BGN", "SEK", "CHF", "GBP")

_COUNTRIES = [("", "—"), *COUNTRY_CHOICES]


class DateInput(forms.DateInput):
    input_type = "date"


def _languages() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in SPOKEN_LANGUAGES]


class PersonForm(forms.Form):
    """The details of a person assisted (at intake, and to correct them)."""

    given_name = forms.CharField(label=_("Given name"), max_length=200)
    family_name = forms.CharField(
        label=_("Family name"), max_length=200, required=False
    )
    birth_date = forms.DateField(
        label=_("Date of birth"), required=False, widget=DateInput
    )
    contact_details = forms.CharField(
        label=_("Contact details"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    identity_documents = forms.CharField(
        label=_("Identity document numbers"), max_length=1000, required=False
    )
    nationality = forms.ChoiceField(
        label=_("Nationality"), choices=_COUNTRIES, required=False
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        choices=_languages,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    interpreter_needed = forms.BooleanField(
        label=_("Needs an interpreter"), required=False
    )
    gender = forms.ChoiceField(
        label=_("Gender"), choices=Gender.choices, initial=Gender.UNDISCLOSED
    )
    age_band = forms.ChoiceField(
        label=_("Age"), choices=AgeBand.choices, initial=AgeBand.UNKNOWN
    )
    disability_needs = forms.CharField(
        label=_("Disability needs"), max_length=300, required=False
    )


class IntakeForm(PersonForm):
    """A new person and their first case."""

    field_order = ["organization"]

    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=MemberOrganization.objects.none()
    )
    case_type = forms.ChoiceField(label=_("Type of case"), choices=CaseType.choices)
    country_of_origin = forms.ChoiceField(
        label=_("Country of origin"), choices=_COUNTRIES, required=False
    )
    country_of_destination = forms.ChoiceField(
        label=_("Country of destination"), choices=_COUNTRIES, required=False
    )
    cross_border = forms.BooleanField(label=_("Cross-border case"), required=False)

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        assert isinstance(field, forms.ModelChoiceField)  # noqa: S101 (declared above)
        field.queryset = organizations
        if organizations.count() == 1:
            field.initial = organizations.first()
            field.widget = forms.HiddenInput()


class CaseFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("all")), *CaseStatus.choices], required=False
    )
    case_type = forms.ChoiceField(
        label=_("Type"), choices=[("", _("all")), *CaseType.choices], required=False
    )
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("all")), *Stage.choices], required=False
    )
    code = forms.CharField(label=_("Case code"), max_length=40, required=False)


class VersionedForm(forms.Form):
    """Carries the version of the case the form was shown for."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


# Which directory organisations each authority field suggests first (tagged
# with the role or kind it asks for), and which it offers after them.
_KIND = ORGANIZATION_KIND
PROCEEDING_AUTHORITIES = {
    "suggested": ((_KIND, "court"), (_KIND, "prosecutors-office")),
    "others": ((_KIND, "public-authority"), (_KIND, "police")),
}
COMPENSATION_ASSISTING = {
    "suggested": ((AUTHORITY_ROLE, "compensation-assisting"),),
    "others": ((_KIND, "public-authority"), (_KIND, "court")),
}
COMPENSATION_DECIDING = {
    "suggested": ((AUTHORITY_ROLE, "compensation-deciding"),),
    "others": ((_KIND, "public-authority"), (_KIND, "court")),
}
IDENTIFYING_AUTHORITIES = {
    "suggested": (
        (AUTHORITY_ROLE, "nrm-coordinator"),
        (_KIND, "police"),
        (_KIND, "prosecutors-office"),
    ),
    "others": ((_KIND, "public-authority"), (_KIND, "court")),
}


def organizations_tagged(terms: Sequence[tuple[str, str]]) -> QuerySet[Organization]:
    """Directory organisations carrying any of ``terms`` (taxonomy, term code)."""
    linked = Attribute.objects.filter(
        link_entity="organization",
        taxonomy_term_id__in=[term_id(taxonomy, code) for taxonomy, code in terms],
    ).values("link_id")
    return Organization.objects.filter(pk__in=linked).order_by("name", "pk")


def _organization_label(organization: Organization) -> str:
    if organization.country:
        return f"{organization.name} ({organization.country})"
    return organization.name


class DirectoryOrganizationField(forms.ChoiceField):
    """An organisation of the directory, the suggested ones first.

    The choices are read when the form is shown, in two groups: those tagged
    with the role the field asks for, then the other authorities.
    """

    def __init__(self, *, roles: dict[str, Any], **kwargs: Any) -> None:
        self.roles = roles
        super().__init__(choices=self._grouped, **kwargs)

    def _grouped(self) -> list[Any]:
        suggested = list(organizations_tagged(self.roles["suggested"]))
        chosen = {organization.pk for organization in suggested}
        others = [
            organization
            for organization in organizations_tagged(self.roles["others"])
            if organization.pk not in chosen
        ]
        groups: list[Any] = [("", "—")]
        for label, members in (
            (_("Suggested"), suggested),
            (_("Other authorities in the directory"), others),
        ):
            if members:
                groups.append(
                    (label, [(str(o.pk), _organization_label(o)) for o in members])
                )
        return groups

    def clean(self, value: Any) -> Organization | None:
        chosen = super().clean(value)
        if not chosen:
            return None
        try:
            return Organization.objects.get(pk=uuid.UUID(str(chosen)))
        except (ValueError, Organization.DoesNotExist) as exc:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": chosen},
            ) from exc


class IdentificationForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Identification status"), choices=IdentificationStatus.choices
    )
    decided_on = forms.DateField(
        label=_("Date of the status"),
        widget=DateInput,
        help_text=_(
            "When the person was presumed a victim, or the date of the "
            "reasonable-grounds or formal decision."
        ),
    )
    authority = DirectoryOrganizationField(
        label=_("Deciding authority"),
        roles=IDENTIFYING_AUTHORITIES,
        required=False,
        help_text=_("For a reasonable-grounds or formal decision."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for dimension in Dimension:
            self.fields[f"dimension_{dimension.value}"] = forms.MultipleChoiceField(
                label=capfirst(dimension.label),
                required=False,
                widget=forms.CheckboxSelectMultiple,
                choices=[
                    (item.code, f"{item.text} ({_strength(item.strength)})")
                    for item in INDICATORS
                    if item.dimension == dimension.value
                ],
            )

    def indicator_codes(self) -> list[str]:
        return [
            code
            for dimension in Dimension
            for code in self.cleaned_data.get(f"dimension_{dimension.value}", [])
        ]


def _strength(value: str) -> str:
    from waypoint.cases.models import Strength

    return str(Strength(value).label)


class NeedsAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    protection_needs = forms.MultipleChoiceField(
        label=_("Specific protection needs"),
        choices=ProtectionNeed.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    special_measures = forms.MultipleChoiceField(
        label=_("Special measures"),
        choices=SpecialMeasure.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type of assistance"), choices=SessionKind.choices)
    held_on = forms.DateField(label=_("Date"), widget=DateInput)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=1, max_value=24 * 60
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Note"), max_length=10000, widget=forms.Textarea(attrs={"rows": 4})
    )


class CloseForm(VersionedForm):
    reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=ClosureReason.choices
    )


class RiskAssessmentForm(forms.Form):
    assessed_on = forms.DateField(label=_("Assessed on"), widget=DateInput)
    level = forms.ChoiceField(
        label=_("Risk level"),
        choices=[(v, label) for v, label in RiskLevel.choices if v != "unknown"],
    )
    safety_plan = forms.CharField(
        label=_("Safety plan"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )


class RightsInformationForm(forms.Form):
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)
    items = forms.MultipleChoiceField(
        label=_("Information given"),
        choices=RightsItem.choices,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(label=_("In which language"), choices=_languages)
    interpreter = forms.CharField(
        label=_("Interpreter"),
        max_length=200,
        required=False,
        help_text=_("Name of the interpreter, if one took part."),
    )


class ReflectionStartForm(forms.Form):
    starts_on = forms.DateField(label=_("Start"), widget=DateInput)
    country = forms.ChoiceField(
        label=_("Country"),
        choices=_COUNTRIES,
        required=False,
        help_text=_("Leave empty for the organisation's country."),
    )
    days = forms.IntegerField(
        label=_("Length in days"),
        min_value=1,
        max_value=365,
        required=False,
        help_text=_("Leave empty for the length the law of the country sets."),
    )


class ReflectionDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[
            (v, label) for v, label in ReflectionDecision.choices if v != "pending"
        ],
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DateInput)


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Task"), max_length=300)
    due_on = forms.DateField(label=_("Due"), widget=DateInput)
    assignee = forms.ModelChoiceField(
        label=_("Assignee"), queryset=User.objects.none(), required=False
    )

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        if isinstance(field, forms.ModelChoiceField) and staff is not None:
            field.queryset = staff
            field.help_text = _("Leave empty to take the task yourself.")


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), max_length=200)
    file = forms.FileField(
        label=_("File"), help_text=_("PDF, JPEG, PNG or Word (DOCX), at most 10 MB.")
    )


class ConsentForm(forms.Form):
    scope = forms.ChoiceField(label=_("Consent to"), choices=ConsentScope.choices)
    recipient = forms.ModelChoiceField(
        label=_("Recipient organisation"),
        queryset=Organization.objects.none(),
        required=False,
        help_text=_("Only for sharing: the organisation named to the person."),
    )
    data_categories = forms.MultipleChoiceField(
        label=_("Data that may be shared"),
        choices=DataCategory.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    method = forms.ChoiceField(label=_("Given how"), choices=ConsentMethod.choices)
    given_on = forms.DateField(label=_("Given on"), widget=DateInput)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["recipient"]
        if isinstance(field, forms.ModelChoiceField):
            # Member organisations of the network: those data can be shared with.
            field.queryset = Organization.objects.filter(
                member__is_active=True
            ).order_by("name")


class ConsentWithdrawForm(forms.Form):
    method = forms.ChoiceField(label=_("Withdrawn how"), choices=ConsentMethod.choices)
    withdrawn_on = forms.DateField(label=_("Withdrawn on"), widget=DateInput)


class StageForm(VersionedForm):
    stage = forms.ChoiceField(label=_("Stage"), choices=Stage.choices)


class AssignForm(VersionedForm):
    staff = BoundedModelMultipleChoiceField(
        label=_("Assigned staff"),
        queryset=User.objects.none(),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, staff: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["staff"]
        if isinstance(field, forms.ModelMultipleChoiceField) and staff is not None:
            field.queryset = staff


class AnonymiseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_(
            "I understand that the name, contact details, documents and notes of "
            "this person are erased for good."
        )
    )


class RetentionForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=_("Organisation"), queryset=MemberOrganization.objects.none()
    )
    years = forms.IntegerField(
        label=_("Anonymise people this many years after their last case closed"),
        min_value=1,
        max_value=100,
        required=False,
        help_text=_("Leave empty to keep data until it is erased on request."),
    )

    def __init__(self, *args: Any, organizations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organization"]
        if isinstance(field, forms.ModelChoiceField):
            field.queryset = organizations


class ProceedingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=ProceedingKind.choices)
    authority = DirectoryOrganizationField(
        label=_("Court or prosecutor's office"), roles=PROCEEDING_AUTHORITIES
    )
    case_number = forms.CharField(
        label=_("Case number"),
        max_length=100,
        required=False,
        help_text=_("Kept encrypted."),
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=ProceedingStage.choices)
    person_role = forms.ChoiceField(
        label=_("Role of the person"), choices=PersonRole.choices
    )
    started_on = forms.DateField(label=_("Started on"), widget=DateInput)


class ProceedingStageForm(forms.Form):
    stage = forms.ChoiceField(label=_("Stage"), choices=ProceedingStage.choices)


def _amount(label: Any) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=12, decimal_places=2
    )


class CompensationClaimForm(forms.Form):
    deciding_authority = DirectoryOrganizationField(
        label=_("Deciding authority"), roles=COMPENSATION_DECIDING
    )
    assisting_authority = DirectoryOrganizationField(
        label=_("Assisting authority"),
        roles=COMPENSATION_ASSISTING,
        required=False,
        help_text=_(
            "In a cross-border claim, the authority of the person's country of "
            "residence that forwards it."
        ),
    )
    crime_country = forms.ChoiceField(
        label=_("Country of the crime"), choices=_COUNTRIES
    )
    status = forms.ChoiceField(label=_("Status"), choices=ClaimStatus.choices)
    filed_on = forms.DateField(label=_("Filed on"), required=False, widget=DateInput)
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=DateInput
    )
    currency = forms.ChoiceField(
        label=_("Currency"), choices=[(c, c) for c in CURRENCIES], initial="EUR"
    )
    amount_claimed = _amount(_("Amount claimed"))
    amount_awarded = _amount(_("Amount awarded"))


class ClaimStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ClaimStatus.choices)
    filed_on = forms.DateField(label=_("Filed on"), required=False, widget=DateInput)
    decided_on = forms.DateField(
        label=_("Decided on"), required=False, widget=DateInput
    )
    amount_awarded = _amount(_("Amount awarded"))
