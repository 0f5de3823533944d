"""Whom a per-client limit counts, and when it lets them try again."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from waypoint.lib.ratelimit import client_address, client_key, over_limit


def _request(address: str, forwarded: str = "") -> Any:
    request = RequestFactory().get("/", REMOTE_ADDR=address)
    if forwarded:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    return request


def test_behind_the_proxy_each_client_is_counted_on_its_own(settings: Any) -> None:
    """Every request comes from the proxy: the client is the hop it added."""
    settings.AXES_TRUST_FORWARDED_FOR = True
    first = _request("127.0.0.1", "203.0.113.9, 198.51.100.1")
    second = _request("127.0.0.1", "198.51.100.2")
    assert client_address(first) == "198.51.100.1"
    assert client_address(second) == "198.51.100.2"
    for request in (first, second):
        assert over_limit("t", client_key(request), limit=1, period=60) is None


def test_without_a_proxy_a_forwarded_header_is_not_believed(settings: Any) -> None:
    settings.AXES_TRUST_FORWARDED_FOR = False
    assert client_address(_request("192.0.2.4", "198.51.100.1")) == "192.0.2.4"


def test_an_ipv6_client_cannot_escape_by_changing_address_in_its_64() -> None:
    one = client_key(_request("2001:db8:1:2::1"))
    other = client_key(_request("2001:db8:1:2:ffff::7"))
    elsewhere = client_key(_request("2001:db8:1:3::1"))
    assert one == other == "2001:db8:1:2::/64"
    assert elsewhere != one
    assert client_key(_request("192.0.2.4")) == "192.0.2.4"
    # An IPv4 client seen through an IPv6 socket is still that IPv4 client.
    assert client_key(_request("::ffff:203.0.113.9")) == "203.0.113.9"
    assert client_key(_request("::ffff:198.51.100.7")) == "198.51.100.7"


@pytest.mark.parametrize("period", [60, 3600])
def test_the_wait_is_within_the_window(period: int) -> None:
    assert over_limit("w", "c", limit=1, period=period) is None
    retry_after = over_limit("w", "c", limit=1, period=period)
    assert retry_after is not None
    assert 1 <= retry_after <= period


def test_a_limit_of_zero_is_no_limit() -> None:
    for _ in range(5):
        assert over_limit("z", "c", limit=0, period=60) is None
