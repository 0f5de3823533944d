"""Keys, the encryption API, blind indexes and the fields' conversions (no database)."""

from __future__ import annotations

import datetime
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection, models
from django.test.utils import isolate_apps
from hypothesis import assume, given
from hypothesis import strategies as st
from pytest_django.fixtures import Settings as SettingsWrapper

from waypoint.lib import crypto
from waypoint.lib.crypto import (
    DecryptionError,
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    blind_index,
    decrypt_bytes,
    decrypt_str,
    encrypt_bytes,
    encrypt_str,
    rotate_token,
    token_is_current,
)

ROOT = Path(__file__).resolve().parents[3]
KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
INDEX_KEY = "blind-index-key-for-the-tests-0123456789abcdef"

# Text a caseworker could type: every script, emoji, controls, long runs.
texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]), max_size=2000
) | st.sampled_from(
    ["", "0", " ", "False", "None", "null", "Μαρία Παπαδοπούλου", "Юлия", "👩🏽‍⚕️🇷🇴"]
)


@pytest.fixture(autouse=True)
def keys(settings: SettingsWrapper) -> None:
    settings.WAYPOINT_FIELD_KEYS = [KEY_A]
    settings.WAYPOINT_BLIND_INDEX_KEY = INDEX_KEY
    settings.WAYPOINT_EPHEMERAL_KEYS = False


@given(texts)
def test_text_round_trips_through_encryption(value: str) -> None:
    """Every text, including "" and "0", comes back as it went in, never as None."""
    token = encrypt_str(value)
    assert token != value
    assert decrypt_str(token) == value


@given(st.binary(max_size=5000))
def test_bytes_round_trip_through_encryption(data: bytes) -> None:
    assert decrypt_bytes(encrypt_bytes(data)) == data


def test_the_same_value_encrypts_differently_each_time() -> None:
    """Ciphertexts are randomised, so equal values cannot be spotted in the table."""
    assert encrypt_str("Maria") != encrypt_str("Maria")


def test_the_api_refuses_wrong_types() -> None:
    with pytest.raises(TypeError):
        encrypt_str(b"bytes")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        encrypt_bytes("text")  # type: ignore[arg-type]


def test_a_damaged_token_raises_a_decryption_error_without_the_value() -> None:
    token = encrypt_str("Maria Popescu")
    damaged = token[:-6] + ("A" if token[-6] != "A" else "B") + token[-5:]
    with pytest.raises(DecryptionError) as caught:
        decrypt_str(damaged)
    assert "Maria" not in str(caught.value)
    with pytest.raises(DecryptionError):
        decrypt_str("Maria Popescu in clear")


def test_a_new_key_encrypts_while_the_old_one_still_decrypts(
    settings: SettingsWrapper,
) -> None:
    """Newest first: B encrypts, A still opens its tokens, rotation moves them."""
    old = encrypt_str("Юлия")
    settings.WAYPOINT_FIELD_KEYS = [KEY_B, KEY_A]
    assert not token_is_current(old)
    assert decrypt_str(old) == "Юлия"
    new = encrypt_str("Юлия")
    assert token_is_current(new)
    rotated = rotate_token(old)
    assert token_is_current(rotated)
    settings.WAYPOINT_FIELD_KEYS = [KEY_B]
    assert decrypt_str(rotated) == "Юлия"
    with pytest.raises(DecryptionError):
        decrypt_str(old)


def test_keys_can_be_given_as_one_comma_separated_string(
    settings: SettingsWrapper,
) -> None:
    old = encrypt_str("x")
    settings.WAYPOINT_FIELD_KEYS = f"{KEY_B}, {KEY_A}"
    assert decrypt_str(old) == "x"
    assert token_is_current(encrypt_str("y"))


@pytest.mark.parametrize(
    ("field_keys", "index_key", "message"),
    [
        ([], INDEX_KEY, "WAYPOINT_FIELD_KEYS"),
        (["not-a-fernet-key"], INDEX_KEY, "key number 1 is not a valid Fernet key"),
        ([KEY_A, KEY_A], INDEX_KEY, "the same key twice"),
        ([KEY_A], "", "WAYPOINT_BLIND_INDEX_KEY"),
        ([KEY_A], "short", "at least 32 characters"),
        ([KEY_A], KEY_A, "must differ from every field key"),
    ],
    # Stable ids: the keys are random, and parallel workers must collect alike.
    ids=["none", "malformed", "duplicate", "no-index-key", "short", "reused"],
)
def test_missing_or_bad_keys_fail_closed_at_first_use(
    settings: SettingsWrapper, field_keys: list[str], index_key: str, message: str
) -> None:
    """Nothing is encrypted or indexed with a bad key, and no key is ever echoed."""
    settings.WAYPOINT_FIELD_KEYS = field_keys
    settings.WAYPOINT_BLIND_INDEX_KEY = index_key
    with pytest.raises(ImproperlyConfigured, match=message) as caught:
        encrypt_str("x")
    with pytest.raises(ImproperlyConfigured):
        blind_index("x", purpose="person-name")
    assert "not-a-fernet-key" not in str(caught.value)
    assert "short" not in str(caught.value).replace(message, "")


def test_the_secret_key_is_never_accepted_as_an_encryption_key(
    settings: SettingsWrapper,
) -> None:
    settings.SECRET_KEY = INDEX_KEY
    with pytest.raises(ImproperlyConfigured, match="must not be the SECRET_KEY"):
        encrypt_str("x")


def test_the_deploy_check_reports_missing_and_ephemeral_keys(
    settings: SettingsWrapper,
) -> None:
    assert crypto.check_encryption_keys() == []
    settings.WAYPOINT_FIELD_KEYS = []
    settings.WAYPOINT_EPHEMERAL_KEYS = True
    ids = {message.id for message in crypto.check_encryption_keys()}
    assert ids == {"waypoint.E001", "waypoint.E002"}
    assert [m.id for m in crypto.check_ephemeral_keys()] == ["waypoint.W001"]


def _settings_in_a_fresh_process(tmp_path: Path, **env: str) -> str:
    base = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", str(tmp_path))}
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings as s\n"
            "print(len(s.WAYPOINT_FIELD_KEYS), bool(s.WAYPOINT_BLIND_INDEX_KEY),"
            " s.WAYPOINT_EPHEMERAL_KEYS)",
        ],
        cwd=ROOT,
        env={
            **base,
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "SECRET_KEY": "a-secret-key-for-the-settings-test-0123456789",
            **env,
        },
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split("\n")[-2]


def test_keys_are_read_from_files_and_debug_alone_generates_ephemeral_ones(
    tmp_path: Path,
) -> None:
    """`_FILE` variables work; without keys only DEBUG invents (ephemeral) ones."""
    keys_file = tmp_path / "field_keys"
    keys_file.write_text(f"{KEY_B},{KEY_A}\n")
    index_file = tmp_path / "index_key"
    index_file.write_text(INDEX_KEY + "\n")
    from_files = _settings_in_a_fresh_process(
        tmp_path,
        WAYPOINT_FIELD_KEYS_FILE=str(keys_file),
        WAYPOINT_BLIND_INDEX_KEY_FILE=str(index_file),
    )
    assert from_files == "2 True False"
    assert _settings_in_a_fresh_process(tmp_path) == "0 False False"
    assert _settings_in_a_fresh_process(tmp_path, DEBUG="1") == "1 True True"


# --- Blind indexes ---------------------------------------------------------------


def test_a_blind_index_is_stable_and_ignores_case_width_and_spacing() -> None:
    first = blind_index("  ΜΑΡΊΑ   Παπαδοπούλου ", purpose="person-name")
    assert first == blind_index("μαρία παπαδοπούλου", purpose="person-name")
    assert blind_index("ＡＢ１２３", purpose="document-number") == blind_index(
        "ab123", purpose="document-number"
    )
    assert blind_index("Straße", purpose="person-name") == blind_index(
        "STRASSE", purpose="person-name"
    )
    assert len(first) == 64
    assert int(first, 16) >= 0


def test_blind_indexes_of_different_purposes_are_unrelated() -> None:
    """The same text gives different hashes for a name and a document number."""
    assert blind_index("AB123", purpose="person-name") != blind_index(
        "AB123", purpose="document-number"
    )
    assert blind_index("Ana", purpose="person-name") != blind_index(
        "Ana Maria", purpose="person-name"
    )


def test_a_blind_index_depends_on_its_own_key(settings: SettingsWrapper) -> None:
    before = blind_index("Ana", purpose="person-name")
    settings.WAYPOINT_BLIND_INDEX_KEY = INDEX_KEY + "-other"
    assert blind_index("Ana", purpose="person-name") != before


def test_a_blind_index_purpose_must_be_a_short_name() -> None:
    with pytest.raises(ValueError, match="purpose"):
        blind_index("Ana", purpose="")
    with pytest.raises(ValueError, match="purpose"):
        blind_index("Ana", purpose="Person Name")


@given(texts)
def test_equal_texts_after_normalisation_share_a_blind_index(value: str) -> None:
    """Surrounding spaces and upper case never change the index of a text."""
    assume(value.upper().casefold() == value.casefold())
    assert blind_index(value, purpose="person-name") == blind_index(
        f"  {value.upper()} \t", purpose="person-name"
    )


# --- Field conversions ---------------------------------------------------------------


def _round_trip(field: crypto.EncryptedField[Any, Any], value: Any) -> Any:
    stored = field.get_db_prep_save(value, connection)
    if value is not None:
        assert isinstance(stored, str)
        assert stored.startswith("gAAAAA")
    return field.from_db_value(stored, None, connection)  # type: ignore[arg-type]


@given(texts)
def test_the_text_field_round_trips_every_text(value: str) -> None:
    assert _round_trip(EncryptedTextField(), value) == value


def test_the_text_field_keeps_the_empty_string_apart_from_none() -> None:
    """ "" is stored as a token, not NULL; None is NULL (only with null=True)."""
    field = EncryptedTextField(null=True)
    assert field.get_db_prep_save("", connection) is not None
    assert _round_trip(field, "") == ""
    assert field.get_db_prep_save(None, connection) is None
    assert _round_trip(field, None) is None


@given(st.dates())
def test_the_date_field_round_trips_every_date(value: datetime.date) -> None:
    assert _round_trip(EncryptedDateField(), value) == value


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=False, allow_infinity=False)
    | texts,
    lambda inner: st.lists(inner) | st.dictionaries(texts, inner),
    max_leaves=20,
)


@given(st.dictionaries(texts, json_values) | st.lists(json_values))
def test_the_json_field_round_trips_dicts_and_lists(value: Any) -> None:
    assert _round_trip(EncryptedJSONField(), value) == value


def test_json_false_zero_and_empty_containers_are_not_null() -> None:
    field = EncryptedJSONField()
    values: list[Any] = [0, False, "", [], {}, {"a": None}]
    for value in values:
        assert _round_trip(field, value) == value


def test_the_fields_refuse_values_of_the_wrong_type_without_echoing_them() -> None:
    with pytest.raises(TypeError) as caught:
        EncryptedTextField().get_db_prep_save(12345678, connection)
    assert "12345678" not in str(caught.value)
    with pytest.raises(TypeError):
        EncryptedDateField().get_db_prep_save(
            datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), connection
        )
    with pytest.raises(TypeError):
        EncryptedJSONField().get_db_prep_save(
            {"when": datetime.date(2000, 1, 1)}, connection
        )
    with pytest.raises(TypeError):
        EncryptedJSONField().get_db_prep_save(float("nan"), connection)


def test_an_invalid_date_is_a_validation_error_that_does_not_repeat_it() -> None:
    with pytest.raises(ValidationError) as caught:
        EncryptedDateField().clean("1987-13-45", None)
    assert "1987" not in str(caught.value.messages)
    assert EncryptedDateField().clean("1987-02-03", None) == datetime.date(1987, 2, 3)


def test_the_text_field_validates_max_length_of_the_clear_text() -> None:
    field = EncryptedTextField(max_length=5)
    assert field.clean("Ana", None) == "Ana"
    with pytest.raises(ValidationError):
        field.clean("Anastasia", None)


@isolate_apps("waypoint.lib")
def test_fields_deconstruct_for_migrations() -> None:
    class Holder(models.Model):  # noqa: DJ008
        name = EncryptedTextField(blank=True, max_length=200)
        born = EncryptedDateField(null=True)
        extra = EncryptedJSONField(default=dict)

        class Meta:
            app_label = "lib"

    for field_name, path in [
        ("name", "waypoint.lib.crypto.EncryptedTextField"),
        ("born", "waypoint.lib.crypto.EncryptedDateField"),
        ("extra", "waypoint.lib.crypto.EncryptedJSONField"),
    ]:
        field = Holder._meta.get_field(field_name)
        assert isinstance(field, crypto.EncryptedField)
        name, found_path, args, kwargs = field.deconstruct()
        assert (name, found_path) == (field_name, path)
        clone = type(field)(*args, **kwargs)
        assert clone.deconstruct()[3] == kwargs
    assert "Maria" not in repr(Holder._meta.get_field("name"))


@isolate_apps("waypoint.lib")
def test_an_encrypted_field_cannot_be_unique_or_indexed() -> None:
    with pytest.raises(TypeError, match="blind-index"):

        class Holder(models.Model):  # noqa: DJ008
            number = EncryptedTextField(unique=True)

            class Meta:
                app_label = "lib"
