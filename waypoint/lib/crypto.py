"""Encryption at rest for the personal data of the people assisted.

Values are encrypted with Fernet (AES-128-CBC with HMAC-SHA256, from
``cryptography``) under keys that live outside the database and apart from
``SECRET_KEY``:

* ``WAYPOINT_FIELD_KEYS``: comma-separated Fernet keys, **newest first**. The
  newest encrypts; every key decrypts, so a new key can be added in front and
  ``manage.py rotate_keys`` re-encrypts the stored values before the old key is
  removed.
* ``WAYPOINT_BLIND_INDEX_KEY``: a separate HMAC key for blind indexes, the only
  way to find a row by an exact encrypted value (ciphertexts are randomised, so
  equal values never compare equal in SQL).

Outside ``DEBUG`` a missing or malformed key raises ``ImproperlyConfigured`` at
the first use (and ``check --deploy`` reports it), so nothing is ever stored in
clear by accident. With ``DEBUG`` and no keys, the settings generate ephemeral
keys: data encrypted under them is unreadable after a restart.

Encrypted values are never written into messages, ``repr`` or exceptions.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import json
import logging
import re
import secrets
import unicodedata
from abc import ABCMeta, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django import forms
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.core.signals import setting_changed
from django.core.validators import MaxLengthValidator
from django.db import connections, models, router, transaction
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from waypoint.lib.trigger_flags import TriggerFlag

if TYPE_CHECKING:
    from django.apps import AppConfig
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.expressions import Expression
    from django.db.models.lookups import Lookup, Transform

__all__ = [
    "DecryptionError",
    "EncryptedDateField",
    "EncryptedField",
    "EncryptedJSONField",
    "EncryptedTextField",
    "blind_index",
    "configuration_problems",
    "decrypt_bytes",
    "decrypt_str",
    "encrypt_bytes",
    "encrypt_str",
    "encrypted_fields",
    "encrypted_models",
    "generate_blind_index_key",
    "generate_field_key",
    "key_fingerprints",
    "normalise_for_index",
    "register_rotation",
    "rotate_bytes",
    "rotate_model",
    "rotate_token",
    "token_is_current",
]

logger = logging.getLogger("waypoint.crypto")

_KEY_SETTINGS = frozenset(
    {"WAYPOINT_FIELD_KEYS", "WAYPOINT_BLIND_INDEX_KEY", "WAYPOINT_EPHEMERAL_KEYS"}
)
# Long enough for HMAC-SHA256: 32 random bytes give 43 URL-safe characters.
_MIN_BLIND_INDEX_KEY_LENGTH = 32
_PURPOSE_RE = re.compile(r"^[a-z0-9][a-z0-9._-]{0,63}$")
_WHITESPACE_RE = re.compile(r"\s+")


class DecryptionError(Exception):
    """A stored token is damaged or was encrypted under a key no longer held."""


# --- Keys -------------------------------------------------------------------


def generate_field_key() -> str:
    """A new random Fernet key, for ``WAYPOINT_FIELD_KEYS``."""
    return Fernet.generate_key().decode("ascii")


def generate_blind_index_key() -> str:
    """A new random key for ``WAYPOINT_BLIND_INDEX_KEY``."""
    return secrets.token_urlsafe(32)


def _field_key_values() -> list[str]:
    raw: object = getattr(settings, "WAYPOINT_FIELD_KEYS", None)
    if raw is None:
        return []
    if isinstance(raw, str):
        return [item.strip() for item in raw.split(",") if item.strip()]
    if isinstance(raw, list | tuple):
        return [str(item).strip() for item in raw if str(item).strip()]
    raise ImproperlyConfigured(
        "WAYPOINT_FIELD_KEYS must be a comma-separated string or a list of keys"
    )


def configuration_problems() -> list[str]:
    """Every problem with the encryption keys, as messages that name no key."""
    problems: list[str] = []
    field_keys = _field_key_values()
    if not field_keys:
        problems.append(
            "WAYPOINT_FIELD_KEYS (or WAYPOINT_FIELD_KEYS_FILE) is not set: personal "
            "data cannot be encrypted. `make setup` writes local keys to var/; "
            "generate one with waypoint.lib.crypto.generate_field_key()."
        )
    for position, key in enumerate(field_keys, start=1):
        try:
            Fernet(key)
        except ValueError:
            problems.append(
                f"WAYPOINT_FIELD_KEYS: key number {position} is not a valid Fernet "
                "key (32 bytes, URL-safe base64)."
            )
    if len(set(field_keys)) != len(field_keys):
        problems.append("WAYPOINT_FIELD_KEYS lists the same key twice.")
    index_key = str(getattr(settings, "WAYPOINT_BLIND_INDEX_KEY", "") or "")
    if not index_key:
        problems.append(
            "WAYPOINT_BLIND_INDEX_KEY (or WAYPOINT_BLIND_INDEX_KEY_FILE) is not set: "
            "encrypted values cannot be looked up."
        )
    elif len(index_key) < _MIN_BLIND_INDEX_KEY_LENGTH:
        problems.append(
            f"WAYPOINT_BLIND_INDEX_KEY must be at least "
            f"{_MIN_BLIND_INDEX_KEY_LENGTH} characters of random data."
        )
    elif index_key in field_keys:
        problems.append("WAYPOINT_BLIND_INDEX_KEY must differ from every field key.")
    if index_key and index_key == settings.SECRET_KEY:
        problems.append("WAYPOINT_BLIND_INDEX_KEY must not be the SECRET_KEY.")
    if settings.SECRET_KEY in field_keys:
        problems.append("WAYPOINT_FIELD_KEYS must not contain the SECRET_KEY.")
    return problems


def key_fingerprints() -> dict[str, list[str]]:
    """What tells two instances' keys apart without revealing them: the first
    16 hex digits of an HMAC-SHA256 of a fixed message under each key (in a
    backup's manifest, so a restore can say the keys are not the backup's)."""

    def mark(key: str) -> str:
        digest = hmac.new(key.encode(), b"waypoint-key-fingerprint", hashlib.sha256)
        return digest.hexdigest()[:16]

    index_key = str(getattr(settings, "WAYPOINT_BLIND_INDEX_KEY", "") or "")
    return {
        "field_keys": [mark(key) for key in _field_key_values()],
        "blind_index_key": [mark(index_key)] if index_key else [],
    }


@dataclass(frozen=True)
class _Keyring:
    newest: Fernet
    all: MultiFernet
    index_key: bytes

    def __repr__(self) -> str:
        return "<Keyring>"


@functools.cache
def _keyring() -> _Keyring:
    problems = configuration_problems()
    if problems:
        raise ImproperlyConfigured(
            "Encryption at rest is not configured: " + " ".join(problems)
        )
    if getattr(settings, "WAYPOINT_EPHEMERAL_KEYS", False):
        logger.warning(
            "Encryption keys are EPHEMERAL (DEBUG without WAYPOINT_FIELD_KEYS): "
            "everything encrypted in this process is lost when it stops."
        )
    fernets = [Fernet(key) for key in _field_key_values()]
    index_key = str(settings.WAYPOINT_BLIND_INDEX_KEY).encode("utf-8")
    return _Keyring(newest=fernets[0], all=MultiFernet(fernets), index_key=index_key)


@checks.register(checks.Tags.security, deploy=True)
def check_encryption_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """``check --deploy`` fails while the keys are missing, malformed or ephemeral."""
    messages: list[checks.CheckMessage] = [
        checks.Error(problem, id="waypoint.E001")
        for problem in configuration_problems()
    ]
    if getattr(settings, "WAYPOINT_EPHEMERAL_KEYS", False):
        messages.append(
            checks.Error(
                "Encryption keys are ephemeral (generated because DEBUG is on).",
                id="waypoint.E002",
            )
        )
    return messages


@checks.register(checks.Tags.security)
def check_ephemeral_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: object
) -> list[checks.CheckMessage]:
    """Every command that checks the project warns loudly about ephemeral keys."""
    if not getattr(settings, "WAYPOINT_EPHEMERAL_KEYS", False):
        return []
    return [
        checks.Warning(
            "Encryption keys are EPHEMERAL: DEBUG is on and WAYPOINT_FIELD_KEYS or "
            "WAYPOINT_BLIND_INDEX_KEY is not set, so random keys were generated. "
            "Everything encrypted now is unreadable after a restart.",
            hint="Run `make setup` (it writes keys to var/) or set the keys.",
            id="waypoint.W001",
        )
    ]


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: object) -> None:
    if setting in _KEY_SETTINGS or setting == "SECRET_KEY":
        _keyring.cache_clear()


# --- The API ------------------------------------------------------------------


def encrypt_bytes(data: bytes) -> bytes:
    """Encrypt ``data`` under the newest key; returns a Fernet token (ASCII)."""
    if not isinstance(data, bytes):
        raise TypeError(f"encrypt_bytes() takes bytes, not {type(data).__name__}")
    return _keyring().all.encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    """Decrypt a token made by :func:`encrypt_bytes` under any configured key.

    Raises :class:`DecryptionError` when the token is damaged or no configured
    key opens it.
    """
    if not isinstance(token, bytes):
        raise TypeError(f"decrypt_bytes() takes bytes, not {type(token).__name__}")
    try:
        return _keyring().all.decrypt(token)
    except InvalidToken:
        raise DecryptionError(
            "An encrypted value could not be decrypted: it is damaged or its key "
            "is no longer in WAYPOINT_FIELD_KEYS."
        ) from None


def encrypt_str(value: str) -> str:
    """Encrypt a text under the newest key; ``""`` gives a token too, never ``""``."""
    if not isinstance(value, str):
        raise TypeError(f"encrypt_str() takes str, not {type(value).__name__}")
    return encrypt_bytes(value.encode("utf-8")).decode("ascii")


def decrypt_str(token: str) -> str:
    """Decrypt a token made by :func:`encrypt_str` under any configured key."""
    if not isinstance(token, str):
        raise TypeError(f"decrypt_str() takes str, not {type(token).__name__}")
    try:
        raw = token.encode("ascii")
    except UnicodeEncodeError:
        raise DecryptionError("The stored value is not an encryption token.") from None
    return decrypt_bytes(raw).decode("utf-8")


def rotate_token(token: str) -> str:
    """Re-encrypt a token under the newest key (``MultiFernet.rotate``)."""
    if not isinstance(token, str):
        raise TypeError(f"rotate_token() takes str, not {type(token).__name__}")
    return rotate_bytes(token.encode("ascii")).decode("ascii")


def rotate_bytes(token: bytes) -> bytes:
    """Re-encrypt a bytes token under the newest key."""
    try:
        return _keyring().all.rotate(token)
    except InvalidToken:
        raise DecryptionError(
            "An encrypted value could not be re-encrypted: it is damaged or its key "
            "is no longer in WAYPOINT_FIELD_KEYS."
        ) from None


def token_is_current(token: str | bytes) -> bool:
    """Whether ``token`` is already under the newest key (nothing to rotate)."""
    raw = token.encode("ascii") if isinstance(token, str) else token
    try:
        _keyring().newest.decrypt(raw)
    except InvalidToken:
        return False
    return True


def normalise_for_index(value: str) -> str:
    """The form of a value a blind index hashes: case, width and spacing folded.

    NFKC before and after case folding (folding can produce sequences that are
    not normalised), then runs of whitespace collapse to one space and the ends
    are trimmed. ``"  ΜΑΡΊΑ  Pap "`` and ``"μαρία pap"`` give the same text.
    """
    folded = unicodedata.normalize(
        "NFKC", unicodedata.normalize("NFKC", value).casefold()
    )
    return _WHITESPACE_RE.sub(" ", folded).strip()


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SHA256 (hex) of the normalised ``value``, separated by ``purpose``.

    Store it in an indexed column beside the encrypted one and filter on it:
    ``Person.objects.filter(name_index=blind_index(query, purpose="person-name"))``.
    The ``purpose`` (e.g. ``"person-name"``, ``"document-number"``) derives a
    key of its own, so equal texts in different domains give unrelated hashes
    and one column cannot be joined against another.
    """
    if not isinstance(value, str):
        raise TypeError(f"blind_index() takes str, not {type(value).__name__}")
    if not _PURPOSE_RE.match(purpose):
        raise ValueError(
            "purpose must be a short lower-case name such as 'person-name'"
        )
    purpose_key = hmac.new(
        _keyring().index_key,
        b"waypoint-blind-index:" + purpose.encode(),
        hashlib.sha256,
    ).digest()
    return hmac.new(
        purpose_key, normalise_for_index(value).encode("utf-8"), hashlib.sha256
    ).hexdigest()


# --- Model fields -------------------------------------------------------------

_ST = TypeVar("_ST", contravariant=True)
_GT = TypeVar("_GT", covariant=True)

if TYPE_CHECKING:
    _FieldBase = models.Field
else:

    class _FieldBase(models.Field):
        """``models.Field`` that accepts type parameters at run time too."""

        def __class_getitem__(cls, params: object) -> type:
            return cls


class EncryptedField(_FieldBase[_ST, _GT], metaclass=ABCMeta):
    """Base of the encrypted fields: a Fernet token in a text column.

    Each subclass turns its Python value into text (``_to_text``) and back
    (``_from_text``); the text is encrypted with :func:`encrypt_str` on the way
    to the database and decrypted when read. SQL sees only ciphertext, so the
    only lookup allowed is ``isnull``: an exact match goes through a blind-index
    column (:func:`blind_index`), and ordering by the field is meaningless.
    """

    python_type_name: ClassVar[str] = "value"

    def get_internal_type(self) -> str:
        return "TextField"

    def contribute_to_class(
        self, cls: type[models.Model], name: str, private_only: bool = False
    ) -> None:
        if self.primary_key or self.unique or getattr(self, "db_index", False):
            raise TypeError(
                f"{type(self).__name__} {cls.__name__}.{name} cannot be a primary "
                "key, unique or indexed: its ciphertext differs on every save. Add "
                "an indexed blind-index column for exact matches."
            )
        super().contribute_to_class(cls, name, private_only=private_only)

    # --- conversions ---

    @abstractmethod
    def _to_text(self, value: Any) -> str:
        """The Python value as the text that gets encrypted."""

    @abstractmethod
    def _from_text(self, text: str) -> Any:
        """The decrypted text as the Python value."""

    def _type_error(self, value: object) -> TypeError:
        return TypeError(
            f"{self._label()} takes {self.python_type_name}, not {type(value).__name__}"
        )

    def _label(self) -> str:
        model = getattr(self, "model", None)
        if model is None:
            return type(self).__name__
        return f"{type(self).__name__} {model.__name__}.{self.name}"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None:
            return None
        return encrypt_str(self._to_text(value))

    def from_db_value(
        self, value: Any, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None:
            return None
        try:
            return self._from_text(decrypt_str(value))
        except DecryptionError:
            raise DecryptionError(
                f"{self._label()}: a stored value could not be decrypted; it is "
                "damaged or its key is no longer in WAYPOINT_FIELD_KEYS."
            ) from None

    # --- queries ---

    def get_lookup(self, lookup_name: str) -> type[Lookup[Any]] | None:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self._label()} is encrypted and cannot be filtered with "
            f"'{lookup_name}': the database holds only ciphertext. Use "
            "'__isnull', or an indexed blind-index column "
            "(waypoint.lib.crypto.blind_index) for exact matches."
        )

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        raise FieldError(
            f"{self._label()} is encrypted: '{lookup_name}' cannot be applied in "
            "SQL to ciphertext."
        )


def emptied_text() -> models.Value:
    """What an erasure writes into an encrypted text column: the raw empty
    string, not the encryption of ``""``. It reads back as ``""``, and the
    database can tell that the column was emptied (the append-only referral
    triggers let only this through)."""
    return models.Value("", output_field=models.TextField())


class EncryptedTextField(EncryptedField[_ST, _GT]):
    """Encrypted text. ``""`` is stored (encrypted) as ``""``, not as NULL.

    With ``null=True``, ``None`` is NULL. ``max_length`` limits the clear text
    in validation and forms; the column is unbounded (tokens are longer).
    """

    _pyi_private_set_type: str
    _pyi_private_get_type: str
    _pyi_lookup_exact_type: Any

    description = "Encrypted text"
    python_type_name = "str"

    def _to_text(self, value: Any) -> str:
        if not isinstance(value, str):
            raise self._type_error(value)
        return value

    def _from_text(self, text: str) -> str:
        return text

    def from_db_value(
        self, value: Any, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value == "":
            # Emptied in SQL for good (``emptied_text``): no token to open.
            return ""
        return super().from_db_value(value, expression, connection)

    def to_python(self, value: Any) -> str | None:
        if value is None or isinstance(value, str):
            return value
        raise self._type_error(value)

    def validate(self, value: Any, model_instance: models.Model | None) -> None:
        super().validate(value, model_instance)
        if self.max_length is not None and value is not None:
            MaxLengthValidator(self.max_length)(value)

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super().formfield(
            **{"form_class": forms.CharField, "max_length": self.max_length, **kwargs}
        )

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else str(value)


class EncryptedDateField(EncryptedField[_ST, _GT]):
    """An encrypted ``datetime.date`` (never a ``datetime``), e.g. a birth date."""

    _pyi_private_set_type: datetime.date
    _pyi_private_get_type: datetime.date
    _pyi_lookup_exact_type: Any

    empty_strings_allowed = False
    default_error_messages: ClassVar[dict[str, Any]] = {
        # Django's own message repeats the value; this one never does.
        "invalid": _("Enter a valid date."),
    }
    description = "Encrypted date"
    python_type_name = "datetime.date"

    def _to_text(self, value: Any) -> str:
        day = self.to_python(value)
        if day is None:
            raise self._type_error(value)
        return day.isoformat()

    def _from_text(self, text: str) -> datetime.date:
        return datetime.date.fromisoformat(text)

    def to_python(self, value: Any) -> datetime.date | None:
        if value is None:
            return None
        if isinstance(value, datetime.datetime):
            raise self._type_error(value)
        if isinstance(value, datetime.date):
            return value
        if isinstance(value, str):
            try:
                return datetime.date.fromisoformat(value.strip())
            except ValueError:
                raise ValidationError(
                    self.error_messages["invalid"], code="invalid"
                ) from None
        raise self._type_error(value)

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super().formfield(**{"form_class": forms.DateField, **kwargs})

    def value_to_string(self, obj: models.Model) -> str:
        day = self.to_python(self.value_from_object(obj))
        return "" if day is None else day.isoformat()


class EncryptedJSONField(EncryptedField[_ST, _GT]):
    """Encrypted JSON (a dict or a list, usually). SQL NULL is Python ``None``.

    A JSON ``null`` at the top level cannot be told apart from SQL NULL, so it
    needs ``null=True`` and reads back as ``None``.
    """

    _pyi_private_set_type: Any
    _pyi_private_get_type: Any
    _pyi_lookup_exact_type: Any

    empty_strings_allowed = False
    description = "Encrypted JSON"
    python_type_name = "JSON-serialisable data"

    def _to_text(self, value: Any) -> str:
        try:
            return json.dumps(
                value, ensure_ascii=False, allow_nan=False, separators=(",", ":")
            )
        except (TypeError, ValueError):
            raise self._type_error(value) from None

    def _from_text(self, text: str) -> Any:
        return json.loads(text)

    def to_python(self, value: Any) -> Any:
        return value

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super().formfield(**{"form_class": forms.JSONField, **kwargs})

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)


# --- Rotation -----------------------------------------------------------------


@dataclass
class Rotation:
    """What a rotation found (and, unless only checking, re-encrypted)."""

    label: str
    rows: int = 0
    values: int = 0
    stale: int = 0
    rotated: int = 0
    # Values changed by someone else between the read and the write; they were
    # written under the newest key by that save, so nothing is lost.
    changed_meanwhile: int = 0


RotationSource = Callable[[bool, int], Rotation]
_extra_sources: dict[str, RotationSource] = {}


def register_rotation(label: str, source: RotationSource) -> None:
    """Add tokens kept outside the encrypted fields to ``rotate_keys``.

    ``source(check_only, batch_size)`` rotates (or only counts) its tokens with
    :func:`token_is_current` and :func:`rotate_token` and returns a
    :class:`Rotation`. Call it from an ``AppConfig.ready``.
    """
    _extra_sources[label] = source


def registered_rotations() -> dict[str, RotationSource]:
    return dict(_extra_sources)


def encrypted_fields(model: type[models.Model]) -> list[EncryptedField[Any, Any]]:
    """The encrypted columns of ``model`` itself (inherited tables excluded)."""
    return [
        field
        for field in model._meta.local_concrete_fields
        if isinstance(field, EncryptedField)
    ]


def encrypted_models() -> list[type[models.Model]]:
    """Every installed model with a table holding an encrypted column."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if not model._meta.proxy and model._meta.managed and encrypted_fields(model)
    ]


# Answered on SQLite connections; see ``rotation_writes``.
ROTATING = TriggerFlag("waypoint_rotating", usual=0)


@contextmanager
def rotation_writes(using: str) -> Iterator[None]:
    """Let a rotation re-encrypt rows the database keeps unchangeable.

    A referral's history and messages are append-only: their triggers refuse
    every UPDATE but an erasure and, while this block runs inside a
    transaction, a new token in place of another with every other column as
    it was. PostgreSQL learns it from a setting that ends with the
    transaction (``SET LOCAL waypoint.rotating``), SQLite from
    ``waypoint_rotating()``, which this process answers.
    """
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL waypoint.rotating = 'on'")
    with ROTATING.flipped():
        yield


def rotate_model(
    model: type[models.Model], *, batch_size: int = 500, check_only: bool = False
) -> Rotation:
    """Re-encrypt every value of ``model`` that is not under the newest key.

    Rows are read in primary-key order, ``batch_size`` at a time, one
    transaction per batch. Each row is written with a compare-and-swap on the
    raw tokens, so a row saved meanwhile by the application (always under the
    newest key) is never overwritten with an older value. Values already under
    the newest key are not touched: running it twice changes nothing.
    """
    fields = encrypted_fields(model)
    result = Rotation(label=model._meta.label)
    if not fields:
        return result
    # The raw token of each column, read as plain text (no decryption).
    raw = {
        f"_raw_{field.attname}": models.ExpressionWrapper(
            models.F(field.attname), output_field=models.TextField()
        )
        for field in fields
    }
    manager = model._base_manager
    database = router.db_for_write(model)
    last_pk: Any = None
    while True:
        queryset = manager.using(database).annotate(**raw).order_by("pk")
        if last_pk is not None:
            queryset = queryset.filter(pk__gt=last_pk)
        batch = list(queryset.values_list("pk", *raw)[:batch_size])
        if not batch:
            return result
        with transaction.atomic(using=database), rotation_writes(database):
            for pk, *tokens in batch:
                _rotate_row(
                    manager.using(database).filter(pk=pk),
                    fields,
                    tokens,
                    result,
                    check_only=check_only,
                )
        last_pk = batch[-1][0]


def _rotate_row(
    row: models.QuerySet[Any],
    fields: list[EncryptedField[Any, Any]],
    tokens: list[str | None],
    result: Rotation,
    *,
    check_only: bool,
) -> None:
    result.rows += 1
    old: dict[str, str] = {}
    new: dict[str, models.Value] = {}
    for field, token in zip(fields, tokens, strict=True):
        if token is None or token == "":
            continue  # NULL, or emptied by an erasure: nothing encrypted
        result.values += 1
        if token_is_current(token):
            continue
        result.stale += 1
        if not check_only:
            old[field.attname] = token
            new[field.attname] = models.Value(
                rotate_token(token), output_field=models.TextField()
            )
    if not new:
        return
    unchanged = row.alias(
        **{
            f"_old_{name}": models.ExpressionWrapper(
                models.F(name), output_field=models.TextField()
            )
            for name in old
        }
    ).filter(**{f"_old_{name}": token for name, token in old.items()})
    if unchanged.update(**new):
        result.rotated += len(new)
    else:
        result.changed_meanwhile += len(new)
