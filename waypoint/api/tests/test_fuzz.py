"""Property-based fuzzing of both APIs against their own OpenAPI documents.

Schemathesis reads the document each API serves and generates requests from
it, valid ones and invalid ones, which run in-process through the WSGI
application. For every answer: no 5xx, a status code the document lists for
the operation, the content type it names and a body matching its schema. The
partner API runs with a real token of a member organisation and, besides one
test per operation, walks the document's links (list → referral → transition)
so the transitions reach real referrals with their current version.

``FUZZ_EXAMPLES`` (default 20) sets the generated cases per operation and
generation mode. The cases are derandomised (every run sends the same ones);
``FUZZ_SEED=<n>`` draws others from that seed.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from django.test import Client, override_settings
from hypothesis import HealthCheck, given, seed
from hypothesis import settings as hypothesis_settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from waypoint.accounts.models import MemberOrganization, Role, User
from waypoint.accounts.testing import staff_make
from waypoint.api.services import api_token_create
from waypoint.cases.tests.conftest import intake
from waypoint.referrals.tests.conftest import consent_for, send

pytestmark = pytest.mark.drill

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "20"))
SEED = os.environ.get("FUZZ_SEED", "")
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


def _served(path: str) -> Any:
    """The document the API serves at ``path``, as schemathesis reads it."""
    with override_settings(ALLOWED_HOSTS=["testserver"]):
        document = Client().get(path).json()
    schema = schemathesis.openapi.from_dict(
        document,
        config=schemathesis.Config.from_dict(
            {"generation": {"max-examples": EXAMPLES}}
        ),
    )
    # The WSGI application as the server runs it, built here rather than
    # imported from config (the tests of an app import no higher layer).
    schema.app = get_wsgi_application()
    return schema


HSDS = _served("/api/hsds/openapi.json")
PARTNER = _served("/api/partner/openapi.json")


def _labels(schema: Any) -> list[str]:
    return [result.ok().label for result in schema.get_all_operations()]


def _settings(examples: int) -> hypothesis_settings:
    return hypothesis_settings(
        max_examples=examples,
        derandomize=not SEED,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )


def _fuzz(schema: Any, label: str, headers: dict[str, str] | None = None) -> int:
    """Run ``EXAMPLES`` valid and ``EXAMPLES`` invalid cases of one operation;
    the first failing check raises (shrunk, with a curl line to repeat it)."""
    method, path = label.split(" ", 1)
    operation = schema[path][method]
    calls = 0
    modes = [GenerationMode.POSITIVE]
    if operation.path_parameters or operation.query or operation.body:
        modes.append(GenerationMode.NEGATIVE)  # nothing to get wrong otherwise
    for mode in modes:

        @_settings(EXAMPLES)
        @given(case=operation.as_strategy(mode))
        def run(case: Any) -> None:
            nonlocal calls
            calls += 1
            case.call_and_validate(checks=CHECKS, headers=headers)

        (seed(int(SEED))(run) if SEED else run)()
    return calls


@pytest.fixture
def served_in_process(settings: Any) -> Iterator[None]:
    """Requests through the real WSGI handler inside the test's transaction.

    The handler closes the database connection after each request (Django's
    test client stops it the same way); the rate limits are off, so every
    case reaches the view.
    """
    settings.ALLOWED_HOSTS = ["localhost"]
    settings.WAYPOINT_API_RATE_LIMIT = 0
    settings.WAYPOINT_PARTNER_RATE_LIMIT = 0
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.mark.parametrize("label", _labels(HSDS))
def test_each_hsds_operation_keeps_to_its_document(
    label: str, generated_directory: None, served_in_process: None
) -> None:
    """Whatever a client sends, the HSDS API answers as its document says."""
    calls = _fuzz(HSDS, label)
    print(f"fuzz api=hsds operation={label!r} cases={calls} failures=0")


@pytest.fixture
def partner_token(
    field_keys: None,
    org_a: MemberOrganization,
    org_b: MemberOrganization,
    caseworker_a: User,
    caseworker_b: User,
) -> str:
    """Organisation B's system, acting as its caseworker, with three referrals
    from organisation A waiting for it (an invented person's case summary)."""
    case = intake(caseworker_a, org_a)
    consent_for(caseworker_a, case, org_b)
    for _ in range(3):
        send(caseworker_a, case, org_b, categories=["case_summary"])
    admin = staff_make("fuzz_admin_b", org_b, Role.ORG_ADMIN)
    _token, raw = api_token_create(
        actor=admin, organization=org_b, name="CMS", acts_as=caseworker_b
    )
    return raw


@pytest.mark.parametrize("label", _labels(PARTNER))
def test_each_partner_operation_keeps_to_its_document(
    label: str, partner_token: str, served_in_process: None
) -> None:
    """With a valid token, whatever else a client sends, the partner API
    answers as its document says."""
    calls = _fuzz(PARTNER, label, {"Authorization": f"Bearer {partner_token}"})
    print(f"fuzz api=partner operation={label!r} cases={calls} failures=0")


def test_the_partner_api_keeps_to_its_document_along_its_links(
    partner_token: str, served_in_process: None
) -> None:
    """Listing, reading a listed referral and acting on it with its version,
    as the document's links lead: every step answers as documented."""
    steps = 0

    class Workflow(PARTNER.as_state_machine()):  # type: ignore[misc]
        def get_call_kwargs(self, case: Any) -> dict[str, Any]:
            nonlocal steps
            steps += 1
            return {"headers": {"Authorization": f"Bearer {partner_token}"}}

        def validate_response(self, response: Any, case: Any, **kwargs: Any) -> None:
            case.validate_response(response, checks=CHECKS)

    machine: Any = seed(int(SEED))(Workflow) if SEED else Workflow
    machine.run(
        settings=hypothesis_settings(
            _settings(max(EXAMPLES // 2, 5)), stateful_step_count=6
        )
    )
    print(f"fuzz api=partner stateful steps={steps} failures=0")


HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    "path", ["/services", "/organizations", "/taxonomy_terms", "/taxonomies"]
)
def test_a_page_beyond_the_last_is_refused_naming_the_page(
    path: str, generated_directory: None
) -> None:
    """The page number that once answered 500 now answers 400 for ``page``."""
    response = Client().get("/api/hsds" + path, {"page": HUGE})
    assert response.status_code == 400
    assert [e["parameter"] for e in response.json()["errors"]] == ["page"]


def test_a_partner_page_beyond_the_last_is_refused_naming_the_page(
    partner_token: str,
) -> None:
    response = Client().get(
        "/api/partner/referrals",
        {"page": HUGE},
        headers={"authorization": f"Bearer {partner_token}"},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["page"]


def test_a_transition_with_a_body_that_is_not_json_answers_422(
    partner_token: str,
) -> None:
    """A documented code, naming the body, instead of an undocumented 400."""
    response = Client().post(
        "/api/partner/referrals/1/accept",
        "\x00",
        content_type="application/json",
        headers={"authorization": f"Bearer {partner_token}"},
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["body"]


def _parameters(schema: Any, path: str) -> dict[str, Any]:
    operation = schema.raw_schema["paths"][path]["get"]
    return {p["name"]: p["schema"] for p in operation["parameters"]}


def test_the_documents_state_the_limits() -> None:
    """A client learns the limits from the document, not from a refusal."""
    hsds = _parameters(HSDS, "/api/hsds/services")
    assert hsds["page"]["maximum"] == 1_000_000
    assert hsds["per_page"]["maximum"] == 1000
    assert hsds["search"]["anyOf"][0]["maxLength"] == 200
    partner = _parameters(PARTNER, "/api/partner/referrals")
    assert partner["page"]["maximum"] == 1_000_000
    assert partner["per_page"]["maximum"] == 100
