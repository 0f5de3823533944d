"""Importing HSDS 3.0 data into the directory: check, plan, then write at once.

``hsds_import`` reads the input (see ``reader``), converts and checks every
value against the model, resolves every reference, compares each record with
the stored row and then, in ONE transaction, creates what is new, updates
what changed and leaves the rest alone: a refused or interrupted import
leaves the database as it was. Records keep their id, so running an import
twice changes nothing the second time; listings remember their source.

History: a created object gets one history row holding all its values; an
updated one a row per changed field (as ``services.changes_record`` writes
them), written in bulk so that large imports stay fast.
"""

from __future__ import annotations

import json
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import Any

import orjson
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from tqdm import tqdm

from waypoint.accounts.models import User
from waypoint.directory.hsds.indexing import search_index_refresh_fast
from waypoint.directory.hsds.mapping import TABLE, TABLES, Table
from waypoint.directory.hsds.reader import Problem, RawTables, read_path
from waypoint.directory.models import (
    ChangeRecord,
    ImportSource,
    Organization,
    Service,
    ServiceAtLocation,
)
from waypoint.directory.search import full_text_at_the_end, rows_insert
from waypoint.directory.selectors import cities_forget
from waypoint.lib.memory import garbage_collection_paused

BATCH = 2000
PROGRESS_FROM = 5000


@contextmanager
def sqlite_cache_enlarged(megabytes: int) -> Iterator[None]:
    """A larger SQLite page cache for this connection while the block runs.

    An import inserts rows with random UUID keys into indexes spread over the
    whole file: with the usual cache, a page changed by one row is pushed out
    to the write-ahead log before the next row changes it again, and is
    written many times over. Memory is taken only as pages are used, and
    given back when the block ends.
    """
    if connection.vendor != "sqlite" or megabytes <= 0:
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        before = int(cursor.fetchone()[0])
        cursor.execute(f"PRAGMA cache_size = {-megabytes * 1024}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {before}")


class ImportRefusedError(Exception):
    def __init__(self, report: ImportReport) -> None:
        super().__init__(report.summary())
        self.report = report


@dataclass
class ImportReport:
    source: str
    counts: dict[str, Counter[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    ignored: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False

    def total(self, what: str) -> int:
        return sum(c[what] for c in self.counts.values())

    def summary(self) -> str:
        return (
            f"created={self.total('created')} updated={self.total('updated')} "
            f"unchanged={self.total('unchanged')} rejected={self.total('rejected')}"
        )


# --- Converting one value -----------------------------------------------------------

Converter = Callable[[Any], Any]


class _BadValueError(ValueError):
    pass


def _text(max_length: int | None, *, email: bool = False) -> Converter:
    def convert(value: Any) -> Any:
        if value is None:
            return ""
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            raise _BadValueError(_("must be text"))
        text = str(value)
        if max_length is not None and len(text) > max_length:
            raise _BadValueError(_("longer than %(n)d characters") % {"n": max_length})
        if email and text:
            try:
                validate_email(text)
            except ValidationError:
                raise _BadValueError(_("not an email address")) from None
        return text

    return convert


_HEX_DIGITS = re.compile("[0-9a-f]{32}")


class _Id(uuid.UUID):
    """A UUID that keeps its 32 hex digits, the form SQLite stores.

    An import writes each id several times (its row, the references to it,
    its history), and ``UUID.hex`` formats the digits anew each time.
    """

    __slots__ = ("hex",)  # a stored value in place of UUID's property

    def __init__(self, text: str) -> None:
        # What ``uuid.UUID`` takes (hyphens, braces, "urn:uuid:", any case),
        # except the digit separators ``int()`` would let through ("0_1").
        digits = (
            text.lower()
            .removeprefix("urn:")
            .removeprefix("uuid:")
            .strip("{}")
            .replace("-", "")
        )
        if not _HEX_DIGITS.fullmatch(digits):
            raise ValueError(f"not a UUID: {text!r}")
        value = int(digits, 16)
        object.__setattr__(self, "int", value)
        object.__setattr__(self, "is_safe", uuid.SafeUUID.unknown)
        object.__setattr__(self, "hex", digits)

    def __repr__(self) -> str:
        return f"UUID('{self}')"

    def __reduce__(self) -> tuple[type[uuid.UUID], tuple[str]]:
        # Copied or pickled, it is a plain UUID (UUID's own state would
        # leave the stored digits out).
        return (uuid.UUID, (str(self),))


@lru_cache(maxsize=250_000)
def _parse_uuid(text: str) -> uuid.UUID:
    # References repeat their parent's id many times: parse each id once.
    return _Id(text)


def _uuid(value: Any) -> Any:
    if value is None:
        return None
    try:
        return _parse_uuid(str(value).strip())
    except ValueError:
        raise _BadValueError(_("not a UUID")) from None


def _integer(minimum: int | None) -> Converter:
    def convert(value: Any) -> Any:
        if value is None:
            return None
        try:
            number = float(value) if not isinstance(value, int) else value
        except (TypeError, ValueError):
            raise _BadValueError(_("not a whole number")) from None
        if isinstance(value, bool) or number != int(number):
            raise _BadValueError(_("not a whole number"))
        if minimum is not None and number < minimum:
            raise _BadValueError(_("must not be negative"))
        return int(number)

    return convert


def _float(value: Any) -> Any:
    if value is None:
        return None
    try:
        if isinstance(value, bool):
            raise ValueError
        return float(value)
    except (TypeError, ValueError):
        raise _BadValueError(_("not a number")) from None


def _decimal(value: Any) -> Any:
    if value is None:
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise _BadValueError(_("not a number")) from None


def _date(value: Any) -> Any:
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        raise _BadValueError(_("not a date (YYYY-MM-DD)")) from None


def _time(value: Any) -> Any:
    if value is None:
        return None
    try:
        return time.fromisoformat(str(value))
    except ValueError:
        raise _BadValueError(_("not a time (HH:MM:SS)")) from None


def _datetime(value: Any) -> Any:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(str(value))
    except ValueError:
        raise _BadValueError(_("not a date-time (ISO 8601)")) from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _boolean(value: Any) -> Any:
    if value is None or isinstance(value, bool):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1", "yes"):
        return True
    if text in ("false", "0", "no", ""):
        return False
    raise _BadValueError(_("not true or false"))


def _json_object(value: Any) -> Any:
    if value is None:
        return {}
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise _BadValueError(_("not a JSON object")) from None
    if not isinstance(value, dict):
        raise _BadValueError(_("not a JSON object"))
    return value


def _with_choices(convert: Converter, choices: set[str]) -> Converter:
    def checked(value: Any) -> Any:
        result = convert(value)
        if result not in ("", None) and result not in choices:
            raise _BadValueError(
                _("must be one of: %(choices)s")
                % {"choices": ", ".join(sorted(choices))}
            )
        return result

    return checked


def _converter(model_field: models.Field[Any, Any]) -> Converter:
    if isinstance(model_field, models.ForeignKey | models.UUIDField):
        return _uuid
    if isinstance(model_field, models.BooleanField):
        return _boolean
    if isinstance(model_field, models.JSONField):
        return _json_object
    if isinstance(model_field, models.DateTimeField):
        return _datetime
    if isinstance(model_field, models.DateField):
        return _date
    if isinstance(model_field, models.TimeField):
        return _time
    if isinstance(model_field, models.DecimalField):
        return _decimal
    if isinstance(model_field, models.FloatField):
        return _float
    if isinstance(model_field, models.IntegerField):
        positive = isinstance(
            model_field,
            models.PositiveIntegerField | models.PositiveSmallIntegerField,
        )
        return _integer(0 if positive else None)
    convert = _text(
        model_field.max_length, email=isinstance(model_field, models.EmailField)
    )
    if model_field.choices and model_field.name != "country":
        return _with_choices(convert, {str(c[0]) for c in model_field.choices})
    return convert


# Values without which a record means nothing. Other HSDS-required texts
# (descriptions, address parts) may be empty, as the schemas allow "".
_MUST_HAVE_TEXT = {
    ("organization", "name"),
    ("service", "name"),
    ("taxonomy", "name"),
    ("taxonomy_term", "name"),
    ("phone", "number"),
    ("address", "address_1"),
    ("address", "city"),
    ("address", "country"),
    ("attribute", "link_entity"),
}


@dataclass(frozen=True)
class _Column:
    name: str
    attname: str
    convert: Converter
    required: bool
    # What ``convert`` makes of a missing value, computed once.
    empty: Any = None


def _columns(table: Table) -> list[_Column]:
    opts = table.model._meta
    out = []
    pairs = [(c, table.attname(c)) for c in table.columns if c != "id"]
    pairs += list(table.extension_attnames.items())
    for name, attname in pairs:
        model_field = next(
            f for f in opts.concrete_fields if f.attname == attname or f.name == attname
        )
        required = (table.name, name) in _MUST_HAVE_TEXT
        convert = _converter(model_field)
        out.append(_Column(name, model_field.attname, convert, required, convert(None)))
    return out


_COLUMNS: dict[str, list[_Column]] = {t.name: _columns(t) for t in TABLES}
# Values Waypoint keeps beyond HSDS: set only when the input carries them.
_OPTIONAL_EXTENSIONS = {
    "x_country",
    "x_language",
    "x_translations",
    "x_demo",
    "x_code",
    "x_position",
}


# --- Planning ---------------------------------------------------------------------


@dataclass
class _Row:
    pk: uuid.UUID
    values: dict[str, Any]
    file: str
    table: str
    place: str

    @property
    def where(self) -> str:
        """Which record this is, for a problem: written only when needed."""
        return f"{self.table} {self.pk} ({self.place})"


@dataclass
class _Plan:
    rows: dict[str, dict[uuid.UUID, _Row]] = field(default_factory=dict)
    create: dict[str, list[_Row]] = field(default_factory=dict)
    update: dict[str, list[tuple[_Row, dict[str, Any], dict[str, Any]]]] = field(
        default_factory=dict
    )


@dataclass(frozen=True)
class _TableSpec:
    """How one table's records are converted, worked out once."""

    by_name: dict[str, _Column]
    # The value of every column a record may leave out (most cells are
    # empty): optional extensions and ``updated_at`` are not among them.
    defaults: dict[str, Any]
    # JSON columns among the defaults: each record gets its own empty dict.
    json_defaults: tuple[str, ...]
    required: tuple[_Column, ...]


def _table_spec(name: str) -> _TableSpec:
    columns = _COLUMNS[name]
    defaults = {
        c.attname: c.empty
        for c in columns
        if not c.required
        and c.name not in _OPTIONAL_EXTENSIONS
        and c.attname != "updated_at"
    }
    return _TableSpec(
        by_name={c.name: c for c in columns},
        defaults=defaults,
        json_defaults=tuple(a for a, v in defaults.items() if isinstance(v, dict)),
        required=tuple(c for c in columns if c.required),
    )


_SPECS: dict[str, _TableSpec] = {t.name: _table_spec(t.name) for t in TABLES}


def _convert_all(raw: RawTables, report: ImportReport, progress: Any) -> _Plan:
    plan = _Plan()
    for table in TABLES:
        name = table.name
        spec = _SPECS[name]
        by_name, defaults, json_defaults = (
            spec.by_name,
            spec.defaults,
            spec.json_defaults,
        )
        rows: dict[uuid.UUID, _Row] = {}
        records = raw.tables.get(name, {})
        for key, record in records.items():
            try:
                pk = _parse_uuid(key)
            except ValueError:
                report.problems.append(
                    Problem(record.file, record.where, "id", _("not a UUID"))
                )
                report.counts.setdefault(name, Counter())["rejected"] += 1
                continue
            values = defaults.copy()
            for attname in json_defaults:
                values[attname] = {}
            problems: list[Problem] = []
            # Only the values the record carries: the rest keep their default.
            for column_name, value in record.values.items():
                if value is None:
                    continue
                column = by_name.get(column_name)
                if column is None:
                    continue
                convert = column.convert
                if value.__class__ is str:
                    if convert is not _json_object and not value.strip():
                        continue  # blank text is an empty cell
                    if value == "" and column_name in _OPTIONAL_EXTENSIONS:
                        continue
                try:
                    converted = convert(value)
                except _BadValueError as error:
                    problems.append(
                        Problem(
                            record.file,
                            f"{name} {pk} ({record.where})",
                            column_name,
                            str(error),
                        )
                    )
                    continue
                if converted is None or converted == "":
                    if column.attname == "updated_at":
                        continue  # no date given: the import's own time is used
                    if column.required:
                        continue  # reported below as missing
                values[column.attname] = converted
            for column in spec.required:
                if column.attname not in values and not any(
                    p.field == column.name for p in problems
                ):
                    problems.append(
                        Problem(
                            record.file,
                            f"{name} {pk} ({record.where})",
                            column.name,
                            _("required"),
                        )
                    )
            if problems:
                report.problems.extend(problems)
                report.counts.setdefault(name, Counter())["rejected"] += 1
                continue
            rows[pk] = _Row(pk, values, record.file, name, record.where)
        progress.update(len(records))
        plan.rows[name] = rows
    return plan


def _existing_ids(
    model: type[models.Model], ids: Iterable[uuid.UUID]
) -> set[uuid.UUID]:
    """Which of these ids the table holds.

    Plain SQL with the ids as parameters: the ORM prepares every value of an
    ``IN`` list through the field, which at import sizes (most ids new) cost
    more than the queries themselves.
    """
    found: set[uuid.UUID] = set()
    wanted = list(ids)
    native = connection.features.has_native_uuid_field
    quote = connection.ops.quote_name
    pk_column = quote(model._meta.pk.column or "id")
    table = quote(model._meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(wanted), BATCH):
            chunk = wanted[start : start + BATCH]
            cursor.execute(
                f"SELECT {pk_column} FROM {table} "  # noqa: S608
                f"WHERE {pk_column} IN ({', '.join(['%s'] * len(chunk))})",
                [pk if native else pk.hex for pk in chunk],
            )
            found.update(
                value if isinstance(value, uuid.UUID) else _parse_uuid(str(value))
                for (value,) in cursor.fetchall()
            )
    return found


def _uuid_or_none(value: str) -> uuid.UUID | None:
    # Cached: ``_convert_all`` parsed these very keys already.
    try:
        return _parse_uuid(value)
    except ValueError:
        return None


def _resolve_references(plan: _Plan, raw: RawTables, report: ImportReport) -> None:
    """Reject records whose required parent is missing; unlink optional ones."""
    in_db: dict[str, set[uuid.UUID]] = {}
    for table in TABLES:
        for column, target in table.parents.items():
            attname = table.attname(column)
            missing = {
                row.values[attname]
                for row in plan.rows[table.name].values()
                if row.values.get(attname) is not None
                and row.values[attname] not in plan.rows[target]
            }
            if missing:
                in_db.setdefault(target, set()).update(
                    _existing_ids(TABLE[target].model, missing)
                )
    # Records refused while converting, by table: only where a table has
    # fewer rows than the input had records (almost never on a clean import).
    rejected = {
        table: {pk for k in records if (pk := _uuid_or_none(k)) is not None}
        - set(plan.rows[table])
        for table, records in raw.tables.items()
        if table in plan.rows and len(records) != len(plan.rows[table])
    }
    # Per table: (column, attname) of its required parents, and (column,
    # attname, target table, required) of all its parents, worked out once.
    links = {
        table.name: (
            [(column, table.attname(column)) for column in table.required_parents],
            [
                (
                    column,
                    table.attname(column),
                    target,
                    column in table.required_parents,
                )
                for column, target in table.parents.items()
            ],
        )
        for table in TABLES
    }

    def refuse(table: str, pk: uuid.UUID, problem: Problem) -> None:
        report.problems.append(problem)
        del plan.rows[table][pk]
        rejected.setdefault(table, set()).add(pk)
        report.counts.setdefault(table, Counter())["rejected"] += 1

    changed = True
    while changed:
        changed = False
        for table in TABLES:
            required, parents = links[table.name]
            for pk, row in list(plan.rows[table.name].items()):
                values = row.values
                problem = None
                for column, attname in required:
                    if values.get(attname) is None:
                        problem = Problem(row.file, row.where, column, _("required"))
                        break
                if problem is None:
                    for column, attname, target, is_required in parents:
                        ref = values.get(attname)
                        if (
                            ref is None
                            or ref in plan.rows[target]
                            or ref in in_db.get(target, ())
                        ):
                            continue
                        if ref in rejected.get(target, ()):
                            problem = Problem(
                                row.file,
                                row.where,
                                column,
                                _("its %(table)s %(id)s was rejected")
                                % {"table": target, "id": ref},
                            )
                            break
                        if is_required:
                            problem = Problem(
                                row.file,
                                row.where,
                                column,
                                _(
                                    "refers to %(table)s %(id)s, which is neither "
                                    "in the input nor in the directory"
                                )
                                % {"table": target, "id": ref},
                            )
                            break
                        report.warnings.append(
                            Problem(
                                row.file,
                                row.where,
                                column,
                                _("unknown %(table)s %(id)s: link left out")
                                % {"table": target, "id": ref},
                            )
                        )
                        values[attname] = None
                if problem is not None:
                    refuse(table.name, pk, problem)
                    changed = True


def _diff(
    plan: _Plan, report: ImportReport, source: ImportSource | None, progress: Any
) -> None:
    for table in TABLES:
        rows = plan.rows[table.name]
        counts = report.counts.setdefault(table.name, Counter())
        if table.model in (Organization, Service) and source is not None:
            for row in rows.values():
                row.values["source_id"] = source.pk
        attnames = sorted({a for row in rows.values() for a in row.values})
        creates: list[_Row] = []
        updates: list[tuple[_Row, dict[str, Any], dict[str, Any]]] = []
        # New records (most of a first import) need no stored values.
        existing = _existing_ids(table.model, rows)
        ids = [pk for pk in rows if pk in existing]
        for pk in rows:
            if pk not in existing:
                progress.update(1)
                creates.append(rows[pk])
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            stored = {
                values.pop("pk"): values
                for values in table.model._default_manager.filter(pk__in=chunk).values(
                    "pk", *attnames
                )
            }
            for pk in chunk:
                progress.update(1)
                row = rows[pk]
                old = stored.get(pk)
                if old is None:
                    creates.append(row)
                    continue
                before = {
                    a: old[a]
                    for a, v in row.values.items()
                    if old.get(a) != v and a != "updated_at"
                }
                if not before:
                    counts["unchanged"] += 1
                    continue
                if (
                    "updated_at" in row.values
                    and old.get("updated_at") != row.values["updated_at"]
                ):
                    before["updated_at"] = old.get("updated_at")
                after = {a: row.values[a] for a in before}
                updates.append((row, before, after))
        counts["created"] += len(creates)
        counts["updated"] += len(updates)
        plan.create[table.name] = creates
        plan.update[table.name] = updates


# --- Writing ----------------------------------------------------------------------


def _json_text(value: Any) -> str:
    """Compact JSON with sorted keys (orjson: a created object's history row
    holds all its values, one encoding per imported record)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()


def _as_text(value: Any) -> str:
    if value.__class__ is str:
        return value  # most values: nothing to convert
    if value is None:
        return ""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, dict | list):
        return _json_text(value)
    return str(value)


class _Owners:
    """The organisation each imported object belongs to, for its history."""

    def __init__(self, plan: _Plan) -> None:
        self.plan = plan

    def _of(self, table: str, pk: uuid.UUID | None, depth: int = 0) -> uuid.UUID | None:
        if pk is None or depth > 4:
            return None
        if table == "organization":
            return pk
        row = self.plan.rows.get(table, {}).get(pk)
        if row is None:
            return None
        return self.of(table, row.values, depth + 1)

    def of(
        self, table: str, values: dict[str, Any], depth: int = 0
    ) -> uuid.UUID | None:
        if table == "organization":
            return None
        for attname, parent in (
            ("organization_id", "organization"),
            ("service_id", "service"),
            ("location_id", "location"),
            ("service_at_location_id", "service_at_location"),
            ("contact_id", "contact"),
            ("phone_id", "phone"),
        ):
            if values.get(attname) is not None:
                found = self._of(parent, values[attname], depth)
                if found is not None:
                    return found
        return None


# The reference that groups a table's rows on disk, most telling first.
_CLUSTER_BY = (
    "service_id",
    "link_id",
    "service_at_location_id",
    "location_id",
    "contact_id",
    "phone_id",
)
# Tables read by their own ids: in id order, as the API's pages walk them.
_OWN_ORDER = frozenset({"service", "organization", "location"})


def _clustering_key(table: str) -> Callable[[dict[str, Any]], str]:
    """The order new rows of ``table`` are written in.

    Rows lie on disk in the order they were written. A page of fifty services
    (consecutive ids) reads each one's phones, languages, schedules and
    attributes: written in the input's order (a CSV file sorted by the rows'
    own ids), nearly every one sat on a different database page, about seven
    hundred page reads per page of services. Written in the order of the
    service (or location, or other parent) they belong to, the rows of
    neighbouring services share pages.
    """
    if table in _OWN_ORDER:
        return _hex_of_id

    def key(values: dict[str, Any]) -> str:
        for attname in _CLUSTER_BY:
            parent = values.get(attname)
            if parent is not None:
                return f"{attname}:{parent.hex}:{values['id'].hex}"
        return _hex_of_id(values)

    return key


def _hex_of_id(values: dict[str, Any]) -> str:
    return values["id"].hex  # type: ignore[no-any-return]


def _insert(model: type[models.Model], rows: list[dict[str, Any]]) -> None:
    """Insert new rows with ``executemany``, unset columns at their defaults.

    ``bulk_create`` builds a model instance and compiles SQL per object: at a
    hundred thousand services (over a million rows) that alone took minutes.
    The values are already converted and checked against the model.
    """
    if not rows:
        return
    fields = [f for f in model._meta.concrete_fields if f.attname != "id"]
    groups: dict[tuple[str, ...], list[dict[str, Any]]] = defaultdict(list)
    for values in rows:
        groups[tuple(values)].append(values)
    for given, group in groups.items():
        present = set(given)
        defaults = {
            f.attname: f.get_default() for f in fields if f.attname not in present
        }
        names = ["id", *(f.name for f in fields)]
        # One C-level lookup per row instead of a Python step per column.
        pick = itemgetter("id", *(f.attname for f in fields))
        rows_insert(model, names, [pick({**defaults, **values}) for values in group])


_HISTORY_FIELDS = [
    "id",
    "organization_id",
    "resource_id",
    "resource_type",
    "action",
    "field_name",
    "previous_value",
    "replacement_value",
    "actor",
    "actor_label",
    "created_at",
]


def _apply(
    plan: _Plan, actor_label: str, actor: User | None, progress: Any
) -> set[uuid.UUID]:
    """Write the plan; returns the services whose search entry must change."""
    now = timezone.now()
    owners = _Owners(plan)
    actor_id = actor.pk if actor is not None else None
    history: list[tuple[Any, ...]] = []
    touched_services: set[uuid.UUID] = set()
    touched_locations: set[uuid.UUID] = set()
    touched_organizations: set[uuid.UUID] = set()

    def touch(table: Table, pk: uuid.UUID, values: dict[str, Any]) -> None:
        if table.name == "service":
            touched_services.add(pk)
        elif table.name == "organization":
            touched_organizations.add(pk)
        elif table.name == "location":
            touched_locations.add(pk)
        elif table.name == "attribute":
            if values.get("link_entity") == "service":
                touched_services.add(values["link_id"])
            elif values.get("link_entity") == "organization":
                touched_organizations.add(values["link_id"])
        if values.get("service_id") is not None:
            touched_services.add(values["service_id"])
        if (
            values.get("location_id") is not None
            and table.name != "service_at_location"
        ):
            touched_locations.add(values["location_id"])

    def record(
        table: Table,
        pk: uuid.UUID,
        values: dict[str, Any],
        action: str,
        field_name: str,
        previous: str,
        replacement: str,
    ) -> None:
        history.append(
            (
                uuid.uuid4(),
                pk if table.name == "organization" else owners.of(table.name, values),
                pk,
                table.model._meta.model_name or table.name,
                action,
                field_name,
                previous,
                replacement,
                actor_id,
                actor_label,
                now,
            )
        )

    for table in TABLES:
        model = table.model
        has_updated_at = any(
            f.name == "updated_at" for f in model._meta.concrete_fields
        )
        created: list[dict[str, Any]] = []
        for row in plan.create[table.name]:
            values = dict(row.values)
            if has_updated_at and values.get("updated_at") is None:
                values["updated_at"] = now
            record(
                table,
                row.pk,
                values,
                ChangeRecord.Action.CREATE,
                "",
                "",
                _json_text(
                    {
                        # Most values are text already: no call for them.
                        k: v if v.__class__ is str else _as_text(v)
                        for k, v in values.items()
                        if v is not None and v != ""
                    }
                ),
            )
            values["id"] = row.pk
            created.append(values)
            touch(table, row.pk, values)
            progress.update(1)
        created.sort(key=_clustering_key(table.name))
        _insert(model, created)

        by_fields: dict[tuple[str, ...], list[models.Model]] = defaultdict(list)
        for row, before, after in plan.update[table.name]:
            changes = dict(after)
            if has_updated_at and "updated_at" not in changes:
                changes["updated_at"] = now
            obj = model(pk=row.pk, **changes)
            by_fields[tuple(sorted(changes))].append(obj)
            for attname in sorted(before):
                if attname == "updated_at":
                    continue
                record(
                    table,
                    row.pk,
                    row.values,
                    ChangeRecord.Action.UPDATE,
                    attname,
                    _as_text(before[attname]),
                    _as_text(after[attname]),
                )
            touch(table, row.pk, row.values)
            progress.update(1)
        for fields, objs in by_fields.items():
            model._default_manager.bulk_update(objs, list(fields), batch_size=500)
        if len(history) > 50000:
            rows_insert(ChangeRecord, _HISTORY_FIELDS, history)
            history = []
    rows_insert(ChangeRecord, _HISTORY_FIELDS, history)

    locations = list(touched_locations)
    for start in range(0, len(locations), BATCH):
        touched_services.update(
            ServiceAtLocation.objects.filter(
                location_id__in=locations[start : start + BATCH]
            ).values_list("service_id", flat=True)
        )
    organizations = list(touched_organizations)
    for start in range(0, len(organizations), BATCH):
        touched_services.update(
            Service.objects.filter(
                organization_id__in=organizations[start : start + BATCH]
            ).values_list("pk", flat=True)
        )
    return touched_services


def hsds_import(
    *,
    path: Path,
    source: str = "",
    actor: User | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: bool = False,
) -> ImportReport:
    """Import HSDS data from ``path``; all of it or, refusing, nothing.

    ``skip_invalid`` lands the valid records and reports the others;
    ``dry_run`` checks and counts without writing. Raises ``ImportRefusedError``
    (carrying the report) when there are problems and ``skip_invalid`` is off.
    """
    with garbage_collection_paused():
        raw = read_path(path)
        return hsds_import_raw(
            raw=raw,
            source=source or path.name,
            actor=actor,
            dry_run=dry_run,
            skip_invalid=skip_invalid,
            progress=progress,
        )


def hsds_import_raw(
    *,
    raw: RawTables,
    source: str,
    actor: User | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: bool = False,
) -> ImportReport:
    try:
        with garbage_collection_paused():
            return _import_raw(
                raw=raw,
                source=source,
                actor=actor,
                dry_run=dry_run,
                skip_invalid=skip_invalid,
                progress=progress,
            )
    finally:
        # Hundreds of thousands of parsed ids would otherwise outlive the
        # import in a web worker, and every full garbage collection would
        # walk them (tens of milliseconds added to unrelated requests).
        _parse_uuid.cache_clear()


def _import_raw(
    *,
    raw: RawTables,
    source: str,
    actor: User | None,
    dry_run: bool,
    skip_invalid: bool,
    progress: bool,
) -> ImportReport:
    report = ImportReport(source=source, dry_run=dry_run)
    report.problems.extend(raw.problems)
    report.ignored = dict(raw.ignored)
    records = raw.count()
    bar = tqdm(
        total=records * 3,
        disable=not progress or records < PROGRESS_FROM,
        unit="rec",
        desc=_("Importing"),
    )
    with bar:
        plan = _convert_all(raw, report, bar)
        _resolve_references(plan, raw, report)
        if report.problems and not skip_invalid:
            raise ImportRefusedError(report)
        try:
            with (
                sqlite_cache_enlarged(settings.WAYPOINT_IMPORT_CACHE_MB),
                transaction.atomic(),
            ):
                import_source = None
                if not dry_run:
                    import_source, _created = ImportSource.objects.get_or_create(
                        name=source[:200]
                    )
                    import_source.last_imported_at = timezone.now()
                    import_source.save(update_fields=["last_imported_at"])
                else:
                    import_source = ImportSource.objects.filter(
                        name=source[:200]
                    ).first()
                _diff(plan, report, import_source, bar)
                if dry_run:
                    return report
                touched = _apply(plan, f"import:{source}"[:200], actor, bar)
                ids = sorted(touched)
                with full_text_at_the_end():
                    for start in range(0, len(ids), BATCH):
                        search_index_refresh_fast(ids[start : start + BATCH])
                transaction.on_commit(cities_forget)
        except IntegrityError as error:
            report.problems.append(Problem(source, "(database)", "", str(error)))
            raise ImportRefusedError(report) from error
    return report
