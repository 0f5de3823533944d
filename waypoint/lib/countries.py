"""Countries of the network and their neighbours, named in the reader's language.

Names come from the Unicode CLDR through Babel, so every language the platform
ships gets correct country and language names without a hand-kept list.
"""

from __future__ import annotations

from functools import lru_cache

from babel import Locale
from django.utils.translation import get_language

# European countries, plus the non-EU ones the network works with.
COUNTRY_CODES: tuple[str, ...] = (
    "AL", "AT", "BA", "BE", "BG", "CH", "CY", "CZ", "DE", "DK", "EE", "ES",
    "FI", "FR", "GB", "GR", "HR", "HU", "IE", "IS", "IT", "LI", "LT", "LU",
    "LV", "MD", "ME", "MK", "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE",
    "SI", "SK", "TR", "UA", "XK",
)  # fmt: skip

_TIMEZONES = {
    "BG": "Europe/Sofia", "CY": "Asia/Nicosia", "EE": "Europe/Tallinn",
    "FI": "Europe/Helsinki", "GR": "Europe/Athens", "LT": "Europe/Vilnius",
    "LV": "Europe/Riga", "MD": "Europe/Chisinau", "RO": "Europe/Bucharest",
    "UA": "Europe/Kyiv", "GB": "Europe/London", "IE": "Europe/Dublin",
    "PT": "Europe/Lisbon", "IS": "Atlantic/Reykjavik", "TR": "Europe/Istanbul",
}  # fmt: skip
_DEFAULT_TZ = "Europe/Brussels"  # the rest of the list keeps Central European time

COUNTRY_CHOICES: list[tuple[str, str]] = [
    (code, Locale("en").territories.get(code, code)) for code in COUNTRY_CODES
]


def _babel_locale(language: str | None) -> Locale:
    return Locale.parse((language or "en").replace("-", "_"))


@lru_cache(maxsize=64)
def _territories(language: str) -> dict[str, str]:
    return dict(_babel_locale(language).territories)


@lru_cache(maxsize=64)
def _languages(language: str) -> dict[str, str]:
    return dict(_babel_locale(language).languages)


def country_name(code: str, language: str | None = None) -> str:
    return _territories(language or get_language() or "en").get(code.upper(), code)


def language_name(code: str, language: str | None = None) -> str:
    return _languages(language or get_language() or "en").get(code.lower(), code)


@lru_cache(maxsize=64)
def countries_by_name(language: str) -> tuple[tuple[str, str], ...]:
    """The network's countries as (code, name), in the order of their names."""
    return tuple(
        sorted(
            ((code, country_name(code, language)) for code in COUNTRY_CODES),
            key=lambda pair: pair[1].casefold(),
        )
    )


def country_timezone(code: str) -> str:
    return _TIMEZONES.get(code.upper(), _DEFAULT_TZ)
