"""Building blocks of the staff forms: fields, translations, phones, opening
hours, and the ``FormGroup`` that validates and saves a page's forms together.
"""

from __future__ import annotations

import uuid
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.db import models
from django.forms.models import BaseInlineFormSet, inlineformset_factory
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.directory import selectors
from waypoint.directory.models import (
    Address,
    Location,
    Organization,
    Phone,
    RequiredDocument,
    Schedule,
    Service,
    TaxonomyTerm,
)
from waypoint.directory.services import ChildChanges
from waypoint.lib.countries import COUNTRY_CODES, language_name
from waypoint.lib.forms import (
    FORMSET_LIMITS,
    PLATFORM_LANGUAGES,
    ErrorItem,
    form_errors,
)
from waypoint.lib.phones import InvalidPhoneNumberError, phone_display, phone_parse

# django-stubs makes these generic for the type checker only.
if TYPE_CHECKING:
    _TermField = forms.ModelMultipleChoiceField[TaxonomyTerm]
    LocationField = forms.ModelMultipleChoiceField[Location]
    _AnyModelForm = forms.ModelForm[Any]
    _PhoneModelForm = forms.ModelForm[Phone]
    _ScheduleModelForm = forms.ModelForm[Schedule]
    _DocumentModelForm = forms.ModelForm[RequiredDocument]
    LocationModelForm = forms.ModelForm[Location]
    AddressModelForm = forms.ModelForm[Address]
else:
    _TermField = LocationField = forms.ModelMultipleChoiceField
    _AnyModelForm = _PhoneModelForm = _ScheduleModelForm = forms.ModelForm
    _DocumentModelForm = LocationModelForm = AddressModelForm = forms.ModelForm


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


def region_from(data: Any, key: str, fallback: str) -> str:
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


def terms_initial(link_entity: str, pk: uuid.UUID, code: str) -> list[uuid.UUID]:
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
    Organization,
    Phone,
    form=PhoneForm,
    fk_name="organization",
    extra=1,
    **FORMSET_LIMITS,
)
ServicePhoneFormSet = inlineformset_factory(
    Service, Phone, form=PhoneForm, fk_name="service", extra=1, **FORMSET_LIMITS
)
LocationPhoneFormSet = inlineformset_factory(
    Location, Phone, form=PhoneForm, fk_name="location", extra=1, **FORMSET_LIMITS
)
ScheduleFormSet = inlineformset_factory(
    Service, Schedule, form=ScheduleForm, fk_name="service", extra=1, **FORMSET_LIMITS
)
RequiredDocumentFormSet = inlineformset_factory(
    Service,
    RequiredDocument,
    form=RequiredDocumentForm,
    fk_name="service",
    extra=1,
    **FORMSET_LIMITS,
)


# --- A page's forms, valid and saved together -----------------------------------


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


class FormGroup(ABC):
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
        items = list(form_errors(self.form))
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
                items.extend(form_errors(form, label))
        return items

    @abstractmethod
    def save(self, *, actor: User) -> models.Model:
        """Write the listing and all its parts in one transaction."""

    def _part_changes(self, part: FormsetPart) -> ChildChanges:
        formset = part.formset
        saved = formset.save(commit=False)
        return ChildChanges(saved=list(saved), deleted=list(formset.deleted_objects))
