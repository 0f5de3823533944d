"""Every URL of the site, with hostile values in every parameter and field.

For each role (nobody signed in, each staff role, an account with no role, a
directory editor and a platform administrator) the walk visits every URL
pattern the project routes, with the ids of real records filled in. Each page
that answers is read for its forms; every field of every form, and a set of
parameters that pages commonly read, then receive hostile values: huge and
negative integers, NUL bytes, invalid UTF-8, 100 kB strings, lists where one
value is expected, malformed UUIDs and dates, and values that hypothesis
draws.

What must hold for every request: no 5xx, no record at ERROR in the log (no
traceback), and a request that is refused (anything but a redirect after a
write) leaves every table but the audit trail as it was.
"""

from __future__ import annotations

import datetime
import logging
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from waypoint.accounts.models import MemberOrganization, Membership, Role, User
from waypoint.accounts.testing import login_with_second_factor, staff_make
from waypoint.api.models import ApiToken
from waypoint.cases.models import (
    CompensationClaim,
    Consent,
    Document,
    Person,
    PossibleDuplicate,
    Proceeding,
    ReflectionPeriod,
    Task,
)
from waypoint.cases.services import task_create
from waypoint.cases.tests.conftest import intake
from waypoint.ops.testing import casework_make
from waypoint.referrals.models import Referral, ReferralAttachment

pytestmark = pytest.mark.django_db(transaction=False)

# --- hostile values ------------------------------------------------------------

HUGE = "9" * 25
LONG = "x" * 100_000
# Sent to every field of every form, one kind at a time.
HOSTILE: list[str | bytes | list[str]] = [
    HUGE,
    "-1",
    "a\x00b",
    b"\xff\xfe\xc3(",  # invalid UTF-8, sent as raw bytes
    LONG,
    ["1", "2", "three"],  # a list where one value is expected
    "00000000-0000-0000-0000-00000000000g",
    "2019-02-30",
    "",
]
# Drawn by hypothesis beside its own text, integers and bytes.
MORE_HOSTILE: list[str | bytes | list[str]] = [
    "-" + HUGE,
    "1e308",
    "NaN",
    "{'$gt': ''}",
    "99999-12-31",
    "0000-00-00T25:61",
    "../../../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "\u202egnp.exe",
]
# What pages commonly read from the query string besides their forms.
COMMON_PARAMETERS = [
    "page",
    "q",
    "next",
    "sort",
    "order",
    "year",
    "format",
    "lang",
    "type",
    "status",
    "organization",
    "country",
    "from",
    "to",
    "per_page",
]
# Requests that would end the walker's own session; their pages are still
# read, only not submitted.
SESSION_ENDING = {
    "accounts:logout",
    "account_logout",
    "accounts:logout_everywhere",
    "mfa_deactivate_totp",
    "account_change_password",
    "account_set_password",
}
# Tables a refused request may still write: who read or tried what.
TRAIL = re.compile(r"audit|access|session|axes|notification|sentemail|log", re.I)


@dataclass(frozen=True)
class Route:
    name: str
    template: str  # the path with <converter:name> holes
    kwargs: tuple[tuple[str, str], ...]  # (converter, name)


def _routes() -> list[Route]:
    found: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for entry in resolver.url_patterns:
            if isinstance(entry, URLResolver):
                inner = entry.namespace or namespace
                walk(entry, prefix + str(entry.pattern), inner)
            elif isinstance(entry, URLPattern):
                text = prefix + str(entry.pattern)
                name = f"{namespace}:{entry.name}" if namespace else str(entry.name)
                if "^" in text:  # a regular expression route (allauth's keys)
                    text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<str:\1>", text)
                    text = text.replace("^", "").replace("$", "")
                holes = tuple(
                    (conv or "str", hole)
                    for conv, hole in re.findall(r"<(?:(\w+):)?(\w+)>", text)
                )
                found.append(Route(name, text, holes))

    walk(get_resolver(), "/", "")
    seen: set[tuple[str, str]] = set()
    unique = []
    for route in found:
        if (route.name, route.template) not in seen:
            seen.add((route.name, route.template))
            unique.append(route)
    return unique


# --- the world the walk runs in ----------------------------------------------


def _first(model: type[Any], **filters: Any) -> Any:
    return (
        model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True)
    ).first()


@dataclass
class World:
    users: dict[str, User]
    ids: dict[str, Any] = field(default_factory=dict)

    def fill(self, route: Route) -> str | None:
        """The route's path with real ids in its holes (None: not filled)."""
        path = route.template
        for converter, hole in route.kwargs:
            before = path.split("<", 1)[0].rstrip("/").rsplit("/", 1)[-1]
            value = self.ids.get(f"{before}/{hole}", self.ids.get(hole))
            if value is None:
                value = {
                    "int": 1,
                    "uuid": uuid.UUID(int=1),
                    "slug": "x",
                    "str": "x",
                    "document_format": "pdf",
                    "table_format": "csv",
                }.get(converter, "x")
            path = re.sub(r"<(?:\w+:)?" + hole + ">", str(value), path, count=1)
        return path


def _lookup(name: str) -> type[Any]:
    app, model = name.split(".")
    return apps.get_model(app, model)


@pytest.fixture
def world(
    demo: None,
    field_keys: None,
    settings: Any,
    tmp_path: Any,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
    caseworker_a: User,
    supervisor_a: User,
    org_admin_a: User,
    caseworker_b: User,
    editor: User,
    outsider: User,
    platform_admin: User,
) -> World:
    settings.WAYPOINT_PRIVATE_FILES_DIR = tmp_path / "private"
    settings.MEDIA_ROOT = tmp_path / "media"
    case = intake(caseworker_a, org_a, staff=(caseworker_a,))
    casework = casework_make(
        caseworker=caseworker_a,
        case=case,
        recipient=org_b,
        data_categories=("identity", "case_summary"),
    )
    consent, referral = casework.consent, casework.referral
    task_create(
        actor=caseworker_a,
        case=case,
        title="Call the lawyer",
        due_on=timezone.localdate() + datetime.timedelta(days=3),
        assignee=caseworker_a,
    )
    # Someone the account pages can act on who is not the walker.
    bystander = staff_make("bystander", org_a, Role.CASEWORKER)
    world = World(
        users={
            "caseworker_a": caseworker_a,
            "supervisor_a": supervisor_a,
            "org_admin_a": org_admin_a,
            "caseworker_b": caseworker_b,
            "editor": editor,
            "outsider": outsider,
            "platform_admin": platform_admin,
        }
    )
    activity = {
        hole: _first(_lookup(model))
        for hole, model in {
            "projects/pk": "activities.Project",
            "events/pk": "activities.Event",
            "files/pk": "activities.PublicationFile",
            "publications/pk": "activities.Publication",
            "campaigns/pk": "activities.Campaign",
            "partnerships/pk": "activities.Partnership",
            "departments/pk": "activities.Department",
            "reports/pk": "activities.AnnualReport",
            "registrations/pk": "activities.Registration",
            "services/pk": "directory.Service",
            "locations/pk": "directory.Location",
        }.items()
    }
    world.ids.update({key: value for key, value in activity.items() if value})
    world.ids.update(
        {
            "organizations/pk": org_a.organization_id,
            "organization": org_a.organization_id,
            "cases/pk": case.pk,
            "case_pk": case.pk,
            "person_pk": case.person_id,
            "proceeding_pk": _first(Proceeding) or 1,
            "claim_pk": _first(CompensationClaim) or 1,
            "period_pk": _first(ReflectionPeriod) or 1,
            "task_pk": _first(Task),
            "document_pk": _first(Document),
            "consent_pk": consent.pk,
            "duplicate_pk": _first(PossibleDuplicate) or 1,
            "referrals/pk": referral.pk,
            "attachment_pk": _first(ReferralAttachment) or 1,
            "referral_id": referral.public_id
            if hasattr(referral, "public_id")
            else referral.pk,
            "organisations/pk": org_a.pk,
            "members/pk": Membership.objects.get(user=bystander).pk,
            "all/pk": bystander.pk,
            "token_pk": _first(ApiToken) or 1,
            "year": 2019,
            "fmt": "csv",
            "slug": "x",
        }
    )
    assert Person.objects.exists() and Consent.objects.exists()
    assert Referral.objects.filter(pk=referral.pk).exists()
    return world


ROLES = [
    "anonymous",
    "caseworker_a",
    "supervisor_a",
    "org_admin_a",
    "caseworker_b",
    "editor",
    "outsider",
    "platform_admin",
]
# The pages each role is meant to use get every hostile value in every field
# from that role; every other page it meets gets one hostile request (what a
# role may not use must refuse it cleanly too).
FULL: dict[str, tuple[str, ...]] = {
    "anonymous": (
        "directory:",
        "activities:",
        "reports:",
        "hsds:",
        "partner:",
        "accounts:",
        "account_",
        "mfa_",
    ),
    "caseworker_a": ("cases:", "referrals:", "reports:"),
    "supervisor_a": ("cases:", "reports:casework"),
    "org_admin_a": ("accounts:", "api_tokens:"),
    "caseworker_b": ("referrals:",),
    "editor": ("directory:",),
    "outsider": (),
    "platform_admin": (
        "admin:",
        "activities:",
        "accounts:",
        "directory:member_organizations",
        "directory:hsds",
    ),
}
SECOND_FACTOR = {"caseworker_a", "supervisor_a", "org_admin_a", "caseworker_b"}


def _client_for(role: str, world: World) -> Client:
    client = Client(raise_request_exception=False)
    if role == "anonymous":
        return client
    user = world.users[role]
    if role in SECOND_FACTOR or role == "platform_admin":
        return login_with_second_factor(client, user)
    client.force_login(user)
    return client


# --- reading forms -------------------------------------------------------------


@dataclass
class Form:
    action: str
    method: str
    multipart: bool
    fields: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self._open: Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._open = Form(
                action=attributes.get("action", ""),
                method=attributes.get("method", "get").lower(),
                multipart="multipart" in attributes.get("enctype", ""),
            )
            self.forms.append(self._open)
        elif tag in {"input", "select", "textarea", "button"} and self._open:
            name = attributes.get("name")
            if not name or name == "csrfmiddlewaretoken":
                return
            if attributes.get("type") == "file":
                self._open.files.append(name)
            elif name not in self._open.fields:
                self._open.fields.append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._open = None


def _forms_of(response: Any) -> list[Form]:
    if "html" not in response.get("Content-Type", ""):
        return []
    parser = _Forms()
    parser.feed(response.content.decode("utf-8", "replace"))
    return parser.forms


# --- sending and checking -------------------------------------------------------


def _encode(value: str | bytes | list[str]) -> list[str]:
    """Percent-encoded values for one field (a list sends it repeatedly)."""
    if isinstance(value, list):
        return [quote(item, safe="") for item in value]
    if isinstance(value, bytes):
        return ["".join(f"%{byte:02X}" for byte in value)]
    return [quote(value, safe="")]


def _body(values: dict[str, str | bytes | list[str]]) -> str:
    return "&".join(
        f"{quote(name, safe='')}={encoded}"
        for name, value in values.items()
        for encoded in _encode(value)
    )


def _table_rows() -> dict[str, int]:
    tables = [
        table
        for table in connection.introspection.table_names()
        if not TRAIL.search(table)
    ]
    union = " UNION ALL ".join(
        # The names come from the database itself, quoted.
        f"SELECT '{table}', COUNT(*) FROM {connection.ops.quote_name(table)}"  # noqa: S608
        for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(union)
        return dict(cursor.fetchall())


@dataclass
class Walker:
    client: Client
    caplog: pytest.LogCaptureFixture
    requests: int = 0
    failures: list[str] = field(default_factory=list)

    def check(self, what: str, send: Callable[[], Any], write: bool) -> None:
        before = _table_rows() if write else None
        self.caplog.clear()
        response = send()
        self.requests += 1
        status = response.status_code
        if status >= 500:
            logged = [record.getMessage()[:200] for record in self.caplog.records]
            self.failures.append(f"{status} {what} {logged[-1:]}")
        errors = [
            record for record in self.caplog.records if record.levelno >= logging.ERROR
        ]
        if errors:
            self.failures.append(
                f"logged {errors[0].name}: {errors[0].getMessage()[:160]} {what}"
            )
        if before is not None and status not in (301, 302, 303):
            after = _table_rows()
            changed = {t for t in after if after[t] != before.get(t)}
            if changed:
                self.failures.append(f"{status} wrote {sorted(changed)} {what}")

    def get(self, path: str, query: str) -> None:
        self.check(
            f"GET {path}?{query[:120]}",
            lambda: self.client.generic("GET", path + ("?" + query if query else "")),
            write=False,
        )

    def post(self, path: str, form: Form, values: dict[str, Any]) -> None:
        if form.multipart or form.files:
            data: dict[str, Any] = {
                name: (value.decode("latin-1") if isinstance(value, bytes) else value)
                for name, value in values.items()
            }
            for name in form.files:
                data[name] = SimpleUploadedFile(
                    "../evil\x00.pdf", b"%PDF-1.4 not really", "application/pdf"
                )
            send = lambda: self.client.post(path, data)  # noqa: E731
        else:
            body = _body(values)
            send = lambda: self.client.generic(  # noqa: E731
                "POST", path, body, "application/x-www-form-urlencoded"
            )
        self.check(f"POST {path} {repr(values)[:300]}", send, write=True)


def _values() -> st.SearchStrategy[str | bytes | list[str]]:
    return st.one_of(
        st.sampled_from(HOSTILE + MORE_HOSTILE),
        st.text(max_size=40),
        st.integers().map(str),
        st.binary(max_size=12),
        st.lists(st.text(max_size=8), min_size=2, max_size=3),
    )


def _walk(role: str, world: World, caplog: pytest.LogCaptureFixture) -> Walker:
    walker = Walker(_client_for(role, world), caplog)
    pages = 0
    for route in _routes():
        path = world.fill(route)
        if path is None or (
            route.name.startswith("admin:") and role != "platform_admin"
        ):
            continue
        response = walker.client.get(path)
        walker.requests += 1
        if response.status_code >= 500:
            walker.failures.append(f"{response.status_code} GET {path}")
            continue
        if response.status_code != 200 or not route.name.startswith(FULL[role]):
            # Refused, moved or not this role's: hostile parameters still
            # must not break it.
            walker.get(path, _body({"page": HUGE, "next": "/" + "x" * 3000}))
            continue
        pages += 1
        forms = _forms_of(response)
        names = {name for form in forms for name in form.fields} | set(
            COMMON_PARAMETERS
        )
        is_admin = route.name.startswith("admin:")
        for value in HOSTILE[:4] if is_admin else HOSTILE:
            if value == LONG:
                # As long as an address may be, shared between the names.
                value = "x" * (3800 // len(names) - len(max(names, key=len)) - 1)
            walker.get(path, _body(dict.fromkeys(sorted(names), value)))
        if route.name in SESSION_ENDING:
            continue
        for form in forms:
            if form.method != "post" or (not form.fields and not form.files):
                continue
            target = urljoin(path, form.action) if form.action else path
            if urlsplit(target).netloc:
                continue
            target = urlsplit(target).path
            for value in HOSTILE[:3] if is_admin else HOSTILE:
                walker.post(target, form, dict.fromkeys(form.fields, value))
            if is_admin:
                continue

            @settings(
                max_examples=2,
                deadline=None,
                database=None,
                suppress_health_check=list(HealthCheck),
            )
            @given(st.fixed_dictionaries({name: _values() for name in form.fields}))
            def drawn(values: dict[str, Any]) -> None:
                walker.post(target, form, values)  # noqa: B023

            drawn()
    # An account with no role is sent to its own page from every other one.
    assert pages > 0 or role == "outsider", f"{role} reached no page"
    return walker


@pytest.mark.parametrize("role", ROLES)
def test_no_hostile_value_reaches_a_500_or_a_traceback(
    role: str, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    walker = _walk(role, world, caplog)
    print(f"role={role} requests={walker.requests} failures={len(walker.failures)}")
    assert walker.failures == [], "\n".join(walker.failures[:40])
