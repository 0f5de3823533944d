"""Encrypted fields in a real table (SQLite and PostgreSQL) and `rotate_keys`."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from io import StringIO
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import FieldError
from django.core.management import CommandError, call_command
from django.db import connection, models
from django.test.utils import isolate_apps
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pytest_django.fixtures import Settings as SettingsWrapper

from waypoint.lib.crypto import (
    EncryptedDateField,
    EncryptedJSONField,
    EncryptedTextField,
    blind_index,
    rotate_model,
    token_is_current,
)

KEY_A = Fernet.generate_key().decode()
KEY_B = Fernet.generate_key().decode()
NAME = "Μαρία Παπαδοπούλου-Юлия"
DOCUMENT = "RO-PASSPORT-0571939"


@pytest.fixture(autouse=True)
def keys(settings: SettingsWrapper) -> None:
    settings.WAYPOINT_FIELD_KEYS = [KEY_A]
    settings.WAYPOINT_BLIND_INDEX_KEY = "blind-index-key-for-the-db-tests-0123456789"
    settings.WAYPOINT_EPHEMERAL_KEYS = False


@pytest.fixture
def person_model(transactional_db: None) -> Iterator[Any]:
    """A throw-away model whose table exists only during the test."""
    with isolate_apps("waypoint.lib"):

        class Person(models.Model):
            name = EncryptedTextField(blank=True)
            name_index = models.CharField(max_length=64, blank=True, db_index=True)
            document = EncryptedTextField(null=True, blank=True)
            born = EncryptedDateField(null=True, blank=True)
            details = EncryptedJSONField(null=True, blank=True)

            class Meta:
                app_label = "lib"
                db_table = "lib_crypto_test_person"

            def __str__(self) -> str:
                return f"person {self.pk}"

        with connection.schema_editor() as editor:
            editor.create_model(Person)
        try:
            yield Person
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(Person)


def _person(model: Any, name: str = NAME, **fields: Any) -> Any:
    return model._default_manager.create(
        name=name, name_index=blind_index(name, purpose="person-name"), **fields
    )


def _raw_rows(model: Any) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT name, document, born, details FROM {model._meta.db_table}"  # noqa: S608
        )
        return list(cursor.fetchall())


def test_values_round_trip_through_the_database(person_model: Any) -> None:
    """Text, "", dates, JSON and NULL come back exactly, with no NULL for ""."""
    born = datetime.date(1990, 2, 28)
    details = {"languages": ["ro", "el"], "children": 0, "interpreter": False}
    person = _person(person_model, document=DOCUMENT, born=born, details=details)
    empty = _person(person_model, name="", document="", details=[])
    blank = _person(person_model, name="0")

    again = person_model._default_manager.get(pk=person.pk)
    assert (again.name, again.document, again.born, again.details) == (
        NAME,
        DOCUMENT,
        born,
        details,
    )
    again = person_model._default_manager.get(pk=empty.pk)
    assert (again.name, again.document, again.details) == ("", "", [])
    again = person_model._default_manager.get(pk=blank.pk)
    assert (again.name, again.document, again.born, again.details) == (
        "0",
        None,
        None,
        None,
    )


def test_any_text_round_trips_through_the_database(person_model: Any) -> None:
    manager = person_model._default_manager

    @hypothesis_settings(
        max_examples=40, deadline=None, suppress_health_check=list(HealthCheck)
    )
    @given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300))
    def check(value: str) -> None:
        # PostgreSQL text cannot hold NUL; the token is ASCII, so it can here.
        person = manager.create(name=value, document=value * 50)
        again = manager.get(pk=person.pk)
        assert (again.name, again.document) == (value, value * 50)

    check()


def test_the_table_holds_no_clear_text(person_model: Any) -> None:
    """Read the raw columns: the name, document, date and JSON appear nowhere."""
    _person(
        person_model,
        document=DOCUMENT,
        born=datetime.date(1990, 2, 28),
        details={"nickname": "Mimi-the-distinctive"},
    )
    rows = _raw_rows(person_model)
    raw = repr(rows)
    for secret in (NAME, "Μαρία", DOCUMENT, "0571939", "1990", "Mimi-the-distinctive"):
        assert secret not in raw
    assert all(str(value).startswith("gAAAAA") for value in rows[0])


def test_empty_text_is_stored_as_a_token_not_as_null(person_model: Any) -> None:
    _person(person_model, name="", document="")
    ((name, document, born, details),) = _raw_rows(person_model)
    assert name.startswith("gAAAAA")
    assert document.startswith("gAAAAA")
    assert born is None
    assert details is None


def test_isnull_works_and_a_blind_index_finds_exact_matches(person_model: Any) -> None:
    manager = person_model._default_manager
    maria = _person(person_model, document=DOCUMENT)
    _person(person_model, name="Ion Popescu")
    assert list(manager.filter(document__isnull=False)) == [maria]
    assert manager.filter(document__isnull=True).count() == 1
    query = blind_index("  μαρία παπαδοπούλου-юлия ", purpose="person-name")
    assert list(manager.filter(name_index=query)) == [maria]


@pytest.mark.parametrize(
    "lookup",
    [
        {"name": NAME},
        {"name__exact": NAME},
        {"name__iexact": NAME},
        {"name__icontains": "Μαρία"},
        {"name__in": [NAME]},
        {"name__startswith": "Μ"},
        {"born__year": 1990},
        {"born__gt": datetime.date(1990, 1, 1)},
        {"details__nickname": "x"},
        {"details__contains": {"a": 1}},
        {"document": None},
    ],
)
def test_lookups_on_ciphertext_are_refused_without_echoing_the_value(
    person_model: Any, lookup: dict[str, Any]
) -> None:
    """Filtering ciphertext would silently match nothing: it raises instead."""
    with pytest.raises(FieldError, match="encrypted") as caught:
        person_model._default_manager.filter(**lookup)
    assert "Μαρία" not in str(caught.value)
    assert "1990" not in str(caught.value)


def test_queryset_update_and_bulk_update_encrypt_too(person_model: Any) -> None:
    manager = person_model._default_manager
    first = _person(person_model)
    second = _person(person_model, name="Ion")
    manager.filter(pk=first.pk).update(document="UPDATED-123")
    second.document = "BULK-456"
    second.born = datetime.date(2001, 5, 6)
    manager.bulk_update([second], ["document", "born"])
    assert manager.get(pk=first.pk).document == "UPDATED-123"
    assert manager.get(pk=second.pk).born == datetime.date(2001, 5, 6)
    assert "UPDATED-123" not in repr(_raw_rows(person_model))
    assert "BULK-456" not in repr(_raw_rows(person_model))


def test_rotation_moves_every_value_to_the_newest_key(
    person_model: Any, settings: SettingsWrapper
) -> None:
    """Encrypt under A, add B first, rotate, drop A: everything still decrypts."""
    born = datetime.date(1985, 7, 1)
    people = [
        _person(person_model, name=f"{NAME} {n}", document=DOCUMENT, born=born)
        for n in range(7)
    ]
    settings.WAYPOINT_FIELD_KEYS = [KEY_B, KEY_A]
    before = rotate_model(person_model, check_only=True)
    assert (before.rows, before.values, before.stale, before.rotated) == (7, 21, 21, 0)

    result = rotate_model(person_model, batch_size=3)
    assert (result.rows, result.values, result.stale, result.rotated) == (7, 21, 21, 21)
    again = rotate_model(person_model, batch_size=3)
    assert (again.stale, again.rotated) == (0, 0)

    settings.WAYPOINT_FIELD_KEYS = [KEY_B]
    for n, person in enumerate(people):
        stored = person_model._default_manager.get(pk=person.pk)
        assert (stored.name, stored.document, stored.born) == (
            f"{NAME} {n}",
            DOCUMENT,
            born,
        )
    assert all(
        token_is_current(value)
        for row in _raw_rows(person_model)
        for value in row
        if value is not None
    )


def test_the_rotate_keys_command_reports_counts_and_checks(
    person_model: Any, settings: SettingsWrapper, tmp_path: Any, monkeypatch: Any
) -> None:
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path / "private"
    monkeypatch.setattr(
        "waypoint.lib.management.commands.rotate_keys.encrypted_models",
        lambda: [person_model],
    )
    _person(person_model, document=DOCUMENT)
    _person(person_model, name="Ion")
    settings.WAYPOINT_FIELD_KEYS = [KEY_B, KEY_A]

    out = StringIO()
    with pytest.raises(CommandError, match="3 values or files"):
        call_command("rotate_keys", "--check", stdout=out)
    assert "lib.Person: 2 rows, 3 values, 3 not under the newest key" in out.getvalue()

    out = StringIO()
    call_command("rotate_keys", "--batch-size", "1", stdout=out)
    assert "lib.Person: 2 rows, 3 values, 3 re-encrypted" in out.getvalue()

    out = StringIO()
    call_command("rotate_keys", "--check", stdout=out)
    assert "Everything is under the newest key" in out.getvalue()
    assert NAME not in out.getvalue()


def test_a_row_saved_during_rotation_is_not_overwritten(
    person_model: Any, settings: SettingsWrapper, monkeypatch: Any
) -> None:
    """The compare-and-swap keeps the application's newer value."""
    person = _person(person_model, document="OLD")
    settings.WAYPOINT_FIELD_KEYS = [KEY_B, KEY_A]
    import waypoint.lib.crypto as crypto

    real_rotate = crypto.rotate_token

    def rotate_while_someone_saves(token: str) -> str:
        person_model._default_manager.filter(pk=person.pk).update(document="NEW")
        return real_rotate(token)

    monkeypatch.setattr(crypto, "rotate_token", rotate_while_someone_saves)
    result = rotate_model(person_model)
    assert result.changed_meanwhile == 2
    assert person_model._default_manager.get(pk=person.pk).document == "NEW"


def test_every_installed_encrypted_model_is_found() -> None:
    """Only real tables are listed; the command can run on the whole project."""
    from waypoint.lib.crypto import encrypted_fields, encrypted_models

    for model in encrypted_models():
        assert encrypted_fields(model)
        assert not model._meta.proxy


def test_rotate_keys_refuses_to_run_without_keys(settings: SettingsWrapper) -> None:
    settings.WAYPOINT_FIELD_KEYS = []
    with pytest.raises(CommandError, match="WAYPOINT_FIELD_KEYS"):
        call_command("rotate_keys", "--check", stdout=StringIO())
