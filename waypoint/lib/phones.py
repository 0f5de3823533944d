"""Telephone numbers as people type them, stored the one way HSDS readers expect.

Editors type numbers the way they are printed locally ("021 123 4567",
"0040 21 123 4567", "+40 (21) 123-45-67"); the directory keeps E.164
("+40211234567") so that every number dials from abroad and compares equal.
"""

from __future__ import annotations

import phonenumbers


class InvalidPhoneNumberError(ValueError):
    """The text is not a dialable number for the given default region."""


def phone_parse(text: str, *, region: str = "") -> str:
    """The E.164 form of ``text``; ``region`` is the country for local numbers.

    Raises ``InvalidPhoneNumberError`` when the text is not a valid number, or is
    a local number and no region is known.
    """
    cleaned = text.strip()
    if not cleaned:
        raise InvalidPhoneNumberError(text)
    if cleaned.startswith("00"):
        cleaned = "+" + cleaned[2:]
    try:
        number = phonenumbers.parse(cleaned, region.upper() or None)
    except phonenumbers.NumberParseException as error:
        raise InvalidPhoneNumberError(text) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhoneNumberError(text)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(e164: str) -> str:
    """An E.164 number grouped for reading, e.g. ``+40 21 123 4567``."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    return phonenumbers.format_number(
        number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
