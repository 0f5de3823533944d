"""The secret tokens in links and API keys, stored only as their hash.

A token is a long random string handed to one person (an invitation link, a
one-time link to a referral, a registration's cancel or feedback link, a
partner API key). The database keeps its SHA-256 hex digest, so a copy of the
database opens nothing; a lookup hashes what was presented and compares the
digests in the database's index.
"""

from __future__ import annotations

import hashlib
import secrets


def token_hash(token: str) -> str:
    """The digest stored for ``token`` (64 hex characters)."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def token_new(nbytes: int = 32) -> tuple[str, str]:
    """A new URL-safe token of ``nbytes`` random bytes, and its digest."""
    token = secrets.token_urlsafe(nbytes)
    return token, token_hash(token)
