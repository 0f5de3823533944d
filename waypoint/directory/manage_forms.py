"""Forms of the directory editors' staff interface.

Each page edits one listing and its parts (phones, opening hours, documents,
address …). A ``FormGroup`` holds the main form and its formsets: it is valid
only when every part is, it summarises every error for the top of the page,
and it writes everything through one service call, so that an invalid part
leaves the database untouched.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import models
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.directory import selectors, services
from waypoint.directory.models import (
    Accessibility,
    Address,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    TaxonomyTerm,
)
from waypoint.directory.services import ChildChanges, CostChoice
from waypoint.directory.taxonomy_data import (
    AUTHORITY_ROLE,
    CRIME_TYPE,
    ORGANIZATION_KIND,
    SERVICE_TYPE,
    TARGET_GROUP,
)
from waypoint.lib.countries import COUNTRY_CODES, country_name, language_name
from waypoint.lib.phones import InvalidPhoneNumberError, phone_display, phone_parse

# django-stubs makes these generic for the type checker only.
if TYPE_CHECKING:
    _TermField = forms.ModelMultipleChoiceField[TaxonomyTerm]
    _LocationField = forms.ModelMultipleChoiceField[Location]
    _AnyModelForm = forms.ModelForm[Any]
    _PhoneModelForm = forms.ModelForm[Phone]
    _ScheduleModelForm = forms.ModelForm[Schedule]
    _DocumentModelForm = forms.ModelForm[RequiredDocument]
    _LocationModelForm = forms.ModelForm[Location]
    _AddressModelForm = forms.ModelForm[Address]
else:
    _TermField = _LocationField = forms.ModelMultipleChoiceField
    _AnyModelForm = _PhoneModelForm = _ScheduleModelForm = forms.ModelForm
    _DocumentModelForm = _LocationModelForm = _AddressModelForm = forms.ModelForm

PLATFORM_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)

# Languages a service may be offered in: the network's own and those most
# often spoken by the people it assists (ISO 639-1).
SPOKEN_LANGUAGE_CODES: tuple[str, ...] = (
    "am", "ar", "bg", "bn", "cs", "da", "de", "el", "en", "es", "et", "fa",
    "fi", "fr", "ha", "hi", "hr", "hu", "hy", "it", "ka", "ku", "lt", "lv",
    "mk", "nl", "no", "pl", "ps", "pt", "ro", "ru", "sk", "sl", "so", "sq",
    "sr", "sv", "ti", "tr", "uk", "ur", "vi", "zh",
)  # fmt: skip

DAY_CHOICES: list[tuple[str, Any]] = [
    ("MO", _("Monday")),
    ("TU", _("Tuesday")),
    ("WE", _("Wednesday")),
    ("TH", _("Thursday")),
    ("FR", _("Friday")),
    ("SA", _("Saturday")),
    ("SU", _("Sunday")),
]
_DAY_ORDER = [code for code, _label in DAY_CHOICES]

PHONE_ERROR = _("Enter a valid phone number, e.g. +40 21 123 4567")


def _language_choices(current: str = "") -> list[tuple[str, str]]:
    codes = list(PLATFORM_LANGUAGES)
    if current and current not in codes:
        codes.append(current)
    return [(code, language_name(code)) for code in codes]


def _country_choices(blank: bool) -> list[tuple[str, str]]:
    choices = sorted(
        ((code, country_name(code)) for code in COUNTRY_CODES), key=lambda c: c[1]
    )
    return [("", "—"), *choices] if blank else choices


def _choices_set(field: forms.Field, choices: Sequence[tuple[str, Any]]) -> None:
    cast("forms.ChoiceField", field).choices = list(choices)


def _region_from(data: Any, key: str, fallback: str) -> str:
    """The country typed in the same submission, else the stored one."""
    value = str(data.get(key, "") if data is not None else "").upper()
    return value if value in COUNTRY_CODES else fallback


# --- Fields -------------------------------------------------------------------


class TermChoiceField(_TermField):
    """Checkboxes of one taxonomy's terms, named in the reader's language."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, taxonomy_code: str, **kwargs: Any) -> None:
        super().__init__(
            queryset=TaxonomyTerm.objects.filter(
                taxonomy_ref__code=taxonomy_code
            ).order_by("position", "name"),
            required=False,
            **kwargs,
        )

    def label_from_instance(self, obj: TaxonomyTerm) -> str:
        return obj.translated("name", get_language())


def _terms_initial(link_entity: str, pk: uuid.UUID, code: str) -> list[uuid.UUID]:
    return [
        term.pk
        for term in selectors.terms_for(link_entity, [pk]).get(pk, [])
        if term.taxonomy_ref is not None and term.taxonomy_ref.code == code
    ]


# --- Translations ---------------------------------------------------------------


@dataclass
class TranslationGroup:
    language: str
    name: str
    fields: list[forms.BoundField]


class TranslatedModelForm(_AnyModelForm):
    """A model form with a fieldset per other platform language.

    The texts go into the listing's ``translations`` JSON; translations of
    fields this form does not edit are kept as they are.
    """

    translated_fields: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = str(getattr(self.instance, "language", "") or "en")
        stored: dict[str, dict[str, str]] = (
            getattr(self.instance, "translations", None) or {}
        )
        self.translation_languages = [c for c in PLATFORM_LANGUAGES if c != own]
        for lang in self.translation_languages:
            for name in self.translated_fields:
                model_field = cast(
                    "models.Field[Any, Any]", self._meta.model._meta.get_field(name)
                )
                widget: forms.Widget = (
                    forms.Textarea(attrs={"rows": 3, "lang": lang})
                    if isinstance(model_field, models.TextField)
                    else forms.TextInput(attrs={"lang": lang})
                )
                self.fields[f"tr_{lang}_{name}"] = forms.CharField(
                    label=capfirst(model_field.verbose_name),
                    required=False,
                    widget=widget,
                    max_length=getattr(model_field, "max_length", None),
                    initial=stored.get(lang, {}).get(name, ""),
                )

    @property
    def translation_groups(self) -> list[TranslationGroup]:
        return [
            TranslationGroup(
                language=lang,
                name=language_name(lang),
                fields=[self[f"tr_{lang}_{name}"] for name in self.translated_fields],
            )
            for lang in self.translation_languages
        ]

    @property
    def main_fields(self) -> list[forms.BoundField]:
        return [
            self[name]
            for name in self.fields
            if not name.startswith("tr_") and name not in self.extra_field_names
        ]

    extra_field_names: ClassVar[tuple[str, ...]] = ()

    def translations_apply(self) -> None:
        instance: Any = self.instance
        merged: dict[str, dict[str, str]] = {
            lang: dict(values)
            for lang, values in (instance.translations or {}).items()
            if isinstance(values, dict)
        }
        for lang in self.translation_languages:
            for name in self.translated_fields:
                text = str(self.cleaned_data.get(f"tr_{lang}_{name}", "")).strip()
                if text:
                    merged.setdefault(lang, {})[name] = text
                else:
                    merged.get(lang, {}).pop(name, None)
        merged.pop(instance.language, None)
        instance.translations = {lang: v for lang, v in merged.items() if v}


# --- Phones -------------------------------------------------------------------


class PhoneForm(_PhoneModelForm):
    class Meta:
        model = Phone
        fields = ("number", "extension", "type", "description")
        help_texts = {"number": _("With the country code, e.g. +40 21 123 4567.")}

    def __init__(self, *args: Any, region: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.region = region
        if self.instance.pk and self.instance.number:
            self.initial["number"] = phone_display(self.instance.number)
        self.fields["number"].widget.attrs.update(
            {"autocomplete": "off", "inputmode": "tel"}
        )

    def clean_number(self) -> str:
        text = str(self.cleaned_data.get("number") or "")
        try:
            return phone_parse(text, region=self.region)
        except InvalidPhoneNumberError:
            raise forms.ValidationError(PHONE_ERROR, code="invalid_phone") from None


# --- Opening hours ------------------------------------------------------------


class ScheduleForm(_ScheduleModelForm):
    days = forms.MultipleChoiceField(
        label=_("Days"),
        choices=DAY_CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one day.")},
    )
    overnight = forms.BooleanField(
        label=_("Closes after midnight"),
        required=False,
        help_text=_("Tick when the closing time is on the next day, e.g. 22:00–06:00."),
    )

    class Meta:
        model = Schedule
        fields = ("opens_at", "closes_at", "valid_from", "valid_to", "notes")
        widgets = {
            "opens_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "closes_at": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "valid_from": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "valid_to": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.TextInput(),
        }

    field_order = ("days", "opens_at", "closes_at", "overnight")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["opens_at"].required = True
        self.fields["closes_at"].required = True
        self.fields["opens_at"].error_messages["required"] = _(
            "Enter the opening time."
        )
        self.fields["closes_at"].error_messages["required"] = _(
            "Enter the closing time."
        )
        schedule = self.instance
        if schedule.pk:
            self.initial["days"] = [d.upper() for d in schedule.days]
            self.initial["overnight"] = bool(
                schedule.opens_at
                and schedule.closes_at
                and schedule.closes_at < schedule.opens_at
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("opens_at"), data.get("closes_at")
        overnight = bool(data.get("overnight"))
        if opens is not None and closes is not None:
            if opens == closes:
                self.add_error(
                    "closes_at",
                    _("The closing time must differ from the opening time."),
                )
            elif closes < opens and not overnight:
                self.add_error(
                    "closes_at",
                    _(
                        "The closing time must be after the opening time; tick "
                        "“Closes after midnight” if it is on the next day."
                    ),
                )
            elif closes > opens and overnight:
                self.add_error(
                    "overnight",
                    _(
                        "Untick “Closes after midnight”: this rule closes on the "
                        "same day."
                    ),
                )
        valid_from, valid_to = data.get("valid_from"), data.get("valid_to")
        if valid_from and valid_to and valid_from > valid_to:
            self.add_error(
                "valid_to", _("The end date must not be before the start date.")
            )
        return data

    def save(self, commit: bool = True) -> Schedule:
        schedule = super().save(commit=False)
        days = set(self.cleaned_data.get("days") or [])
        schedule.byday = ",".join(d for d in _DAY_ORDER if d in days)
        schedule.freq = Schedule.Freq.WEEKLY
        if commit:
            schedule.save()
        return schedule


class RequiredDocumentForm(_DocumentModelForm):
    class Meta:
        model = RequiredDocument
        fields = ("document", "uri")
        labels = {"uri": _("Link to the document")}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["document"].required = True


OrganizationPhoneFormSet = inlineformset_factory(
    Organization, Phone, form=PhoneForm, fk_name="organization", extra=1
)
ServicePhoneFormSet = inlineformset_factory(
    Service, Phone, form=PhoneForm, fk_name="service", extra=1
)
LocationPhoneFormSet = inlineformset_factory(
    Location, Phone, form=PhoneForm, fk_name="location", extra=1
)
ScheduleFormSet = inlineformset_factory(
    Service, Schedule, form=ScheduleForm, fk_name="service", extra=1
)
RequiredDocumentFormSet = inlineformset_factory(
    Service, RequiredDocument, form=RequiredDocumentForm, fk_name="service", extra=1
)


# --- A page's forms, valid and saved together -----------------------------------


@dataclass
class ErrorItem:
    anchor: str
    label: str
    message: str


@dataclass
class FormsetPart:
    formset: BaseInlineFormSet[Any, Any, Any]
    legend: str | Promise
    row_label: str | Promise  # with %(number)s

    @property
    def rows(self) -> list[tuple[str, forms.BaseForm]]:
        return [
            (str(self.row_label) % {"number": number}, form)
            for number, form in enumerate(self.formset.forms, start=1)
        ]


def _form_errors(form: forms.BaseForm, prefix_label: str = "") -> Iterable[ErrorItem]:
    for name, errors in form.errors.items():
        if name == NON_FIELD_ERRORS:
            bound_label = prefix_label
            anchor = f"{form.prefix or 'form'}-errors"
        else:
            bound = form[name]
            bound_label = (
                f"{prefix_label}, {bound.label}" if prefix_label else str(bound.label)
            )
            anchor = bound.id_for_label or bound.auto_id or name
            if isinstance(
                bound.field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect
            ):
                anchor = f"{bound.auto_id}_0"
        for message in errors:
            yield ErrorItem(anchor=anchor, label=bound_label, message=str(message))


class FormGroup:
    """One page's main form and its formsets."""

    form: forms.BaseForm
    parts: list[FormsetPart]

    def is_valid(self) -> bool:
        # Every part is validated so that every error shows at once.
        results = [self.form.is_valid()] + [p.formset.is_valid() for p in self.parts]
        return all(results)

    @property
    def is_bound(self) -> bool:
        return self.form.is_bound

    def error_summary(self) -> list[ErrorItem]:
        items = list(_form_errors(self.form))
        for part in self.parts:
            for message in part.formset.non_form_errors():
                items.append(
                    ErrorItem(
                        anchor=f"{part.formset.prefix}-errors",
                        label=str(part.legend),
                        message=str(message),
                    )
                )
            for number, form in enumerate(part.formset.forms, start=1):
                label = str(part.row_label) % {"number": number}
                items.extend(_form_errors(form, label))
        return items

    def save(self, *, actor: User) -> models.Model:
        """Write the listing and all its parts in one transaction."""
        raise NotImplementedError

    def _part_changes(self, part: FormsetPart) -> ChildChanges:
        formset = part.formset
        saved = formset.save(commit=False)
        return ChildChanges(saved=list(saved), deleted=list(formset.deleted_objects))


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
        _choices_set(self.fields["language"], _language_choices(organization.language))
        _choices_set(self.fields["country"], _country_choices(blank=True))
        parent = cast(
            "forms.ModelChoiceField[Organization]", self.fields["parent_organization"]
        )
        parent.queryset = Organization.objects.exclude(pk=organization.pk).only(
            "id", "name"
        )
        if not organization._state.adding:
            self.fields["kinds"].initial = _terms_initial(
                "organization", organization.pk, ORGANIZATION_KIND
            )
            self.fields["roles"].initial = _terms_initial(
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
        region = _region_from(data, "country", instance.country)
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


# --- Service --------------------------------------------------------------------


class LocationChoiceField(_LocationField):
    def label_from_instance(self, obj: Location) -> str:
        cities = ", ".join(a.city for a in obj.addresses.all() if a.city)
        name = obj.name or str(_("Unnamed location"))
        return f"{name} ({cities})" if cities else name


class ServiceForm(TranslatedModelForm):
    translated_fields = ("name", "description", "eligibility_description")
    extra_field_names = (
        "types",
        "targets",
        "crimes",
        "languages_spoken",
        "cost",
        "cost_amount",
        "cost_currency",
        "locations",
    )

    language = forms.ChoiceField(label=_("Language of the listing"))
    minimum_age = forms.IntegerField(
        label=_("Minimum age"), required=False, min_value=0, max_value=130
    )
    maximum_age = forms.IntegerField(
        label=_("Maximum age"), required=False, min_value=0, max_value=130
    )
    types = TermChoiceField(SERVICE_TYPE, label=_("Types of service"))
    targets = TermChoiceField(TARGET_GROUP, label=_("Who it is for"))
    crimes = TermChoiceField(CRIME_TYPE, label=_("Crimes it concerns"))
    languages_spoken = forms.MultipleChoiceField(
        label=_("Languages spoken"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    cost = forms.ChoiceField(
        label=_("Cost"),
        required=False,
        widget=forms.RadioSelect,
        choices=[
            ("", _("Not stated")),
            ("free", _("Free of charge")),
            ("paid", _("There is a fee")),
        ],
    )
    cost_amount = forms.DecimalField(
        label=_("Fee amount"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    cost_currency = forms.CharField(
        label=_("Currency"),
        required=False,
        max_length=3,
        min_length=3,
        help_text=_("Three-letter code, e.g. EUR, RON, BGN."),
    )
    locations = LocationChoiceField(
        queryset=Location.objects.none(),
        label=_("Offered at"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Service
        fields = (
            "name",
            "alternate_name",
            "description",
            "status",
            "url",
            "email",
            "language",
            "eligibility_description",
            "minimum_age",
            "maximum_age",
            "application_process",
            "fees_description",
            "interpretation_services",
            "wait_time",
            "alert",
            "is_demo",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        service = self.instance
        _choices_set(self.fields["language"], _language_choices(service.language))
        existing_codes: list[str] = []
        if not service._state.adding:
            existing_codes = [
                language.code.lower()
                for language in service.languages.all()
                if language.code
            ]
        codes = sorted(
            set(SPOKEN_LANGUAGE_CODES) | set(existing_codes), key=language_name
        )
        spoken = cast("forms.MultipleChoiceField", self.fields["languages_spoken"])
        spoken.choices = [(c, language_name(c)) for c in codes]
        locations = cast("LocationChoiceField", self.fields["locations"])
        locations.queryset = (
            Location.objects.filter(organization_id=service.organization_id)
            .prefetch_related("addresses")
            .order_by("name")
        )
        if not service._state.adding:
            for name, code in (
                ("types", SERVICE_TYPE),
                ("targets", TARGET_GROUP),
                ("crimes", CRIME_TYPE),
            ):
                self.fields[name].initial = _terms_initial("service", service.pk, code)
            spoken.initial = existing_codes
            locations.initial = list(
                service.service_at_locations.values_list("location_id", flat=True)
            )
            options = list(service.cost_options.all())
            if options:
                amounts = [o.amount for o in options]
                if all(a is not None and a == 0 for a in amounts):
                    self.fields["cost"].initial = "free"
                else:
                    self.fields["cost"].initial = "paid"
                    self.fields["cost_amount"].initial = options[0].amount
                    self.fields["cost_currency"].initial = options[0].currency

    @property
    def classification_fields(self) -> list[forms.BoundField]:
        return [self["types"], self["targets"], self["crimes"]]

    @property
    def cost_fields(self) -> list[forms.BoundField]:
        return [self["cost"], self["cost_amount"], self["cost_currency"]]

    def clean_cost_currency(self) -> str:
        return str(self.cleaned_data.get("cost_currency") or "").upper()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("minimum_age"), data.get("maximum_age")
        if low is not None and high is not None and low > high:
            self.add_error(
                "maximum_age",
                _("The maximum age must not be lower than the minimum age."),
            )
        if data.get("cost") == "paid" and data.get("cost_amount") is None:
            self.add_error("cost_amount", _("Enter the fee, or choose “Not stated”."))
        if data.get("cost_amount") is not None and not data.get("cost_currency"):
            self.add_error("cost_currency", _("Enter the currency of the fee."))
        return data

    def cost_choice(self) -> CostChoice | None:
        if not {"cost", "cost_amount", "cost_currency"} & set(self.changed_data):
            return None
        kind = str(self.cleaned_data.get("cost") or "")
        return CostChoice(
            kind=kind,
            amount=self.cleaned_data.get("cost_amount") if kind == "paid" else None,
            currency=self.cleaned_data.get("cost_currency", "") if kind else "",
        )

    def locations_chosen(self) -> list[Location] | None:
        if "locations" not in self.changed_data:
            return None
        return list(self.cleaned_data["locations"])


class ServiceFormGroup(FormGroup):
    def __init__(self, *, data: Any = None, instance: Service) -> None:
        self.instance = instance
        self.main = ServiceForm(data=data, instance=instance)
        self.form = self.main
        region = instance.organization.country
        self.phones = FormsetPart(
            formset=ServicePhoneFormSet(
                data=data,
                instance=instance,
                prefix="phones",
                form_kwargs={"region": region},
            ),
            legend=_("Phone numbers"),
            row_label=_("Phone %(number)s"),
        )
        self.schedules = FormsetPart(
            formset=ScheduleFormSet(data=data, instance=instance, prefix="hours"),
            legend=_("Opening hours"),
            row_label=_("Opening hours %(number)s"),
        )
        self.documents = FormsetPart(
            formset=RequiredDocumentFormSet(
                data=data, instance=instance, prefix="documents"
            ),
            legend=_("Required documents"),
            row_label=_("Document %(number)s"),
        )
        self.parts = [self.phones, self.schedules, self.documents]

    def save(self, *, actor: User) -> Service:
        form = self.main
        service = form.save(commit=False)
        form.translations_apply()
        data = form.cleaned_data
        return services.service_save(
            actor=actor,
            service=service,
            terms={
                SERVICE_TYPE: list(data["types"]),
                TARGET_GROUP: list(data["targets"]),
                CRIME_TYPE: list(data["crimes"]),
            },
            language_codes=list(data["languages_spoken"]),
            locations=form.locations_chosen(),
            cost=form.cost_choice(),
            children=[self._part_changes(p) for p in self.parts],
        )


# --- Location -------------------------------------------------------------------


class LocationForm(_LocationModelForm):
    latitude = forms.FloatField(
        label=_("Latitude"),
        required=False,
        min_value=-90,
        max_value=90,
        help_text=_("Decimal degrees between -90 and 90, e.g. 44.4268."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    longitude = forms.FloatField(
        label=_("Longitude"),
        required=False,
        min_value=-180,
        max_value=180,
        help_text=_("Decimal degrees between -180 and 180, e.g. 26.1025."),
        widget=forms.NumberInput(attrs={"step": "any"}),
    )
    accessibility_description = forms.CharField(
        label=_("Accessibility"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Step-free access, lifts, accessible toilets, hearing loops …"),
    )

    class Meta:
        model = Location
        fields = (
            "name",
            "location_type",
            "description",
            "transportation",
            "url",
            "latitude",
            "longitude",
            "is_demo",
        )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.accessibility: Accessibility | None = None
        if not self.instance._state.adding:
            self.accessibility = self.instance.accessibility.first()
        if self.accessibility is not None:
            self.fields[
                "accessibility_description"
            ].initial = self.accessibility.description

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        latitude, longitude = data.get("latitude"), data.get("longitude")
        both_or_neither = _("Enter both latitude and longitude, or neither.")
        if latitude is None and longitude is not None and "latitude" not in self.errors:
            self.add_error("latitude", both_or_neither)
        if (
            longitude is None
            and latitude is not None
            and "longitude" not in self.errors
        ):
            self.add_error("longitude", both_or_neither)
        return data

    def accessibility_changes(self, location: Location) -> ChildChanges:
        text = str(self.cleaned_data.get("accessibility_description") or "").strip()
        current = self.accessibility
        if not text:
            return ChildChanges(deleted=[current] if current is not None else [])
        row = current or Accessibility(location=location)
        row.description = text
        return ChildChanges(saved=[row])


class AddressForm(_AddressModelForm):
    """The location's street address; optional only for a virtual location."""

    REQUIRED: ClassVar[tuple[str, ...]] = (
        "address_1",
        "city",
        "state_province",
        "country",
    )

    country = forms.ChoiceField(label=_("Country"), required=False)

    class Meta:
        model = Address
        fields = (
            "address_1",
            "address_2",
            "city",
            "region",
            "state_province",
            "postal_code",
            "country",
        )

    def __init__(self, *args: Any, optional: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.optional = optional
        _choices_set(self.fields["country"], _country_choices(blank=True))
        for name in self.REQUIRED:
            # Checked in clean(): a virtual location may have no address.
            self.fields[name].required = False
            self.fields[name].widget.attrs["aria-required"] = "true"

    @property
    def is_blank(self) -> bool:
        # The country alone is pre-filled from the organisation's.
        return not any(
            str(self.cleaned_data.get(name) or "").strip()
            for name in self._meta.fields or ()
            if name != "country"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.optional and self.is_blank:
            return data
        for name in self.REQUIRED:
            if not str(data.get(name) or "").strip() and name not in self.errors:
                self.add_error(name, _("This field is required."))
        return data

    def _post_clean(self) -> None:
        if self.optional and self.is_blank:
            return
        super()._post_clean()  # type: ignore[misc]


class LocationFormGroup(FormGroup):
    def __init__(self, *, data: Any = None, instance: Location) -> None:
        self.instance = instance
        self.main = LocationForm(data=data, instance=instance)
        self.form = self.main
        address: Address | None = None
        if not instance._state.adding:
            address = instance.addresses.order_by("address_type").first()
        self.existing_address = address
        type_value = (
            data.get("location_type") if data is not None else instance.location_type
        )
        organization_country = (
            instance.organization.country if instance.organization else ""
        )
        if address is None:
            address = Address(location=instance, country=organization_country)
        self.address_form = AddressForm(
            data=data,
            instance=address,
            prefix="address",
            optional=type_value == Location.LocationType.VIRTUAL,
        )
        region = _region_from(
            data, "address-country", address.country or organization_country
        )
        self.phones = FormsetPart(
            formset=LocationPhoneFormSet(
                data=data,
                instance=instance,
                prefix="phones",
                form_kwargs={"region": region},
            ),
            legend=_("Phone numbers"),
            row_label=_("Phone %(number)s"),
        )
        self.parts = [self.phones]

    def is_valid(self) -> bool:
        results = [super().is_valid(), self.address_form.is_valid()]
        return all(results)

    def error_summary(self) -> list[ErrorItem]:
        items = list(_form_errors(self.form))
        items += list(_form_errors(self.address_form, str(_("Address"))))
        for part in self.parts:
            for number, form in enumerate(part.formset.forms, start=1):
                label = str(part.row_label) % {"number": number}
                items.extend(_form_errors(form, label))
        return items

    def _address_changes(self, location: Location) -> ChildChanges:
        form = self.address_form
        if form.optional and form.is_blank:
            existing = self.existing_address
            return ChildChanges(deleted=[existing] if existing is not None else [])
        address = form.save(commit=False)
        address.location = location
        return ChildChanges(saved=[address])

    def save(self, *, actor: User) -> Location:
        form = self.main
        location = form.save(commit=False)
        return services.location_save(
            actor=actor,
            location=location,
            children=[
                self._address_changes(location),
                form.accessibility_changes(location),
                self._part_changes(self.phones),
            ],
        )


# --- Lists ----------------------------------------------------------------------


class OrganizationFilterForm(forms.Form):
    q = forms.CharField(label=_("Name"), required=False, max_length=200)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choices_set(
            self.fields["country"],
            [
                ("", _("All countries")),
                *_country_choices(blank=False),
            ],
        )
