from __future__ import annotations

from typing import Any

from django import template
from django.urls import translate_url

from waypoint.lib.countries import country_name, language_name

register = template.Library()


@register.simple_tag(takes_context=True)
def language_url(context: dict[str, Any], code: str) -> str:
    """The current page, query string included, in another language."""
    request = context.get("request")
    if request is None:
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
