from __future__ import annotations

from django.test import Client


def test_pages_forbid_third_party_content_and_caching(client: Client, db: None) -> None:
    """Every page carries a same-origin CSP, no-store and no referrer."""
    response = client.get("/en/search/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self' 'nonce-" in policy
    assert response["Cache-Control"] == "no-store"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_the_root_sends_people_to_the_search(client: Client, db: None) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].endswith("/search/")
