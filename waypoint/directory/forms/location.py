"""The location form of the staff interface."""

from __future__ import annotations

from typing import Any, ClassVar

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.directory import services
from waypoint.directory.forms.common import (
    AddressModelForm,
    FormGroup,
    FormsetPart,
    LocationModelForm,
    LocationPhoneFormSet,
    region_from,
)
from waypoint.directory.models import (
    Accessibility,
    Address,
    Location,
)
from waypoint.directory.services import ChildChanges
from waypoint.lib.forms import ErrorItem, choices_set, country_choices, form_errors

# --- Location -------------------------------------------------------------------


class LocationForm(LocationModelForm):
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


class AddressForm(AddressModelForm):
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
        choices_set(self.fields["country"], country_choices(blank=True))
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
        region = region_from(
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
        items = list(form_errors(self.form))
        items += list(form_errors(self.address_form, str(_("Address"))))
        for part in self.parts:
            for number, form in enumerate(part.formset.forms, start=1):
                label = str(part.row_label) % {"number": number}
                items.extend(form_errors(form, label))
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
