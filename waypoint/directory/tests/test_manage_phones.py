"""Phone numbers typed by editors become E.164."""

from __future__ import annotations

import pytest

from waypoint.lib.phones import InvalidPhoneNumberError, phone_display, phone_parse


@pytest.mark.parametrize(
    ("typed", "region", "stored"),
    [
        ("021 123 4567", "RO", "+40211234567"),
        ("+40 21 123 4567", "", "+40211234567"),
        ("0040 21 123 4567", "", "+40211234567"),
        ("(030) 1234-5678", "DE", "+493012345678"),
        ("08-123 456 78", "SE", "+46812345678"),
        ("210 1234567", "GR", "+302101234567"),
        ("06 1234 5678", "IT", "+390612345678"),
    ],
)
def test_it_normalises_numbers_to_e164(typed: str, region: str, stored: str) -> None:
    """Local and international spellings of one number store the same."""
    assert phone_parse(typed, region=region) == stored


@pytest.mark.parametrize(
    ("typed", "region"),
    [("", "RO"), ("12", "RO"), ("hello", "RO"), ("021 123 4567", ""), ("+40 12", "")],
)
def test_it_refuses_what_is_not_a_valid_number(typed: str, region: str) -> None:
    """Too short, not digits, or local without a known country."""
    with pytest.raises(InvalidPhoneNumberError):
        phone_parse(typed, region=region)


def test_it_displays_stored_numbers_grouped() -> None:
    """E.164 is shown the international way, for reading and editing."""
    assert phone_display("+40211234567") == "+40 21 123 4567"
    assert phone_display("garbage") == "garbage"
