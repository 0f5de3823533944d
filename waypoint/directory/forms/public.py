"""Forms of the public directory pages."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from babel import Locale
from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from waypoint.directory.search import SearchQuery
from waypoint.directory.selectors import City, TermLabel
from waypoint.lib.countries import COUNTRY_CODES

# Anything beyond this is a crawler walking the pages, not a person.
MAX_PAGE = 500


@lru_cache(maxsize=16)
def iso639_1_choices(language: str) -> tuple[tuple[str, str], ...]:
    """Every two-letter ISO 639-1 language, named in ``language``."""
    names = Locale.parse(language.replace("-", "_")).languages
    return tuple(
        sorted(
            ((code, name) for code, name in names.items() if len(code) == 2),
            key=lambda pair: pair[1].casefold(),
        )
    )


@lru_cache(maxsize=16)
def iso639_1_codes(language: str) -> frozenset[str]:
    return frozenset(code for code, _name in iso639_1_choices(language))


def city_value(city: City) -> str:
    """The ``near`` value of a city: ``"RO:București"``."""
    return f"{city.country}:{city.name}"


class _OneOf(forms.ChoiceField):
    """A choice among codes given per request.

    The page draws its own option lists (with counts, in the reader's
    language), so the form only checks membership: no labelled choice list
    is built for every request.
    """

    codes: frozenset[str] = frozenset()

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.codes


class _SomeOf(forms.MultipleChoiceField):
    """Several choices among codes given per request (see ``_OneOf``)."""

    codes: frozenset[str] = frozenset()

    def to_python(self, value: Any) -> list[str]:
        # An empty choice (``?type=``, a reset filter) means no choice, as an
        # empty single choice does, not an invalid one.
        return [item for item in super().to_python(value) if item != ""]

    def valid_value(self, value: Any) -> bool:
        return str(value) in self.codes


_COUNTRY_SET = frozenset(COUNTRY_CODES)


class SearchForm(forms.Form):
    """The public search: free text, filters, sorting by distance, page.

    Every field is optional. Invalid values make the form invalid (the view
    answers 400) but ``search_query`` still builds a query from the valid
    ones, so the page keeps showing results.
    """

    q = forms.CharField(
        label=_("What are you looking for?"), required=False, max_length=200
    )
    country = _OneOf(label=_("Country"), required=False)
    city = forms.CharField(label=_("City"), required=False, max_length=100)
    region = forms.CharField(label=_("Region"), required=False, max_length=100)
    type = _SomeOf(label=_("Type of help"), required=False)
    target = _SomeOf(label=_("For whom"), required=False)
    lang = _SomeOf(label=_("Languages spoken"), required=False)
    free = forms.BooleanField(label=_("Free of charge"), required=False)
    open = forms.BooleanField(label=_("Open now"), required=False)
    near = _OneOf(label=_("Sort by distance from"), required=False)
    lat = forms.FloatField(
        label=_("Your location (latitude)"),
        required=False,
        min_value=-90,
        max_value=90,
    )
    lon = forms.FloatField(
        label=_("Your location (longitude)"),
        required=False,
        min_value=-180,
        max_value=180,
    )
    page = forms.IntegerField(
        label=_("Page"), required=False, min_value=1, max_value=MAX_PAGE
    )

    def __init__(
        self,
        *args: Any,
        terms: dict[str, list[TermLabel]],
        cities: Sequence[City],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "en"
        self.cities = {city_value(c): c for c in cities}
        self._codes("country", _COUNTRY_SET)
        for name in ("type", "target"):
            self._codes(name, frozenset(t.code for t in terms.get(name, [])))
        self._codes("lang", iso639_1_codes(language))
        self._codes("near", frozenset(self.cities))

    def _codes(self, name: str, codes: frozenset[str]) -> None:
        found = self.fields[name]
        if isinstance(found, _OneOf | _SomeOf):
            found.codes = codes

    def clean_lat(self) -> float | None:
        value: float | None = self.cleaned_data.get("lat")
        return None if value is None else round(value, 2)

    def clean_lon(self) -> float | None:
        value: float | None = self.cleaned_data.get("lon")
        return None if value is None else round(value, 2)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        has_lat = cleaned.get("lat") is not None
        has_lon = cleaned.get("lon") is not None
        if has_lat != has_lon and "lat" not in self.errors and "lon" not in self.errors:
            missing = "lon" if has_lat else "lat"
            self.add_error(missing, _("Latitude and longitude must be given together."))
        return cleaned

    def origin(self) -> tuple[float, float] | None:
        """Where distances are measured from, if anywhere."""
        data = getattr(self, "cleaned_data", {})
        lat, lon = data.get("lat"), data.get("lon")
        if lat is not None and lon is not None and "lat" not in self.errors:
            return (lat, lon)
        city = self.cities.get(data.get("near") or "")
        if city is not None:
            return (city.latitude, city.longitude)
        return None

    def uses_my_location(self) -> bool:
        data = getattr(self, "cleaned_data", {})
        return data.get("lat") is not None and data.get("lon") is not None

    def search_query(self, *, per_page: int) -> SearchQuery:
        """The query the valid fields describe (invalid ones are left out)."""
        data = getattr(self, "cleaned_data", {})
        return SearchQuery(
            text=data.get("q") or "",
            country=data.get("country") or "",
            city=(data.get("city") or "").strip(),
            region=(data.get("region") or "").strip(),
            types=list(data.get("type") or []),
            targets=list(data.get("target") or []),
            languages=list(data.get("lang") or []),
            free=bool(data.get("free")),
            open_now=bool(data.get("open")),
            near=self.origin(),
            page=data.get("page") or 1,
            per_page=per_page,
        )
