"""What every staff form shares: its choices, the labels of model fields, and
the error summary shown at the top of a page.

The summary lists each error with the label of its field and a link to it
(``anchor``), as the GOV.UK error summary does, so that a screen-reader user
hears what went wrong and jumps to the field.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, FieldDoesNotExist, ValidationError

from waypoint.lib.countries import COUNTRY_CODES, country_name, language_name

# The languages the platform ships, in the order of settings.LANGUAGES.
PLATFORM_LANGUAGES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


# The most rows a repeated part of a form (phones, opening hours, partners,
# files) takes in one submission. Django builds as many forms as the sent
# TOTAL_FORMS asks for, up to 1,000 more than this otherwise: a forged number
# would make every such page build and render thousands of forms.
FORMSET_ROWS_MAX = 50
FORMSET_LIMITS: dict[str, Any] = {
    "max_num": FORMSET_ROWS_MAX,
    "absolute_max": FORMSET_ROWS_MAX,
    "validate_max": True,
}


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Several records by id, where an id too large for the database is an
    invalid choice, not a server error.

    Django checks each id's type but looks them up with ``id IN (…)``, which
    SQLite refuses with ``OverflowError`` for an integer over 64 bits.
    """

    def _check_values(self, value: Any) -> Any:
        try:
            return super()._check_values(value)  # type: ignore[misc]
        except OverflowError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": "…"},
            ) from None


def language_choices(current: str = "") -> list[tuple[str, str]]:
    """The platform's languages (and ``current``, if another), named."""
    codes = list(PLATFORM_LANGUAGES)
    if current and current not in codes:
        codes.append(current)
    return [(code, language_name(code)) for code in codes]


def country_choices(blank: bool) -> list[tuple[str, str]]:
    """The network's countries by name, with an empty first choice if ``blank``."""
    choices = sorted(
        ((code, country_name(code)) for code in COUNTRY_CODES), key=lambda c: c[1]
    )
    return [("", "—"), *choices] if blank else choices


def choices_set(field: forms.Field, choices: Sequence[tuple[str, Any]]) -> None:
    """Give a choice field its choices (django-stubs types them on ChoiceField)."""
    cast("forms.ChoiceField", field).choices = list(choices)


def field_label(model: Any, field_name: str) -> str:
    """The verbose name of ``model``'s field (``x_id`` names ``x``), else the name."""
    if not field_name or model is None:
        return field_name
    name = field_name.removesuffix("_id")
    try:
        return str(model._meta.get_field(name).verbose_name)
    except (FieldDoesNotExist, AttributeError):
        return field_name


@dataclass
class ErrorItem:
    anchor: str
    label: str
    message: str


def form_errors(form: forms.BaseForm, prefix_label: str = "") -> Iterable[ErrorItem]:
    """Every error of ``form``, its fields' labels prefixed with ``prefix_label``."""
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


def error_summary(form: forms.BaseForm) -> list[ErrorItem]:
    """The errors of one form, for the summary at the top of its page."""
    return list(form_errors(form))
