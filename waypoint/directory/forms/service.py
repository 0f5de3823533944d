"""The service form of the staff interface."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from waypoint.accounts.models import User
from waypoint.directory import services
from waypoint.directory.forms.common import (
    SPOKEN_LANGUAGE_CODES,
    FormGroup,
    FormsetPart,
    LocationField,
    RequiredDocumentFormSet,
    ScheduleFormSet,
    ServicePhoneFormSet,
    TermChoiceField,
    TranslatedModelForm,
    terms_initial,
)
from waypoint.directory.models import (
    Location,
    Service,
)
from waypoint.directory.services import CostChoice
from waypoint.directory.taxonomy_data import (
    CRIME_TYPE,
    SERVICE_TYPE,
    TARGET_GROUP,
)
from waypoint.lib.countries import language_name
from waypoint.lib.forms import choices_set, language_choices

# --- Service --------------------------------------------------------------------


class LocationChoiceField(LocationField):
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
        choices_set(self.fields["language"], language_choices(service.language))
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
                self.fields[name].initial = terms_initial("service", service.pk, code)
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
