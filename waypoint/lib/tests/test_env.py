from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from waypoint.lib.env import env_bool, env_int, env_list, env_secret


def test_booleans_are_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    """A typo in a boolean setting stops start-up instead of turning it off."""
    monkeypatch.setenv("FLAG", "yes")
    assert env_bool("FLAG") is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", default=True) is False
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG"):
        env_bool("FLAG")


def test_numbers_and_lists(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("N", "12")
    monkeypatch.setenv("HOSTS", "a.example, b.example,,")
    assert env_int("N", 1) == 12
    assert env_list("HOSTS") == ["a.example", "b.example"]
    monkeypatch.setenv("N", "twelve")
    with pytest.raises(ImproperlyConfigured, match="N must be a whole number"):
        env_int("N", 1)


def test_secrets_come_from_a_file(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """NAME_FILE lets a secret stay out of the process environment."""
    secret = tmp_path / "key"
    secret.write_text("s3cr3t\n", encoding="utf-8")
    monkeypatch.delenv("API_KEY", raising=False)
    monkeypatch.setenv("API_KEY_FILE", str(secret))
    assert env_secret("API_KEY") == "s3cr3t"
    monkeypatch.setenv("API_KEY", "other")
    with pytest.raises(ImproperlyConfigured, match="not both"):
        env_secret("API_KEY")
