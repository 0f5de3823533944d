from __future__ import annotations

from functools import lru_cache
from typing import Any

import phonenumbers
from django import template
from django.urls import translate_url

from waypoint.lib.countries import country_name, language_name

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context: dict[str, Any], code: str) -> str:
    """The current page, query string included, in another language.

    On an error page (``language_home``), the language's home instead: the
    address that failed would only fail again.
    """
    request = context.get("request")
    if request is None or context.get("language_home"):
        return f"/{code}/"
    return translate_url(request.get_full_path(), code)


@register.filter
def country(code: str) -> str:
    return country_name(code) if code else ""


@register.filter
def language(code: str) -> str:
    return language_name(code) if code else ""


@register.simple_tag(takes_context=True)
def translated(context: dict[str, Any], obj: Any, field: str) -> str:
    """A translatable field in the reader's language, else the listing's own."""
    lang = context.get("LANGUAGE_CODE")
    return str(obj.translated(field, lang))


@register.simple_tag(takes_context=True)
def translated_lang(context: dict[str, Any], obj: Any, field: str) -> str:
    """The language ``translated`` shows, for a ``lang`` attribute."""
    lang = context.get("LANGUAGE_CODE")
    return str(obj.translated_language(field, lang))


@register.filter
def tel_href(number: str) -> str:
    """A ``tel:`` URI from a stored (E.164) number: ``+40211234567``."""
    digits = "".join(ch for ch in str(number or "") if ch.isdigit())
    if not digits:
        return ""
    return "tel:" + ("+" if str(number).strip().startswith("+") else "") + digits


@register.filter
def phone_display(number: str) -> str:
    """A number grouped for reading (``+40 21 123 4567``), as stored otherwise."""
    return _phone_display(str(number or ""))


@lru_cache(maxsize=4096)
def _phone_display(text: str) -> str:
    # Parsing is the costly part of a result card; numbers repeat across pages.
    try:
        parsed = phonenumbers.parse(text, None)
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(
        parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
